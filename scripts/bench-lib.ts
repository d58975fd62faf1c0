/**
 * What the benchmark scripts share: running commands, fetching inputs from npm into .cache/bench/,
 * installing an anchor tool there, timing commands under `/usr/bin/time -v`, alternating rounds,
 * medians, option parsing and the printed table and summary line. Each bench-<kind>.ts keeps only
 * its inputs, the anchor invocation and the comparison of findings.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";

export const REPO = join(import.meta.dir, "..");
/** Fetched inputs and anchor tools: gitignored, never part of the project's dependencies. */
export const CACHE = join(REPO, ".cache/bench");
export const BUN = join(REPO, "node_modules/.bin/bun");
export const COMPILED = join(REPO, "dist/comms");
const ANCHOR_DIR = join(CACHE, "anchor");

// ---------------------------------------------------------------------------------------------
// Command line

/** The value after `--name`, or `fallback` when the option is absent. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** A positive whole number after `--name`; a typo must not silently mean zero rounds. */
export function countOption(name: string, fallback: number): number {
  const n = Number(option(name, String(fallback)));
  if (Number.isInteger(n) && n >= 1) return n;
  console.error(`${name} wants a positive whole number, got ${option(name, "(nothing)")}`);
  process.exit(2);
}

export function flag(name: string): boolean {
  return process.argv.includes(name);
}

/** Exits with a hint when the compiled binary a script times has not been built. */
export function requireBinary(bin: string): void {
  if (existsSync(bin)) return;
  console.error(`${bin} not found: run npm run build first`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Running commands

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string[], opts: RunOptions = {}): RunResult {
  // Large anchors (buf) print megabytes of findings.
  const r = Bun.spawnSync(cmd, { cwd: opts.cwd ?? REPO, env: opts.env, stdout: "pipe", stderr: "pipe", maxBuffer: 1 << 30 });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** `run` that throws, with the command's stderr, unless it exits 0. */
export function must(cmd: string[], opts: RunOptions = {}): string {
  const r = run(cmd, opts);
  if (r.code !== 0) throw new Error(`${cmd.join(" ")} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

// ---------------------------------------------------------------------------------------------
// Inputs and anchors

/**
 * The unpacked root (`<dir>/package`) of an npm package at one version. Fetched with `npm pack`
 * on first use; the tarball stays next to `dir` so a removed tree unpacks again without the network.
 */
export function fetchPackage(name: string, version: string, dir: string): string {
  const root = join(dir, "package");
  if (existsSync(root)) return root;
  const parent = dirname(dir);
  mkdirSync(dir, { recursive: true });
  // npm names a scoped package's tarball without the `@` and with `-` for the `/`.
  const tgz = join(parent, `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`);
  if (!existsSync(tgz)) must(["npm", "pack", `${name}@${version}`, "--silent"], { cwd: parent });
  must(["tar", "xzf", tgz, "-C", dir]);
  return root;
}

/**
 * Installs anchor packages into .cache/bench/anchor unless `bin` (a path relative to it) is
 * already there; returns the absolute path of `bin`.
 */
export function ensureAnchor(bin: string, packages: string[]): string {
  const path = join(ANCHOR_DIR, bin);
  if (existsSync(path)) return path;
  console.error(`installing ${packages.join(" ")} into .cache/bench/anchor …`);
  must(["npm", "install", "--silent", "--prefix", ANCHOR_DIR, ...packages]);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Timing

export interface Sample {
  wall: number;
  /** User plus system CPU seconds: steadier than wall time on a shared machine. */
  cpu: number;
  /** Peak resident memory of the timed process, 0 when time wrote no report. */
  rssMb: number;
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** One run under `/usr/bin/time -v`: wall clock measured here, CPU and peak memory from time's report. */
export function measure(cmd: string[], opts: RunOptions & { timeoutS?: number } = {}): Sample {
  // The report goes to a file of its own: mixed into a busy stderr pipe it was seen to arrive cut
  // short, and a fixed name would be shared with a benchmark running at the same time.
  mkdirSync(CACHE, { recursive: true });
  const report = join(CACHE, `time-${process.pid}.txt`);
  rmSync(report, { force: true });
  const limit = opts.timeoutS ? ["timeout", String(opts.timeoutS)] : [];
  const start = performance.now();
  const r = run(["/usr/bin/time", "-v", "-o", report, ...limit, ...cmd], opts);
  const wall = (performance.now() - start) / 1000;
  const text = existsSync(report) ? readFileSync(report, "utf8") : "";
  rmSync(report, { force: true });
  const number = (re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
  return {
    wall,
    cpu: number(/User time \(seconds\): ([\d.]+)/) + number(/System time \(seconds\): ([\d.]+)/),
    rssMb: number(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    timedOut: limit.length > 0 && r.code === 124,
  };
}

export interface Contender {
  name: string;
  cmd: string[];
  cwd?: string;
  timeoutS?: number;
  /** Whether a run counts; after one that does not, the contender sits out the remaining rounds. */
  ok?: (s: Sample) => boolean;
}

/**
 * Times every contender once per round, A B A B, so that a change in the machine's load hits
 * all of them alike. Returns the samples of each contender, in the order given.
 */
export function alternate(contenders: Contender[], rounds: number): Sample[][] {
  const samples = contenders.map((): Sample[] => []);
  const out = new Set<number>();
  for (let round = 1; round <= rounds; round++) {
    for (const [i, c] of contenders.entries()) {
      if (out.has(i)) continue;
      const s = measure(c.cmd, { cwd: c.cwd, timeoutS: c.timeoutS });
      samples[i]!.push(s);
      const how = s.timedOut ? `timed out after ${c.timeoutS} s` : `exit ${s.code}`;
      console.error(`  round ${round}/${rounds} ${c.name}: ${s.wall.toFixed(2)} s wall, ${s.cpu.toFixed(2)} s cpu, ${s.rssMb.toFixed(0)} MB, ${how}`);
      if (c.ok && !c.ok(s)) {
        // One timeout or crash is enough: the next rounds would only repeat it.
        console.error(`  ${c.name} dropped from later rounds: ${how} ${s.stderr.trim().split("\n").slice(0, 3).join(" ")}`);
        out.add(i);
      }
    }
  }
  return samples;
}

/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Stats {
  wall: number;
  cpu: number;
  rssMb: number;
  peakMb: number;
  runs: number[];
}

/** Medians of wall, CPU and memory, plus the highest peak seen. */
export function stats(samples: Sample[]): Stats {
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: median(samples.map((s) => s.rssMb)),
    peakMb: Math.max(0, ...samples.map((s) => s.rssMb)),
    runs: samples.map((s) => s.wall),
  };
}

/** Wall and CPU milliseconds of `runs` spawns, sorted, after `warmup` untimed ones that fill the page cache. */
export function spawnTimes(cmd: string[], runs: number, opts: RunOptions & { warmup?: number } = {}): { wall: number[]; cpu: number[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  const warmup = opts.warmup ?? 3;
  for (let i = 0; i < runs + warmup; i++) {
    const t0 = performance.now();
    const r = Bun.spawnSync(cmd, { cwd: opts.cwd, env: opts.env, stdout: "ignore", stderr: "pipe" });
    const ms = performance.now() - t0;
    if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
    if (i < warmup) continue;
    wall.push(ms);
    cpu.push(Number(r.resourceUsage?.cpuTime.total ?? 0n) / 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

/** The p-th percentile of an ascending list (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

export function loadAverage(): string {
  return `${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${navigator.hardwareConcurrency} CPUs`;
}

// ---------------------------------------------------------------------------------------------
// Output

/** Prints a Markdown table, so results paste into notes and pull requests unchanged. */
function printTable(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
}

export const seconds = (s: number) => `${s.toFixed(2)} s`;
export const megabytes = (mb: number) => (mb >= 10240 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(0)} MB`);

const ratio = (x: number, a: number | undefined) => (a ? ` (×${(x / a).toFixed(2)})` : "");

/**
 * The results table: per tool the medians with their ratio to the anchor, peak memory and every
 * run's wall time, plus a note column (findings) when `note` is given. A tool without figures
 * (not run, failed) gets empty cells and its note.
 */
export function printStatsTable(rows: Array<{ name: string; stats?: Stats; anchor?: Stats; note?: string }>, note?: string): void {
  const header = ["tool", "median wall (×anchor)", "median CPU (×anchor)", "peak RSS", "runs (s)"];
  const cells = rows.map(({ name, stats: s, anchor }) =>
    s
      ? [name, `${seconds(s.wall)}${ratio(s.wall, anchor?.wall)}`, `${seconds(s.cpu)}${ratio(s.cpu, anchor?.cpu)}`, megabytes(s.peakMb), s.runs.map((r) => r.toFixed(2)).join(", ")]
      : [name, "", "", "", ""],
  );
  if (note) printTable([...header, note], cells.map((c, i) => [...c, rows[i]!.note ?? ""]));
  else printTable(header, cells);
}

/**
 * The closing line, easy to quote, e.g. `graphql: comms 0.52 s vs graphql-inspector 1.31 s
 * (ratio 0.40), peak 145 MB vs 187 MB, same breaking/dangerous: yes`. Without anchor figures it
 * gives comms' alone and says why the anchor is missing.
 */
export function summaryLine(kind: string, comms: Stats, anchorName: string, anchor: Stats | string, ...tail: string[]): string {
  const head =
    typeof anchor === "string"
      ? `${kind}: comms ${seconds(comms.wall)}, peak ${megabytes(comms.peakMb)}; ${anchorName} ${anchor}`
      : `${kind}: comms ${seconds(comms.wall)} vs ${anchorName} ${seconds(anchor.wall)} (ratio ${(comms.wall / anchor.wall).toFixed(2)}), peak ${megabytes(comms.peakMb)} vs ${megabytes(anchor.peakMb)}`;
  return [head, ...tail].join(", ");
}
