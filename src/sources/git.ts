import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError, InputError } from "../core/errors.ts";
import type { Location } from "../core/location.ts";

/**
 * Git as the transport for other repositories' contracts. Everything a remote supplies is hostile input,
 * as a pull request is: the URL and ref come from comms.yaml, the objects from a server nobody here
 * controls. So git runs with an argument array (never a shell), with no hooks, no submodules, no
 * filters or smudge drivers (objects are read from bare repositories, never checked out), no `ext::`
 * or `fd::` transports, no prompt for credentials, and with `--` or `--end-of-options` between options
 * and anything a user wrote.
 */

/** Options set on every git invocation that touches a remote or a cached repository. */
const HARDENING = [
  "-c", "core.hooksPath=/dev/null",
  "-c", "core.fsmonitor=false",
  "-c", "core.sshCommand=ssh -o BatchMode=yes",
  "-c", "protocol.ext.allow=never",
  "-c", "protocol.fd.allow=never",
  "-c", "protocol.file.allow=always",
  "-c", "submodule.recurse=false",
  "-c", "fetch.recurseSubmodules=false",
  "-c", "transfer.fsckObjects=true",
  "-c", "credential.interactive=false",
  "-c", "advice.detachedHead=false",
];

const KEPT = new Set(["GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_PROXY_COMMAND", "GIT_HTTP_USER_AGENT"]);

/** The environment git runs in: the user's own (credentials, proxies, ssh keys) minus what could run code or prompt. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // GIT_DIR, GIT_INDEX_FILE and the like (set inside git hooks) would point git at the wrong repository;
    // how the user reaches servers (ssh command, CA bundle, proxy) is kept.
    if (v !== undefined && (!k.startsWith("GIT_") || KEPT.has(k))) env[k] = v;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "",
    SSH_ASKPASS: "",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_PROTOCOL_FROM_USER: "0",
    GIT_ALLOW_PROTOCOL: "file:git:http:https:ssh",
    LC_ALL: "C",
    ...extra,
  };
}

export interface GitResult {
  ok: boolean;
  status: number | null;
  stdout: Buffer;
  stderr: string;
  /** Killed after its time limit. */
  timedOut?: boolean;
}

/** Runs git synchronously with the hardening options; never throws for a non-zero exit. */
export function gitSync(cwd: string, args: string[], opts: { input?: string | Buffer; timeoutMs?: number; env?: Record<string, string> } = {}): GitResult {
  const res = spawnSync("git", [...HARDENING, ...args], {
    cwd,
    env: gitEnv(opts.env),
    input: opts.input,
    stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    maxBuffer: 1 << 30,
    timeout: opts.timeoutMs ?? 120_000,
    windowsHide: true,
  });
  if (res.error && (res.error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError("git is not installed or not on PATH");
  return { ok: res.status === 0, status: res.status, stdout: res.stdout ?? Buffer.alloc(0), stderr: (res.stderr ?? Buffer.alloc(0)).toString() };
}

/** Runs git asynchronously (fetches run in parallel), with the same hardening. */
export function gitAsync(cwd: string, args: string[], opts: { timeoutMs?: number; env?: Record<string, string>; input?: string } = {}): Promise<GitResult> {
  return new Promise((done, fail) => {
    const child = spawn("git", [...HARDENING, ...args], { cwd, env: gitEnv(opts.env), stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"], windowsHide: true });
    if (opts.input !== undefined) {
      child.stdin!.on("error", () => {});
      child.stdin!.end(opts.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 120_000);
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      fail((e as NodeJS.ErrnoException).code === "ENOENT" ? new InputError("git is not installed or not on PATH") : e);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      done({ ok: status === 0, status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), ...(timedOut ? { timedOut } : {}) });
    });
  });
}

/**
 * Makes a bare repository at `repo`: in a temporary directory beside it, `prepare`d there, then renamed
 * into place, so no run ever sees a half-made one. Returns git's message when git cannot make it. When
 * the rename fails (another run has just put its own in place, or something else is there), the
 * temporary directory is removed and the caller decides whether what is there will do.
 */
export function initBareRepo(repo: string, prepare: (tmp: string) => void = () => {}): { error?: string; placed: boolean } {
  const tmp = mkdtempSync(`${repo}.tmp-`);
  // No template: nothing but what git needs (no sample hooks, no info/exclude).
  const init = gitSync(dirname(repo), ["init", "-q", "--bare", "--template=", "--end-of-options", tmp]);
  if (!init.ok) {
    rmSync(tmp, { recursive: true, force: true });
    return { error: gitMessage(init.stderr), placed: false };
  }
  // Objects are never collected behind comms's back: what a cache holds (a shallow, partial fetch, or a
  // commit whose push lost) stays as it was put there.
  gitSync(tmp, ["--git-dir", tmp, "config", "gc.auto", "0"]);
  prepare(tmp);
  try {
    renameSync(tmp, repo);
    return { placed: true };
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return { placed: false };
  }
}

/**
 * Whether a git command failed only because another comms was writing the same cache at that moment: a
 * lock file (`shallow.lock`, a ref's `.lock`) held, or the shallow list it read rewritten. Worth another try.
 */
export function lostLockRace(stderr: string): boolean {
  return /shallow file has changed since we read it|\.lock\b.*(exists|File exists)|Unable to create '[^']*\.lock'|cannot lock ref|unable to lock/i.test(stderr);
}

/** How many times a command that lost a lock race is run in all. */
export const LOCK_RACE_ATTEMPTS = 8;

/** The wait before attempt `attempt + 1`: growing, and random so that two losers do not meet again. */
export const lockRaceDelayMs = (attempt: number): number => 50 * attempt + Math.random() * 100 * attempt;

/** First line of git's stderr without its `fatal:` prefix, for messages. */
export function gitMessage(stderr: string): string {
  const line = stderr.trim().split("\n").find((l) => /^(fatal|error): /.test(l)) ?? stderr.trim().split("\n")[0] ?? "";
  return line.replace(/^(fatal|error): /, "").replace(/[^\x20-\x7e]/g, "?").slice(0, 300);
}

/** Printable form of a user-written value in a message. */
function shown(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}

const SCHEMES = /^(https?|ssh|git|file):\/\//i;
/** scp-like `user@host:path` (git reads it as ssh when there is no slash before the colon). */
const SCP = /^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * A remote named in comms.yaml, checked before git sees it: no option injection (`-` first), no
 * transport helpers (`ext::`, `fd::`, any `<name>::`), no control characters; a local path is made
 * absolute against the project root. Returns the URL to give git.
 */
export function checkRemote(url: string, root: string, at?: Location): string {
  const bad = (why: string) => new ConfigError(`'${shown(url)}': ${why}`, at);
  if (/[\u0000-\u001f\u007f]/.test(url)) throw bad("control characters in a git URL");
  if (url.startsWith("-")) throw bad("a git URL cannot start with '-'");
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) throw bad("git transport helpers ('<transport>::<address>', such as ext:: and fd::) are refused");
  if (SCHEMES.test(url)) {
    if (/^file:\/\//i.test(url)) return url;
    // Options smuggled as a host or user: ssh://-oProxyCommand=... runs a command.
    const rest = url.replace(SCHEMES, "");
    if (rest.startsWith("-") || /@-/.test(rest.split("/")[0]!)) throw bad("a host or user name cannot start with '-'");
    return url;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url)) throw bad("unsupported URL scheme (use https, http, ssh, git, file or a path)");
  if (SCP.test(url)) return url;
  if (/^[^/]*:/.test(url) && !isAbsolute(url)) throw bad("not a URL git reads safely; write ssh://host/path, user@host:path or a path");
  return isAbsolute(url) ? url : resolve(root, url);
}

/**
 * A ref named in comms.yaml or on the command line: a branch, a tag or a commit id, with git's own
 * ref-name rules and nothing that reads as an option or a revision expression.
 */
export function checkRef(ref: string, at?: Location): string {
  const bad = (why: string) => new ConfigError(`ref '${shown(ref)}': ${why}`, at);
  if (ref.startsWith("-")) throw bad("a ref cannot start with '-'");
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref) || ref.length > 255) throw bad("refs use letters, digits, '.', '_', '/' and '-'");
  if (/\.\.|\/\/|\/$|\.lock$|@\{|\.$|\/\./.test(ref)) throw bad("not a valid git ref name");
  return ref;
}
