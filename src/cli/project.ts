import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { findConfig, readConfigText } from "../core/config-file.ts";
import { setProjectDuplicateKeys } from "../core/duplicate-keys.ts";
import { ConfigError, ContainmentError, InputError } from "../core/errors.ts";
import { isWithin, normalizePath, realpathLoose, staysInside } from "../core/source.ts";
import { displayPath, parseConfig, type LoadedConfig } from "../policy/config.ts";
import { validateConsumers } from "../gate/consumers.ts";

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
  const display = displayPath(file, opts.cwd);
  const text = readConfigText(file, display);
  if (text === undefined) {
    const what = existsSync(file) ? "it is a directory" : "no such file";
    throw new InputError(`cannot read config file '${display}' (${file}): ${what}`);
  }
  const project = parseConfig(text, display, file);
  validateProject(project, display);
  setProjectDuplicateKeys(project.config.policy?.["duplicate-keys"]);
  // The logger is loaded only when there is something to say: a quiet comms.yaml keeps hooks fast.
  const warnings = project.warnings;
  if (warnings?.length) void import("./logger.ts").then(({ logger }) => warnings.forEach((w) => logger.warn(w)));
  return project;
}

/** The checks every loaded comms.yaml passes, whichever version of it is read (the working tree's, the index's). */
export function validateProject(project: LoadedConfig, display: string): void {
  checkContainment(project, display);
  validateConsumers(project);
}

/**
 * The project root is a wall: contract paths, operation globs and the registry named in comms.yaml
 * must stay below the config's directory, and the registry must be a directory of its own.
 */
function checkContainment(project: LoadedConfig, display: string): void {
  const at = (path: Array<string | number>) => project.locate(path) ?? { file: display, line: 1, column: 1 };
  for (const [name, c] of Object.entries(project.config.contracts)) {
    if (!staysInside(c.path)) {
      throw new ConfigError(`contracts.${name}.path: '${c.path}' lies outside the project root (${project.root}); contract paths are relative to comms.yaml and stay below it`, at(["contracts", name, "path"]));
    }
    for (const [i, g] of (c.operations ?? []).entries()) {
      if (!staysInside(g) || g.split("/").includes("..")) {
        throw new ConfigError(`contracts.${name}.operations: '${g}' reaches outside the project root; operation globs are relative to comms.yaml and stay below it`, at(["contracts", name, "operations", i]));
      }
    }
  }
  const reg = project.config.registry ?? ".comms";
  const loc = project.config.registry === undefined ? { file: display, line: 1, column: 1 } : at(["registry"]);
  const rel = normalizePath(reg);
  if (!staysInside(rel)) throw new ConfigError(`registry: '${reg}' lies outside the project root (${project.root}); the registry lives below comms.yaml`, loc);
  if (rel === "." || rel === "") throw new ConfigError(`registry: '${reg}' is the project root itself; use a directory of its own such as .comms`, loc);
  const real = realpathLoose(project.registryDir);
  if (!isWithin(real, realpathLoose(project.root))) {
    throw new ContainmentError(`${loc.file}:${loc.line}:${loc.column}: registry: '${reg}' resolves to '${real}', outside the project root (${project.root})`);
  }
  let st;
  try {
    st = statSync(project.registryDir);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) throw new ConfigError(`registry: '${reg}' is not a directory`, loc);
  for (const [name, c] of Object.entries(project.config.contracts)) {
    const p = normalizePath(c.path);
    if (p === rel || p.startsWith(`${rel}/`)) {
      throw new ConfigError(`registry: '${reg}' contains contract '${name}' (${c.path}); the registry holds released snapshots only`, loc);
    }
  }
}

/** Registry directory relative to the root, for readers that must not list snapshots as working files. */
export function registryPrefix(project: LoadedConfig): string {
  return normalizePath(relative(project.root, project.registryDir));
}
