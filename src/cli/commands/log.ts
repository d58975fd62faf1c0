import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";

export default defineCommand({
  meta: { name: "log", description: "not available in this build" },
  run() {
    throw new UsageError("'comms log' is not available in this build");
  },
});
