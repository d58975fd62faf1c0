import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { compare } from "semver";
import { ContainmentError, RegistryError } from "../core/errors.ts";
import { acquireLock, errnoCode } from "../core/lock.ts";
import { isWithin, normalizePath, realpathLoose, staysInside } from "../core/source.ts";
import { fileHash, snapshotHash } from "./hash.ts";
import type { Registry, RegistryIndex, VersionEntry } from "./store.ts";

/** What a release records: the contract's files exactly as they are, keyed by their original paths. */
export interface ReleaseInput {
  contract: string;
  kind: string;
  version: string;
  /** Declared contract path (file or directory), relative to the config root. */
  path: string;
  files: Map<string, string>;
  /** Schema registry subject (Avro and JSON Schema contracts). */
  subject?: string;
  /** The subject a new subject succeeds. */
  predecessor?: string;
  commit?: string;
  date?: Date;
}

/** Test seams: inject a crash or a full disk after a snapshot file or before the index; lock timing. */
export interface WriteHooks {
  afterFile?(path: string, index: number): void;
  beforeIndex?(): void;
  /** How long to wait for another release's lock; default 30 s. */
  lockTimeoutMs?: number;
}

const LOCK = ".comms-tmp-lock";
/** Names of comms's own temporary entries in the registry directory: only these are ever cleaned up. */
const TEMP = /^\.comms-tmp-(?:snapshot|index)-\d+-[a-z0-9]+$|^\.comms-tmp-lock\.stale-\d+-[a-z0-9]+$/;
/**
 * Written first into a new snapshot directory and removed once the index lists it: a snapshot directory
 * holding it is the leftover of an interrupted release, which the next release may replace.
 */
const MARKER = ".comms-tmp-incomplete";

/** What a failed file-system call means for the person running the release. */
function describe(e: unknown): string {
  switch (errnoCode(e)) {
    case "EACCES":
    case "EPERM":
      return "permission denied (is the registry directory writable?)";
    case "EROFS":
      return "the file system is read-only";
    case "ENOSPC":
      return "no space left on device";
    case "EDQUOT":
      return "disk quota exceeded";
    default:
      return e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }
}

function writeDurably(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "wx");
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
 * The registry directory must be below the project root (symlinks resolved) and not the root itself;
 * a contract's folder in it must stay in the registry (not lead elsewhere in the project).
 */
function checkInside(registry: Registry, what: string): void {
  const real = realpathLoose(what);
  const root = realpathLoose(registry.root);
  if (!isWithin(real, root) || (what === registry.dir && real === root)) {
    throw new ContainmentError(`${registry.display(what)}: resolves to '${real}', outside the project root (${registry.root}); refusing to write there`);
  }
  if (what !== registry.dir && !isWithin(real, realpathLoose(registry.dir))) {
    throw new ContainmentError(`${registry.display(what)}: resolves to '${real}', outside the registry (${registry.display(registry.dir)}); refusing to write there`);
  }
}

/** Takes the registry lock, waiting for a running release to finish and taking over a stale lock. */
function lockRegistry(registry: Registry, timeoutMs: number): () => void {
  const lock = join(registry.dir, LOCK);
  return acquireLock(lock, timeoutMs, {
    failed: (e) => new RegistryError(`cannot record a release in ${registry.display(registry.dir)}: ${describe(e)}`),
    timeout: (who) =>
      new RegistryError(
        `another release is being recorded (${who} holds ${registry.display(lock)}) and did not finish within ${Math.round(timeoutMs / 1000)} s; if no comms is running, delete that file`,
      ),
  });
}

/** Removes what interrupted releases of comms left in the registry directory (its own temporary names only). */
function removeLeftovers(registry: Registry): void {
  let names: string[];
  try {
    names = readdirSync(registry.dir);
  } catch {
    return;
  }
  for (const n of names) if (TEMP.test(n)) rmSync(join(registry.dir, n), { recursive: true, force: true });
}

/**
 * Records a release. The snapshot is written into a temporary directory and renamed into place, then
 * the index is replaced by rename: the index is the commit point, so a failure at any step leaves the
 * registry as it was (at worst a marked, unlisted directory that the next release of that version
 * replaces). Nothing comms did not create is ever deleted.
 */
export function writeRelease(registry: Registry, input: ReleaseInput, hooks: WriteHooks = {}): VersionEntry {
  checkInside(registry, registry.dir);
  try {
    mkdirSync(registry.dir, { recursive: true });
  } catch (e) {
    throw new RegistryError(`cannot create the registry directory ${registry.display(registry.dir)}: ${describe(e)}`);
  }
  checkInside(registry, registry.dir);
  const unlock = lockRegistry(registry, hooks.lockTimeoutMs ?? 30_000);
  try {
    // Read the index under the lock, so two releases at once cannot lose one another's entry.
    registry.reset();
    removeLeftovers(registry);
    return writeLocked(registry, input, hooks);
  } finally {
    unlock();
  }
}

/** Makes room for a snapshot: nothing there, or the marked leftover of an interrupted release of comms. */
function clearTarget(registry: Registry, target: string): void {
  let st;
  try {
    st = lstatSync(target);
  } catch {
    return;
  }
  let ours = false;
  try {
    ours = st.isDirectory() && lstatSync(join(target, MARKER)).isFile();
  } catch {
    ours = false;
  }
  if (!ours) {
    throw new RegistryError(
      `${registry.display(target)}: already exists but is not a release listed in ${registry.display(registry.indexFile)}; comms does not delete what it did not create: move it away (or restore the index from git) and release again`,
    );
  }
  rmSync(target, { recursive: true, force: true });
}

function writeLocked(registry: Registry, input: ReleaseInput, hooks: WriteHooks): VersionEntry {
  const index = registry.load();
  const label = `${input.contract}@${input.version}`;
  const files = new Map([...input.files].map(([k, v]) => [normalizePath(k), v] as const));
  if (registry.find(input.contract, input.version)) throw new RegistryError(`${label} is already released`);
  const paths = [...files.keys()].sort();
  for (const p of paths) {
    if (!staysInside(p) || p === ".") throw new RegistryError(`cannot release ${label}: file '${p}' lies outside the directory of comms.yaml`);
    if (p.split("/")[0]!.startsWith(".comms-tmp")) throw new RegistryError(`cannot release ${label}: file '${p}' uses a name comms reserves for its temporary files`);
  }
  const entry: VersionEntry = {
    contract: input.contract,
    kind: input.kind,
    version: input.version,
    date: (input.date ?? new Date()).toISOString(),
    hash: snapshotHash(files),
    ...(input.commit ? { commit: input.commit } : {}),
    path: normalizePath(input.path),
    ...(input.subject ? { subject: input.subject } : {}),
    ...(input.subject && input.predecessor ? { predecessor: input.predecessor } : {}),
    files: paths,
    fileHashes: Object.fromEntries(paths.map((p) => [p, fileHash(files.get(p)!)])),
  };
  const target = registry.snapshotDir(entry);
  let tmpDir: string | undefined;
  let tmpIndex: string | undefined;
  let placed = false;
  try {
    clearTarget(registry, target);
    mkdirSync(dirname(target), { recursive: true });
    // A contract directory symlinked elsewhere would carry the snapshot out of the project.
    checkInside(registry, dirname(target));
    tmpDir = tempName(registry.dir, "snapshot");
    mkdirSync(tmpDir);
    writeDurably(join(tmpDir, MARKER), `${label}\n`);
    for (const [i, p] of paths.entries()) {
      writeDurably(join(tmpDir, p), files.get(p)!);
      hooks.afterFile?.(p, i);
    }
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
    if (e instanceof RegistryError || e instanceof ContainmentError) throw e;
    throw new RegistryError(`cannot record ${label}: ${describe(e)}; the registry was left unchanged`);
  }
  // The index lists the snapshot now; the marker only matters for an interrupted release.
  rmSync(join(target, MARKER), { force: true });
  registry.reset();
  return entry;
}
