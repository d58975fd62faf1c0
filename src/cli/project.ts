import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { findConfig } from "../core/config-file.ts";
import { InputError } from "../core/errors.ts";
import { displayPath, parseConfig, type LoadedConfig } from "../policy/config.ts";

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
