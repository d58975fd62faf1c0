#!/usr/bin/env bun
/**
 * Fuzzes comms with structure-aware and byte mutations of every input kind, deterministically from
 * a seed, and saves each new failure as a reproducer under test/fixtures/fuzz/<kind>/<case>/.
 *
 *   npx bun scripts/fuzz.ts [--kind openapi,graphql|all] [--seed 1] [--count 1000] [--seconds 60]
 *                           [--timeout 10000] [--memory 1024] [--no-save] [--only <input number> [--dump <dir>]]
 *
 * A run is a failure when comms exits with anything but 0, 1 or 2, prints a stack trace or an
 * error over several lines, exceeds the time or memory limit, prints content from outside the
 * project root, or writes outside it. Inputs run in a long-lived worker (in process, fast); every
 * `--subprocess-every` inputs and for the slowest ones a fresh process measures real time and RSS.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FuzzCase, type FuzzKind, Rng } from "./fuzz/lib.ts";
import { classify, headline, InProcessRunner, makeSandbox, materialize, type Outcome, outsideListing, readTree, REPO, runSubprocess, type Sandbox, signature } from "./fuzz/runner.ts";

export interface FuzzOptions {
  kinds?: string[];
  seed?: number;
  /** Inputs per kind. */
  count?: number;
  /** Time budget per kind. */
  seconds?: number;
  timeoutMs?: number;
  memoryMb?: number;
  /** Where reproducers go (undefined: not saved). */
  out?: string;
  subprocessEvery?: number;
  /** Run only this input number (to reproduce one). */
  only?: number;
  /** With `only`: also write that input's files here, to read or replay it by hand. */
  dump?: string;
  log?: (line: string) => void;
}

export interface Failure {
  kind: string;
  input: number;
  cls: string;
  signature: string;
  message: string;
  /** Where the reproducer was saved, if it was. */
  saved?: string;
  case: FuzzCase;
}

export interface KindReport {
  kind: string;
  inputs: number;
  seconds: number;
  exits: Record<string, number>;
  failures: Failure[];
  /** Slowest input in process (ms), and the worst real run measured in a fresh process. */
  slowestMs: number;
  worst?: { ms: number; rssMb: number; input: number; args: string[] };
}

const KINDS_DIR = join(import.meta.dir, "fuzz/kinds");

/** Every kind plugin: one file per kind in scripts/fuzz/kinds/. */
export async function loadKinds(): Promise<FuzzKind[]> {
  const out: FuzzKind[] = [];
  for (const f of readdirSync(KINDS_DIR).filter((n) => n.endsWith(".ts")).sort()) {
    const mod = (await import(join(KINDS_DIR, f))) as { default?: FuzzKind };
    if (mod.default?.name) out.push(mod.default);
  }
  return out;
}

function hash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 8);
}

/** Runs one case in the sandbox and judges it, including writes outside the case directory. */
async function attempt(runner: InProcessRunner, sb: Sandbox, c: FuzzCase, before: string): Promise<{ outcome: Outcome; cls?: string }> {
  materialize(c, sb.caseDir);
  let outcome = await runner.run(sb.caseDir, c.args);
  // The limit is the CLI's: an input that runs out of time in the long-lived worker (its heap grown by
  // earlier inputs, or the machine busy) is run again as the CLI runs, in a fresh process, and fails
  // only if it runs out of time there too.
  if (outcome.timedOut) outcome = await runSubprocess(sb.caseDir, c.args, { timeoutMs: runner.timeoutMs });
  let cls = classify(outcome);
  if (!cls && outsideListing(sb) !== before) cls = "wrote-outside-root";
  if (!cls && c.expectExit && !c.expectExit.includes(outcome.code ?? -1)) cls = "wrong-verdict";
  return { outcome, cls };
}

/**
 * Shrinks a failing case while it fails the same way: drops files, then halves runs of lines
 * (and, for long single lines, runs of characters). Bounded: at most `budget` runs.
 */
async function minimise(c: FuzzCase, still: (c: FuzzCase) => Promise<boolean>, budget = 120): Promise<FuzzCase> {
  let best = c;
  let runs = 0;
  const tryCase = async (cand: FuzzCase) => {
    if (runs++ >= budget) return false;
    if (await still(cand)) {
      best = cand;
      return true;
    }
    return false;
  };
  for (const p of Object.keys(best.files)) {
    if (Object.keys(best.files).length <= 1) break;
    const files = { ...best.files };
    delete files[p];
    await tryCase({ ...best, files });
  }
  for (const p of Object.keys(best.files)) {
    for (const unit of ["line", "chunk"] as const) {
      const split = (t: string) => (unit === "line" ? t.split(/(?<=\n)/) : (t.match(/[\s\S]{1,2048}/g) ?? []));
      let parts = split(best.files[p]!);
      if (unit === "chunk" && best.files[p]!.length < 50_000) continue;
      for (let size = Math.max(1, parts.length >> 1); size >= 1 && runs < budget; size >>= 1) {
        for (let i = 0; i + size <= parts.length && runs < budget; ) {
          const text = [...parts.slice(0, i), ...parts.slice(i + size)].join("");
          if (await tryCase({ ...best, files: { ...best.files, [p]: text } })) parts = split(text);
          else i += size;
        }
      }
    }
  }
  return best;
}

/** Writes a reproducer directory in the corpus convention. */
function save(out: string, f: Failure, owned: boolean): string | undefined {
  const dir = join(out, f.kind, `${f.cls}-${hash(f.signature)}`);
  if (existsSync(dir)) return undefined;
  mkdirSync(dir, { recursive: true });
  for (const [p, text] of Object.entries(f.case.files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const expect: Record<string, unknown> = { args: f.case.args, exit: f.case.expectExit ?? [0, 1, 2] };
  if (f.case.links) expect.links = f.case.links;
  // Until someone fixes it, the corpus test reports the case as a known failure instead of failing.
  if (!owned) expect.known = `${f.cls}: ${f.message.slice(0, 200)}`;
  expect.signature = f.signature;
  writeFileSync(join(dir, "expect.json"), `${JSON.stringify(expect, null, 2)}\n`);
  return dir;
}

/** Signatures of failures already in the corpus (their `known` text), so a campaign does not save them twice. */
function knownSignatures(out: string): Set<string> {
  const sigs = new Set<string>();
  if (!existsSync(out)) return sigs;
  for (const area of readdirSync(out))
    for (const name of existsSync(join(out, area)) ? readdirSync(join(out, area)) : []) sigs.add(`${area}/${name}`);
  return sigs;
}

/** Fuzzes each kind and returns one report per kind. */
export async function fuzz(opts: FuzzOptions = {}): Promise<KindReport[]> {
  const log = opts.log ?? (() => {});
  const all = await loadKinds();
  const wanted = !opts.kinds?.length || opts.kinds.includes("all") ? all : all.filter((k) => opts.kinds!.includes(k.name));
  const unknown = (opts.kinds ?? []).filter((k) => k !== "all" && !all.some((x) => x.name === k));
  if (unknown.length) throw new Error(`unknown kind(s) ${unknown.join(", ")} (known: ${all.map((k) => k.name).join(", ")})`);
  const seed = opts.seed ?? 1;
  const count = opts.count ?? 1000;
  const runner = new InProcessRunner({ timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb });
  const sb = makeSandbox();
  const before = outsideListing(sb);
  const reports: KindReport[] = [];
  const existing = opts.out ? knownSignatures(opts.out) : new Set<string>();

  // Seeds may need comms itself (releases); they are built in a scratch directory of the sandbox.
  const build = async (files: Record<string, string>, commands: string[][]) => {
    const dir = join(sb.root, "seed");
    materialize({ files, args: [] }, dir);
    for (const args of commands) {
      const o = await runner.run(dir, args);
      if (o.code !== 0) {
        log(`seed: 'comms ${args.join(" ")}' exited ${o.code}: ${headline(o)}; continuing without it`);
        rmSync(dir, { recursive: true, force: true });
        return undefined;
      }
    }
    const tree = readTree(dir);
    rmSync(dir, { recursive: true, force: true });
    return tree;
  };

  try {
    for (const kind of wanted) {
      const seeds = await kind.seeds(build);
      const report: KindReport = { kind: kind.name, inputs: 0, seconds: 0, exits: {}, failures: [], slowestMs: 0 };
      const seen = new Set<string>();
      const slowest: Array<{ ms: number; input: number; c: FuzzCase }> = [];
      const t0 = performance.now();
      const deadline = opts.seconds ? t0 + opts.seconds * 1000 : Infinity;
      let lastLog = t0;
      const first = opts.only ?? 0;
      const last = opts.only !== undefined ? opts.only + 1 : count;
      for (let i = first; i < last && performance.now() < deadline; i++) {
        const rng = new Rng(seed, kind.name, i);
        // The first inputs of each campaign are the hostile classes, one each, then the seeds themselves
        // (they must pass too); after that, mutations, with a class again one input in fifty.
        const classes = Object.entries(kind.classes ?? {});
        const c =
          i < classes.length
            ? classes[i]![1](rng)
            : i < classes.length + seeds.length
              ? seeds[i - classes.length]!
              : classes.length && rng.chance(0.02)
                ? rng.pick(classes)[1](rng)
                : kind.mutate(rng.pick(seeds), rng, seeds);
        if (opts.dump && opts.only !== undefined) {
          materialize(c, opts.dump);
          writeFileSync(join(opts.dump, "args.json"), `${JSON.stringify(c.args)}\n`);
        }
        const { outcome, cls } = await attempt(runner, sb, c, before);
        report.inputs++;
        const exit = cls ?? String(outcome.code);
        report.exits[exit] = (report.exits[exit] ?? 0) + 1;
        if (outcome.ms > report.slowestMs) report.slowestMs = outcome.ms;
        if (!cls && (slowest.length < 5 || outcome.ms > slowest[slowest.length - 1]!.ms)) {
          slowest.push({ ms: outcome.ms, input: i, c });
          slowest.sort((a, b) => b.ms - a.ms);
          slowest.length = Math.min(slowest.length, 5);
        }
        if (cls) {
          const sig = signature(kind.name, cls, outcome);
          if (!seen.has(sig)) {
            seen.add(sig);
            const failure: Failure = { kind: kind.name, input: i, cls, signature: sig, message: headline(outcome), case: c };
            log(`FAIL ${kind.name} #${i} ${cls}: ${failure.message}`);
            if (opts.out && !existing.has(`${kind.name}/${cls}-${hash(sig)}`)) {
              const small = cls === "timeout" || cls === "memory" || cls === "crash" ? c : await minimise(c, async (cand) => {
                const r = await attempt(runner, sb, cand, before);
                return r.cls === cls && signature(kind.name, r.cls, r.outcome) === sig;
              });
              failure.case = small;
              failure.saved = save(opts.out, failure, kind.name === "protobuf");
              if (failure.saved) log(`  saved ${failure.saved}`);
            }
            report.failures.push(failure);
          }
        }
        if (opts.subprocessEvery && i % opts.subprocessEvery === opts.subprocessEvery - 1) {
          materialize(c, sb.caseDir);
          const real = await runSubprocess(sb.caseDir, c.args, { timeoutMs: opts.timeoutMs });
          if (!report.worst || real.ms > report.worst.ms) report.worst = { ms: real.ms, rssMb: real.rss / 1048576, input: i, args: c.args };
        }
        if (performance.now() - lastLog > 30_000) {
          lastLog = performance.now();
          log(`${kind.name}: ${report.inputs} inputs, ${report.failures.length} distinct failures, ${JSON.stringify(report.exits)}, worker rss restarts ${runner.restarts}, fuzzer rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`);
        }
      }
      // The slowest inputs, measured again as fresh processes: real time and peak memory.
      for (const s of slowest) {
        materialize(s.c, sb.caseDir);
        const real = await runSubprocess(sb.caseDir, s.c.args, { timeoutMs: opts.timeoutMs });
        if (!report.worst || real.ms > report.worst.ms || real.rss / 1048576 > report.worst.rssMb)
          report.worst = { ms: Math.max(real.ms, report.worst?.ms ?? 0), rssMb: Math.max(real.rss / 1048576, report.worst?.rssMb ?? 0), input: s.input, args: s.c.args };
      }
      report.seconds = (performance.now() - t0) / 1000;
      reports.push(report);
      log(summaryLine(report));
    }
  } finally {
    runner.close();
    rmSync(sb.root, { recursive: true, force: true });
  }
  return reports;
}

export function summaryLine(r: KindReport): string {
  const worst = r.worst ? `; worst fresh process ${r.worst.ms.toFixed(0)} ms, ${r.worst.rssMb.toFixed(0)} MB peak RSS (input #${r.worst.input})` : "";
  return `${r.kind}: ${r.inputs} inputs in ${r.seconds.toFixed(1)} s, ${r.failures.length} distinct failures, exits ${JSON.stringify(r.exits)}, slowest in process ${r.slowestMs.toFixed(0)} ms${worst}`;
}

function parseArgs(argv: string[]): FuzzOptions & { save: boolean } {
  const opts: FuzzOptions & { save: boolean } = { save: true, subprocessEvery: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const num = () => {
      const v = Number(val());
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === "--kind" || a === "--kinds") opts.kinds = val().split(",");
    else if (a === "--seed") opts.seed = num();
    else if (a === "--count") opts.count = num();
    else if (a === "--seconds") opts.seconds = num();
    else if (a === "--timeout") opts.timeoutMs = num();
    else if (a === "--memory") opts.memoryMb = num();
    else if (a === "--subprocess-every") opts.subprocessEvery = num();
    else if (a === "--only") opts.only = num();
    else if (a === "--dump") opts.dump = val();
    else if (a === "--out") opts.out = val();
    else if (a === "--no-save") opts.save = false;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

if (import.meta.main) {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.save) opts.out ??= join(REPO, "test/fixtures/fuzz");
  else opts.out = undefined;
  opts.log = (line) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const reports = await fuzz(opts);
  for (const r of reports) console.log(summaryLine(r));
  const failures = reports.reduce((n, r) => n + r.failures.length, 0);
  if (opts.only !== undefined) for (const r of reports) for (const f of r.failures) console.log(JSON.stringify(f.case, null, 2));
  // Exit explicitly: a worker being torn down may keep the event loop alive.
  process.exit(failures ? 1 : 0);
}
