/**
 * Released history's check (src/gate/history.ts) at 100, 300 and 1000 releases, one commit each: the
 * check of the current source against the one of a baseline commit (`--before <rev>`, default the
 * commit before the linear index-entry check). Prints the median of `--rounds` runs and the ratios.
 *
 *   npx bun scripts/bench-history.ts [--before <rev>] [--rounds 5] [--sizes 100,300,1000]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/policy/config.ts";
import { manyReleases } from "../test/helpers/many-releases.ts";
import { CACHE, countOption, option, REPO } from "./bench-lib.ts";

const before = option("--before", "891e854");
const rounds = countOption("--rounds", 5);
const sizes = option("--sizes", "100,300,1000").split(",").map(Number);

/** The baseline's history.ts, its imports pointed at this checkout's modules. */
async function baseline(): Promise<typeof import("../src/gate/history.ts")> {
  const r = Bun.spawnSync(["git", "show", `${before}:src/gate/history.ts`], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git show ${before}: ${r.stderr.toString()}`);
  const src = r.stdout.toString().replaceAll('from "../', `from "${join(REPO, "src")}/`);
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `history-${before}.ts`);
  writeFileSync(file, src);
  return import(file);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const old = await baseline();
const now = await import("../src/gate/history.ts");
const rows: Array<{ n: number; before: number; after: number }> = [];
for (const n of sizes) {
  const repo = manyReleases(n);
  const file = join(repo.dir, "comms.yaml");
  const project = parseConfig(readFileSync(file, "utf8"), "comms.yaml", file);
  const time = (f: typeof now.verifyHistory) => {
    const t = performance.now();
    f(project, {});
    return performance.now() - t;
  };
  const a: number[] = [];
  const b: number[] = [];
  // Alternating, so load on the machine falls on both alike.
  for (let i = 0; i < rounds; i++) {
    b.push(time(old.verifyHistory));
    a.push(time(now.verifyHistory));
  }
  rows.push({ n, before: median(b), after: median(a) });
  rmSync(repo.dir, { recursive: true, force: true });
}
console.log(`released history check, median of ${rounds} (before = ${before})`);
console.log("| releases | before (ms) | after (ms) | before / after |");
console.log("|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.n} | ${r.before.toFixed(0)} | ${r.after.toFixed(0)} | ${(r.before / r.after).toFixed(1)}x |`);
const first = rows[0]!;
for (const r of rows.slice(1)) {
  console.log(`${r.n} vs ${first.n} releases (x${(r.n / first.n).toFixed(1)}): before x${(r.before / first.before).toFixed(1)}, after x${(r.after / first.after).toFixed(1)}`);
}
