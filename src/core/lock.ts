import { linkSync, lstatSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { hostname } from "node:os";

// One writer at a time for files that several comms processes update (the registry's index, the ledger
// of other repositories' releases): a lock file created exclusively, holding the process and host that
// took it, so a lock left by a killed process can be recognised and taken over.

interface LockHolder {
  pid: number;
  host: string;
}

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

/** Blocks the thread for `ms` milliseconds without spinning (works on Node and Bun alike). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

interface HeldLock {
  text: string;
  holder?: LockHolder;
  ageMs: number;
}

/**
 * The lock as it is now: undefined when it has just gone, "foreign" when what is in its place is not a
 * file (a directory or a link, which a repository can hold) or cannot be read: no comms wrote that.
 */
function readLock(lock: string): HeldLock | "foreign" | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    const st = lstatSync(lock);
    if (!st.isFile()) return "foreign";
    mtimeMs = st.mtimeMs;
    text = readFileSync(lock, "utf8");
  } catch (e) {
    return errnoCode(e) === "ENOENT" ? undefined : "foreign";
  }
  let holder: LockHolder | undefined;
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (typeof data.pid === "number" && typeof data.host === "string") holder = { pid: data.pid, host: data.host };
  } catch {
    // Written by an older comms (a bare pid) or cut short by a kill: judged by its age.
  }
  return { text, holder, ageMs: Date.now() - mtimeMs };
}

const textOf = (l: ReturnType<typeof readLock>) => (typeof l === "object" ? l.text : undefined);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === "EPERM";
  }
}

/**
 * A lock is stale when its process is gone (same host), when it is unreadable and not brand new, or
 * when it is over an hour old (the writes it guards take seconds; this covers a reused pid or a vanished host).
 */
function isStale(l: HeldLock): boolean {
  if (l.ageMs > 3_600_000) return true;
  if (!l.holder) return l.ageMs > 10_000;
  if (l.holder.host !== hostname()) return false;
  return l.holder.pid === process.pid || !alive(l.holder.pid);
}

export interface LockFailures {
  /** The lock is held and was not let go within the time allowed; `who` names the holder. */
  timeout(who: string): Error;
  /** The lock file cannot be created at all (permissions, a read-only file system). */
  failed(e: unknown): Error;
}

/**
 * Moves a stale lock aside to `<lock>.stale-<pid>-<random>` and drops it, so that of two processes
 * judging it stale at once only one takes it over. False when it could not be moved (not ours to move).
 */
function takeOver(lock: string, held: HeldLock): boolean {
  const aside = `${lock}.stale-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  try {
    renameSync(lock, aside);
  } catch {
    return false;
  }
  // Still the lock judged stale? Otherwise someone took it meanwhile: put theirs back.
  if (textOf(readLock(aside)) !== held.text) {
    try {
      linkSync(aside, lock);
    } catch {
      // Someone else holds a new lock now; theirs stands.
    }
  }
  rmSync(aside, { force: true });
  return true;
}

/**
 * Takes the lock `lock` (a file path), waiting for its holder to finish and taking over a stale lock.
 * Returns the function that releases it. Every wait counts towards `timeoutMs`; something other than a
 * lock file in its place is refused at once.
 */
export function acquireLock(lock: string, timeoutMs: number, fail: LockFailures): () => void {
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      writeFileSync(lock, mine, { flag: "wx" });
      return () => {
        // Remove only our own lock: one taken over meanwhile belongs to someone else.
        if (textOf(readLock(lock)) === mine) rmSync(lock, { force: true });
      };
    } catch (e) {
      if (errnoCode(e) !== "EEXIST") throw fail.failed(e);
    }
    const held = readLock(lock);
    // Gone since: tried again at once.
    if (held === undefined) continue;
    if (held === "foreign") throw fail.failed(new Error(`${basename(lock)} is not a lock file comms wrote (a directory, a link or unreadable); remove it if no comms is running`));
    if (isStale(held) && takeOver(lock, held)) continue;
    if (Date.now() >= deadline) throw fail.timeout(held.holder ? `process ${held.holder.pid} on ${held.holder.host}` : "an unknown process");
    sleepSync(delay);
  }
}
