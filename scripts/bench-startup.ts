/**
 * Startup time of the compiled binary: `comms --version` and `comms --help`, wall time per run
 * including process spawn, median and 90th percentile over many runs.
 * Usage: bun scripts/bench-startup.ts [binary] [runs]
 *        bun scripts/bench-startup.ts --node [runs]   the npm package's Node build (dist/npm/comms, from npm run dist)
 */
import { existsSync } from "node:fs";
import { percentile, requireBinary, spawnTimes } from "./bench-lib.ts";

// --node: the launcher of the npm package run by Node, outside node_modules, so it takes the JavaScript build.
const node = process.argv[2] === "--node";
const bin = node ? "dist/npm/comms/bin/comms.js" : (process.argv[2] ?? "dist/comms");
const runs = Number(process.argv[3] ?? 50);
if (node && !existsSync(bin)) {
  console.error(`${bin} not found: run npm run dist -- --targets host first`);
  process.exit(2);
}
requireBinary(bin);
const cmd = node ? ["node", bin] : [bin];

const rows: Array<[string, number[]]> = [
  ["--version", spawnTimes([...cmd, "--version"], runs).wall],
  ["--help", spawnTimes([...cmd, "--help"], runs).wall],
];
// What any process costs to spawn here: the floor under every figure above.
const truth = spawnTimes(["true"], runs, { warmup: 0 }).wall;
console.log(`comms startup, ${runs} runs each (${bin})`);
for (const [name, s] of rows) console.log(`  ${name.padEnd(10)} median ${percentile(s, 50).toFixed(1)} ms, p90 ${percentile(s, 90).toFixed(1)} ms`);
console.log(`  spawn cost of /bin/true: median ${percentile(truth, 50).toFixed(1)} ms`);
const worst = Math.max(...rows.map(([, s]) => percentile(s, 50)));
console.log(worst < 50 ? `ok: every median under 50 ms` : `slow: a median is ${worst.toFixed(1)} ms (target < 50 ms)`);
console.log(
  `startup: comms ${rows.map(([name, s]) => `${name} ${percentile(s, 50).toFixed(1)} ms`).join(", ")} median (spawn of true ${percentile(truth, 50).toFixed(1)} ms), under 50 ms: ${worst < 50 ? "yes" : "no"}`,
);
