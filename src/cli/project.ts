import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../core/errors.ts";
import { CONFIG_NAMES, displayPath, parseConfig, type LoadedConfig } from "../policy/config.ts";

/** comms.yaml in `dir` or the nearest parent, stopping at a git root or the filesystem root. */
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

/**
 * Loads the project config: `--config` when given (must exist), else the nearest comms.yaml.
 * Returns undefined when there is none and none was asked for.
 */
export function loadProject(opts: { cwd: string; config?: string }, required = false): LoadedConfig | undefined {
  const file = opts.config ? resolve(opts.cwd, opts.config) : findConfig(opts.cwd);
  if (!file) {
    if (required) throw new InputError(`no comms.yaml found in ${opts.cwd} or its parents (run 'comms init' to create one)`);
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read config file '${displayPath(file, opts.cwd)}'`);
  }
  return parseConfig(text, displayPath(file, opts.cwd), file);
}
