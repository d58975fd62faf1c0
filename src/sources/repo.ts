import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ContainmentError, InputError } from "../core/errors.ts";
import { gitAsync, gitMessage, gitSync, initBareRepo, LOCK_RACE_ATTEMPTS, lockRaceDelayMs, lostLockRace, type GitResult } from "./git.ts";

/**
 * One remote's bare repository in the cache, read and fetched through git only: never checked out (no
 * filters, smudge drivers or hooks run), objects read with `git cat-file`. Fetches are shallow and
 * partial (`--depth 1 --filter=blob:none`), then fetch just the blobs comms reads; a server that ignores
 * filters sends everything, which works the same. The remote's URL is given on each fetch, never stored:
 * a read can then never reach the network, even for an object the cache lacks.
 */

/** The cache itself is broken (missing objects, not a repository): delete it and fetch again. */
export class DamagedCache extends Error {}

/** Reads run with every transport refused: a missing object is reported, not fetched. */
const READ_ENV = { GIT_ALLOW_PROTOCOL: "none" };
const FETCH_TIMEOUT_MS = 120_000;
/** Most entries read from a remote's tree: a contract repository, not a disk. */
const MAX_TREE_ENTRIES = 500_000;

export const TIP = "refs/comms/tip";
const INCOMING = "refs/comms/incoming";

function read(repo: string, args: string[], input?: string) {
  return gitSync(repo, args, { env: READ_ENV, ...(input === undefined ? {} : { input }) });
}

/** A fresh bare repository for a remote's cache (two runs may race to make it: either one will do). */
export function initRepo(repo: string): void {
  const r = initBareRepo(repo);
  if (r.error !== undefined) throw new InputError(`cannot create a cache repository in ${dirname(repo)}: ${r.error}`);
  if (!r.placed && !existsSync(repo)) throw new InputError(`cannot create the cache repository ${repo}`);
}

/** Whether the cached repository answers as a repository, and its tip (when it has one) has its tree. */
export function healthy(repo: string): boolean {
  const r = read(repo, ["rev-parse", "--is-bare-repository"]);
  if (!r.ok || r.stdout.toString().trim() !== "true") return false;
  if (!hasRef(repo, TIP)) return true;
  const tip = commitOf(repo, TIP);
  return tip !== undefined && read(repo, ["ls-tree", "-r", "--name-only", tip]).ok;
}

/** The commit a ref of the cache points at, or undefined. */
export function commitOf(repo: string, ref: string): string | undefined {
  const r = read(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  return r.ok ? r.stdout.toString().trim() : undefined;
}

/** Whether a ref exists in the cache, whatever state its objects are in. */
export function hasRef(repo: string, ref: string): boolean {
  return read(repo, ["rev-parse", "--verify", "--quiet", "--end-of-options", ref]).ok;
}

/** git config for fetching from `url` as a partial-clone remote, passed per command (never stored). */
function remoteConfig(url: string): string[] {
  // The filter given here too, or git would write it into the repository's config, making reads fetch.
  return ["-c", `remote.origin.url=${url}`, "-c", "remote.origin.promisor=true", "-c", "remote.origin.partialclonefilter=blob:none", "-c", "extensions.partialClone=origin", "-c", "fetch.negotiationAlgorithm=noop"];
}

/** The commit a fetch wrote to a loose ref, read from the file (no process); undefined when not loose. */
function looseRef(repo: string, ref: string): string | undefined {
  try {
    const text = readFileSync(join(repo, ref), "utf8").trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export class FetchError extends Error {}

function fetchFailure(what: string, r: { stderr: string; timedOut?: boolean }): FetchError {
  return new FetchError(r.timedOut ? `${what} timed out after ${FETCH_TIMEOUT_MS / 1000} s` : `${what} failed: ${gitMessage(r.stderr) || "the remote closed the connection"}`);
}

/**
 * Runs a fetch, again after a short random wait when another process fetching into the same cache held
 * a lock (parallel CI jobs sharing one cache); any other failure is returned at once.
 */
async function fetchWithRetry(repo: string, args: string[], opts: { timeoutMs: number; input?: string }): Promise<GitResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await gitAsync(repo, args, opts);
    if (r.ok || attempt >= LOCK_RACE_ATTEMPTS || !lostLockRace(r.stderr)) return r;
    await new Promise((done) => setTimeout(done, lockRaceDelayMs(attempt)));
  }
}

/** Fetches the tip of `ref` (a branch, a tag, a commit id; HEAD for the default branch) shallowly, without blobs. */
export async function fetchTip(repo: string, url: string, ref: string): Promise<string> {
  const r = await fetchWithRetry(repo, [...remoteConfig(url), "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--depth", "1", "--filter=blob:none", "origin", "--end-of-options", `+${ref}:${INCOMING}`], { timeoutMs: FETCH_TIMEOUT_MS });
  if (!r.ok) throw fetchFailure(`fetching '${ref}'`, r);
  const commit = looseRef(repo, INCOMING) ?? commitOf(repo, INCOMING);
  if (!commit) throw new DamagedCache(`the fetched '${ref}' is not in the cache`);
  return commit;
}

/** Fetches blobs by id in one request (the partial clone's own way of filling in what it lacks). */
export async function fetchBlobs(repo: string, url: string, oids: string[]): Promise<void> {
  if (!oids.length) return;
  const r = await fetchWithRetry(repo, [...remoteConfig(url), "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin"], { timeoutMs: FETCH_TIMEOUT_MS, input: `${oids.join("\n")}\n` });
  if (!r.ok) throw fetchFailure(`fetching ${oids.length} file${oids.length === 1 ? "" : "s"}`, r);
}

/** Marks a fully fetched commit as the one reads use; until then the previous tip stays whole. */
export function setTip(repo: string, commit: string): void {
  const r = gitSync(repo, ["update-ref", TIP, commit]);
  if (!r.ok) throw new DamagedCache(`cannot record the fetched commit: ${gitMessage(r.stderr)}`);
}

export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
}

/** Every entry of a commit's tree by path (trees are always fetched; blobs may be absent). */
export function listTree(repo: string, commit: string): Map<string, TreeEntry> {
  const r = read(repo, ["ls-tree", "-r", "-z", "--full-tree", commit]);
  if (!r.ok) throw new DamagedCache(`cannot list commit ${commit.slice(0, 12)}: ${gitMessage(r.stderr)}`);
  const out = new Map<string, TreeEntry>();
  for (const rec of r.stdout.toString("utf8").split("\0")) {
    if (!rec) continue;
    if (out.size >= MAX_TREE_ENTRIES) throw new InputError(`more than ${MAX_TREE_ENTRIES} files in the repository; refusing to read it`);
    const tab = rec.indexOf("\t");
    const [mode, type, oid] = rec.slice(0, tab).split(" ");
    out.set(rec.slice(tab + 1), { mode: mode!, type: type!, oid: oid! });
  }
  return out;
}

/** Sizes of the objects present in the cache; absent ones are left out. */
export function present(repo: string, oids: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const unique = [...new Set(oids)];
  if (!unique.length) return out;
  const r = read(repo, ["cat-file", "--batch-check"], `${unique.join("\n")}\n`);
  if (!r.ok) throw new DamagedCache(`cannot look up objects: ${gitMessage(r.stderr)}`);
  for (const line of r.stdout.toString().split("\n")) {
    const [oid, type, size] = line.split(" ");
    if (oid && type === "blob") out.set(oid, Number(size));
  }
  return out;
}

/**
 * Contents of blobs present in the cache, in one `git cat-file --batch`. Sizes are checked first, per
 * file against `maxBytes` and together against `budget` (what is left for this remote).
 */
export function readBlobs(repo: string, oids: string[], maxBytes: number, budget: { left: number }, name: (oid: string) => string): Map<string, string> {
  const unique = [...new Set(oids)];
  const out = new Map<string, string>();
  if (!unique.length) return out;
  const sizes = present(repo, unique);
  for (const oid of unique) {
    const size = sizes.get(oid);
    if (size === undefined) throw new DamagedCache(`${name(oid)} is missing from the cache`);
    if (size > maxBytes) throw new ContainmentError(`${name(oid)}: is larger than the size limit of ${maxBytes} bytes; refusing to read it (raise limits.max-file-bytes in comms.yaml if it is a real contract)`);
    budget.left -= size;
    if (budget.left < 0) throw new ContainmentError(`${name(oid)}: the files read from this repository exceed ${MAX_SOURCE_BYTES} bytes in all; refusing to read more`);
  }
  const r = read(repo, ["cat-file", "--batch"], `${unique.join("\n")}\n`);
  if (!r.ok) throw new DamagedCache(`cannot read objects: ${gitMessage(r.stderr)}`);
  const buf = r.stdout;
  let pos = 0;
  for (const oid of unique) {
    const nl = buf.indexOf(10, pos);
    if (nl === -1) throw new DamagedCache(`${name(oid)}: truncated object`);
    const [got, type, size] = buf.subarray(pos, nl).toString().split(" ");
    if (got !== oid || type !== "blob") throw new DamagedCache(`${name(oid)}: unreadable object`);
    pos = nl + 1;
    out.set(oid, buf.toString("utf8", pos, pos + Number(size)));
    pos += Number(size) + 1;
  }
  return out;
}

/** Most bytes read from one remote in a run, whatever the per-file limit. */
export const MAX_SOURCE_BYTES = 256 * 1024 * 1024;
