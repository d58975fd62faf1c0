/**
 * Released history's check (src/gate/history.ts) at 100, 300 and 1000 releases, one commit each: the
 * check of the current source against the one of a baseline commit (`--before <rev>`, default the
 * commit before the linear index-entry check). Prints the median of `--rounds` runs and the ratios: cold
 * (nothing kept from an earlier run, as in a fresh CI clone) and warm (the entries' history kept in the git
 * directory by the run before, as in a pre-commit hook; one release committed since).
 * A second table times the index entries alone from versions already read: git's reading of each
 * version once is common to both and grows with the total size of the versions.
 *
 *   npx bun scripts/bench-history.ts [--before <rev>] [--rounds 5] [--sizes 100,300,1000]
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonical, entryId, indexEntryHistory, type IndexVersion } from "../src/gate/index-history.ts";
import { parseConfig } from "../src/policy/config.ts";
import { changesBelow, readObjects } from "../src/registry/git.ts";
import { commitAll, manyReleases, readIndex, writeIndex } from "../test/helpers/many-releases.ts";
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
const rows: Array<{ n: number; before: number; after: number; warm: number }> = [];
const entryRows: Array<{ n: number; before: number; after: number }> = [];

/** What the baseline did with the versions: parse each whole and compare every entry of it. */
function parseEveryVersion(versions: IndexVersion[], texts: Map<string, string | undefined>): number {
  const first = new Map<string, string>();
  const latest = new Map<string, string>();
  for (const v of versions) {
    let data: { releases?: unknown[] };
    try {
      data = JSON.parse(texts.get(v.blob) ?? "");
    } catch {
      continue;
    }
    for (const e of data.releases ?? []) {
      const id = entryId(e);
      if (id === undefined) continue;
      const text = canonical(e);
      if (!first.has(id)) first.set(id, text);
      if (latest.get(id) !== text) latest.set(id, text);
    }
  }
  return first.size;
}
/** One more release of the first contract, committed: what a warm run finds new since the last one. */
function addRelease(dir: string, version: string): void {
  const data = readIndex(dir);
  data.releases.push({ ...data.releases[0], version });
  writeIndex(dir, data);
  commitAll(dir, `release ${version}`);
}

for (const n of sizes) {
  const repo = manyReleases(n);
  const file = join(repo.dir, "comms.yaml");
  const project = parseConfig(readFileSync(file, "utf8"), "comms.yaml", file);
  const time = (f: typeof now.verifyHistory, cache = false) => {
    const t = performance.now();
    f(project, { cache });
    return performance.now() - t;
  };
  const a: number[] = [];
  const b: number[] = [];
  const w: number[] = [];
  // Alternating, so load on the machine falls on both alike.
  for (let i = 0; i < rounds; i++) {
    b.push(time(old.verifyHistory));
    a.push(time(now.verifyHistory));
  }
  const versions: IndexVersion[] = changesBelow(repo.dir, ".comms")
    .reverse()
    .flatMap((c) => c.changes.filter((ch) => ch.path === "index.json").map((ch) => ({ commit: c.commit, root: c.root, blob: ch.blob })));
  const texts = readObjects(repo.dir, versions.map((v) => v.blob), (x) => x, 1 << 30);
  const eb: number[] = [];
  const ea: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    if (parseEveryVersion(versions, texts) !== n) throw new Error("baseline loop lost entries");
    eb.push(performance.now() - t);
    t = performance.now();
    if (indexEntryHistory(versions, () => texts).first.size !== n) throw new Error("entries lost");
    ea.push(performance.now() - t);
  }
  entryRows.push({ n, before: median(eb), after: median(ea) });
  for (let i = 0; i < rounds; i++) {
    rmSync(join(repo.dir, ".git", "comms"), { recursive: true, force: true });
    now.verifyHistory(project, {});
    addRelease(repo.dir, `9.${i}.0`);
    w.push(time(now.verifyHistory, true));
  }
  rows.push({ n, before: median(b), after: median(a), warm: median(w) });
  rmSync(repo.dir, { recursive: true, force: true });
}
console.log(`released history check, median of ${rounds} (before = ${before})`);
console.log("| releases | before (ms) | cold (ms) | before / cold | warm (ms) | before / warm |");
console.log("|---:|---:|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.n} | ${r.before.toFixed(0)} | ${r.after.toFixed(0)} | ${(r.before / r.after).toFixed(1)}x | ${r.warm.toFixed(0)} | ${(r.before / r.warm).toFixed(1)}x |`);
const growth = (table: Array<{ n: number; before: number; after: number; warm?: number }>) => {
  const first = table[0]!;
  for (const r of table.slice(1)) {
    const warm = r.warm !== undefined && first.warm !== undefined ? `, warm x${(r.warm / first.warm).toFixed(1)}` : "";
    console.log(`${r.n} vs ${first.n} releases (x${(r.n / first.n).toFixed(1)}): before x${(r.before / first.before).toFixed(1)}, after x${(r.after / first.after).toFixed(1)}${warm}`);
  }
};
growth(rows);
console.log("");
console.log("index entries only, from versions already read (median of the same rounds)");
console.log("| releases | parse every version (ms) | compare with the one before (ms) | ratio |");
console.log("|---:|---:|---:|---:|");
for (const r of entryRows) console.log(`| ${r.n} | ${r.before.toFixed(0)} | ${r.after.toFixed(0)} | ${(r.before / r.after).toFixed(1)}x |`);
growth(entryRows);
