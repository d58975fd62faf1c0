import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EntryHistory, EntryResume, IndexVersion } from "./index-history.ts";

// Every committed version of index.json holds every release so far, so reading them all is quadratic in
// the number of releases. What they say about the entries is a function of the versions alone (their
// commits and blobs, which git names by content), so it is kept in the repository's git directory and
// only the versions committed since are read on the next run. A change under review cannot write there:
// git never checks files out into it. The cache is used only for the exact sequence of versions it was
// made from; anything else in it (another history, a rebase, a damaged file) is ignored, and the
// versions are read again.

const FORMAT = 1;

/** A cache larger than this is not read: it would be larger than the versions it stands for. */
const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/** The file that keeps the entries' history of one registry directory, read with one size limit. */
export function entryCacheFile(gitDir: string, dir: string, maxBytes: number): string {
  const key = createHash("sha256").update(`${dir}\u0000${maxBytes}`).digest("hex").slice(0, 32);
  return join(gitDir, "comms", `index-history-${key}.json`);
}

/** A digest of the first `count` versions: equal digests, equal sequences. */
function chainOf(versions: readonly IndexVersion[], count: number): string {
  const h = createHash("sha256");
  for (let i = 0; i < count; i++) {
    const v = versions[i]!;
    h.update(`${v.commit} ${v.blob} ${v.root ? 1 : 0}\n`);
  }
  return h.digest("hex");
}

const isString = (x: unknown): x is string => typeof x === "string";

/** The history of a prefix of `versions` kept by an earlier run, or undefined when there is none that fits. */
export function loadEntryCache(file: string, versions: readonly IndexVersion[]): EntryResume | undefined {
  let data: unknown;
  try {
    const st = lstatSync(file);
    if (!st.isFile() || st.size > MAX_CACHE_BYTES) return undefined;
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  const done = d.done;
  if (d.format !== FORMAT || typeof done !== "number" || !Number.isInteger(done) || done < 1 || done > versions.length) return undefined;
  if (d.chain !== chainOf(versions, done) || !Array.isArray(d.first) || !Array.isArray(d.latest)) return undefined;
  const history: EntryHistory = { first: new Map(), latest: new Map() };
  for (const row of d.first) {
    if (!Array.isArray(row) || row.length !== 4 || !isString(row[0]) || !isString(row[1]) || typeof row[2] !== "boolean" || !isString(row[3])) return undefined;
    history.first.set(row[0], { commit: row[1], root: row[2], text: row[3] });
  }
  for (const row of d.latest) {
    if (!Array.isArray(row) || row.length !== 3 || !isString(row[0]) || !isString(row[1]) || !isString(row[2]) || !history.first.has(row[0])) return undefined;
    history.latest.set(row[0], { commit: row[1], text: row[2] });
  }
  if (history.latest.size !== history.first.size) return undefined;
  return { history, done };
}

/**
 * Keeps the history of all `versions` for the next run. Written to a temporary file and renamed, so a
 * reader sees the old cache or the new one; a git directory that cannot be written is not an error.
 */
export function saveEntryCache(file: string, versions: readonly IndexVersion[], history: EntryHistory): void {
  if (!versions.length) return;
  const body = JSON.stringify({
    format: FORMAT,
    done: versions.length,
    chain: chainOf(versions, versions.length),
    first: [...history.first].map(([id, o]) => [id, o.commit, o.root, o.text]),
    latest: [...history.latest].map(([id, l]) => [id, l.commit, l.text]),
  });
  const dir = join(file, "..");
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    // A link in its place would send the write elsewhere.
    if (!lstatSync(dir).isDirectory()) return;
    writeFileSync(tmp, body, { flag: "wx" });
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true });
  }
}
