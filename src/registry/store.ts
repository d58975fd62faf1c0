import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { rcompare, valid } from "semver";
import { RegistryError } from "../core/errors.ts";
import { DiskReader, type SourceReader } from "../core/source.ts";

/** One released version as recorded in `.comms/index.json`. */
export interface VersionEntry {
  contract: string;
  kind: string;
  version: string;
  /** ISO date-time of the release. */
  date: string;
  /** sha256 over the snapshot's files (path + content), to refuse unchanged releases and detect damage. */
  hash: string;
  /** Commit the release was made from, when in git. */
  commit?: string;
  /** Declared contract path (file or directory) at release time, relative to the config root. */
  path: string;
  /** Snapshot files, relative to the config root (their original paths). */
  files: string[];
}

export interface RegistryIndex {
  version: 1;
  releases: VersionEntry[];
}

/**
 * Released versions on disk: `<dir>/index.json` plus `<dir>/<contract>/<version>/<original paths>`.
 * Reading only; `release.ts` writes.
 */
export class Registry {
  private index: RegistryIndex | undefined;

  constructor(
    /** Absolute registry directory. */
    readonly dir: string,
    /** Absolute config root that contract paths are relative to. */
    readonly root: string,
  ) {}

  get indexFile(): string {
    return join(this.dir, "index.json");
  }

  /** Forgets the cached index (after a write). */
  reset(): void {
    this.index = undefined;
  }

  /** The parsed index; an absent registry is empty, a damaged one is a RegistryError. */
  load(): RegistryIndex {
    if (this.index) return this.index;
    if (!existsSync(this.indexFile)) return (this.index = { version: 1, releases: [] });
    const display = relative(process.cwd(), this.indexFile) || this.indexFile;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.indexFile, "utf8"));
    } catch (e) {
      throw new RegistryError(`${display}:1:1: the registry index is not valid JSON (${(e as Error).message}); restore it from git`);
    }
    const idx = data as RegistryIndex;
    if (!idx || typeof idx !== "object" || idx.version !== 1 || !Array.isArray(idx.releases)) {
      throw new RegistryError(`${display}:1:1: the registry index has an unknown shape; restore it from git`);
    }
    for (const [i, r] of idx.releases.entries()) {
      if (!r || typeof r.contract !== "string" || !valid(r.version) || !Array.isArray(r.files) || typeof r.path !== "string") {
        throw new RegistryError(`${display}:1:1: release #${i + 1} in the registry index is damaged; restore it from git`);
      }
    }
    return (this.index = idx);
  }

  /** Versions of a contract, newest first. */
  versions(contract: string): VersionEntry[] {
    return this.load()
      .releases.filter((r) => r.contract === contract)
      .sort((a, b) => rcompare(a.version, b.version));
  }

  latest(contract: string): VersionEntry | undefined {
    return this.versions(contract)[0];
  }

  find(contract: string, version: string): VersionEntry | undefined {
    const v = version.replace(/^v/, "");
    return this.versions(contract).find((r) => r.version === v);
  }

  /** Directory holding one snapshot. */
  snapshotDir(entry: Pick<VersionEntry, "contract" | "version">): string {
    return join(this.dir, entry.contract, entry.version);
  }

  /** Reader over a snapshot whose paths are the contract's original paths. */
  reader(entry: VersionEntry): SourceReader {
    const dir = this.snapshotDir(entry);
    for (const f of entry.files) {
      if (!existsSync(join(dir, f))) {
        const display = relative(process.cwd(), join(dir, f)) || f;
        throw new RegistryError(`${display}: snapshot file of ${entry.contract}@${entry.version} is missing; restore it from git`);
      }
    }
    return new DiskReader(dir, `${entry.contract}@${entry.version}`);
  }
}
