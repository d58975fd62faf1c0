import { setDefaultTimeout } from "bun:test";

// Tests must not depend on the machine's CI or terminal settings.
delete process.env.GITHUB_STEP_SUMMARY;
delete process.env.FORCE_COLOR;
delete process.env.NO_COLOR;
process.env.TZ = "UTC";

// Timeouts are guards against a hang, never a measure: a busy machine (a build, another test run, a
// shared CI runner) may run a test several times slower, and the answer must not change. bunfig's
// `timeout` does not reach hooks, where the distribution builds run.
setDefaultTimeout(10 * 60_000);
