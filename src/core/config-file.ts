import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ContainmentError } from "./errors.ts";
import { isWithin, readRegularFile, realpathLoose } from "./source.ts";

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

/** Largest comms.yaml read: tens of thousands of accept entries fit, and parsing stays around a second. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Text of a config file, read only when it is a regular file of bounded size that resolves inside its
 * own directory (the project root): a comms.yaml symlinked to /dev/zero, a FIFO or a file elsewhere is
 * refused with exit 2 instead of hanging or reading outside the project. Undefined when it does not exist.
 */
export function readConfigText(file: string, display = file): string | undefined {
  const real = realpathLoose(file);
  if (existsSync(file) && !isWithin(real, realpathLoose(dirname(file)))) {
    throw new ContainmentError(`${display}: resolves to '${real}', outside the project root (${dirname(file)}); refusing to read it`);
  }
  return readRegularFile(real, display, MAX_CONFIG_BYTES);
}
