import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, RegistryError } from "../core/errors.ts";
import { sleepSync } from "../core/lock.ts";
import type { LoadedConfig } from "../policy/config.ts";
import { checkEnvName, divergingLine, nextRecord, verifyRecords, type DeploymentRecord } from "../registry/deployments.ts";
import { cacheRoot, urlKey } from "./cache.ts";
import { checkRef, checkRemote, gitMessage, gitSync, initBareRepo, LOCK_RACE_ATTEMPTS, lockRaceDelayMs, lostLockRace } from "./git.ts";

/**
 * Deployment records kept in a git repository shared by many repositories (`deployments:` in comms.yaml).
 * The records are read from, and appended to, a bare repository in the cache: no work tree, so nothing the
 * remote holds is ever checked out, and no hook or filter runs. A deployment is a new commit built with
 * plumbing on top of the fetched tip and pushed without force; git's rejection of a push that is not a
 * fast-forward is the lock: the loser fetches again and re-appends its record on the new tip. The cache
 * remembers the last tip seen, so a remote whose history was rewritten since is refused.
 */

export interface SharedDeployments {
  /** The URL given to git (checked). */
  url: string;
  /** The URL shown in messages: without user or password. */
  shown: string;
  ref: string;
  /** Folder of the records inside the shared repository ("" for the top level). */
  folder: string;
  /** This repository's name: its contracts are `<name>/<contract>` in the records. */
  name: string;
  /** The bare repository in the cache. */
  cache: string;
  maxFileBytes: number;
  /** The tip remembered by a damaged cache that was discarded: the next fetch must still contain it. */
  carried?: string;
}

const SEEN = "refs/comms/seen";
const FETCHED = "comms-fetched";
/** The remembered tip of a discarded cache, until a fetch shows the remote still contains it. */
const CARRIED = "comms-carried";
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** Pushes tried before giving up: each rejection means another deployment landed first, so progress is never lost. */
const MAX_ATTEMPTS = 40;
const FETCH_TIMEOUT_MS = 120_000;

/** The URL without credentials, printable. */
function shownUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@]*@/, "$1").replace(/[^\x20-\x7e]/g, "?").slice(0, 200);
}

/** The shared records named in comms.yaml, checked before git sees anything; undefined when records are local. */
export function sharedDeployments(project: LoadedConfig, maxFileBytes: number, env: Record<string, string | undefined> = process.env): SharedDeployments | undefined {
  const d = project.config.deployments;
  if (!d) return undefined;
  const at = (...path: string[]) => project.locate(["deployments", ...path]) ?? { file: project.file, line: 1, column: 1 };
  if (!project.config.name) throw new ConfigError("deployments: shared deployment records name contracts '<name>/<contract>': set 'name:' (this repository's name among repositories)", project.locate(["deployments"], true));
  const url = checkRemote(d.git, project.root, at("git"));
  const ref = checkRef(d.ref ?? "main", d.ref === undefined ? at() : at("ref"));
  const folder = (d.path ?? "").replace(/\/+$/, "");
  if (folder && (folder.length > 200 || !folder.split("/").every((s) => SEGMENT.test(s) && s !== "." && s !== ".."))) {
    throw new ConfigError(`deployments.path: '${folder.replace(/[^\x20-\x7e]/g, "?").slice(0, 100)}': a folder inside the shared repository, with '/' between names of letters, digits, '.', '_' and '-'`, at("path"));
  }
  const cache = join(cacheRoot(env), "deployments", urlKey(url));
  return { url, shown: shownUrl(url), ref, folder, name: project.config.name, cache, maxFileBytes };
}

export const fileIn = (s: SharedDeployments, env: string) => `${s.folder ? `${s.folder}/` : ""}${checkEnvName(env)}.jsonl`;
const where = (s: SharedDeployments) => `${s.shown} (${s.ref})`;
const short = (sha: string) => sha.slice(0, 12);
const token = () => `${process.pid}-${randomBytes(6).toString("hex")}`;

function git(s: SharedDeployments, args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}) {
  return gitSync(join(s.cache, ".."), ["--git-dir", s.cache, ...args], opts);
}

/** The commit a name points at in the cache, or undefined. */
function commitOf(s: SharedDeployments, name: string): string | undefined {
  const r = git(s, ["rev-parse", "--verify", "-q", "--end-of-options", `${name}^{commit}`]);
  return r.ok ? r.stdout.toString().trim() : undefined;
}

function healthy(s: SharedDeployments): boolean {
  let st;
  try {
    st = lstatSync(s.cache);
  } catch {
    return false;
  }
  if (!st.isDirectory()) return false;
  if (git(s, ["rev-parse", "--is-bare-repository"]).stdout.toString().trim() !== "true") return false;
  // A remembered tip whose objects are gone is a damaged cache, not a rewritten remote.
  const seen = git(s, ["rev-parse", "--verify", "-q", SEEN]);
  return !seen.ok || commitOf(s, SEEN) !== undefined;
}

/**
 * Moves a damaged cache aside and removes it; a concurrent comms may be doing the same. The tip it
 * remembered is carried over (read as a plain file: the repository may not open), so a damaged cache is
 * never a way to forget a history that was later rewritten.
 */
function discard(s: SharedDeployments): void {
  try {
    const raw = readFileSync(join(s.cache, SEEN), "utf8").trim();
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(raw)) s.carried = raw;
  } catch {
    // No remembered tip, or not a directory at all.
  }
  const aside = `${s.cache}.broken-${token()}`;
  try {
    renameSync(s.cache, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

/** A bare repository at the cache path: made aside and renamed into place, so concurrent runs never see half of one. */
function ensureCache(s: SharedDeployments): void {
  if (healthy(s)) return;
  if (existsSync(s.cache) || isLink(s.cache)) {
    // Absent a moment ago and present now: a concurrent run has just put its new cache in place.
    if (healthy(s)) return;
    discard(s);
  }
  mkdirSync(join(s.cache, ".."), { recursive: true });
  const r = initBareRepo(s.cache, (tmp) => {
    if (s.carried) writeFileSync(join(tmp, CARRIED), s.carried);
  });
  if (r.error !== undefined) throw new RegistryError(`cannot create the cache of the shared deployment records at ${s.cache}: ${r.error}`);
  if (!r.placed && !healthy(s)) throw new RegistryError(`${s.cache}: the cache of the shared deployment records is not a git repository and cannot be replaced`);
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Fetches the ref's tip into the cache; undefined when the shared repository has no such branch yet. */
function fetchTip(s: SharedDeployments, retried = false): string | undefined {
  ensureCache(s);
  const tmpRef = `refs/comms/fetch/${token()}`;
  const fetch = () => git(s, ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head", "--end-of-options", s.url, `+refs/heads/${s.ref}:${tmpRef}`], { timeoutMs: FETCH_TIMEOUT_MS });
  let r = fetch();
  // Another comms fetching into the same cache held a lock: not damage, so tried again after a short wait.
  for (let attempt = 1; !r.ok && attempt < LOCK_RACE_ATTEMPTS && lostLockRace(r.stderr); attempt++) {
    sleepSync(lockRaceDelayMs(attempt));
    r = fetch();
  }
  if (!r.ok) {
    if (/couldn't find remote ref/i.test(r.stderr)) {
      stampFetched(s);
      return undefined;
    }
    // The remote answers but the fetch failed: the cache is damaged. Rebuilt once.
    if (!retried && gitSync(join(s.cache, ".."), ["ls-remote", "--end-of-options", s.url, `refs/heads/${s.ref}`], { timeoutMs: FETCH_TIMEOUT_MS }).ok) {
      discard(s);
      return fetchTip(s, true);
    }
    throw new RegistryError(`cannot fetch the shared deployment records from ${where(s)}: ${gitMessage(r.stderr) || `git exited with ${r.status}`}`);
  }
  const tip = commitOf(s, tmpRef);
  git(s, ["update-ref", "-d", tmpRef]);
  if (!tip) throw new RegistryError(`${where(s)}: the fetched ref is not a commit`);
  stampFetched(s);
  return tip;
}

/** Notes when the cache was fetched, for --offline. The cache may have been removed meanwhile by a run that found it damaged. */
function stampFetched(s: SharedDeployments): void {
  try {
    writeFileSync(join(s.cache, FETCHED), new Date().toISOString());
  } catch (e) {
    throw new RegistryError(`${s.cache}: the cache of the shared deployment records changed under this run (another comms replaced it): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}; run again`);
  }
}

/** The records file at a commit: undefined when absent; refused when it is not a plain file or too large. */
function fileAt(s: SharedDeployments, commit: string, file: string): string | undefined {
  const ls = git(s, ["ls-tree", "-z", "--end-of-options", commit, "--", file]);
  if (!ls.ok) throw new RegistryError(`${where(s)}: cannot list ${file} at ${short(commit)}: ${gitMessage(ls.stderr)}`);
  const entry = ls.stdout.toString().split("\0").find((e) => e.endsWith(`\t${file}`));
  if (!entry) return undefined;
  const [mode, type, sha] = entry.split("\t")[0]!.split(" ");
  if (type !== "blob" || (mode !== "100644" && mode !== "100755") || !/^[0-9a-f]{40,64}$/.test(sha ?? "")) throw new RegistryError(`${file}:1:1: not a plain file in the shared deployment records ${where(s)}`);
  const size = Number(git(s, ["cat-file", "-s", sha!]).stdout.toString().trim());
  if (!Number.isSafeInteger(size) || size > s.maxFileBytes) throw new RegistryError(`${file}:1:1: larger than ${s.maxFileBytes} bytes in the shared deployment records ${where(s)}; refusing to read it`);
  const blob = git(s, ["cat-file", "blob", sha!]);
  if (!blob.ok) throw new RegistryError(`${file}:1:1: cannot read it from the cache of ${where(s)}: ${gitMessage(blob.stderr)}`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(blob.stdout);
  } catch {
    throw new RegistryError(`${file}:1:1: not UTF-8 text in the shared deployment records ${where(s)}`);
  }
}

/** Whether `a` is an ancestor of `b` (or the same commit); anything else git says is an error. */
function isAncestor(s: SharedDeployments, a: string, b: string): boolean {
  const r = git(s, ["merge-base", "--is-ancestor", "--end-of-options", a, b]);
  if (r.status !== 0 && r.status !== 1) throw new RegistryError(`${where(s)}: cannot compare ${short(a)} with ${short(b)} in the cache: ${gitMessage(r.stderr)}`);
  return r.status === 0;
}

/** The record on a line of earlier text, for messages: `#3 (orders/api@1.2.0, 2026-01-02T…)`. */
function recordAt(text: string, line: number): string {
  try {
    const r = JSON.parse(text.split("\n")[line - 1] ?? "") as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v.replace(/[^\x20-\x7e]/g, "?").slice(0, 120) : "?");
    return `#${line} (${str(r.contract)}@${str(r.version)} recorded ${str(r.date)})`;
  } catch {
    return `#${line}`;
  }
}

/** Refuses a tip that does not keep the records seen at `seen` as they were. */
function checkKept(s: SharedDeployments, seen: string, tip: string | undefined, file: string): void {
  const before = fileAt(s, seen, file) ?? "";
  const now = tip ? (fileAt(s, tip, file) ?? "") : "";
  const line = divergingLine(before, now);
  if (line !== undefined) {
    throw new RegistryError(
      `${file}:${line}:1: deployment record ${recordAt(before, line)} was rewritten or removed in the shared history of ${where(s)} (seen at ${short(seen)}, now ${tip ? short(tip) : "no branch"}); deployment records are append-only: restore ${s.ref} to a history that contains ${short(seen)}`,
    );
  }
  if (!tip || !isAncestor(s, seen, tip)) {
    throw new RegistryError(`${where(s)}: ${s.ref} was rewritten (force-pushed): ${tip ? short(tip) : "the branch is gone and"} does not contain ${short(seen)}, seen before; deployment records are append-only: restore the history that contains it`);
  }
}

function carriedFile(s: SharedDeployments): string | undefined {
  try {
    const raw = readFileSync(join(s.cache, CARRIED), "utf8").trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(raw) ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Moves the remembered tip forward to `tip` (compare-and-swap: concurrent runs move it too). */
function remember(s: SharedDeployments, tip: string): void {
  for (let i = 0; i < 20; i++) {
    const seen = commitOf(s, SEEN);
    if (seen === tip || (seen && isAncestor(s, tip, seen))) return;
    if (git(s, ["update-ref", SEEN, tip, seen ?? "0".repeat(tip.length)]).ok) return;
  }
}

/**
 * Fetches and returns the tip and the environment's file there, after checking that the remote still
 * holds everything seen before. A tip older than the one remembered (a concurrent run fetched later) is
 * fetched again once; still older, the remote was rolled back.
 */
function fetchChecked(s: SharedDeployments, env: string): { tip: string | undefined; text: string } {
  const file = fileIn(s, env);
  let tip = fetchTip(s);
  let seen = commitOf(s, SEEN);
  if (seen && tip && seen !== tip && isAncestor(s, tip, seen)) {
    tip = fetchTip(s);
    seen = commitOf(s, SEEN);
  }
  const carried = s.carried ?? carriedFile(s);
  if (carried && !seen) {
    if (!tip || !git(s, ["cat-file", "-e", `${carried}^{commit}`]).ok || !isAncestor(s, carried, tip)) {
      throw new RegistryError(`${where(s)}: ${s.ref} was rewritten (force-pushed): ${tip ? short(tip) : "the branch is gone and"} does not contain ${short(carried)}, seen before the cache was rebuilt; deployment records are append-only: restore the history that contains it`);
    }
    git(s, ["update-ref", SEEN, carried, "0".repeat(carried.length)]);
    seen = commitOf(s, SEEN);
  }
  if (carried && seen) rmSync(join(s.cache, CARRIED), { force: true });
  if (seen && seen !== tip) checkKept(s, seen, tip, file);
  if (tip) remember(s, tip);
  return { tip, text: tip ? (fileAt(s, tip, file) ?? "") : "" };
}

export interface SharedRead {
  records: DeploymentRecord[];
  /** Said on stderr: the records come from the cache as it is (--offline). */
  note?: string;
}

/** The verified records of an environment: fetched, or with `offline` from the cache as last fetched. */
export function readShared(s: SharedDeployments, env: string, offline: boolean): SharedRead {
  const file = fileIn(s, env);
  if (!offline) {
    const { text } = fetchChecked(s, env);
    return { records: verifyRecords(text, file, env, true) };
  }
  const tip = healthy(s) ? commitOf(s, SEEN) : undefined;
  const fetched = (() => {
    try {
      return readFileSync(join(s.cache, FETCHED), "utf8").slice(0, 40).replace(/[^\x20-\x7e]/g, "?");
    } catch {
      return undefined;
    }
  })();
  if (!tip) {
    if (fetched) return { records: [], note: `--offline: the shared deployment records of ${where(s)} had no ${s.ref} when last fetched (${fetched}); they may be stale` };
    throw new RegistryError(`--offline: the shared deployment records of ${where(s)} were never fetched into ${s.cache}; run once without --offline`);
  }
  const text = fileAt(s, tip, file) ?? "";
  return { records: verifyRecords(text, file, env, true), note: `--offline: deployment records read from the cache of ${where(s)} as fetched ${fetched ?? "earlier"} (${short(tip)}); they may be stale` };
}

export interface Identity {
  name: string;
  email: string;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A push git refused because the branch moved under it (or a concurrent update held its lock): worth another try. */
function lostRace(out: string, err: string): boolean {
  const line = out.split("\n").find((l) => l.startsWith("!\t")) ?? "";
  if (/\[rejected\]|non-fast-forward|fetch first|stale info/.test(line)) return true;
  return /\[remote rejected\].*(lock|failed to update ref|incorrect old value|cannot update)/.test(line) || /cannot lock ref|failed to update ref/.test(err);
}

/**
 * Appends a record to the shared records and pushes it; when another deployment lands first, fetches
 * again and appends on top of it (new number, new chain link), with jittered backoff, never forcing.
 */
export async function appendShared(
  s: SharedDeployments,
  input: { contract: string; version: string; env: string; by: string; date: string },
  who: Identity,
): Promise<{ record: DeploymentRecord; commit: string; attempts: number }> {
  const file = fileIn(s, input.env);
  const contract = `${s.name}/${input.contract}`;
  const env = { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const { tip, text } = fetchChecked(s, input.env);
    const records = verifyRecords(text, file, input.env, true);
    const { record, text: after } = nextRecord(records, text, { ...input, contract });
    const commit = buildCommit(s, tip, file, after, `deploy ${contract}@${input.version} to ${input.env}\n\nrecord #${record.seq} ${record.hash}\n`, env);
    const push = git(s, ["push", "--porcelain", "--no-verify", "--end-of-options", s.url, `${commit}:refs/heads/${s.ref}`], { timeoutMs: FETCH_TIMEOUT_MS });
    if (push.ok) {
      remember(s, commit);
      return { record, commit, attempts: attempt };
    }
    const out = push.stdout.toString();
    if (!lostRace(out, push.stderr)) throw new RegistryError(`cannot push the deployment record to ${where(s)}: ${gitMessage(push.stderr) || out.trim().split("\n").find((l) => l.startsWith("!")) || `git exited with ${push.status}`}`);
    // Another deployment landed first: wait a little (more each time, never in step with the others) and retry on its tip.
    await sleep(Math.min(2000, 25 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
  }
  throw new RegistryError(`${where(s)}: the deployment record was not pushed after ${MAX_ATTEMPTS} attempts, each rejected because other deployments landed first; run comms deploy again`);
}

/** The commit with the new records file, built from objects only: a temporary index inside the cache, never a work tree. */
function buildCommit(s: SharedDeployments, tip: string | undefined, file: string, text: string, message: string, env: Record<string, string>): string {
  const fail = (what: string, r: { stderr: string }) => new RegistryError(`${s.cache}: cannot ${what} in the cache of the shared deployment records: ${gitMessage(r.stderr)}`);
  const blob = git(s, ["hash-object", "-w", "--stdin"], { input: text });
  if (!blob.ok) throw fail("write the records", blob);
  const index = join(s.cache, `comms-index-${token()}`);
  const ix = { GIT_INDEX_FILE: index };
  try {
    const read = git(s, tip ? ["read-tree", "--end-of-options", tip] : ["read-tree", "--empty"], { env: ix });
    if (!read.ok) throw fail("read the tree", read);
    const add = git(s, ["update-index", "--add", "--cacheinfo", `100644,${blob.stdout.toString().trim()},${file}`], { env: ix });
    if (!add.ok) throw fail("stage the records", add);
    const tree = git(s, ["write-tree"], { env: ix });
    if (!tree.ok) throw fail("write the tree", tree);
    const commit = git(s, ["commit-tree", ...(tip ? ["-p", tip] : []), "-F", "-", "--end-of-options", tree.stdout.toString().trim()], { input: message, env });
    if (!commit.ok) throw fail("write the commit", commit);
    return commit.stdout.toString().trim();
  } finally {
    rmSync(index, { force: true });
  }
}
