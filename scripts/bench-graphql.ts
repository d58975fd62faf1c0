/**
 * GraphQL benchmark: GitHub's public schema (`@octokit/graphql-schema` 14.58.0 → 15.26.0), comms
 * against the `graphql-inspector diff` CLI (7.0.0, on Node), run side by side, alternating, on the
 * same machine. Prints median wall time, the comms/anchor ratio, peak memory and whether both
 * report the same breaking and dangerous changes.
 *
 *   bun scripts/bench-graphql.ts [--rounds 5]
 *
 * Inputs and the anchor CLI are fetched into .cache/bench/ on first use (npm pack / npm install
 * --prefix), never into the project's dependencies.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, print, type DefinitionNode } from "graphql";

const REPO = join(import.meta.dir, "..");
const CACHE = join(REPO, ".cache/bench");
const OLD = "14.58.0";
const NEW = "15.26.0";
const ANCHOR_DIR = join(CACHE, "anchor");
const ANCHOR_BIN = join(ANCHOR_DIR, "node_modules/.bin/graphql-inspector");
const BUN = join(REPO, "node_modules/.bin/bun");
const COMPILED = join(REPO, "dist/comms");

const roundsArg = process.argv.indexOf("--rounds");
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 5;

function run(cmd: string[], cwd = CACHE): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function must(cmd: string[], cwd = CACHE): string {
  const r = run(cmd, cwd);
  if (r.code !== 0) throw new Error(`${cmd.join(" ")} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

/** GitHub's schema at one version, unpacked from the npm tarball. */
function schema(version: string): string {
  const dir = join(CACHE, `gh-${version}`);
  const file = join(dir, "package/schema.graphql");
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tgz = must(["npm", "pack", `@octokit/graphql-schema@${version}`, "--silent"]).trim().split("\n").pop()!;
  must(["tar", "xzf", join(CACHE, tgz), "-C", dir]);
  return file;
}

/** The anchor rejects GitHub's duplicate field definitions; it gets copies with the duplicates dropped. */
function deduplicated(file: string, out: string): string {
  if (existsSync(out)) return out;
  const doc = parse(readFileSync(file, "utf8"), { noLocation: true });
  const definitions = doc.definitions.map((d): DefinitionNode => {
    if (!("fields" in d) || !d.fields) return d;
    const seen = new Set<string>();
    const fields = d.fields.filter((f: { name: { value: string } }) => !seen.has(f.name.value) && !!seen.add(f.name.value));
    return { ...d, fields } as DefinitionNode;
  });
  writeFileSync(out, print({ kind: Kind.DOCUMENT, definitions }));
  return out;
}

function ensureAnchor(): void {
  if (existsSync(ANCHOR_BIN)) return;
  console.error("installing @graphql-inspector/cli@7.0.0 into .cache/bench/anchor …");
  must(["npm", "install", "--silent", "--prefix", ANCHOR_DIR, "@graphql-inspector/cli@7.0.0", "graphql@16"], REPO);
}

interface Sample {
  wall: number;
  /** User plus system CPU seconds: steadier than wall time on a shared machine. */
  cpu: number;
  rssMb: number;
  code: number;
  stdout: string;
}

/** One timed run under /usr/bin/time -v (wall clock and peak resident memory of the whole process). */
function measure(cmd: string[]): Sample {
  // The report goes to a file: mixed into a busy stderr pipe it was seen to arrive cut short.
  const report = join(CACHE, "time-graphql.txt");
  const start = performance.now();
  const r = run(["/usr/bin/time", "-v", "-o", report, ...cmd]);
  const wall = (performance.now() - start) / 1000;
  const text = readFileSync(report, "utf8");
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1];
  const seconds = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return { wall, cpu: seconds("User") + seconds("System"), rssMb: rss ? Number(rss) / 1024 : NaN, code: r.code, stdout: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Messages compared without quotes: the inspector CLI prints quoted names in bold, without the quotes. */
const norm = (m: string) => m.replace(/['"]/g, "").replace(/\s+/g, " ").trim();

function anchorSets(stdout: string): { breaking: Set<string>; dangerous: Set<string> } {
  const breaking = new Set<string>();
  const dangerous = new Set<string>();
  for (const line of stdout.split("\n")) {
    const m = /(✖|⚠)\s+(.*)$/.exec(line);
    if (!m) continue;
    (m[1] === "✖" ? breaking : dangerous).add(norm(m[2]!));
  }
  return { breaking, dangerous };
}

function commsSets(stdout: string): { breaking: Set<string>; dangerous: Set<string> } {
  const report = JSON.parse(stdout) as { results: Array<{ findings: Array<{ severity: string; message: string }> }> };
  const breaking = new Set<string>();
  const dangerous = new Set<string>();
  for (const f of report.results.flatMap((r) => r.findings)) {
    if (f.severity === "breaking") breaking.add(norm(f.message));
    if (f.severity === "dangerous") dangerous.add(norm(f.message));
  }
  return { breaking, dangerous };
}

function overlap(label: string, a: Set<string>, c: Set<string>): boolean {
  const common = [...a].filter((x) => c.has(x));
  console.log(`  ${label}: anchor ${a.size}, comms ${c.size}, common ${common.length}`);
  for (const x of a) if (!c.has(x)) console.log(`    only anchor: ${x}`);
  for (const x of c) if (!a.has(x)) console.log(`    only comms:  ${x}`);
  return common.length === a.size && common.length === c.size;
}

mkdirSync(CACHE, { recursive: true });
const oldFile = schema(OLD);
const newFile = schema(NEW);
const oldDedup = deduplicated(oldFile, join(CACHE, `gh-${OLD}.dedup.graphql`));
const newDedup = deduplicated(newFile, join(CACHE, `gh-${NEW}.dedup.graphql`));
ensureAnchor();

const contenders: Array<{ name: string; cmd: string[] }> = [
  { name: "graphql-inspector diff (node)", cmd: [ANCHOR_BIN, "diff", oldDedup, newDedup] },
  { name: "comms diff (bun src/main.ts)", cmd: [BUN, join(REPO, "src/main.ts"), "diff", oldFile, newFile, "--format", "json"] },
];
if (existsSync(COMPILED)) contenders.push({ name: "comms diff (dist/comms)", cmd: [COMPILED, "diff", oldFile, newFile, "--format", "json"] });

console.log(`GitHub GraphQL schema ${OLD} → ${NEW}, ${ROUNDS} rounds, alternating`);
const samples = contenders.map(() => [] as Sample[]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, c] of contenders.entries()) {
    const s = measure(c.cmd);
    samples[i]!.push(s);
    console.error(`  round ${round + 1} ${c.name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${s.rssMb.toFixed(0)} MB, exit ${s.code}`);
  }
}

const anchorWall = median(samples[0]!.map((s) => s.wall));
const anchorCpu = median(samples[0]!.map((s) => s.cpu));
console.log("\nmedians: wall time (ratio to the anchor), CPU time (ratio), peak RSS:");
for (const [i, c] of contenders.entries()) {
  const wall = median(samples[i]!.map((s) => s.wall));
  const cpu = median(samples[i]!.map((s) => s.cpu));
  const rss = median(samples[i]!.map((s) => s.rssMb));
  console.log(
    `  ${c.name.padEnd(32)} ${wall.toFixed(2)} s (×${(wall / anchorWall).toFixed(2)})  ${cpu.toFixed(2)} s cpu (×${(cpu / anchorCpu).toFixed(2)})  ${rss.toFixed(0)} MB`,
  );
}

console.log("\nsame breaking and dangerous changes (messages, quotes ignored):");
const anchor = anchorSets(samples[0]![0]!.stdout);
const comms = commsSets(samples[1]![0]!.stdout);
const same = overlap("breaking", anchor.breaking, comms.breaking) && overlap("dangerous", anchor.dangerous, comms.dangerous);
const fastEnough = median(samples[1]!.map((s) => s.wall)) <= anchorWall / 2;
console.log(`\n${same ? "same findings" : "findings differ"}; comms ${fastEnough ? "within" : "NOT within"} half the anchor's wall time`);
process.exitCode = same && fastEnough ? 0 : 1;
