/**
 * Startup time of the compiled binary: `comms --version` and `comms --help`, wall time per run
 * including process spawn, median and 90th percentile over many runs.
 * Usage: bun scripts/bench-startup.ts [binary] [runs]
 */
import { existsSync } from "node:fs";

const bin = process.argv[2] ?? "dist/comms";
const runs = Number(process.argv[3] ?? 50);
if (!existsSync(bin)) {
  console.error(`${bin} not found: run npm run build first`);
  process.exit(2);
}

function time(args: string[]): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now();
    const r = Bun.spawnSync([bin, ...args], { stdout: "ignore", stderr: "ignore" });
    const ms = performance.now() - t0;
    if (r.exitCode !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${r.exitCode}`);
    if (i >= 3) samples.push(ms); // the first runs warm the page cache
  }
  return samples.sort((a, b) => a - b);
}

const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]!;
const rows: Array<[string, number[]]> = [
  ["--version", time(["--version"])],
  ["--help", time(["--help"])],
];
const truth = (() => {
  const s: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    Bun.spawnSync(["true"]);
    s.push(performance.now() - t0);
  }
  return s.sort((a, b) => a - b);
})();
console.log(`comms startup, ${runs} runs each (${bin})`);
for (const [name, s] of rows) console.log(`  ${name.padEnd(10)} median ${pct(s, 50).toFixed(1)} ms, p90 ${pct(s, 90).toFixed(1)} ms`);
console.log(`  spawn cost of /bin/true: median ${pct(truth, 50).toFixed(1)} ms`);
const worst = Math.max(...rows.map(([, s]) => pct(s, 50)));
console.log(worst < 50 ? `ok: every median under 50 ms` : `slow: a median is ${worst.toFixed(1)} ms (target < 50 ms)`);
