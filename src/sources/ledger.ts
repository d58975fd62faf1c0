import { InputError, RegistryError } from "../core/errors.ts";
import { acquireLock } from "../core/lock.ts";
import type { VersionEntry } from "../registry/store.ts";
import { readCacheFile, writeCacheFile } from "./cache.ts";

/**
 * What comms has seen released in another repository: `contract@version → hash`, kept in the cache.
 * A release is immutable in its own repository (the registry refuses edits); across repositories the
 * only way to change one is to rewrite history, so a release seen before that changed or vanished is
 * refused (exit 2) instead of silently judging against the rewritten one.
 */

interface LedgerFile {
  version: 1;
  url: string;
  releases: Record<string, string>;
}

function load(file: string, url: string): LedgerFile {
  const text = readCacheFile(file);
  const releases = Object.create(null) as Record<string, string>;
  if (text) {
    try {
      const data = JSON.parse(text) as Partial<LedgerFile>;
      if (data && typeof data.releases === "object" && data.releases) {
        for (const [k, v] of Object.entries(data.releases)) if (typeof v === "string") releases[k] = v;
      }
    } catch {
      // A ledger that does not parse is started again: it only ever adds protection.
    }
  }
  return { version: 1, url, releases };
}

/**
 * Checks a remote's releases against what was seen before, then records the new ones. Throws a
 * RegistryError naming the source and the first release that changed or vanished. Read, check and
 * write happen under a lock: two comms at once on one cache (parallel CI jobs) each keep what the
 * other recorded.
 */
export function checkLedger(file: string, source: string, url: string, releases: VersionEntry[], opts: LedgerOptions = {}): void {
  const lockTimeoutMs = opts.lockTimeoutMs ?? 30_000;
  const lock = `${file}.lock`;
  const unlock = acquireLock(lock, lockTimeoutMs, {
    failed: (e) => new InputError(`source '${source}': cannot lock its ledger ${file}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`),
    timeout: (who) => new InputError(`source '${source}': its ledger ${file} is locked by ${who} for over ${Math.round(lockTimeoutMs / 1000)} s; if no comms is running, delete ${lock}`),
  });
  try {
    checkLocked(file, source, url, releases, opts.whileLocked);
  } finally {
    unlock();
  }
}

/** Test seams: how long to wait for another process's lock; a step run between reading and writing. */
export interface LedgerOptions {
  lockTimeoutMs?: number;
  whileLocked?: () => void;
}

function checkLocked(file: string, source: string, url: string, releases: VersionEntry[], whileLocked?: () => void): void {
  const ledger = load(file, url);
  whileLocked?.();
  const now = new Map(releases.map((r) => [`${r.contract}@${r.version}`, r.hash]));
  for (const [id, hash] of Object.entries(ledger.releases)) {
    const current = now.get(id);
    if (current === hash) continue;
    const what = current === undefined ? "is gone from its registry" : `has a different hash (${current.slice(0, 19)}…, first seen as ${hash.slice(0, 19)}…)`;
    throw new RegistryError(
      `source '${source}' (${url}): release ${id} ${what}: the repository's history was rewritten (a force-push?); releases are immutable, so nothing is judged against it. If the rewrite is intended, delete ${file} and fetch again`,
    );
  }
  let added = false;
  for (const [id, hash] of now) {
    if (!Object.hasOwn(ledger.releases, id)) {
      ledger.releases[id] = hash;
      added = true;
    }
  }
  if (added) writeCacheFile(file, `${JSON.stringify(ledger, null, 1)}\n`);
}
