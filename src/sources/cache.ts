import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { ContainmentError, InputError } from "../core/errors.ts";

/**
 * Where other repositories are kept between runs: `$COMMS_CACHE_DIR`, else `$XDG_CACHE_HOME/comms`, else
 * `~/.cache/comms`. Below it, `sources/<hash of the URL>.git` is one bare repository per remote and
 * `ledger/<hash>.json` the releases seen there. Nothing below the cache directory may be a symbolic
 * link: a link planted there would make git (or a rebuild's delete) act outside it.
 */

export function cacheRoot(env: Record<string, string | undefined> = process.env): string {
  if (env.COMMS_CACHE_DIR) return resolve(env.COMMS_CACHE_DIR);
  // The XDG spec: a relative path in XDG_CACHE_HOME is invalid and ignored.
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "comms");
  return join(homedir(), ".cache", "comms");
}

/** Short stable name of a remote URL: a cache entry per URL, whatever the source is called. */
export function urlKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 32);
}

/** What a cache path is on disk: absent, a directory, a file; a symbolic link is refused. */
function kind(p: string): "none" | "dir" | "file" {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return "none";
  }
  if (st.isSymbolicLink()) throw new ContainmentError(`${p}: is a symbolic link inside the comms cache; refusing to use it (delete it)`);
  return st.isDirectory() ? "dir" : "file";
}

/** A directory of the cache, created when missing; never a symbolic link. */
function dirOf(p: string): string {
  const k = kind(p);
  if (k === "file") throw new InputError(`${p}: expected a directory of the comms cache, found a file`);
  if (k === "none") {
    try {
      mkdirSync(p, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new InputError(`cannot create the comms cache directory ${p}: ${(e as Error).message}`);
    }
  }
  return p;
}

export interface CacheEntry {
  /** The bare repository. */
  repo: string;
  /** The ledger file of releases seen. */
  ledger: string;
  /** When the repository was last fetched (a file beside the repository). */
  stamp: string;
  /** The files read at the tip, kept so that a warm run spawns no git process to read them again. */
  digest: string;
}

/** The cache entry of a remote; directories are created, nothing below them is followed through a link. */
export function cacheEntry(url: string, root = cacheRoot()): CacheEntry {
  const key = urlKey(url);
  dirOf(root);
  const sources = dirOf(join(root, "sources"));
  const ledgers = dirOf(join(root, "ledger"));
  const entry = { repo: join(sources, `${key}.git`), ledger: join(ledgers, `${key}.json`), stamp: join(sources, `${key}.fetched`), digest: join(sources, `${key}.read.json`) };
  for (const p of Object.values(entry)) kind(p);
  return entry;
}

/** Whether the repository directory exists (a file or link there is refused by `kind`). */
export function repoExists(entry: CacheEntry): boolean {
  return kind(entry.repo) === "dir";
}

/** Removes a damaged repository so it can be fetched again; the ledger is kept. */
export function dropRepo(entry: CacheEntry): void {
  kind(entry.repo);
  rmSync(entry.repo, { recursive: true, force: true });
  rmSync(entry.stamp, { force: true });
  rmSync(entry.digest, { force: true });
}

/** Writes a small cache file whole (a temporary file renamed over it), so a reader never sees half of it. */
export function writeCacheFile(file: string, text: string): void {
  kind(file);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A small cache file's text, or undefined when absent. */
export function readCacheFile(file: string): string | undefined {
  if (kind(file) !== "file") return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** When the repository was last fetched, or undefined. */
export function fetchedAt(entry: CacheEntry): Date | undefined {
  const text = readCacheFile(entry.stamp)?.trim();
  const d = text ? new Date(text) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}
