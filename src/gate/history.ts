import { join, relative } from "node:path";
import { valid } from "semver";
import { RegistryError } from "../core/errors.ts";
import { normalizePath } from "../core/source.ts";
import type { LoadedConfig } from "../policy/config.ts";
import { changesBelow, differencesBelow, mergeBase, readObjects, repoState, resolveCommit, type RawChange, type RawCommit, type RepoState } from "../registry/git.ts";
import { projectRegistry, type VersionEntry } from "../registry/store.ts";
import { entryCacheFile, loadEntryCache, saveEntryCache } from "./history-cache.ts";
import { canonical, entryId, indexEntryHistory, type IndexVersion } from "./index-history.ts";

// Released history is immutable in git too: the registry's own hashes prove a snapshot matches its index
// entry, but whoever rewrites a snapshot can rewrite the index entry with it. Git's history cannot be
// rewritten by a change under review, so each snapshot file and each index entry is compared with the
// version of the commit that first added it. Only git's object ids are compared (one `git log` and one
// `git diff` per run): no file is hashed again.

/** How the history check reads the change. */
export interface HistoryOptions {
  /** `--against`: released files of this ref must be unchanged as well (shallow clones keep the base). */
  against?: string;
  /** `--staged`: the index is what will be committed; it is compared with HEAD too. */
  fromIndex?: boolean;
  /** Directory messages name files relative to. */
  cwd?: string;
  /** The repository, when the caller asked git already; null outside git. */
  state?: RepoState | null;
  /** More objects to read in the same batch (`<commit>:<path>`), returned with the notes. */
  extra?: string[];
  /** Size limit of the extra objects. */
  extraMaxBytes?: number;
  /** Keep what the index's committed versions say in the git directory for the next run (default on). */
  cache?: boolean;
}

/** Notes for the report, and the extra objects asked for (undefined when absent at that commit). */
export interface HistoryResult {
  notes: string[];
  objects: Map<string, string | undefined>;
}

const short = (commit: string) => commit.slice(0, 12);
const ZERO = /^0+$/;

/** The entries of the index staged for commit; a damaged one is reported when it is read as the registry. */
function stagedReleases(text: string): unknown[] {
  try {
    const data = JSON.parse(text) as { releases?: unknown };
    return data && typeof data === "object" && Object.hasOwn(data, "releases") && Array.isArray(data.releases) ? data.releases : [];
  } catch {
    return [];
  }
}

/** `<contract>/<version>` of a snapshot file path (relative to the registry), or undefined for other files. */
function releaseOf(path: string): string | undefined {
  const [contract, version, ...rest] = path.split("/");
  return contract && version && rest.length && !contract.startsWith(".") && valid(version) === version ? `${contract}/${version}` : undefined;
}

interface Origin {
  /** Commit that first added the file or entry. */
  commit: string;
  /** That commit has no parents in this clone (a root commit or a shallow boundary). */
  root: boolean;
}

/**
 * Verifies the registry against git history; throws a RegistryError (exit 2) naming the file or entry
 * and the commit that released it when released history was changed. Returns notes for the report (a
 * shallow clone). Releases not yet committed are legitimate: `comms release` writes them into the
 * working tree. Outside git, or before the first commit, there is no history to compare with.
 */
export function verifyHistory(project: LoadedConfig, opts: HistoryOptions = {}): HistoryResult {
  const state = opts.state === undefined ? repoState(project.root) : (opts.state ?? undefined);
  const notes: string[] = [];
  const extra = opts.extra ?? [];
  const result: HistoryResult = { notes, objects: new Map() };
  if (!state?.head) return result;
  const registry = projectRegistry(project, opts.cwd ?? project.root);
  const releases = registry.load().releases;
  const readExtra = (also: string[] = []) => {
    const max = Math.max(opts.extraMaxBytes ?? 0, registry.maxFileBytes);
    const objects = readObjects(state.root, [...also, ...extra], (n) => (n.includes(":") ? n : show("index.json")), max);
    for (const n of extra) result.objects.set(n, objects.get(n));
    return objects;
  };
  const show = (p: string) => registry.display(join(project.registryDir, p));
  const head = state.head;
  // From the top of the work tree: a registry deleted in the change is still compared with its history.
  const dir = normalizePath(`${state.prefix}${normalizePath(relative(project.root, project.registryDir))}`);
  const log = changesBelow(state.root, dir);
  if (!log.length) {
    readExtra();
    return result;
  }

  // Oldest first: the first event of a path is the commit that added it.
  const origin = new Map<string, Origin & { blob: string }>();
  const last = new Map<string, { commit: string; change: RawChange }>();
  const indexVersions: IndexVersion[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    const c: RawCommit = log[i]!;
    for (const ch of c.changes) {
      if (ch.path === "index.json") {
        if (ch.status !== "D") indexVersions.push({ commit: c.commit, root: c.root, blob: ch.blob });
        continue;
      }
      if (!releaseOf(ch.path)) continue;
      if (!origin.has(ch.path)) {
        if (ch.status === "D") continue;
        origin.set(ch.path, { commit: c.commit, root: c.root, blob: ch.blob });
      }
      last.set(ch.path, { commit: c.commit, change: ch });
    }
  }
  const listed = new Set(releases.map((r) => `${r.contract}/${r.version}`));
  const releasedBy = (o: Origin) => (o.root && state.shallow ? `commit ${short(o.commit)} (the oldest commit of this shallow clone; the release may be older)` : `commit ${short(o.commit)}`);
  const fail = (path: string, o: Origin, where: string, what = "changed"): never => {
    const [contract, version] = path.split("/");
    throw new RegistryError(
      `${show(path)}: the released snapshot ${contract}@${version} was ${what} ${where}; it was released in ${releasedBy(o)} and releases are immutable: restore it with 'git checkout ${short(o.commit)} -- ${normalizePath(relative(opts.cwd ?? project.root, join(project.registryDir, path)))}'`,
    );
  };

  // In history: a snapshot file whose latest committed blob is not the one that released it.
  for (const [path, o] of origin) {
    const l = last.get(path)!;
    const rel = releaseOf(path)!;
    if (l.change.status === "D") {
      // A release removed with its index entry is judged where it happens (working tree, --against).
      if (listed.has(rel)) fail(path, o, `in commit ${short(l.commit)}`, "deleted");
    } else if (l.change.blob !== o.blob) fail(path, o, `in commit ${short(l.commit)}`);
  }

  // The change itself: the working tree (and the index, for a commit) against HEAD, and against the base ref.
  const compare = (commit: string, cached: boolean, where: string, deletions: "all" | "listed" = "all") => {
    for (const ch of differencesBelow(state.root, dir, commit, cached)) {
      const rel = releaseOf(ch.path);
      if (!rel || ch.status === "A") continue;
      if (ch.status === "D" && deletions === "listed" && !listed.has(rel)) continue;
      const o = origin.get(ch.path) ?? { commit, root: false };
      fail(ch.path, o, where, ch.status === "D" ? "deleted" : "changed");
    }
  };
  compare(head, false, "in the working tree");
  if (opts.fromIndex) compare(head, true, "in the git index");
  if (opts.against) {
    const base = resolveCommit(project.root, opts.against);
    // Released files of the fork point must all be here. A branch behind its base lacks the base's newer
    // releases, so without a fork point (a shallow clone) only changed files and partial releases count.
    const fork = base === head ? undefined : mergeBase(project.root, base, head);
    if (fork && fork !== head) compare(fork, false, `since ${opts.against}`);
    else if (!fork && base !== head) compare(base, false, `since ${opts.against}`, "listed");
  }

  // Index entries: each must read as in the first committed index that listed it, in the working tree
  // and, for a commit, in the git index.
  const indexFile = `${dir}/index.json`;
  const objects = readExtra(opts.fromIndex ? [`:${indexFile}`] : []);
  const max = registry.maxFileBytes;
  // A shallow clone's oldest commits lose their root mark when it is deepened: nothing is kept for it.
  const cacheFile = opts.cache === false || state.shallow || !indexVersions.length ? undefined : entryCacheFile(state.commonDir, dir, max);
  const resume = cacheFile === undefined ? undefined : loadEntryCache(cacheFile, indexVersions);
  const history = indexEntryHistory(indexVersions, (blobs) => readObjects(state.root, blobs, () => show("index.json"), max), resume);
  if (cacheFile !== undefined && resume?.done !== indexVersions.length) saveEntryCache(cacheFile, indexVersions, history);
  const judge = (entries: readonly unknown[], where: string) => {
    for (const e of entries) {
      const id = entryId(e);
      const o = id === undefined ? undefined : history.first.get(id);
      if (!o || canonical(e) === o.text) continue;
      const l = history.latest.get(id!)!;
      const [contract, version] = [(e as VersionEntry).contract, (e as VersionEntry).version];
      throw new RegistryError(
        `${show("index.json")}: the index entry of the released snapshot ${contract}@${version} was changed ${l.text !== o.text ? `in commit ${short(l.commit)}` : where}; it was released in ${releasedBy(o)} and releases are immutable: restore the entry from that commit`,
      );
    }
  };
  judge(releases, "in the working tree");
  const staged = objects.get(`:${indexFile}`);
  if (staged !== undefined) judge(stagedReleases(staged), "in the git index");
  if (state.shallow && [...origin.values()].some((o) => o.root)) {
    notes.push("shallow clone: released snapshots are verified from the oldest commit present on; fetch more history to verify them since their release");
  }
  return result;
}
