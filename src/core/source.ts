import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import { ContainmentError, InputError } from "./errors.ts";

/**
 * Read access to one version of a set of files: the working tree, a git ref, the git index or a
 * released snapshot. Paths are POSIX and relative to the repository (or working) root, and they are
 * also the display paths used in findings, so a snapshot reports the contract's original file names.
 */
export interface SourceReader {
  /** Where the files come from, for messages and reports: "working tree", "main", "users-api@1.2.0". */
  readonly label: string;
  /**
   * Content of a file, or undefined when it does not exist in this version. Throws a ContainmentError
   * for a file that resolves outside the root, is not a regular file, or is over the size limit.
   */
  read(path: string): string | undefined;
  /** Every file below `dir` (recursively), sorted. */
  list(dir: string): string[];
  /** What `path` is in this version. */
  stat(path: string): "file" | "dir" | undefined;
  /**
   * The file a path is really read from, for locations, when it differs from the path: a snapshot file
   * under the registry (`.comms/users-api/1.2.0/openapi.yaml`) or a file at a git ref (`main:openapi.yaml`).
   */
  origin?(path: string): string;
}

/** One contract at one version: the reader and the declared path (a file or a directory). */
export interface ContractSource {
  reader: SourceReader;
  path: string;
}

/** Normalises a user path to the POSIX form readers use; `..` that escapes the root is kept. */
export function normalizePath(p: string): string {
  const n = posix.normalize(p.split(sep).join("/"));
  return n === "./" ? "." : n.replace(/\/$/, "");
}

/** Whether a normalised relative path stays below its root (no leading `..`, not absolute). */
export function staysInside(p: string): boolean {
  const n = normalizePath(p);
  return !(n === ".." || n.startsWith("../") || isAbsolute(n) || /^[A-Za-z]:[\\/]/.test(n) || n.startsWith("/"));
}

/**
 * The text without a leading UTF-8 byte order mark, which editors on Windows write and JSON.parse
 * refuses; the mark says nothing about the document.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Largest file read by default: generous for real contracts, small enough to stop /dev/zero-like input. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Whether absolute path `child` is `parent` or below it. */
export function isWithin(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === "" || !(r === ".." || r.startsWith(`..${sep}`) || isAbsolute(r));
}

/**
 * realpath of a path that may not exist yet: its deepest existing ancestor resolved, the rest appended.
 * A dangling symlink on the way is followed to where it points, since creating the path would go there.
 */
export function realpathLoose(p: string, hops = 0): string {
  const abs = resolve(p);
  const rest: string[] = [];
  for (let d = abs; ; ) {
    try {
      return join(realpathSync.native(d), ...rest.reverse());
    } catch {
      try {
        if (hops < 40 && lstatSync(d).isSymbolicLink()) return join(realpathLoose(resolve(dirname(d), readlinkSync(d)), hops + 1), ...rest.reverse());
      } catch {
        // Not there at all: climb to the parent.
      }
      const up = resolve(d, "..");
      if (up === d) return abs;
      rest.push(d.slice(up.length).replace(/^[\\/]/, ""));
      d = up;
    }
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException)?.code;
}

// Opening without blocking means a FIFO cannot hang the open; fstat then refuses it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/**
 * Reads a regular file of at most `maxBytes`, judged on the opened descriptor so that a file swapped
 * for a FIFO or a device after a check is still refused. Undefined when the file does not exist or is a
 * directory. `display` names the file in messages.
 */
export function readRegularFile(abs: string, display: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  let fd: number;
  try {
    fd = openSync(abs, OPEN_FLAGS);
  } catch (e) {
    const code = errno(e);
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    if (code === "ELOOP") throw new ContainmentError(`${display}: is a symbolic link that cannot be followed here; refusing to read it`);
    if (code === "EACCES" || code === "EPERM") throw new InputError(`${display}: cannot read this file (permission denied)`);
    throw new InputError(`${display}: cannot read this file (${code ?? (e as Error).message})`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return undefined;
    if (!st.isFile()) throw new ContainmentError(`${display}: is not a regular file (${kindOf(st)}); refusing to read it`);
    if (st.size > maxBytes) throw tooLarge(display, maxBytes);
    // Read up to one byte past the limit: a file growing while read is refused too.
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n > maxBytes) throw tooLarge(display, maxBytes);
      if (n === buf.length) break;
    }
    return buf.toString("utf8", 0, n);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(display: string, max: number): ContainmentError {
  return new ContainmentError(`${display}: is larger than the size limit of ${max} bytes; refusing to read it (raise limits.max-file-bytes in comms.yaml if it is a real contract)`);
}

function kindOf(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  return st.isFIFO() ? "a FIFO" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : "a special file";
}

/** Most entries `list` visits: a directory contract is source files, not a disk. */
const MAX_LIST_ENTRIES = 200_000;

export interface DiskReaderOptions {
  /** Size limit per file (comms.yaml `limits.max-file-bytes`). */
  maxFileBytes?: number;
  /** The wall `root` itself must resolve inside (the project root, for a snapshot directory). */
  within?: string;
  /** Directories below the root, relative to it, that `list` does not enter (the registry). */
  skip?: string[];
  /** How the wall is named in messages; default "the project root". */
  wallName?: string;
}

/**
 * Files on disk below `root`, the wall: every path must resolve (realpath, symlinks included) inside
 * it, be a regular file and fit the size limit. Reads are lazy: only what a loader asks for is read.
 */
export class DiskReader implements SourceReader {
  private real: string | undefined;
  private readonly skip: Set<string>;

  constructor(
    readonly root: string,
    readonly label = "working tree",
    private readonly options: DiskReaderOptions = {},
  ) {
    this.skip = new Set((options.skip ?? []).map(normalizePath));
  }

  private wall(): string {
    return `${this.options.wallName ?? "the project root"} (${this.root})`;
  }

  /** The root's realpath; a root that escapes its own wall (a symlinked snapshot directory) is refused. */
  private realRoot(): string {
    if (this.real !== undefined) return this.real;
    const real = realpathLoose(this.root);
    if (this.options.within !== undefined && !isWithin(real, realpathLoose(this.options.within))) {
      throw new ContainmentError(`${this.root}: resolves to '${real}', outside the project root (${this.options.within}); refusing to read it`);
    }
    return (this.real = real);
  }

  /** Realpath of `path` inside the root, undefined when missing; anything escaping is a ContainmentError. */
  private locate(path: string): string | undefined {
    const root = this.realRoot();
    const lexical = isAbsolute(path) ? resolve(path) : resolve(this.root, path);
    if (!isWithin(lexical, resolve(this.root)) && !isWithin(lexical, root)) {
      throw new ContainmentError(`${path}: lies outside ${this.wall()}; refusing to read it`);
    }
    let real: string;
    try {
      real = realpathSync.native(lexical);
    } catch (e) {
      const code = errno(e);
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      if (code === "ELOOP") throw new ContainmentError(`${path}: symbolic link loop; refusing to read it`);
      throw new InputError(`${path}: cannot be read (${code ?? (e as Error).message})`);
    }
    if (!isWithin(real, root)) {
      throw new ContainmentError(`${path}: resolves to '${real}', outside ${this.wall()}; refusing to read it`);
    }
    return real;
  }

  read(path: string): string | undefined {
    const real = this.locate(path);
    return real === undefined ? undefined : readRegularFile(real, path, this.options.maxFileBytes);
  }

  stat(path: string): "file" | "dir" | undefined {
    const real = this.locate(path);
    if (real === undefined) return undefined;
    let s;
    try {
      s = statSync(real);
    } catch {
      return undefined;
    }
    if (s.isDirectory()) return "dir";
    if (s.isFile()) return "file";
    throw new ContainmentError(`${path}: is not a regular file (${kindOf(s)}); refusing to read it`);
  }

  list(dir: string): string[] {
    const start = normalizePath(dir);
    const real = this.locate(start);
    if (real === undefined) return [];
    const out: string[] = [];
    let seen = 0;
    // Only real directories are entered (a symlinked directory is not followed, inside or out), so the
    // walk never leaves the root. A symlinked file inside the root is skipped (its target is a file of
    // its own, listed where it lives); one leading outside is listed, so that reading it refuses loudly.
    const walk = (d: string, abs: string) => {
      let entries;
      try {
        entries = readdirSync(abs, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_LIST_ENTRIES) throw new InputError(`${start}: more than ${MAX_LIST_ENTRIES} entries below this directory; refusing to walk it`);
        if (e.name === "node_modules" || e.name === ".git") continue;
        const p = d === "." ? e.name : `${d}/${e.name}`;
        if (this.skip.has(p)) continue;
        if (e.isDirectory()) walk(p, join(abs, e.name));
        else if (e.isFile()) out.push(p);
        else if (e.isSymbolicLink()) {
          try {
            const target = realpathSync.native(join(abs, e.name));
            if (!isWithin(target, this.realRoot()) && !statSync(target).isDirectory()) out.push(p);
          } catch {
            // A dangling link is not a file of this version.
          }
        }
      }
    };
    walk(start, real);
    return out.sort();
  }
}

/** Files held in memory: tests, and versions read from git in one batch. */
export class MemoryReader implements SourceReader {
  private readonly files: Map<string, string>;

  readonly origin?: (path: string) => string;

  constructor(
    files: Record<string, string> | Map<string, string>,
    readonly label = "memory",
    origin?: (path: string) => string,
  ) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
    if (origin) this.origin = origin;
  }

  read(path: string): string | undefined {
    return this.files.get(normalizePath(path));
  }

  stat(path: string): "file" | "dir" | undefined {
    const p = normalizePath(path);
    if (this.files.has(p)) return "file";
    if (p === ".") return this.files.size ? "dir" : undefined;
    const prefix = `${p}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return "dir";
    return undefined;
  }

  list(dir: string): string[] {
    const p = normalizePath(dir);
    const prefix = p === "." ? "" : `${p}/`;
    return [...this.files.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

/**
 * Names each finding's locations by the file they were really read from (SourceReader.origin): the
 * snapshot under the registry, or `ref:path`, with that file's line numbers. `oldReader` produced the
 * `old` locations and `newReader` the `new` ones.
 */
export function relocate<F extends { old?: { file: string }; new?: { file: string } }>(findings: F[], oldReader: SourceReader, newReader: SourceReader): F[] {
  const o = oldReader.origin?.bind(oldReader);
  const n = newReader.origin?.bind(newReader);
  if (!o && !n) return findings;
  return findings.map((f) => ({
    ...f,
    ...(f.old && o ? { old: { ...f.old, file: o(f.old.file) } } : {}),
    ...(f.new && n ? { new: { ...f.new, file: n(f.new.file) } } : {}),
  }));
}
