import { posix, relative } from "node:path";
import { MAX_CONFIG_BYTES } from "../core/config-file.ts";
import { ContainmentError, InputError } from "../core/errors.ts";
import type { Location } from "../core/location.ts";
import { normalizePath, type ContractSource, type SourceReader } from "../core/source.ts";
import { parseConfig, type LoadedConfig } from "../policy/config.ts";
import { readIndex, readTreeAtRef, resolveCommit } from "./git.ts";
import { maxFileBytes, projectRegistry, workingReader, type Registry, type VersionEntry } from "./store.ts";

/** One side of a gate comparison (structurally the `Side` of cli/compare.ts). */
export interface GateSide {
  source: ContractSource;
  ref: string;
  version?: string;
  versionLocation?: Location;
  date?: string;
}

/** What `check` compares for one contract. */
export interface Baseline {
  new: GateSide;
  /** Absent when there is nothing to compare with; `note` says why. */
  old?: GateSide;
  /** Older releases, newest first, for transitive modes. */
  earlier: GateSide[];
  /** Every release, oldest first, for deprecation dates. */
  history: Array<{ source: ContractSource; version: string; date: string }>;
  note: string;
}

/**
 * Paths to read from git for a contract: its declared path, the folder of a single-file contract
 * (where its `$ref`s and imports usually live) and every file its releases recorded.
 */
export function readPaths(path: string, versions: VersionEntry[]): string[] {
  const set = new Set<string>([path]);
  const dir = posix.dirname(path);
  if (dir !== ".") set.add(dir);
  for (const v of versions) for (const f of v.files) set.add(f);
  return [...set];
}

function releaseSide(registry: Registry, name: string, e: VersionEntry): GateSide {
  return { source: { reader: registry.reader(e), path: normalizePath(e.path) }, ref: `${name}@${e.version}`, version: e.version, date: e.date };
}

/** The version comms.yaml declared for a contract at a git ref, when it can be read. */
function declaredVersionAt(project: LoadedConfig, ref: string, name: string): string | undefined {
  const file = normalizePath(relative(project.root, project.file));
  let text: string | undefined;
  try {
    text = readTreeAtRef(project.root, ref, [file], ref, MAX_CONFIG_BYTES).read(file);
  } catch {
    // An oversized comms.yaml at the ref only means its declared version is unknown.
    return undefined;
  }
  if (text === undefined) return undefined;
  try {
    const contracts = parseConfig(text, `${ref}:${file}`, project.file).config.contracts;
    return Object.hasOwn(contracts, name) ? contracts[name]!.version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resolves the two sides `check` compares for a contract: the working tree (or the git index) against
 * the latest release, or against the contract as it is at a git ref. All readers are rooted at the
 * config directory, the root that contract paths and registry snapshots share.
 */
export function baselineFor(project: LoadedConfig, name: string, opts: { against?: string; fromIndex: boolean }): Baseline {
  if (!Object.hasOwn(project.config.contracts, name)) throw new InputError(`no contract named '${name}' in comms.yaml`);
  const c = project.config.contracts[name]!;
  const path = normalizePath(c.path);
  const registry = projectRegistry(project);
  const versions = registry.versions(name);
  const reader: SourceReader = opts.fromIndex ? readIndex(project.root, readPaths(path, versions), maxFileBytes(project)) : workingReader(project);
  const newSide: GateSide = {
    source: { reader, path },
    ref: opts.fromIndex ? "staged" : "working tree",
    version: c.version,
    versionLocation: project.locate(["contracts", name, "version"]),
  };
  if (!statDeclared(project, name, reader, path)) throw missingContract(project, name, path, opts.fromIndex ? " in the git index" : "");
  const history = [...versions].reverse().map((e) => ({ source: { reader: registry.reader(e), path: normalizePath(e.path) }, version: e.version, date: e.date }));
  if (opts.against) {
    resolveCommit(project.root, opts.against);
    const at = readTreeAtRef(project.root, opts.against, readPaths(path, versions), opts.against, maxFileBytes(project));
    if (!at.stat(path)) return { new: newSide, earlier: [], history, note: `no baseline: '${path}' does not exist at '${opts.against}'` };
    const old: GateSide = { source: { reader: at, path }, ref: opts.against, version: declaredVersionAt(project, opts.against, name) };
    return { new: newSide, old, earlier: [], history, note: "" };
  }
  const [latest, ...older] = versions;
  if (!latest) {
    return { new: newSide, earlier: [], history, note: `no release yet, so nothing to compare with: run 'comms release ${name}' to record a baseline` };
  }
  return {
    new: newSide,
    old: releaseSide(registry, name, latest),
    earlier: older.map((e) => releaseSide(registry, name, e)),
    history,
    note: "",
  };
}

/**
 * A declared contract path that does not exist, named as resolved (the config may live elsewhere,
 * with `--config`) and with the comms.yaml line that declares it.
 */
export function missingContract(project: LoadedConfig, name: string, path: string, where = ""): InputError {
  const loc = project.locate(["contracts", name, "path"]);
  const declared = loc ? `${loc.file}:${loc.line}:${loc.column}` : "comms.yaml";
  const resolved = loc ? normalizePath(posix.join(posix.dirname(normalizePath(loc.file)), path)) : path;
  return new InputError(`${declared}: contract '${name}': '${resolved}' does not exist${where} (path '${path}' is relative to ${declared.replace(/:\d+:\d+$/, "")})`);
}

/** What a declared contract path is; a refused path (outside the root, a FIFO) names the comms.yaml line that declared it. */
export function statDeclared(project: LoadedConfig, name: string, reader: SourceReader, path: string): "file" | "dir" | undefined {
  try {
    return reader.stat(path);
  } catch (e) {
    const loc = project.locate(["contracts", name, "path"]);
    if (e instanceof ContainmentError && loc) throw new ContainmentError(`${loc.file}:${loc.line}:${loc.column}: contract '${name}': ${e.message}`);
    throw e;
  }
}
