/**
 * OpenAPI benchmark: GitHub's REST description (`@octokit/openapi` 17.0.0 → 23.0.2,
 * `generated/api.github.com.json`), `comms diff` (the compiled binary when built, else Bun on the
 * sources) against Atlassian's `openapi-diff` (npm 0.24.1, on Node), run side by side, alternating.
 *
 * openapi-diff cannot finish the full pair (it runs out of memory), so both tools are also timed on
 * subsets: the first N paths of each version with only the components they reach. Prints medians,
 * the comms/anchor ratio and peak memory (`/usr/bin/time -v`).
 *
 *   bun scripts/bench-openapi.ts [--rounds 3] [--subsets 1,3,10] [--anchor-timeout 120] [--full-anchor]
 *
 * Inputs and the anchor are fetched into .cache/bench/ on first use (npm pack / npm install --prefix),
 * never into the project's dependencies.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..");
const CACHE = join(REPO, ".cache/bench");
const WORK = join(CACHE, "openapi");
const OLD = "17.0.0";
const NEW = "23.0.2";
const ANCHOR_DIR = join(CACHE, "anchor");
const ANCHOR_BIN = join(ANCHOR_DIR, "node_modules/openapi-diff/bin/openapi-diff");
const BUN = join(REPO, "node_modules/.bin/bun");
const COMPILED = join(REPO, "dist/comms");

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const ROUNDS = Number(arg("--rounds", "3"));
const SUBSETS = arg("--subsets", "1,3,10").split(",").map(Number);
const ANCHOR_TIMEOUT = Number(arg("--anchor-timeout", "120"));
const FULL_ANCHOR = process.argv.includes("--full-anchor");

function run(cmd: string[], cwd = WORK): { code: number; stdout: string; stderr: string } {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function must(cmd: string[], cwd = WORK): string {
  const r = run(cmd, cwd);
  if (r.code !== 0) throw new Error(`${cmd.join(" ")} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

/** GitHub's description at one version, unpacked from the npm tarball. */
function description(version: string): string {
  const dir = join(WORK, `o-${version}`);
  const file = join(dir, "package/generated/api.github.com.json");
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const tgz = must(["npm", "pack", `@octokit/openapi@${version}`, "--silent"]).trim().split("\n").pop()!;
  must(["tar", "xzf", join(WORK, tgz), "-C", dir]);
  return file;
}

function ensureAnchor(): void {
  if (existsSync(ANCHOR_BIN)) return;
  console.error("installing openapi-diff@0.24.1 into .cache/bench/anchor …");
  must(["npm", "install", "--silent", "--prefix", ANCHOR_DIR, "openapi-diff@0.24.1"], REPO);
}

type Json = Record<string, unknown>;

/** The first `n` paths of a description with only the components they reach (so both tools load it). */
function subset(doc: Json, keys: string[]): Json {
  const paths = doc.paths as Json;
  const components = (doc.components ?? {}) as Record<string, Json>;
  const keep: Record<string, Set<string>> = {};
  const queue: unknown[] = keys.map((k) => paths[k]);
  while (queue.length) {
    const v = queue.pop();
    if (Array.isArray(v)) queue.push(...v);
    else if (v && typeof v === "object") {
      const ref = (v as Json).$ref;
      if (typeof ref === "string" && ref.startsWith("#/components/")) {
        const [, , section, name] = ref.split("/") as [string, string, string, string];
        const seen = (keep[section] ??= new Set());
        if (!seen.has(name)) {
          seen.add(name);
          queue.push(components[section]?.[name]);
        }
      }
      queue.push(...Object.values(v));
    }
  }
  const out: Json = { ...doc, paths: Object.fromEntries(keys.filter((k) => k in paths).map((k) => [k, paths[k]])) };
  out.components = Object.fromEntries(
    Object.entries(keep).map(([section, names]) => [section, Object.fromEntries([...names].map((n) => [n, components[section]?.[n]]))]),
  );
  // Webhooks (`webhooks`, GitHub's `x-webhooks`) reach components the kept paths do not.
  for (const k of Object.keys(out)) if (k === "webhooks" || k.startsWith("x-")) delete out[k];
  return out;
}

interface Sample {
  wall: number;
  /** User + system CPU seconds: less sensitive than wall time to other load on the machine. */
  cpu: number;
  rssMb: number;
  code: number;
  stdout: string;
  timedOut: boolean;
}

/** One timed run under /usr/bin/time -v: wall clock and peak resident memory of the whole process tree leader. */
function measure(cmd: string[], timeoutS?: number): Sample {
  const report = join(WORK, "time.txt");
  const full = ["/usr/bin/time", "-v", "-o", report, ...(timeoutS ? ["timeout", String(timeoutS)] : []), ...cmd];
  const start = performance.now();
  const r = run(full);
  const wall = (performance.now() - start) / 1000;
  const text = existsSync(report) ? readFileSync(report, "utf8") : "";
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? 0) / 1024;
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(text)?.[1] ?? 0) + Number(/System time \(seconds\): ([\d.]+)/.exec(text)?.[1] ?? 0);
  return { wall, cpu, rssMb: rss, code: r.code, stdout: r.stdout, timedOut: r.code === 124 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
};

function comms(oldFile: string, newFile: string): string[] {
  const base = existsSync(COMPILED) ? [COMPILED] : [BUN, join(REPO, "src/main.ts")];
  return [...base, "diff", oldFile, newFile, "--kind", "openapi", "--format", "json"];
}

function anchor(oldFile: string, newFile: string): string[] {
  return ["node", "--max-old-space-size=8192", ANCHOR_BIN, oldFile, newFile];
}

function summary(out: string): string {
  try {
    const s = (JSON.parse(out) as { summary: { breaking: number; dangerous: number; safe: number } }).summary;
    return `${s.breaking} breaking, ${s.dangerous} dangerous, ${s.safe} safe`;
  } catch {
    return "no JSON report";
  }
}

function anchorSummary(out: string): string {
  const m = /(\d+) breaking changes? found|No breaking changes found/i.exec(out);
  return m ? m[0] : out.trim().split("\n")[0]?.slice(0, 80) ?? "";
}

async function main() {
  mkdirSync(WORK, { recursive: true });
  const oldText = readFileSync(description(OLD), "utf8");
  const newText = readFileSync(description(NEW), "utf8");
  writeFileSync(join(WORK, "old.json"), oldText);
  writeFileSync(join(WORK, "new.json"), newText);
  const oldDoc = JSON.parse(oldText) as Json;
  const newDoc = JSON.parse(newText) as Json;
  ensureAnchor();
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`load average at start: ${load} on ${navigator.hardwareConcurrency} CPUs`);
  console.log(`comms: ${existsSync(COMPILED) ? "dist/comms (compiled)" : "bun src/main.ts"}; anchor: openapi-diff 0.24.1 on node ${must(["node", "--version"]).trim()}; rounds: ${ROUNDS}`);

  const rows: string[] = [];
  const common = Object.keys(oldDoc.paths as Json).filter((k) => k in (newDoc.paths as Json));
  const pairs: Array<{ label: string; a: string; b: string; anchor: boolean }> = [];
  for (const n of SUBSETS) {
    const keys = common.slice(0, n);
    const a = join(WORK, `old-${n}.json`);
    const b = join(WORK, `new-${n}.json`);
    writeFileSync(a, JSON.stringify(subset(oldDoc, keys), null, 2));
    writeFileSync(b, JSON.stringify(subset(newDoc, keys), null, 2));
    const size = (f: string) => `${(readFileSync(f).length / 1e6).toFixed(2)} MB`;
    pairs.push({ label: `first ${n} path(s) (${size(a)} → ${size(b)})`, a, b, anchor: true });
  }
  pairs.push({ label: `full pair (${(readFileSync(join(WORK, "old.json")).length / 1e6).toFixed(1)} MB → ${(readFileSync(join(WORK, "new.json")).length / 1e6).toFixed(1)} MB)`, a: join(WORK, "old.json"), b: join(WORK, "new.json"), anchor: FULL_ANCHOR });

  for (const p of pairs) {
    const c: Sample[] = [];
    const o: Sample[] = [];
    let anchorGaveUp = !p.anchor;
    for (let i = 0; i < ROUNDS; i++) {
      c.push(measure(comms(p.a, p.b)));
      if (!anchorGaveUp) {
        const s = measure(anchor(p.a, p.b), ANCHOR_TIMEOUT);
        o.push(s);
        // One timeout or crash is enough: the next rounds would only repeat it.
        if (s.timedOut || (s.code !== 0 && s.code !== 1)) anchorGaveUp = true;
      }
    }
    const cm = median(c.map((s) => s.wall));
    const cc = median(c.map((s) => s.cpu));
    const cr = Math.max(...c.map((s) => s.rssMb));
    const finished = o.filter((s) => !s.timedOut && (s.code === 0 || s.code === 1));
    const om = median(finished.map((s) => s.wall));
    const oc = median(finished.map((s) => s.cpu));
    const or = Math.max(0, ...o.map((s) => s.rssMb));
    const anchorText = !p.anchor
      ? "not run (runs out of memory at 16 GB, see anchors/openapi.md; --full-anchor to try)"
      : finished.length
        ? `${om.toFixed(2)} s median (${oc.toFixed(2)} s CPU), ${or.toFixed(0)} MB peak (${anchorSummary(finished[0]!.stdout)})`
        : o[0]?.timedOut
          ? `did not finish within ${ANCHOR_TIMEOUT} s (${or.toFixed(0)} MB at kill)`
          : `failed (exit ${o[0]?.code})`;
    const ratio = finished.length ? ` → comms/anchor = ${(cm / om).toFixed(3)}` : "";
    rows.push(`${p.label}\n  comms:        ${cm.toFixed(2)} s median (${cc.toFixed(2)} s CPU), ${cr.toFixed(0)} MB peak (${summary(c[0]!.stdout)})\n  openapi-diff: ${anchorText}${ratio}`);
    console.log(rows[rows.length - 1]);
  }
}

await main();
