import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { compare } from "semver";
import { RegistryError } from "../core/errors.ts";
import { normalizePath } from "../core/source.ts";
import { snapshotHash } from "./hash.ts";
import type { Registry, RegistryIndex, VersionEntry } from "./store.ts";

/** What a release records: the contract's files exactly as they are, keyed by their original paths. */
export interface ReleaseInput {
  contract: string;
  kind: string;
  version: string;
  /** Declared contract path (file or directory), relative to the config root. */
  path: string;
  files: Map<string, string>;
  commit?: string;
  date?: Date;
}

/** Test seam: called after each snapshot file is written, to inject a crash or a full disk. */
export interface WriteHooks {
  afterFile?(path: string, index: number): void;
  beforeIndex?(): void;
}

function writeDurably(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function tempName(dir: string, what: string): string {
  return join(dir, `.comms-tmp-${what}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
}

/** Serialises the index with a stable order, so the file diffs well in review. */
export function serializeIndex(index: RegistryIndex): string {
  const releases = [...index.releases].sort((a, b) => (a.contract < b.contract ? -1 : a.contract > b.contract ? 1 : compare(a.version, b.version)));
  return `${JSON.stringify({ version: 1, releases }, null, 2)}\n`;
}

/**
 * Records a release. The snapshot is written into a temporary directory and renamed into place, then
 * the index is replaced by rename: the index is the commit point, so a failure at any step leaves the
 * registry exactly as it was (at worst an unlisted directory that the next release of that version replaces).
 */
export function writeRelease(registry: Registry, input: ReleaseInput, hooks: WriteHooks = {}): VersionEntry {
  mkdirSync(registry.dir, { recursive: true });
  const lock = join(registry.dir, ".comms-tmp-lock");
  try {
    writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
  } catch {
    throw new RegistryError(`another release is being recorded (${lock} exists); if no comms is running, delete that file`);
  }
  try {
    // Read the index under the lock, so two releases at once cannot lose one another's entry.
    registry.reset();
    return writeLocked(registry, input, hooks);
  } finally {
    rmSync(lock, { force: true });
  }
}

function writeLocked(registry: Registry, input: ReleaseInput, hooks: WriteHooks): VersionEntry {
  const index = registry.load();
  const label = `${input.contract}@${input.version}`;
  const files = new Map([...input.files].map(([k, v]) => [normalizePath(k), v] as const));
  if (registry.find(input.contract, input.version)) throw new RegistryError(`${label} is already released`);
  const paths = [...files.keys()].sort();
  for (const p of paths) {
    if (p.startsWith("../") || p === ".." || p.startsWith("/")) {
      throw new RegistryError(`cannot release ${label}: file '${p}' lies outside the directory of comms.yaml`);
    }
  }
  const entry: VersionEntry = {
    contract: input.contract,
    kind: input.kind,
    version: input.version,
    date: (input.date ?? new Date()).toISOString(),
    hash: snapshotHash(files),
    ...(input.commit ? { commit: input.commit } : {}),
    path: normalizePath(input.path),
    files: paths,
  };
  const target = registry.snapshotDir(entry);
  let tmpDir: string | undefined;
  let tmpIndex: string | undefined;
  let placed = false;
  try {
    tmpDir = tempName(registry.dir, "snapshot");
    mkdirSync(tmpDir);
    for (const [i, p] of paths.entries()) {
      writeDurably(join(tmpDir, p), files.get(p)!);
      hooks.afterFile?.(p, i);
    }
    // A directory without an index entry is the leftover of an interrupted release: replace it.
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    mkdirSync(dirname(target), { recursive: true });
    renameSync(tmpDir, target);
    tmpDir = undefined;
    placed = true;
    hooks.beforeIndex?.();
    tmpIndex = tempName(registry.dir, "index");
    writeDurably(tmpIndex, serializeIndex({ version: 1, releases: [...index.releases, entry] }));
    renameSync(tmpIndex, registry.indexFile);
    tmpIndex = undefined;
  } catch (e) {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    if (tmpIndex) rmSync(tmpIndex, { force: true });
    if (placed) rmSync(target, { recursive: true, force: true });
    registry.reset();
    const reason = e instanceof Error ? e.message : String(e);
    throw new RegistryError(`cannot record ${label}: ${reason}; the registry was left unchanged`);
  }
  registry.reset();
  return entry;
}
