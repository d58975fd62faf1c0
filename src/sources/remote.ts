import { posix } from "node:path";
import { compare } from "semver";
import { jsonDuplicateKey } from "../core/duplicate-keys.ts";
import { ConfigError, ContainmentError, InputError, RegistryError } from "../core/errors.ts";
import type { Location } from "../core/location.ts";
import { normalizePath, withoutBom } from "../core/source.ts";
import { parseConfig, type GitRemote, type LoadedConfig } from "../policy/config.ts";
import { fileHash, snapshotHash } from "../registry/hash.ts";
import { entryProblem, type VersionEntry } from "../registry/store.ts";
import { cacheEntry, dropRepo, fetchedAt, repoExists, writeCacheFile, type CacheEntry } from "./cache.ts";
import { loadDigest, saveDigest } from "./digest.ts";
import { checkLedger } from "./ledger.ts";
import { inside, TreeReader } from "./reader.ts";
import { checkRef, checkRemote } from "./git.ts";
import { commitOf, DamagedCache, hasRef, fetchBlobs, FetchError, fetchTip, healthy, initRepo, listTree, MAX_SOURCE_BYTES, present, readBlobs, setTip, TIP, type TreeEntry } from "./repo.ts";

/**
 * One other repository named under `sources:`, as of the tip of its ref: its comms.yaml, its registry
 * of releases and the files comms reads, all from the cache. Everything in it is hostile input: paths
 * must stay inside the repository, releases are verified against their hashes, links are not followed.
 */

export interface OpenOptions {
  offline: boolean;
  /** Size limit per file (this project's limits.max-file-bytes). */
  maxFileBytes: number;
  /** Cache directory (default: cacheRoot()). */
  cache?: string;
  /**
   * Seconds for which a fetched copy is used again without contacting the remote (0: always fetch).
   * A pre-commit hook runs many times an hour; asking every remote each time would cost more than the check.
   */
  maxAge?: number;
}

const SYMLINK = "120000";

export class RemoteSource {
  /** Notes for the report: a rebuilt cache, an offline read and when it was fetched. */
  readonly notes: string[] = [];
  private readonly budget = { left: MAX_SOURCE_BYTES };
  /** Blob texts read so far, by object id. */
  private blobs = new Map<string, string>();
  /** The tip is recorded in the cache (a saved copy of this commit was used). */
  private settled = false;
  /** Blobs were read since the copy was saved. */
  private changed = false;
  private configFile = "comms.yaml";
  /** When the cache was last fetched (read offline, or used again within the window). */
  fetched: Date | undefined;
  /** The cached copy was used again without fetching (fetched less than maxAge seconds ago). */
  private reused = false;
  config!: LoadedConfig;
  /** Folder of their comms.yaml inside their repository ("" at the top). */
  base = "";
  /** Their registry folder inside their repository. */
  registry = "";
  releases: VersionEntry[] = [];
  tree = new Map<string, TreeEntry>();
  commit = "";

  constructor(
    /** The key under `sources:`. */
    readonly name: string,
    readonly url: string,
    readonly ref: string,
    readonly entry: CacheEntry,
    readonly opts: OpenOptions,
    private readonly at: (key: string) => Location | undefined,
  ) {}

  /** `pagos:contracts/api.yaml`: a path of their repository in messages and locations. */
  display(path: string): string {
    return `${this.name}:${path}`;
  }

  /** The short commit the source was read at, for notes. */
  get short(): string {
    return this.commit.slice(0, 12);
  }

  /** Contracts of their comms.yaml. */
  get contracts(): LoadedConfig["config"]["contracts"] {
    return this.config.config.contracts;
  }

  /** Their releases of one contract, newest first. */
  versions(contract: string): VersionEntry[] {
    return this.releases.filter((r) => r.contract === contract).sort((a, b) => compare(b.version, a.version));
  }

  /** Their contracts that name `provider` (`<our name>/<contract>`) as their provider. */
  consumersOf(provider: string): string[] {
    return Object.entries(this.contracts)
      .filter(([, c]) => c.provider === provider)
      .map(([n]) => n);
  }

  /** The tree entry of a path, refusing a link or anything but a file. */
  private blob(path: string): TreeEntry | undefined {
    const e = this.tree.get(path);
    if (!e) return undefined;
    if (e.mode === SYMLINK) throw new ContainmentError(`${this.display(path)}: is a symbolic link in another repository; links there are not followed`);
    if (e.type !== "blob") throw new ContainmentError(`${this.display(path)}: is not a regular file`);
    return e;
  }

  /** Makes sure the blobs of these paths are read: from memory, the cache, or (online) fetched first. */
  async ensure(paths: string[]): Promise<void> {
    const wanted = new Map<string, string>();
    for (const p of paths) {
      const e = this.tree.get(p);
      if (e && e.type === "blob" && e.mode !== SYMLINK && !this.blobs.has(e.oid)) wanted.set(e.oid, p);
    }
    if (!wanted.size) return;
    const have = present(this.entry.repo, [...wanted.keys()]);
    const missing = [...wanted.keys()].filter((o) => !have.has(o));
    if (missing.length) {
      if (this.opts.offline) {
        throw new InputError(`source '${this.name}' (${this.url}): ${missing.length} file${missing.length === 1 ? " is" : "s are"} not in the cache (--offline): run 'comms fetch' without --offline`);
      }
      try {
        await fetchBlobs(this.entry.repo, this.url, missing);
      } catch (e) {
        if (e instanceof FetchError) throw new InputError(`source '${this.name}' (${this.url}): ${e.message}; the cache is unchanged`);
        throw e;
      }
    }
    const texts = readBlobs(this.entry.repo, [...wanted.keys()], this.opts.maxFileBytes, this.budget, (oid) => this.display(wanted.get(oid) ?? oid));
    for (const [oid, text] of texts) this.blobs.set(oid, text);
    this.changed = true;
  }

  /** Texts of files of their tree, read before with `ensure`. */
  readFiles(paths: string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const p of paths) {
      const e = this.blob(p);
      if (!e) continue;
      const text = this.blobs.get(e.oid);
      if (text === undefined) throw new DamagedCache(`${this.display(p)} was not read from the cache`);
      out.set(p, text);
    }
    return out;
  }

  /** Paths of a contract's files at the tip (a file, or every file below a folder), relative to the repository. */
  contractFiles(contract: string): string[] {
    const c = this.contracts[contract]!;
    const path = inside(this.base, c.path);
    if (path === undefined) throw new ConfigError(`contracts.${contract}.path: '${c.path}' lies outside the repository`, this.config.locate(["contracts", contract, "path"]));
    if (this.tree.has(path)) return [path];
    const prefix = path === "." ? "" : `${path}/`;
    return [...this.tree.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Snapshot paths of a release in their repository. */
  releaseFiles(r: VersionEntry): string[] {
    return r.files.map((f) => `${this.registry}/${r.contract}/${r.version}/${normalizePath(f)}`);
  }

  /** A contract's files as of the tip, as a reader relative to their comms.yaml folder. */
  currentReader(contract: string): TreeReader {
    const paths = this.contractFiles(contract);
    const links = new Set(paths.filter((p) => this.tree.get(p)?.mode === SYMLINK).map((p) => this.rel(p)));
    const files = this.readFiles(paths.filter((p) => this.tree.get(p)?.mode !== SYMLINK && this.tree.get(p)?.type === "blob"));
    return new TreeReader(`${this.name}/${contract}@${this.short}`, new Map([...files].map(([p, t]) => [this.rel(p), t])), links, (p) => this.display(this.base ? `${this.base}/${p}` : p));
  }

  /** A release's snapshot, verified against its hash in their index, as a reader with the contract's original paths. */
  releaseReader(r: VersionEntry): TreeReader {
    const label = `${this.name}/${r.contract}@${r.version}`;
    const dir = `${this.registry}/${r.contract}/${r.version}`;
    const paths = this.releaseFiles(r);
    const texts = this.readFiles(paths);
    const files = new Map<string, string>();
    for (const [i, f] of r.files.entries()) {
      const text = texts.get(paths[i]!);
      if (text === undefined) throw new RegistryError(`${this.display(paths[i]!)}: snapshot file of ${label} is missing from the repository`);
      files.set(normalizePath(f), text);
    }
    if (snapshotHash(files) !== r.hash) {
      const known = r.fileHashes;
      const changed = known ? [...files].filter(([f, t]) => !Object.hasOwn(known, f) || known[f] !== fileHash(t)).map(([f]) => this.display(`${dir}/${f}`)) : [];
      throw new RegistryError(`${changed[0] ?? this.display(dir)}: the released snapshot ${label} does not match the hash in ${this.display(`${this.registry}/index.json`)}; refusing to judge against it`);
    }
    return new TreeReader(label, files, new Set(), (p) => this.display(`${dir}/${p}`));
  }

  /** A path of their repository relative to their comms.yaml folder. */
  private rel(p: string): string {
    return this.base && p.startsWith(`${this.base}/`) ? p.slice(this.base.length + 1) : p;
  }

  /** Fetches (unless offline) and reads their comms.yaml and registry index. */
  async open(): Promise<void> {
    const { repo } = this.entry;
    const saved = loadDigest(this.entry.digest);
    if (this.opts.offline) {
      if (saved) {
        this.commit = saved.commit;
      } else {
        const never = new InputError(`source '${this.name}' (${this.url}) was never fetched, and --offline reads only the cache: run 'comms fetch' without --offline first`);
        if (!repoExists(this.entry)) throw never;
        const ok = healthy(repo);
        if (ok && !hasRef(repo, TIP)) throw never;
        const commit = ok ? commitOf(repo, TIP) : undefined;
        if (!commit) throw new InputError(`source '${this.name}' (${this.url}): the cached copy is damaged; run 'comms fetch' without --offline to fetch it again`);
        this.commit = commit;
      }
      const when = (this.fetched = fetchedAt(this.entry));
      this.notes.push(`source '${this.name}' read from the cache at ${this.short} (--offline${when ? `; last fetched ${when.toISOString()}` : ""}); it may be behind ${this.ref}`);
    } else if (saved && this.recent()) {
      this.commit = saved.commit;
      this.reused = true;
      const age = Math.round((Date.now() - this.fetched!.getTime()) / 1000);
      this.notes.push(`source '${this.name}' read from the cache at ${this.short}, fetched ${age} s ago (not fetched again within ${this.opts.maxAge} s; comms fetch refreshes it)`);
    } else {
      this.commit = await this.fetch();
    }
    if (saved && saved.commit === this.commit) {
      // The tip has not moved: the files read last time are the files to read now.
      this.tree = saved.tree;
      this.blobs = saved.blobs;
      this.settled = true;
      this.parse(saved.configPath, false, saved.config);
      return;
    }
    try {
      await this.read();
    } catch (e) {
      if (!(e instanceof DamagedCache) || this.opts.offline) {
        if (e instanceof DamagedCache) throw new InputError(`source '${this.name}' (${this.url}): the cached copy is damaged (${e.message}); run 'comms fetch' without --offline to fetch it again`);
        throw e;
      }
      // Objects missing after a fetch: the cache is rebuilt once.
      dropRepo(this.entry);
      this.notes.push(`the cached copy of source '${this.name}' was damaged: deleted and fetched again`);
      this.blobs = new Map();
      this.commit = await this.fetch();
      await this.read();
    }
  }

  /** One fetch of the ref's tip, rebuilding a damaged cache once. */
  private async fetch(): Promise<string> {
    const { repo } = this.entry;
    for (let attempt = 0; ; attempt++) {
      if (!repoExists(this.entry)) initRepo(repo);
      try {
        return await fetchTip(repo, this.url, this.ref);
      } catch (e) {
        const damaged = e instanceof DamagedCache || (e instanceof FetchError && !healthy(repo));
        if (damaged && attempt === 0) {
          dropRepo(this.entry);
          this.notes.push(`the cached copy of source '${this.name}' was damaged: deleted and fetched again`);
          continue;
        }
        if (e instanceof FetchError) throw new InputError(`source '${this.name}' (${this.url}): ${e.message}; the cache is unchanged`);
        if (e instanceof DamagedCache) throw new InputError(`source '${this.name}' (${this.url}): the cache stays damaged after fetching again: ${e.message}`);
        throw e;
      }
    }
  }

  /** Reads their comms.yaml and index from the commit's tree, fetching those files when needed. */
  private async read(): Promise<void> {
    // A damaged tip is found before reading: its tree, or objects behind it, are missing.
    if (!this.opts.offline && repoExists(this.entry) && hasRef(this.entry.repo, TIP) && !healthy(this.entry.repo)) throw new DamagedCache("the previous tip is unreadable");
    this.tree = listTree(this.entry.repo, this.commit);
    const configPath = this.configPath();
    // The registry is usually the default one beside comms.yaml: its index comes in the same request.
    const dir = posix.dirname(configPath);
    await this.ensure([configPath, dir === "." ? ".comms/index.json" : `${dir}/.comms/index.json`]);
    if (!this.readFiles([configPath]).has(configPath)) throw new ConfigError(`source '${this.name}': no comms.yaml at '${configPath}' in ${this.ref} (${this.url})`, this.at("path") ?? this.at("git"));
    this.parse(configPath, true);
    // Only what comms reads is kept: their comms.yaml, their registry and their contracts.
    const keep = [this.registry, ...Object.values(this.contracts).map((c) => inside(this.base, c.path)!)];
    this.tree = new Map([...this.tree].filter(([p]) => p === configPath || keep.some((k) => k === "." || p === k || p.startsWith(`${k}/`))));
    const indexPath = `${this.registry}/index.json`;
    if (this.tree.has(indexPath)) await this.ensure([indexPath]);
    this.parse(configPath);
  }

  /** Parses their comms.yaml and (unless `configOnly`) their index, from the files read. */
  private parse(configPath: string, configOnly = false, validated?: unknown): void {
    this.configFile = configPath;
    const text = this.readFiles([configPath]).get(configPath);
    if (text === undefined) throw new DamagedCache(`${this.display(configPath)} is not in the saved copy`);
    this.base = posix.dirname(configPath) === "." ? "" : posix.dirname(configPath);
    const parse = () => parseConfig(text, this.display(configPath), `/${this.name}/${configPath}`);
    this.config = reuse(validated, parse) ?? parse();
    const theirName = this.config.config.name;
    if (theirName !== undefined && theirName !== this.name) {
      throw new ConfigError(`source '${this.name}' calls itself '${theirName}' (name: in ${this.display(configPath)}); name the source '${theirName}' so that contracts name it as others do`, this.at(""));
    }
    const reg = this.config.config.registry ?? ".comms";
    const registry = inside(this.base, reg);
    if (registry === undefined || registry === "." || registry === this.base) {
      throw new ConfigError(`registry: '${reg}' lies outside the repository`, this.config.locate(["registry"]));
    }
    for (const [name, c] of Object.entries(this.contracts)) {
      if (inside(this.base, c.path) === undefined) throw new ConfigError(`contracts.${name}.path: '${c.path}' lies outside the repository; refusing to read it`, this.config.locate(["contracts", name, "path"]));
    }
    this.registry = registry;
    if (configOnly) return;
    const indexPath = `${registry}/index.json`;
    this.releases = this.tree.has(indexPath) ? this.parseIndex(this.readFiles([indexPath]).get(indexPath)!, this.display(indexPath)) : [];
    checkLedger(this.entry.ledger, this.name, this.url, this.releases);
  }

  /** Whether the cache was fetched less than `maxAge` seconds ago (a stamp in the future is not trusted). */
  private recent(): boolean {
    const maxAge = this.opts.maxAge ?? 0;
    if (!(maxAge > 0)) return false;
    const when = fetchedAt(this.entry);
    const age = when ? Date.now() - when.getTime() : -1;
    if (!when || age < 0 || age > maxAge * 1000) return false;
    this.fetched = when;
    return true;
  }

  /** Records the tip and what was read, once every file needed is in: the next run reads it without git. */
  settle(): void {
    if (this.opts.offline) return;
    if (!this.settled) setTip(this.entry.repo, this.commit);
    // A copy used again keeps the time it was fetched, so the window ends.
    if (!this.reused) writeCacheFile(this.entry.stamp, `${new Date().toISOString()}\n`);
    if (!this.settled || this.changed) saveDigest(this.entry.digest, { commit: this.commit, configPath: this.configFile, tree: this.tree, blobs: this.blobs, config: this.config.config });
    this.settled = true;
    this.changed = false;
  }

  private configPath(): string {
    const p = this.pathSetting ?? "";
    const rel = p ? inside("", p) : ".";
    if (rel === undefined) throw new ConfigError(`sources.${this.name}.path: '${p}' lies outside the repository`, this.at("path"));
    if (rel === ".") return "comms.yaml";
    const e = this.tree.get(rel);
    return e && e.type === "blob" ? rel : `${rel}/comms.yaml`;
  }

  /** `sources.<name>.path`: folder of their comms.yaml, or the file itself. */
  pathSetting: string | undefined;

  /** Their registry index: well-formed entries only, each release once. */
  private parseIndex(raw: string, display: string): VersionEntry[] {
    const text = withoutBom(raw);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new RegistryError(`${display}: the registry index is not valid JSON (${(e as Error).message.split("\n")[0]})`);
    }
    if (jsonDuplicateKey(text)) throw new RegistryError(`${display}: the registry index repeats a key; refusing to read it`);
    const idx = data as { version?: unknown; releases?: unknown };
    if (!idx || typeof idx !== "object" || Array.isArray(idx) || idx.version !== 1 || !Array.isArray(idx.releases)) {
      throw new RegistryError(`${display}: the registry index has an unknown shape (expected { "version": 1, "releases": [...] })`);
    }
    const seen = new Set<string>();
    for (const [i, r] of (idx.releases as unknown[]).entries()) {
      const problem = entryProblem(r);
      const id = problem ? "" : `${(r as VersionEntry).contract}@${(r as VersionEntry).version}`;
      if (problem || seen.has(id)) throw new RegistryError(`${display}: release #${i + 1} in the registry index is damaged: ${problem?.message ?? "recorded twice"}`);
      seen.add(id);
    }
    return idx.releases as VersionEntry[];
  }
}

/**
 * Their comms.yaml as validated on a previous run (saved in the cache), with maps that have no
 * prototype again; locations for messages come from parsing the text, only when one is needed.
 */
function reuse(validated: unknown, parse: () => LoadedConfig): LoadedConfig | undefined {
  const v = validated as LoadedConfig["config"] | undefined;
  if (!v || typeof v !== "object" || !v.contracts || typeof v.contracts !== "object") return undefined;
  const config = { ...v, contracts: Object.assign(Object.create(null) as LoadedConfig["config"]["contracts"], v.contracts) };
  if (v.sources) config.sources = Object.assign(Object.create(null) as NonNullable<LoadedConfig["config"]["sources"]>, v.sources);
  let full: LoadedConfig | undefined;
  return { config, file: "", root: "", registryDir: "", locate: (path, preferKey) => (full ??= parse()).locate(path, preferKey) };
}

/** A source of comms.yaml, checked (URL, ref) and placed in the cache; not yet fetched. */
export function remoteSource(project: LoadedConfig, name: string, opts: OpenOptions): RemoteSource {
  const sources = project.config.sources;
  if (!sources || !Object.hasOwn(sources, name)) throw new ConfigError(`no source named '${name}' under sources: in comms.yaml`);
  const s: GitRemote = sources[name]!;
  const at = (key: string) => project.locate(key ? ["sources", name, key] : ["sources", name], !key);
  const url = checkRemote(s.git, project.root, at("git"));
  const ref = s.ref === undefined ? "HEAD" : checkRef(s.ref, at("ref"));
  const src = new RemoteSource(name, url, ref, cacheEntry(url, opts.cache), opts, at);
  src.pathSetting = s.path;
  return src;
}

/** Marks the commit read as the cache's tip and records when: called once every file needed is in. */
export function settle(src: RemoteSource): void {
  src.settle();
}
