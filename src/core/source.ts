import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, posix, sep } from "node:path";

/**
 * Read access to one version of a set of files: the working tree, a git ref, the git index or a
 * released snapshot. Paths are POSIX and relative to the repository (or working) root, and they are
 * also the display paths used in findings, so a snapshot reports the contract's original file names.
 */
export interface SourceReader {
  /** Where the files come from, for messages and reports: "working tree", "main", "users-api@1.2.0". */
  readonly label: string;
  /** Content of a file, or undefined when it does not exist in this version. */
  read(path: string): string | undefined;
  /** Every file below `dir` (recursively), sorted. */
  list(dir: string): string[];
  /** What `path` is in this version. */
  stat(path: string): "file" | "dir" | undefined;
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

/** Files on disk below `root`. Reads are lazy: only what a loader asks for is read. */
export class DiskReader implements SourceReader {
  constructor(
    readonly root: string,
    readonly label = "working tree",
  ) {}

  private abs(path: string): string {
    return isAbsolute(path) ? path : join(this.root, path);
  }

  read(path: string): string | undefined {
    try {
      return readFileSync(this.abs(path), "utf8");
    } catch {
      return undefined;
    }
  }

  stat(path: string): "file" | "dir" | undefined {
    try {
      const s = statSync(this.abs(path));
      return s.isDirectory() ? "dir" : s.isFile() ? "file" : undefined;
    } catch {
      return undefined;
    }
  }

  list(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      let entries;
      try {
        entries = readdirSync(this.abs(d), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name === "node_modules" || e.name === ".git") continue;
        const p = d === "." ? e.name : `${d}/${e.name}`;
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.push(p);
      }
    };
    walk(normalizePath(dir));
    return out.sort();
  }
}

/** Files held in memory: tests, and versions read from git in one batch. */
export class MemoryReader implements SourceReader {
  private readonly files: Map<string, string>;

  constructor(
    files: Record<string, string> | Map<string, string>,
    readonly label = "memory",
  ) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
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
