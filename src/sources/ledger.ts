import { RegistryError } from "../core/errors.ts";
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
 * RegistryError naming the source and the first release that changed or vanished.
 */
export function checkLedger(file: string, source: string, url: string, releases: VersionEntry[]): void {
  const ledger = load(file, url);
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
