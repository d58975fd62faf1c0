import { createHash } from "node:crypto";

/**
 * Content hash of a snapshot: sha256 over the sorted paths and their contents, so renaming a file
 * of a multi-file contract changes it as much as editing one.
 */
export function snapshotHash(files: Map<string, string> | Record<string, string>): string {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const h = createHash("sha256");
  for (const [path, content] of entries) h.update(path).update("\u0000").update(content).update("\u0000");
  return `sha256:${h.digest("hex")}`;
}

/** sha256 of one file's content, recorded per file so that a changed snapshot names the file. */
export function fileHash(content: string): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}
