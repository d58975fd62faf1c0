import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";

export default defineCommand({
  meta: { name: "hook", description: "not available in this build" },
  run() {
    throw new UsageError("'comms hook' is not available in this build");
  },
});
