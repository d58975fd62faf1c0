import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";

export default defineCommand({
  meta: { name: "check", description: "not available in this build" },
  run() {
    throw new UsageError("'comms check' is not available in this build");
  },
});
