import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";

export default defineCommand({
  meta: { name: "release", description: "not available in this build" },
  run() {
    throw new UsageError("'comms release' is not available in this build");
  },
});
