/**
 * Benchmark: comms vs `buf breaking` (FILE) on googleapis, google-proto-files 4.2.0 → 5.0.1.
 *
 *   bun scripts/bench-protobuf.ts [--runs 3] [--no-buf]
 *
 * Fetches both versions with `npm pack` into .cache/bench/ (once), writes a buf.yaml v2 next to each
 * tree that leaves out google/protobuf (the well-known types), then runs comms (through the CLI, and the
 * compiled dist/comms when present) and buf alternately, under /usr/bin/time -v. Prints median wall
 * time, peak RSS, the comms/buf ratio and how many of buf's findings comms reproduces.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alternate, BUN, CACHE, COMPILED, countOption, fetchPackage, flag, printStatsTable, REPO, stats, summaryLine } from "./bench-lib.ts";
import type { Contender, Sample } from "./bench-lib.ts";

const OLD_VERSION = "4.2.0";
const NEW_VERSION = "5.0.1";
const BUF_YAML = "version: v2\nmodules:\n  - path: .\n    excludes:\n      - google/protobuf\nbreaking:\n  use:\n    - FILE\n";
const BUF_NAME = "buf breaking (FILE)";

const runs = countOption("--runs", 3);
const withBuf = !flag("--no-buf");

/** Extracted package root of one google-proto-files version, with the buf.yaml both tools read. */
function tree(version: string): string {
  const pkg = fetchPackage("google-proto-files", version, join(CACHE, `gpf-${version}`));
  writeFileSync(join(pkg, "buf.yaml"), BUF_YAML);
  return pkg;
}

function findBuf(): string | undefined {
  for (const p of [join(REPO, "node_modules", ".bin", "buf"), "/tmp/bufref/node_modules/.bin/buf"]) if (existsSync(p)) return p;
  return undefined;
}

/** (file, line, column, rule) keys with multiplicity; file-less findings also keep their message. */
function keyCounts(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function bufKeys(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => {
      const a = JSON.parse(l) as { path?: string; start_line?: number; start_column?: number; type: string; message: string };
      return a.path ? `${a.path}:${a.start_line ?? 1}:${a.start_column ?? 1}:${a.type}` : `:${a.type}:${a.message}`;
    });
}

function commsKeys(stdout: string, newRoot: string): string[] {
  const report = JSON.parse(stdout) as {
    results: Array<{ findings: Array<{ rule: string; severity: string; message: string; new?: { file: string; line: number; column: number } }> }>;
  };
  const prefix = `${newRoot.replace(/\/$/, "")}/`;
  const out: string[] = [];
  for (const r of report.results)
    for (const f of r.findings) {
      // buf reports only breaking changes; comms' own hints and additions are not buf rules.
      if (f.severity !== "breaking") continue;
      if (!f.new) out.push(`:${f.rule}:${f.message}`);
      else out.push(`${f.new.file.startsWith(prefix) ? f.new.file.slice(prefix.length) : f.new.file}:${f.new.line}:${f.new.column}:${f.rule}`);
    }
  return out;
}

const oldTree = tree(OLD_VERSION);
const newTree = tree(NEW_VERSION);
const relOld = oldTree.slice(REPO.length + 1);
const relNew = newTree.slice(REPO.length + 1);

// comms exits 1 and buf 100 when they find breaking changes; anything else is a failure, and a
// stale compiled binary must not stop the comparison of the others.
const ok = (s: Sample) => [0, 1, 100].includes(s.code);
const commsArgs = ["diff", relOld, relNew, "--kind", "protobuf", "--format", "json"];
const contenders: Array<Contender & { keys: (s: string) => string[] }> = [
  { name: "comms (bun src/main.ts)", cmd: [BUN, "src/main.ts", ...commsArgs], cwd: REPO, ok, keys: (s) => commsKeys(s, relNew) },
];
if (existsSync(COMPILED)) contenders.push({ name: "comms (dist/comms)", cmd: [COMPILED, ...commsArgs], cwd: REPO, ok, keys: (s) => commsKeys(s, relNew) });
const buf = withBuf ? findBuf() : undefined;
if (withBuf && !buf) console.warn("buf not found (node_modules/.bin/buf or /tmp/bufref/node_modules/.bin/buf): timing comms only");
if (buf) contenders.push({ name: BUF_NAME, cmd: [buf, "breaking", ".", "--against", oldTree, "--error-format", "json"], cwd: newTree, ok, keys: bufKeys });

const all = alternate(contenders, runs);
const done = contenders.map((c, i) => ({ ...c, samples: all[i]! })).filter((c) => c.samples.every(ok));

console.log(`\ngoogle-proto-files ${OLD_VERSION} -> ${NEW_VERSION} (google/protobuf excluded), ${runs} runs each, alternating\n`);
const bufDone = done.find((c) => c.name === BUF_NAME);
const bufStats = bufDone && stats(bufDone.samples);
const keysBy = new Map(done.map((c) => [c.name, c.keys(c.samples[c.samples.length - 1]!.stdout)]));
printStatsTable(
  done.map((c) => ({ name: c.name, stats: stats(c.samples), anchor: bufStats, note: String(keysBy.get(c.name)!.length) })),
  "findings",
);

/** How many of buf's findings a comms run reproduces (same file, line, column and rule), and how many it adds. */
function overlapWithBuf(name: string): { overlap: number; total: number; extra: number } {
  const counts = keyCounts(keysBy.get(name)!);
  let overlap = 0;
  for (const [k, n] of keyCounts(keysBy.get(BUF_NAME)!)) overlap += Math.min(n, counts.get(k) ?? 0);
  return { overlap, total: keysBy.get(BUF_NAME)!.length, extra: keysBy.get(name)!.length - overlap };
}

const comms = done.filter((c) => c.name !== BUF_NAME);
if (bufStats)
  for (const c of comms) {
    const { overlap, total, extra } = overlapWithBuf(c.name);
    const ratio = stats(c.samples).wall / bufStats.wall;
    console.log(
      `\n${c.name}: ratio ${ratio.toFixed(3)} of buf's wall time (${(1 / ratio).toFixed(1)}x faster); overlap ${overlap}/${total} of buf's findings (${((100 * overlap) / total).toFixed(2)}%), ${extra} extra`,
    );
  }
// The first comms contender that ran through (Bun on the sources) is the one quoted.
const quoted = comms[0];
if (quoted) {
  const tail = bufStats ? [`buf's findings reproduced: ${overlapWithBuf(quoted.name).overlap}/${overlapWithBuf(quoted.name).total}`] : [];
  console.log(`\n${summaryLine("protobuf", stats(quoted.samples), "buf", bufStats ?? "not run", ...tail)}`);
}
