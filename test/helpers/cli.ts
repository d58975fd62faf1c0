import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO = join(import.meta.dir, "../..");
export const MAIN = join(REPO, "src/main.ts");
/** ../shared, present in CI and development sessions but not in a user's clone. */
export const SHARED = join(REPO, "..", "shared");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled binary CI builds before the tests (COMMS_BIN), when present. */
export const BIN = process.env.COMMS_BIN && Bun.file(process.env.COMMS_BIN).size > 0 ? process.env.COMMS_BIN : undefined;

/**
 * Runs the comms CLI as a subprocess (so exit codes and streams are real): from source, or the
 * compiled binary with `binary: true`.
 */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; stdin?: string; binary?: string } = {}): CliResult {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", ...opts.env })) if (v !== undefined) env[k] = v;
  const cmd = opts.binary ? [opts.binary, ...args] : [process.execPath, MAIN, ...args];
  const res = Bun.spawnSync(cmd, {
    cwd: opts.cwd ?? REPO,
    env,
    stdin: opts.stdin === undefined ? "ignore" : Buffer.from(opts.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: res.exitCode ?? -1, stdout: res.stdout.toString(), stderr: res.stderr.toString() };
}

/** Runs the CLI from source like runCli, and reports the peak resident memory of that process, in bytes. */
export function runCliPeak(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult & { peakBytes: number } {
  const dir = mkdtempSync(join(tmpdir(), "comms-peak-"));
  try {
    const file = join(dir, "peak");
    const r = runCli(["--preload", join(import.meta.dir, "peak-preload.ts"), MAIN, ...args], { ...opts, env: { ...opts.env, COMMS_PEAK_FILE: file }, binary: process.execPath });
    return { ...r, peakBytes: Number(readFileSync(file, "utf8")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
