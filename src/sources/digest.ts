import { readCacheFile, writeCacheFile } from "./cache.ts";
import type { TreeEntry } from "./repo.ts";

/**
 * The files comms read from a source at its tip (their comms.yaml, index, snapshots and consumer
 * contracts, with the tree entries around them), saved beside the cached repository. A warm run whose
 * tip has not moved reads this one file instead of starting git processes; releases read from it are
 * verified against their hashes all the same. A copy that does not parse is ignored.
 */

export interface Digest {
  commit: string;
  configPath: string;
  tree: Map<string, TreeEntry>;
  blobs: Map<string, string>;
  /** Their comms.yaml as validated when it was first read (parsing it again costs more than the rest of a warm read). */
  config?: unknown;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function loadDigest(file: string): Digest | undefined {
  const text = readCacheFile(file);
  if (!text) return undefined;
  try {
    const d = JSON.parse(text) as { version?: unknown; commit?: unknown; configPath?: unknown; tree?: unknown; blobs?: unknown };
    if (d.version !== 1 || typeof d.commit !== "string" || !OID.test(d.commit) || typeof d.configPath !== "string" || !Array.isArray(d.tree) || !d.blobs || typeof d.blobs !== "object") return undefined;
    const tree = new Map<string, TreeEntry>();
    for (const e of d.tree as unknown[]) {
      if (!Array.isArray(e) || e.length !== 4 || !e.every((x) => typeof x === "string")) return undefined;
      const [p, mode, type, oid] = e as string[];
      tree.set(p!, { mode: mode!, type: type!, oid: oid! });
    }
    const blobs = new Map<string, string>();
    for (const [oid, t] of Object.entries(d.blobs as Record<string, unknown>)) if (OID.test(oid) && typeof t === "string") blobs.set(oid, t);
    return { commit: d.commit, configPath: d.configPath, tree, blobs, config: (d as { config?: unknown }).config };
  } catch {
    return undefined;
  }
}

export function saveDigest(file: string, d: Digest): void {
  const tree = [...d.tree].map(([p, e]) => [p, e.mode, e.type, e.oid]);
  writeCacheFile(file, JSON.stringify({ version: 1, commit: d.commit, configPath: d.configPath, tree, blobs: Object.fromEntries(d.blobs), config: d.config }));
}
