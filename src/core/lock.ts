import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
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

function readLock(lock: string): { text: string; holder?: LockHolder; ageMs: number } | undefined {
  try {
    const text = readFileSync(lock, "utf8");
    const ageMs = Date.now() - statSync(lock).mtimeMs;
    let holder: LockHolder | undefined;
    try {
      const data = JSON.parse(text) as Partial<LockHolder>;
      if (typeof data.pid === "number" && typeof data.host === "string") holder = { pid: data.pid, host: data.host };
    } catch {
      // Written by an older comms (a bare pid) or cut short by a kill: judged by its age.
    }
    return { text, holder, ageMs };
  } catch {
    return undefined;
  }
}

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
function isStale(l: { holder?: LockHolder; ageMs: number }): boolean {
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
 * Takes the lock `lock` (a file path), waiting for its holder to finish and taking over a stale lock.
 * Returns the function that releases it. A stale lock is moved aside to `<lock>.stale-<pid>-<random>`
 * first, so that of two processes judging it stale at once only one takes it over.
 */
export function acquireLock(lock: string, timeoutMs: number, fail: LockFailures): () => void {
  const mine = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`;
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    try {
      writeFileSync(lock, mine, { flag: "wx" });
      return () => {
        // Remove only our own lock: one taken over meanwhile belongs to someone else.
        if (readLock(lock)?.text === mine) rmSync(lock, { force: true });
      };
    } catch (e) {
      if (errnoCode(e) !== "EEXIST") throw fail.failed(e);
    }
    const held = readLock(lock);
    if (!held) continue;
    if (isStale(held)) {
      const aside = `${lock}.stale-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
      try {
        renameSync(lock, aside);
      } catch {
        continue;
      }
      // Still the lock judged stale? Otherwise someone took it meanwhile: put theirs back.
      if (readLock(aside)?.text !== held.text) {
        try {
          linkSync(aside, lock);
        } catch {
          // Someone else holds a new lock now; theirs stands.
        }
      }
      rmSync(aside, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw fail.timeout(held.holder ? `process ${held.holder.pid} on ${held.holder.host}` : "an unknown process");
    sleepSync(delay);
  }
}
