/**
 * Entry point of the JavaScript build that the npm package runs on Node when no prebuilt binary fits the
 * platform. It runs the CLI exactly as src/main.ts does under Bun; the build defines `import.meta.main` as
 * false so that main.ts's own start-up block never runs a second time.
 */
import { writeErr } from "../src/cli/io.ts";
import { describeFailure, run } from "../src/main.ts";

const argv = process.argv.slice(2);
run(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const { message, code } = describeFailure(e, argv.includes("--verbose"));
    writeErr(`${message}\n`);
    process.exitCode = code;
  },
);
