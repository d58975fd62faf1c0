import { posix } from "node:path";
import { ContainmentError } from "../core/errors.ts";
import { normalizePath, type SourceReader } from "../core/source.ts";

/**
 * Files of another repository at one commit, read beforehand from the cache into memory. Paths are
 * relative to the remote's comms.yaml folder; a symbolic link in their tree is listed but never
 * followed: reading it is refused.
 */
export class TreeReader implements SourceReader {
  constructor(
    readonly label: string,
    private readonly files: Map<string, string>,
    private readonly links: Set<string>,
    /** `web:consumers/web/pact.json`: where a path is really read from. */
    readonly origin: (path: string) => string,
  ) {}

  read(path: string): string | undefined {
    const p = normalizePath(path);
    if (this.links.has(p)) throw new ContainmentError(`${this.origin(p)}: is a symbolic link in another repository; links there are not followed`);
    return this.files.get(p);
  }

  stat(path: string): "file" | "dir" | undefined {
    const p = normalizePath(path);
    if (this.files.has(p) || this.links.has(p)) return "file";
    const prefix = p === "." ? "" : `${p}/`;
    for (const k of [...this.files.keys(), ...this.links]) if (k.startsWith(prefix)) return "dir";
    return undefined;
  }

  list(dir: string): string[] {
    const p = normalizePath(dir);
    const prefix = p === "." ? "" : `${p}/`;
    return [...this.files.keys(), ...this.links].filter((k) => k.startsWith(prefix)).sort();
  }
}

/** `base/path` inside a repository, or undefined when it would leave it. */
export function inside(base: string, path: string): string | undefined {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.includes("\\")) return undefined;
  const joined = posix.normalize(posix.join(base || ".", path));
  if (joined === ".." || joined.startsWith("../") || joined.startsWith("/")) return undefined;
  return joined === "./" ? "." : joined.replace(/\/$/, "");
}
