/**
 * Runs comms on a case directory and judges the outcome: in a long-lived worker (fast, for fuzzing
 * and the corpus test) or as a fresh process (real start-up, time and peak memory).
 */
import { accessSync, closeSync, constants, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CANARY, type FuzzCase } from "./lib.ts";

export const REPO = join(import.meta.dir, "../..");
const MAIN = join(REPO, "src/main.ts");
const WORKER = join(import.meta.dir, "worker.ts");

export interface Outcome {
  /** Exit code, or null when the process died. */
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Resident memory in bytes: of the worker after the run, or the process's peak for a subprocess. */
  rss: number;
  /** Something the worker noticed: process.exit called, an uncaught exception, a signal. */
  note?: string;
  timedOut?: boolean;
  overMemory?: boolean;
}

export interface RunnerOptions {
  /** Per-input time budget (ms): beyond it the run is a hang. */
  timeoutMs?: number;
  /** Resident memory (MB) beyond which a run is a limit breach. */
  memoryMb?: number;
  /** The worker is replaced when it holds more than this (MB) between runs. */
  restartMb?: number;
}

const ENV = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, CI: undefined, GITHUB_ACTIONS: undefined, GITLAB_CI: undefined };

function cleanEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ENV)) if (v !== undefined) out[k] = v;
  return out;
}

/** Resident set size of a process (bytes), from /proc; 0 where unavailable. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Reply {
  id: number;
  code: number;
  ms: number;
  rss: number;
  heap: number;
  note?: string;
}

/** A comms worker process that runs inputs one at a time, replaced after a crash, hang or bloat. */
export class InProcessRunner {
  private proc?: ReturnType<typeof Bun.spawn>;
  private ready?: Promise<void>;
  private pending?: { id: number; resolve: (r: Reply | { died: string }) => void };
  private nextId = 1;
  private readonly outPath: string;
  private readonly errPath: string;
  readonly timeoutMs: number;
  private readonly memoryBytes: number;
  private readonly restartBytes: number;
  /** Runs so far and worker restarts, for the summary. */
  runs = 0;
  restarts = 0;

  constructor(opts: RunnerOptions = {}) {
    const dir = mkdtempSync(join(scratchBase(), "comms-fuzz-io-"));
    this.outPath = join(dir, "stdout");
    this.errPath = join(dir, "stderr");
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.memoryBytes = (opts.memoryMb ?? 1024) * 1024 * 1024;
    this.restartBytes = (opts.restartMb ?? 512) * 1024 * 1024;
  }

  private start(): Promise<void> {
    const out = openSync(this.outPath, "a+");
    const err = openSync(this.errPath, "a+");
    let markReady!: () => void;
    let failStart!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    const proc = Bun.spawn({
      cmd: [process.execPath, WORKER],
      cwd: REPO,
      env: cleanEnv(),
      stdio: ["ignore", out, err],
      ipc: (msg: Reply | { ready: true }) => {
        if ("ready" in msg) markReady();
        else if (this.pending && msg.id === this.pending.id) this.pending.resolve(msg);
      },
      serialization: "json",
    });
    closeSync(out);
    closeSync(err);
    this.proc = proc;
    proc.exited.then((code) => {
      failStart(new Error(`the comms worker stopped before it was ready (${proc.signalCode ?? `exit ${code}`}): ${readFileSync(this.errPath, "utf8").slice(0, 2000)}`));
      if (this.proc !== proc) return;
      this.proc = undefined;
      this.pending?.resolve({ died: `worker died (${proc.signalCode ?? `exit ${code}`})` });
    });
    return this.ready;
  }

  private kill(): void {
    const p = this.proc;
    this.proc = undefined;
    if (p) {
      p.kill("SIGKILL");
      this.restarts++;
    }
  }

  /** Runs `comms <args>` with `dir` as the working directory. */
  async run(dir: string, args: string[]): Promise<Outcome> {
    if (!this.proc) await this.start();
    else await this.ready;
    const proc = this.proc!;
    const id = this.nextId++;
    this.runs++;
    let timedOut = false;
    let overMemory = false;
    let peak = 0;
    const t0 = performance.now();
    const reply = await new Promise<Reply | { died: string }>((resolve) => {
      // Every way out clears both timers: a run that dies must not leave its memory poll running.
      const done = (r: Reply | { died: string }) => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(r);
      };
      this.pending = { id, resolve: done };
      const timer = setTimeout(() => {
        timedOut = true;
        done({ died: `no answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      const poll = setInterval(() => {
        const rss = rssOf(proc.pid);
        peak = Math.max(peak, rss);
        if (rss > this.memoryBytes) {
          overMemory = true;
          done({ died: `resident memory ${Math.round(rss / 1048576)} MB over the limit` });
        }
      }, 25);
      proc.send({ id, dir, args });
    });
    this.pending = undefined;
    const ms = performance.now() - t0;
    const read = (p: string) => {
      try {
        return readFileSync(p, "utf8");
      } catch {
        return "";
      }
    };
    const stdout = read(this.outPath);
    const stderr = read(this.errPath);
    if ("died" in reply) {
      this.kill();
      return { code: null, stdout, stderr, ms, rss: peak, note: reply.died, timedOut, overMemory };
    }
    const rss = Math.max(peak, reply.rss);
    if (reply.rss > this.restartBytes) this.kill();
    const out: Outcome = { code: reply.code, stdout, stderr, ms: reply.ms, rss };
    if (reply.note) out.note = reply.note;
    if (rss > this.memoryBytes) out.overMemory = true;
    return out;
  }

  close(): void {
    const p = this.proc;
    this.proc = undefined;
    p?.kill("SIGKILL");
  }
}

/** Peak resident set size of a live process (bytes), from /proc; 0 where unavailable. */
function peakOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs comms as a fresh process (the source, or a compiled binary), measuring wall time and peak
 * RSS (polled from /proc while it runs; the high-water mark only grows, so the last sample is close).
 */
export async function runSubprocess(dir: string, args: string[], opts: { timeoutMs?: number; bin?: string } = {}): Promise<Outcome> {
  const cmd = opts.bin ? [opts.bin, ...args] : [process.execPath, MAIN, ...args];
  const t0 = performance.now();
  const proc = Bun.spawn({ cmd, cwd: dir, env: cleanEnv(), stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  let peak = 0;
  let timedOut = false;
  const poll = setInterval(() => (peak = Math.max(peak, peakOf(proc.pid))), 10);
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill("SIGKILL");
  }, opts.timeoutMs ?? 10_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearInterval(poll);
  clearTimeout(timer);
  const ms = performance.now() - t0;
  const out: Outcome = { code: proc.signalCode ? null : code, stdout, stderr, ms, rss: peak || (proc.resourceUsage()?.maxRSS ?? 0) };
  if (proc.signalCode && !timedOut) out.note = `killed by ${proc.signalCode}`;
  if (timedOut) {
    out.timedOut = true;
    // Worded as the worker words it, so a timeout has one signature however it was measured.
    out.note = `no answer within ${opts.timeoutMs ?? 10_000} ms`;
  }
  return out;
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

/** Lines of stderr that are not warnings. */
function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("comms: warning:"));
}

/**
 * Why an outcome is a failure, or undefined when it is one of the promised ones: exit 0, 1 or 2,
 * no stack trace, an error message on one line, within the time and memory limits, and nothing
 * from outside the project root in the output.
 */
export function classify(o: Outcome): string | undefined {
  if (o.timedOut) return "timeout";
  if (o.overMemory) return "memory";
  if (o.code === null) return "crash";
  if (o.note?.startsWith("process.exit")) return "process-exit";
  if (o.note) return "uncaught";
  if (o.code === 3) return "exit3";
  if (o.code !== 0 && o.code !== 1 && o.code !== 2) return `exit${o.code}`;
  if (STACK.test(o.stderr) || /internal error/.test(o.stderr)) return "stack-trace";
  if (o.code === 2 && errorLines(o.stderr).length > 1) return "multi-line-error";
  if (o.stdout.includes(CANARY) || o.stderr.includes(CANARY)) return "read-outside-root";
  return undefined;
}

/** The first line that explains a failure, for signatures and reports. */
export function headline(o: Outcome): string {
  const lines = errorLines(o.stderr);
  const line = o.note ?? lines.find((l) => /error|exception|Error/.test(l)) ?? lines[0] ?? `exit ${o.code}`;
  return line.slice(0, 300);
}

/** A short key grouping failures with the same cause: class plus the message without numbers and quoted text. */
export function signature(kind: string, cls: string, o: Outcome): string {
  const h = headline(o)
    .replace(/"[^"]*"|'[^']*'/g, "Q")
    .replace(/\d+/g, "N")
    // A trailing name (`Unexpected input type: Order`) varies with the input, not with the cause.
    .replace(/: [A-Za-z_][\w.]*$/, ": X")
    .replace(/\s+at\s.*$/, "");
  return `${kind}|${cls}|${h.slice(0, 160)}`;
}

// ---- case directories ----

/** A scratch area: `case/` where comms runs, `victim/` next to it holding the canary. */
export interface Sandbox {
  root: string;
  caseDir: string;
  victim: string;
}

/** Scratch space: memory-backed where the system has it (tens of times faster to rewrite per input). */
function scratchBase(): string {
  try {
    accessSync("/dev/shm", constants.W_OK);
    return "/dev/shm";
  } catch {
    return tmpdir();
  }
}

export function makeSandbox(): Sandbox {
  const root = mkdtempSync(join(scratchBase(), "comms-fuzz-"));
  const victim = join(root, "victim");
  mkdirSync(victim);
  const secret = `openapi: 3.0.3\ninfo: { title: ${CANARY}, version: 1.0.0 }\npaths: {}\ncomponents:\n  schemas:\n    S: { type: string, enum: [${CANARY}] }\n`;
  writeFileSync(join(victim, "secret.yaml"), secret);
  writeFileSync(join(victim, "x.proto"), `syntax = "proto3";\npackage ${CANARY};\nenum ${CANARY} { ${CANARY}_0 = 0; }\n`);
  writeFileSync(join(victim, "schema.graphql"), `type Query { ${CANARY}: String }\n`);
  return { root, caseDir: join(root, "case"), victim };
}

/** Names of everything in the sandbox outside the case directory, to notice writes that escaped. */
export function outsideListing(sb: Sandbox): string {
  const names: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (r === "case") continue;
      names.push(r);
      if (e.isDirectory()) walk(join(d, e.name), r);
    }
  };
  walk(sb.root, "");
  return names.sort().join("\n");
}

/** Writes a case's files and links into `dir` (emptied first). */
export function materialize(c: FuzzCase, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [p, text] of Object.entries(c.files)) {
    const abs = join(dir, p);
    if (!abs.startsWith(dir)) continue;
    mkdirSync(dirname(abs), { recursive: true });
    try {
      writeFileSync(abs, text);
    } catch {
      // A path that is also a directory in this case: the directory wins.
    }
  }
  for (const [p, target] of Object.entries(c.links ?? {})) {
    const abs = join(dir, p);
    if (!abs.startsWith(dir)) continue;
    mkdirSync(dirname(abs), { recursive: true });
    try {
      rmSync(abs, { recursive: true, force: true });
      symlinkSync(target, abs);
    } catch {
      // Best effort: a link that cannot be made leaves the case without it.
    }
  }
}

/** Reads every regular file below `dir` (skipping links) back into a file map. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs, r);
      else if (e.isFile() && statSync(abs).size < 1_000_000) out[r] = readFileSync(abs, "utf8");
    }
  };
  walk(dir, "");
  return out;
}
