/**
 * Benchmark: comms vs `buf breaking` (FILE) on googleapis, google-proto-files 4.2.0 → 5.0.1.
 *
 *   bun scripts/bench-protobuf.ts [--runs 3] [--no-buf]
 *
 * Fetches both versions with `npm pack` into .cache/bench/ (once), writes a buf.yaml v2 next to each
 * tree that leaves out google/protobuf (the well-known types), then runs comms (through the CLI, and the
 * compiled dist/comms when present) and buf alternately, under /usr/bin/time -v. Prints median wall
 * time, median peak RSS, the comms/buf ratio and how many of buf's findings comms reproduces.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
const CACHE = join(ROOT, ".cache", "bench");
const OLD_VERSION = "4.2.0";
const NEW_VERSION = "5.0.1";
const BUF_YAML = "version: v2\nmodules:\n  - path: .\n    excludes:\n      - google/protobuf\nbreaking:\n  use:\n    - FILE\n";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 3;
const withBuf = !args.includes("--no-buf");

function sh(cmd: string[], cwd = ROOT): void {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "ignore", stderr: "inherit" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${r.exitCode})`);
}

/** Extracted package root of one google-proto-files version, fetched on first use. */
function tree(version: string): string {
  const dir = join(CACHE, `gpf-${version}`);
  const pkg = join(dir, "package");
  if (!existsSync(pkg)) {
    mkdirSync(dir, { recursive: true });
    const tgz = join(CACHE, `google-proto-files-${version}.tgz`);
    if (!existsSync(tgz)) sh(["npm", "pack", `google-proto-files@${version}`, "--silent"], CACHE);
    sh(["tar", "xzf", tgz, "-C", dir]);
  }
  writeFileSync(join(pkg, "buf.yaml"), BUF_YAML);
  return pkg;
}

function findBuf(): string | undefined {
  for (const p of [join(ROOT, "node_modules", ".bin", "buf"), "/tmp/bufref/node_modules/.bin/buf"]) if (existsSync(p)) return p;
  return undefined;
}

interface Run {
  wall: number;
  rssMb: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time -v; wall time measured here, peak RSS from time's report. */
function timed(cmd: string[], cwd: string): Run {
  // time's report goes to a file: a child's stderr pipe can be cut short when the child exits.
  const report = join(CACHE, "time-report.txt");
  const start = performance.now();
  const r = Bun.spawnSync(["/usr/bin/time", "-v", "-o", report, ...cmd], { cwd, stdout: "pipe", stderr: "pipe", maxBuffer: 1 << 30 });
  const wall = (performance.now() - start) / 1000;
  const err = `${readFileSync(report, "utf8")}\n${r.stderr.toString()}`;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? 0) / 1024;
  const code = r.exitCode ?? Number(/Exit status: (\d+)/.exec(err)?.[1]);
  // comms exits 1 and buf 100 when they find breaking changes; anything else is a failure.
  if (code !== 0 && code !== 1 && code !== 100) throw new Error(`${cmd.join(" ")} exited ${code}:\n${err.slice(0, 2000)}`);
  return { wall, rssMb: rss, stdout: r.stdout.toString() };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

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
  const report = JSON.parse(stdout) as { results: Array<{ findings: Array<{ rule: string; message: string; new?: { file: string; line: number; column: number } }> }> };
  const prefix = `${newRoot.replace(/\/$/, "")}/`;
  const out: string[] = [];
  for (const r of report.results)
    for (const f of r.findings) {
      if (f.rule === "FIELD_RENAMED_HINT") continue; // comms' own hint, not a buf rule
      if (!f.new) out.push(`:${f.rule}:${f.message}`);
      else out.push(`${f.new.file.startsWith(prefix) ? f.new.file.slice(prefix.length) : f.new.file}:${f.new.line}:${f.new.column}:${f.rule}`);
    }
  return out;
}

mkdirSync(CACHE, { recursive: true });
const oldTree = tree(OLD_VERSION);
const newTree = tree(NEW_VERSION);
const relOld = oldTree.slice(ROOT.length + 1);
const relNew = newTree.slice(ROOT.length + 1);

const contenders: Array<{ name: string; cmd: string[]; cwd: string; keys: (s: string) => string[] }> = [
  {
    name: "comms (bun src/main.ts)",
    cmd: [process.execPath, "src/main.ts", "diff", relOld, relNew, "--kind", "protobuf", "--format", "json"],
    cwd: ROOT,
    keys: (s) => commsKeys(s, relNew),
  },
];
if (existsSync(join(ROOT, "dist", "comms")))
  contenders.push({
    name: "comms (dist/comms)",
    cmd: [join(ROOT, "dist", "comms"), "diff", relOld, relNew, "--kind", "protobuf", "--format", "json"],
    cwd: ROOT,
    keys: (s) => commsKeys(s, relNew),
  });
const buf = withBuf ? findBuf() : undefined;
if (withBuf && !buf) console.warn("buf not found (node_modules/.bin/buf or /tmp/bufref/node_modules/.bin/buf): timing comms only");
if (buf)
  contenders.push({
    name: "buf breaking (FILE)",
    cmd: [buf, "breaking", ".", "--against", oldTree, "--error-format", "json"],
    cwd: newTree,
    keys: bufKeys,
  });

const results = new Map<string, Run[]>();
const failed = new Set<string>();
for (let i = 0; i < runs; i++) {
  for (const c of contenders) {
    if (failed.has(c.name)) continue;
    try {
      const r = timed(c.cmd, c.cwd);
      (results.get(c.name) ?? results.set(c.name, []).get(c.name)!).push(r);
      console.error(`run ${i + 1}/${runs} ${c.name}: ${r.wall.toFixed(2)} s, ${r.rssMb.toFixed(0)} MB`);
    } catch (e) {
      // A stale compiled binary must not stop the comparison of the others.
      console.error(`${c.name} failed, dropped: ${(e as Error).message.split("\n").slice(0, 3).join(" ")}`);
      failed.add(c.name);
    }
  }
}
for (const name of failed) contenders.splice(contenders.findIndex((c) => c.name === name), 1);

console.log(`\ngoogle-proto-files ${OLD_VERSION} -> ${NEW_VERSION} (google/protobuf excluded), ${runs} runs each, alternating\n`);
console.log("| tool | median wall | runs (s) | median peak RSS | findings |");
console.log("|---|---|---|---|---|");
const medians = new Map<string, number>();
const keysBy = new Map<string, string[]>();
for (const c of contenders) {
  const rs = results.get(c.name)!;
  const keys = c.keys(rs[rs.length - 1]!.stdout);
  keysBy.set(c.name, keys);
  medians.set(c.name, median(rs.map((r) => r.wall)));
  console.log(
    `| ${c.name} | ${medians.get(c.name)!.toFixed(2)} s | ${rs.map((r) => r.wall.toFixed(2)).join(", ")} | ${median(rs.map((r) => r.rssMb)).toFixed(0)} MB | ${keys.length} |`,
  );
}
if (buf && !failed.has("buf breaking (FILE)")) {
  const bufName = contenders[contenders.length - 1]!.name;
  const bufCounts = keyCounts(keysBy.get(bufName)!);
  const bufTotal = keysBy.get(bufName)!.length;
  for (const c of contenders.slice(0, -1)) {
    const counts = keyCounts(keysBy.get(c.name)!);
    let overlap = 0;
    for (const [k, n] of bufCounts) overlap += Math.min(n, counts.get(k) ?? 0);
    const ratio = medians.get(c.name)! / medians.get(bufName)!;
    console.log(
      `\n${c.name}: ratio ${ratio.toFixed(3)} of buf's wall time (${(1 / ratio).toFixed(1)}x faster); overlap ${overlap}/${bufTotal} of buf's findings (${((100 * overlap) / bufTotal).toFixed(2)}%), ${keysBy.get(c.name)!.length - overlap} extra`,
    );
  }
}
