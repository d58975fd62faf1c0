import { setDefaultTimeout } from "bun:test";

// Tests must not depend on the machine's CI or terminal settings.
delete process.env.GITHUB_STEP_SUMMARY;
delete process.env.FORCE_COLOR;
delete process.env.NO_COLOR;
process.env.TZ = "UTC";

// Timeouts are guards against a hang, never a measure: a busy machine (a build, another test run, a
// shared CI runner) may run a test many times slower, and the answer must not change. `npm test` passes
// --timeout (bunfig has no such key, and this call reaches only the first file of a run); this covers
// `bun test <file>`.
setDefaultTimeout(30 * 60_000);
