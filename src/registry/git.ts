import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ContainmentError, InputError } from "../core/errors.ts";
import { DEFAULT_MAX_FILE_BYTES, MemoryReader, normalizePath, type SourceReader } from "../core/source.ts";

/** Result of a git invocation; git is always spawned with an argument array, never a shell. */
function git(cwd: string, args: string[], input?: string): { ok: boolean; stdout: Buffer; stderr: string } {
  const res = spawnSync("git", args, {
    cwd,
    input: input === undefined ? undefined : Buffer.from(input),
    stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    maxBuffer: Infinity,
    windowsHide: true,
  });
  if (res.error) throw new InputError("git is not installed or not on PATH");
  return { ok: res.status === 0, stdout: res.stdout, stderr: res.stderr.toString() };
}

/** First line of git's stderr: an error message is one line, git's usage text is not repeated. */
function firstLine(stderr: string): string {
  return stderr.trim().split("\n")[0]!.replace(/^(fatal|error): /, "");
}

/** Top-level directory of the git work tree containing `cwd`, or undefined outside git. */
export function gitRoot(cwd: string): string | undefined {
  const r = git(cwd, ["rev-parse", "--show-toplevel"]);
  return r.ok ? r.stdout.toString().trim() : undefined;
}

/** Path prefix of `cwd` inside its work tree ("" at the top), with a trailing slash. */
export function gitPrefix(cwd: string): string {
  const r = git(cwd, ["rev-parse", "--show-prefix"]);
  return r.ok ? r.stdout.toString().trim() : "";
}

/** Whether `ref` names a commit in the repository at `cwd`. */
export function isGitRef(cwd: string, ref: string): boolean {
  if (!ref || ref.startsWith("-")) return false;
  return git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).ok;
}

/** Full commit id of a ref, or an InputError naming the ref. */
export function resolveCommit(cwd: string, ref: string): string {
  if (!isGitRef(cwd, ref)) {
    // CI checkouts are often shallow: the ref exists upstream, only not here.
    const shallow = git(cwd, ["rev-parse", "--is-shallow-repository"]).stdout.toString().trim() === "true";
    const hint = shallow ? " (this is a shallow clone: fetch the history, e.g. actions/checkout with fetch-depth: 0, or git fetch --unshallow)" : "";
    throw new InputError(`unknown git ref '${ref}'${hint}`);
  }
  return git(cwd, ["rev-parse", `${ref}^{commit}`]).stdout.toString().trim();
}

/** Current HEAD commit, or undefined (no commits yet, not a repository). */
export function headCommit(cwd: string): string | undefined {
  const r = git(cwd, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  return r.ok ? r.stdout.toString().trim() : undefined;
}

interface Entry {
  path: string;
  blob: string;
}

/**
 * Reads blobs in one `git cat-file --batch` process: one spawn however many files. Sizes are checked
 * first (`--batch-check`), so a huge blob is refused before it is loaded.
 */
function readBlobs(root: string, entries: Entry[], label: string, maxBytes: number, sized = false): Map<string, string> {
  const files = new Map<string, string>();
  if (!entries.length) return files;
  const input = entries.map((e) => e.blob).join("\n") + "\n";
  let sizes: string[] = [];
  if (!sized) {
    const check = git(root, ["cat-file", "--batch-check"], input);
    if (!check.ok) throw new InputError(`git cat-file failed: ${firstLine(check.stderr)}`);
    sizes = check.stdout.toString().split("\n");
  }
  for (const [i, e] of (sized ? [] : entries).entries()) {
    const size = Number(sizes[i]?.split(" ")[2]);
    if (size > maxBytes) {
      throw new ContainmentError(`${label}:${e.path}: is larger than the size limit of ${maxBytes} bytes; refusing to read it (raise limits.max-file-bytes in comms.yaml if it is a real contract)`);
    }
  }
  const r = git(root, ["cat-file", "--batch"], input);
  if (!r.ok) throw new InputError(`git cat-file failed: ${firstLine(r.stderr)}`);
  const out = r.stdout;
  let pos = 0;
  for (const e of entries) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    const size = Number(header.split(" ")[2]);
    pos = nl + 1;
    files.set(e.path, out.subarray(pos, pos + size).toString("utf8"));
    pos += size + 1;
  }
  return files;
}

/**
 * Files of a commit below `prefix`, read eagerly in one batch. Paths are relative to `base`
 * (the directory comms runs from, inside the work tree), like working-tree paths.
 */
export function readTreeAtRef(cwd: string, ref: string, paths: string[], label = ref, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceReader {
  const root = gitRoot(cwd);
  if (!root) throw new InputError(`'${cwd}' is not inside a git repository (needed for ref '${ref}')`);
  const commit = resolveCommit(cwd, ref);
  const prefix = gitPrefix(cwd);
  const specs = paths.map((p) => normalizePath(prefix + normalizePath(p)));
  const r = git(root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...specs]);
  if (!r.ok) throw new InputError(`cannot list '${paths.join(", ")}' at '${ref}': ${firstLine(r.stderr)}`);
  const entries: Entry[] = [];
  for (const rec of r.stdout.toString().split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [, type, blob] = rec.slice(0, tab).split(" ");
    if (type !== "blob") continue;
    const full = rec.slice(tab + 1);
    entries.push({ path: full.startsWith(prefix) ? full.slice(prefix.length) : `${"../".repeat(prefix.split("/").length - 1)}${full}`, blob: blob! });
  }
  // Locations name the file as read: `main:contracts/users.yaml`.
  return new MemoryReader(readBlobs(root, entries, ref, maxBytes), label, (p) => `${ref}:${p}`);
}

/** Files as staged in the git index below the given paths (what a pre-commit hook must check). */
export function readIndex(cwd: string, paths: string[], maxBytes = DEFAULT_MAX_FILE_BYTES): SourceReader {
  const root = gitRoot(cwd);
  if (!root) throw new InputError(`'${cwd}' is not inside a git repository (needed for --staged)`);
  const prefix = gitPrefix(cwd);
  const specs = paths.map((p) => normalizePath(prefix + normalizePath(p)));
  const r = git(root, ["ls-files", "-s", "-z", "--full-name", "--", ...specs]);
  if (!r.ok) throw new InputError(`cannot read the git index: ${firstLine(r.stderr)}`);
  const entries: Entry[] = [];
  for (const rec of r.stdout.toString().split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [, blob] = rec.slice(0, tab).split(" ");
    const full = rec.slice(tab + 1);
    if (full.startsWith(prefix)) entries.push({ path: full.slice(prefix.length), blob: blob! });
  }
  return new MemoryReader(readBlobs(root, entries, "index", maxBytes), "index");
}

/** Paths (relative to cwd) staged for commit, added/copied/modified/renamed/deleted. */
export function stagedFiles(cwd: string): string[] {
  const r = git(cwd, ["diff", "--cached", "--name-only", "-z", "--relative", "--no-renames"]);
  if (!r.ok) throw new InputError(`cannot list staged files: ${firstLine(r.stderr)}`);
  return r.stdout.toString().split("\0").filter(Boolean);
}

/** A path inside the git directory (`hooks`), honouring core.hooksPath and worktrees; absolute. */
export function gitPath(cwd: string, name: string): string | undefined {
  const r = git(cwd, ["rev-parse", "--path-format=absolute", "--git-path", name]);
  return r.ok ? r.stdout.toString().trim() : undefined;
}

/**
 * The commit that added each snapshot below `registryDir` (keyed `<contract>/<version>`), from one
 * `git log` over the registry: the commit that contains a release, known only once it is committed.
 * Empty outside git or before anything is committed.
 */
export function addedIn(root: string, registryDir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(registryDir) || !headCommit(root)) return out;
  const r = git(registryDir, ["log", "--diff-filter=A", "--no-renames", "--relative", "--name-only", "-z", "--format=%x01%H", "--", "."]);
  if (!r.ok) return out;
  let commit = "";
  // Newest first: the last commit seen for a snapshot is the one that added it.
  for (const rec of r.stdout.toString().split("\0")) {
    for (const part of rec.split("\n")) {
      if (part.startsWith("\u0001")) commit = part.slice(1);
      else if (part && commit) {
        const [contract, version] = part.split("/");
        if (contract && version && part.includes("/", contract.length + version.length + 1)) out.set(`${contract}/${version}`, commit);
      }
    }
  }
  return out;
}

/** One file change as `git log --raw` / `git diff --raw` reports it. */
export interface RawChange {
  /** A added, M modified, D deleted, T type changed. */
  status: string;
  /** Blob after the change; all zeros when git did not hash it (a working-tree file, a deletion). */
  blob: string;
  /** Path relative to the directory git ran in (`--relative`). */
  path: string;
}

/** A commit of `git log --raw` with the files it changed. */
export interface RawCommit {
  commit: string;
  /** No parents: a root commit, or the oldest commit of a shallow clone. */
  root: boolean;
  changes: RawChange[];
}

/** Parses `-z --raw` records after an optional `%x01%H%x02%P` commit header. */
function parseRaw(out: string): RawCommit[] {
  const commits: RawCommit[] = [];
  let current: RawCommit = { commit: "", root: false, changes: [] };
  const tokens = out.split("\0");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.replace(/^\n+/, "");
    if (t.startsWith("\u0001")) {
      const [commit, parents] = t.slice(1).split("\u0002");
      commits.push((current = { commit: commit!, root: !parents?.trim(), changes: [] }));
    } else if (t.startsWith(":")) {
      const meta = t.slice(1).split(" ");
      const path = tokens[++i] ?? "";
      current.changes.push({ status: meta[4]?.[0] ?? "", blob: meta[3] ?? "", path });
    }
  }
  if (!commits.length && current.changes.length) commits.push(current);
  return commits;
}

/**
 * Every commit that changed a file below `dir`, children before parents, with the blob ids git
 * recorded: one `git log` per run, whatever the number of releases. `dir` is a path from the top of the
 * work tree `top` (it may no longer exist); paths are relative to it.
 * Topological order, so forged commit dates cannot reorder history; merges show their changes against
 * each parent (`-m`), so an edit made while merging is seen too.
 */
export function changesBelow(top: string, dir: string): RawCommit[] {
  const r = git(top, ["log", "-m", "--topo-order", "--raw", "--no-renames", "--no-abbrev", "-z", `--relative=${dir}`, "--format=%x01%H%x02%P", "--", `:(top,literal)${dir}`]);
  if (!r.ok) throw new InputError(`cannot read the git history of '${dir}': ${firstLine(r.stderr)}`);
  return parseRaw(r.stdout.toString());
}

/**
 * Files below `dir` that differ between a commit and the working tree (or the index, `cached`), from
 * git's own object ids and stat cache: unchanged files are not read again. `dir` is a path from the top
 * of the work tree `top`; paths are relative to it.
 */
export function differencesBelow(top: string, dir: string, commit: string, cached: boolean): RawChange[] {
  const r = git(top, ["diff", "--raw", "--no-renames", "--no-abbrev", "-z", `--relative=${dir}`, ...(cached ? ["--cached"] : []), commit, "--", `:(top,literal)${dir}`]);
  if (!r.ok) throw new InputError(`cannot compare '${dir}' with ${commit}: ${firstLine(r.stderr)}`);
  return parseRaw(r.stdout.toString()).flatMap((c) => c.changes);
}

/** The repository around a directory, from one `git rev-parse`. */
export interface RepoState {
  /** Top-level directory of the work tree. */
  root: string;
  /** Path of the directory inside the work tree ("" at the top, else ending in "/"). */
  prefix: string;
  /** HEAD commit; undefined before the first commit. */
  head?: string;
  /** A shallow clone: its oldest commits have their parents cut off. */
  shallow: boolean;
  /** The git directory shared by all work trees of the repository (absolute). */
  commonDir: string;
}

/** Where `cwd` sits in git, or undefined outside a work tree. One spawn. */
export function repoState(cwd: string): RepoState | undefined {
  const r = git(cwd, ["rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "--git-common-dir", "--verify", "-q", "HEAD"]);
  const [root, prefix, shallow, commonDir, head] = r.stdout.toString().split("\n");
  if (!root || shallow === undefined || !commonDir) return undefined;
  // git names the common directory relative to where it ran, unless it is elsewhere.
  return { root, prefix: prefix ?? "", shallow: shallow === "true", commonDir: resolve(cwd, commonDir), head: r.ok && head ? head : undefined };
}

/**
 * Objects by name (`<blob id>`, `<commit>:<path from the top>`), read in one `git cat-file --batch`
 * after one size check: undefined for a name that does not exist, a ContainmentError for an object
 * larger than `maxBytes`, named by `label`.
 */
export function readObjects(root: string, names: string[], label: (name: string) => string, maxBytes = DEFAULT_MAX_FILE_BYTES): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const unique = [...new Set(names)].filter((n) => !n.includes("\n"));
  if (!unique.length) return out;
  const check = git(root, ["cat-file", "--batch-check"], `${unique.join("\n")}\n`);
  if (!check.ok) throw new InputError(`git cat-file failed: ${firstLine(check.stderr)}`);
  const present: string[] = [];
  for (const [i, line] of check.stdout.toString().split("\n").slice(0, unique.length).entries()) {
    const [, type, size] = line.split(" ");
    if (type !== "blob") {
      out.set(unique[i]!, undefined);
      continue;
    }
    if (Number(size) > maxBytes) throw new ContainmentError(`${label(unique[i]!)}: is larger than the size limit of ${maxBytes} bytes; refusing to read it`);
    present.push(unique[i]!);
  }
  const blobs = readBlobs(root, present.map((n) => ({ path: n, blob: n })), "git", maxBytes, true);
  for (const [n, text] of blobs) out.set(n, text);
  return out;
}

/** The best common ancestor of two commits, or undefined (unrelated histories, a shallow clone). */
export function mergeBase(cwd: string, a: string, b: string): string | undefined {
  const r = git(cwd, ["merge-base", a, b]);
  return r.ok ? r.stdout.toString().trim() || undefined : undefined;
}
