import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** Names comms.yaml may have. */
export const CONFIG_NAMES = ["comms.yaml", "comms.yml"];

/**
 * comms.yaml in `dir` or the nearest parent, stopping at a git root or the filesystem root.
 * Kept free of the YAML parser: the pre-commit fast path calls it on every commit.
 */
export function findConfig(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const p = join(d, name);
      if (existsSync(p)) return p;
    }
    if (existsSync(join(d, ".git"))) return undefined;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}
