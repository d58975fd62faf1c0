import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { compare, valid } from "semver";
import { LineCounter, parseDocument } from "yaml";
import { nestingTooDeep, QUIET } from "../core/yaml-guard.ts";
import { jsonDuplicateKey } from "../core/duplicate-keys.ts";
import { LineIndex } from "../core/location.ts";
import { KIND_IDS } from "../core/engine.ts";
import { ContainmentError, RegistryError } from "../core/errors.ts";
import { DEFAULT_MAX_FILE_BYTES, DiskReader, MemoryReader, normalizePath, staysInside, withoutBom, type SourceReader } from "../core/source.ts";
import type { LoadedConfig } from "../policy/config.ts";
import { fileHash, snapshotHash } from "./hash.ts";

/** One released version as recorded in `.comms/index.json`. */
export interface VersionEntry {
  contract: string;
  kind: string;
  version: string;
  /** ISO date-time of the release. */
  date: string;
  /** sha256 over the snapshot's files (path + content): verified on every read, so releases are immutable. */
  hash: string;
  /** Commit that contains the release, when it was known at release time (see `comms release`). */
  commit?: string;
  /** Declared contract path (file or directory) at release time, relative to the config root. */
  path: string;
  /** Schema registry subject of an Avro or JSON Schema contract at release time. */
  subject?: string;
  /** The subject this one succeeds (set on the first release under a new subject, after a break). */
  predecessor?: string;
  /** Snapshot files, relative to the config root (their original paths). */
  files: string[];
  /** sha256 of each file, so a changed snapshot is reported by the file that changed. */
  fileHashes?: Record<string, string>;
}

export interface RegistryIndex {
  version: 1;
  releases: VersionEntry[];
}

/** Contract names as comms.yaml allows them: they become directory names under the registry. */
const CONTRACT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HASH = /^sha256:[0-9a-f]{64}$/;

/** Size limit of a project: comms.yaml `limits.max-file-bytes`, else the default. */
export function maxFileBytes(project: LoadedConfig | undefined): number {
  return project?.config.limits?.["max-file-bytes"] ?? DEFAULT_MAX_FILE_BYTES;
}

/** The working tree of a project: walled at the config root, without listing the registry's snapshots. */
export function workingReader(project: LoadedConfig): DiskReader {
  const reg = normalizePath(relative(project.root, project.registryDir));
  return new DiskReader(project.root, "working tree", { maxFileBytes: maxFileBytes(project), skip: staysInside(reg) ? [reg] : [] });
}

/** The registry of a project, with its size limit; `cwd` is what snapshot locations are shown relative to. */
export function projectRegistry(project: LoadedConfig, cwd = project.root): Registry {
  return new Registry(project.registryDir, project.root, { maxFileBytes: maxFileBytes(project), cwd });
}

/**
 * Released versions on disk: `<dir>/index.json` plus `<dir>/<contract>/<version>/<original paths>`.
 * Reading only; `write.ts` writes.
 */
export class Registry {
  private index: RegistryIndex | undefined;
  private byContract: Map<string, VersionEntry[]> | undefined;
  readonly maxFileBytes: number;
  /** Directory that snapshot locations are shown relative to. */
  readonly cwd: string;

  constructor(
    /** Absolute registry directory. */
    readonly dir: string,
    /** Absolute config root that contract paths are relative to. */
    readonly root: string,
    opts: { maxFileBytes?: number; cwd?: string } = {},
  ) {
    this.maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.cwd = opts.cwd ?? root;
  }

  get indexFile(): string {
    return join(this.dir, "index.json");
  }

  /** How a file below the registry is named in messages and locations. */
  display(abs: string): string {
    const r = relative(this.cwd, abs);
    return r && !r.startsWith("..") ? normalizePath(r) : abs;
  }

  /** Forgets the cached index (after a write). */
  reset(): void {
    this.index = undefined;
    this.byContract = undefined;
  }

  /** The registry directory as a walled reader: it must resolve inside the project root. */
  private dirReader(): DiskReader {
    return new DiskReader(this.dir, "registry", { within: this.root, maxFileBytes: this.maxFileBytes, wallName: "the registry" });
  }

  /** The parsed index; an absent registry is empty, a damaged one is a RegistryError at the damaged entry. */
  load(): RegistryIndex {
    if (this.index) return this.index;
    const display = this.display(this.indexFile);
    // Snapshot directories are listed before the index is read. A release places its snapshot (marked
    // unfinished), replaces the index, then removes the mark; so a finished snapshot seen here is in
    // every index read after, and a release finishing meanwhile never looks like an edited index.
    const released = this.releasedDirs();
    let text: string | undefined;
    try {
      text = this.dirReader().read("index.json");
    } catch (e) {
      if (e instanceof ContainmentError) throw new ContainmentError(`${display}: ${e.message.replace(/^[^:]*: /, "")}`);
      throw e;
    }
    if (text === undefined) {
      // No index but released snapshots: deleting the index must not turn a failing check into "no release yet".
      const orphans = released;
      if (existsSync(this.indexFile) || orphans.length) {
        const what = existsSync(this.indexFile) ? "is not a file" : `is missing, but ${this.display(this.dir)} holds released snapshots (${orphans.slice(0, 3).join(", ")})`;
        throw new RegistryError(`${display}:1:1: the registry index ${what}; restore it from git`);
      }
      return this.remember({ version: 1, releases: [] });
    }
    text = withoutBom(text);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      const pos = syntaxErrorPosition(text, (e as Error).message);
      throw new RegistryError(`${display}:${pos}: the registry index is not valid JSON (${(e as Error).message.split("\n")[0]}); restore it from git`);
    }
    // JSON.parse keeps the last of two equal keys: a second, empty "releases" would hide every release.
    const dup = jsonDuplicateKey(text);
    if (dup && "key" in dup) {
      const index = new LineIndex(text);
      const a = index.position(dup.first);
      const b = index.position(dup.second);
      throw new RegistryError(`${display}:${b.line}:${b.column}: the registry index repeats the key '${dup.key.slice(0, 100)}' (first at line ${a.line}, column ${a.column}); restore it from git`);
    }
    const idx = data as RegistryIndex;
    if (!idx || typeof idx !== "object" || Array.isArray(idx) || idx.version !== 1 || !Array.isArray(idx.releases)) {
      throw new RegistryError(`${display}:1:1: the registry index has an unknown shape (expected { "version": 1, "releases": [...] }); restore it from git`);
    }
    const seen = new Set<string>();
    for (const [i, r] of idx.releases.entries()) {
      const problem = entryProblem(r);
      const id = problem ? "" : `${r.contract}@${r.version}`;
      if (problem || seen.has(id)) {
        const what = typeof r?.contract === "string" && typeof r?.version === "string" ? ` (${r.contract}@${r.version})` : "";
        throw new RegistryError(`${display}:${entryPosition(text, i, problem?.key)}: release #${i + 1}${what} in the registry index is damaged: ${problem?.message ?? "recorded twice"}; restore it from git`);
      }
      seen.add(id);
    }
    // A snapshot the index does not list: an edited index must not turn a failing check into "no release yet".
    const listed = new Set(idx.releases.map((r) => `${r.contract}/${r.version}`));
    const unlisted = released.filter((d) => !listed.has(d));
    if (unlisted.length) {
      throw new RegistryError(`${display}:1:1: the registry index does not list released snapshots in ${this.display(this.dir)} (${unlisted.slice(0, 3).join(", ")}${unlisted.length > 3 ? ", ..." : ""}); restore it from git`);
    }
    return this.remember(idx);
  }

  /** `<contract>/<version>` directories of finished releases (an interrupted one carries comms's marker). */
  private releasedDirs(): string[] {
    const out: string[] = [];
    const dirs = (d: string) => {
      try {
        return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name);
      } catch {
        return [];
      }
    };
    for (const c of dirs(this.dir)) {
      for (const v of dirs(join(this.dir, c))) {
        if (valid(v) === v && !existsSync(join(this.dir, c, v, ".comms-tmp-incomplete"))) out.push(`${c}/${v}`);
      }
    }
    return out;
  }

  private remember(idx: RegistryIndex): RegistryIndex {
    // Grouped once, so listing every contract's versions is linear in the index size.
    const by = new Map<string, VersionEntry[]>();
    for (const r of idx.releases) {
      let list = by.get(r.contract);
      if (!list) by.set(r.contract, (list = []));
      list.push(r);
    }
    for (const list of by.values()) list.sort((a, b) => compare(b.version, a.version));
    this.byContract = by;
    return (this.index = idx);
  }

  /** Names of every contract with a release. */
  contracts(): string[] {
    this.load();
    return [...this.byContract!.keys()];
  }

  /** Versions of a contract, newest first. */
  versions(contract: string): VersionEntry[] {
    this.load();
    return [...(this.byContract!.get(contract) ?? [])];
  }

  latest(contract: string): VersionEntry | undefined {
    this.load();
    return this.byContract!.get(contract)?.[0];
  }

  find(contract: string, version: string): VersionEntry | undefined {
    const v = version.replace(/^v/, "");
    this.load();
    return this.byContract!.get(contract)?.find((r) => r.version === v);
  }

  /** Directory holding one snapshot. */
  snapshotDir(entry: Pick<VersionEntry, "contract" | "version">): string {
    return join(this.dir, entry.contract, entry.version);
  }

  /**
   * Reader over a snapshot whose paths are the contract's original paths. On first use every file is
   * read (walled inside the project, regular, within the size limit) and verified against the index's
   * hash; the reader then serves exactly those files, so nothing added to the directory is seen. Lazy,
   * so that older releases kept for transitive modes and deprecation dates cost nothing until needed.
   */
  reader(entry: VersionEntry): SourceReader {
    let files: MemoryReader | undefined;
    const load = () => (files ??= this.verified(entry));
    const dir = this.snapshotDir(entry);
    return {
      label: `${entry.contract}@${entry.version}`,
      read: (p) => load().read(p),
      list: (d) => load().list(d),
      stat: (p) => load().stat(p),
      origin: (p) => this.display(join(dir, p)),
    };
  }

  /** Reads a snapshot and checks it against its index entry; a RegistryError names a changed or missing file. */
  verified(entry: VersionEntry): MemoryReader {
    const dir = this.snapshotDir(entry);
    const label = `${entry.contract}@${entry.version}`;
    const disk = new DiskReader(dir, label, { within: this.root, maxFileBytes: this.maxFileBytes, wallName: "the snapshot directory" });
    const files = new Map<string, string>();
    for (const f of entry.files) {
      const display = this.display(join(dir, f));
      let text: string | undefined;
      try {
        text = disk.read(f);
      } catch (e) {
        if (e instanceof ContainmentError) throw new ContainmentError(`${display}: snapshot file of ${label}: ${e.message.replace(/^[^:]*: /, "")}`);
        throw e;
      }
      if (text === undefined) throw new RegistryError(`${display}: snapshot file of ${label} is missing; restore it from git`);
      files.set(normalizePath(f), text);
    }
    if (snapshotHash(files) !== entry.hash) {
      const known = entry.fileHashes;
      const changed = known ? [...files].filter(([f, t]) => !Object.hasOwn(known, f) || known[f] !== fileHash(t)).map(([f]) => this.display(join(dir, f))) : [];
      const which = changed.length ? changed.join(", ") : this.display(dir);
      throw new RegistryError(
        `${changed[0] ?? which}: the released snapshot ${label} was modified (${which} no longer matches the hash in ${this.display(this.indexFile)}); releases are immutable: restore it from git`,
      );
    }
    return new MemoryReader(files, label, (p) => this.display(join(dir, p)));
  }
}

/** What is wrong with one index entry, and the key to point at; undefined when it is well-formed (also for other repositories' indexes). */
export function entryProblem(r: unknown): { key?: string; message: string } | undefined {
  if (!r || typeof r !== "object" || Array.isArray(r)) return { message: "expected an object" };
  const e = r as Record<string, unknown>;
  if (typeof e.contract !== "string" || !CONTRACT_NAME.test(e.contract) || e.contract in Object.prototype) {
    return { key: "contract", message: "'contract' must be a contract name" };
  }
  if (typeof e.version !== "string" || valid(e.version) !== e.version) return { key: "version", message: "'version' must be a semantic version such as 1.2.0" };
  if (typeof e.kind !== "string" || !(KIND_IDS as readonly string[]).includes(e.kind)) return { key: "kind", message: `'kind' must be one of ${KIND_IDS.join(", ")}` };
  if (typeof e.date !== "string" || Number.isNaN(Date.parse(e.date))) return { key: "date", message: "'date' must be an ISO date-time string" };
  if (typeof e.hash !== "string" || !HASH.test(e.hash)) return { key: "hash", message: "'hash' must be sha256:<64 hex digits>" };
  if (e.commit !== undefined && (typeof e.commit !== "string" || !/^[0-9a-f]{4,64}$/.test(e.commit))) return { key: "commit", message: "'commit' must be a commit id" };
  if (typeof e.path !== "string" || !e.path || !staysInside(e.path)) return { key: "path", message: "'path' must be a relative path inside the project" };
  if (e.subject !== undefined && (typeof e.subject !== "string" || !e.subject)) return { key: "subject", message: "'subject' must be a subject name" };
  if (e.predecessor !== undefined && (typeof e.predecessor !== "string" || !e.predecessor)) return { key: "predecessor", message: "'predecessor' must be a subject name" };
  if (!Array.isArray(e.files) || !e.files.length || !e.files.every((f) => typeof f === "string" && f !== "" && staysInside(f) && normalizePath(f) !== ".")) {
    return { key: "files", message: "'files' must be a list of relative paths inside the project" };
  }
  if (e.fileHashes !== undefined) {
    const h = e.fileHashes;
    if (!h || typeof h !== "object" || Array.isArray(h) || !Object.values(h).every((x) => typeof x === "string" && HASH.test(x))) {
      return { key: "fileHashes", message: "'fileHashes' must map files to sha256 hashes" };
    }
  }
  return undefined;
}

/** `line:col` of a character offset. */
function lineCol(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return `${line}:${offset - start + 1}`;
}

/**
 * `line:col` of a JSON syntax error: the position Node's message gives, else the YAML parser's (JSON is
 * YAML) for an index small enough to parse again quickly; 1:1 when unknown.
 */
function syntaxErrorPosition(text: string, message: string): string {
  const at = /position (\d+)/.exec(message);
  if (at) return lineCol(text, Number(at[1]));
  if (text.length > 1_000_000 || nestingTooDeep(text, 1000) !== undefined) return "1:1";
  try {
    const lc = new LineCounter();
    // Only the syntax error is wanted: the library's repeated-key check is quadratic.
    const err = parseDocument(text, { lineCounter: lc, uniqueKeys: false, ...QUIET }).errors[0];
    if (err) {
      const p = lc.linePos(err.pos[0]);
      return `${p.line}:${p.col}`;
    }
  } catch {
    // Fall through to the start of the file.
  }
  return "1:1";
}

/**
 * `line:col` of release #i (or of its `key`) in valid JSON text, found by one linear scan that tracks
 * nesting and strings: an index of 100,000 releases is located in milliseconds.
 */
function entryPosition(text: string, i: number, key?: string): string {
  let depth = 0;
  let inReleases = false;
  let element = -1;
  let elementStart = 0;
  let lastString = "";
  let expectValue = false;
  for (let p = 0; p < text.length; p++) {
    const c = text[p]!;
    if (c === '"') {
      const from = p;
      for (p++; p < text.length && text[p] !== '"'; p++) if (text[p] === "\\") p++;
      const str = text.slice(from + 1, p);
      if (inReleases && depth === 2 && !expectValue) {
        element++;
        if (element === i) return lineCol(text, from);
      }
      lastString = str;
      expectValue = false;
      continue;
    }
    if (c === ":") {
      if (depth === 1 && lastString === "releases") inReleases = true;
      if (inReleases && depth === 3 && element === i && key && lastString === key) {
        let v = p + 1;
        while (/\s/.test(text[v] ?? "")) v++;
        return lineCol(text, v);
      }
      expectValue = true;
      continue;
    }
    if (c === "," || /\s/.test(c)) {
      if (c === ",") expectValue = false;
      continue;
    }
    if (c === "{" || c === "[") {
      if (inReleases && depth === 2) {
        element++;
        elementStart = p;
        if (element === i && !key) return lineCol(text, p);
      }
      depth++;
      expectValue = false;
      continue;
    }
    if (c === "}" || c === "]") {
      depth--;
      if (inReleases && depth === 1) inReleases = false;
      // The wanted key is not in the release: point at the release itself.
      if (inReleases && depth === 2 && element === i && key) return lineCol(text, elementStart);
      continue;
    }
    // A number, true, false or null.
    if (inReleases && depth === 2 && !expectValue) {
      element++;
      if (element === i) return lineCol(text, p);
      while (p + 1 < text.length && !/[\s,\]}]/.test(text[p + 1]!)) p++;
    }
  }
  return "1:1";
}
