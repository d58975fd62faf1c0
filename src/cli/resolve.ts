import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { maxSatisfying, valid, validRange } from "semver";
import { KIND_IDS, type KindId } from "../core/engine.ts";
import { InputError } from "../core/errors.ts";
import { DiskReader, normalizePath, staysInside, type ContractSource } from "../core/source.ts";
import { detectDirKind, detectFileKind } from "../kinds/index.ts";
import type { ContractConfig, LoadedConfig } from "../policy/config.ts";
import { gitRoot, isGitRef, readTreeAtRef } from "../registry/git.ts";
import { maxFileBytes, projectRegistry, type Registry, type VersionEntry } from "../registry/store.ts";

/** One contract version named on the command line. */
export interface ResolvedContract {
  /** Contract name from comms.yaml, when known. */
  name?: string;
  kind?: KindId;
  source: ContractSource;
  /** For reports: "working tree", "main", "users-api@1.2.0". */
  ref: string;
  version?: string;
}

/** What one `diff` argument names: one contract (a path, `name@version`) or every contract (a bare version or ref). */
export type ResolvedSide = { type: "one"; contract: ResolvedContract } | { type: "all"; label: string; contracts: Map<string, ResolvedContract> };

export interface ResolveContext {
  cwd: string;
  project?: LoadedConfig;
}

/** Path of a contract declared in comms.yaml, relative to cwd (readers work relative to cwd). */
export function contractPathFromCwd(project: LoadedConfig, c: Pick<ContractConfig, "path">, cwd: string): string {
  return normalizePath(relative(cwd, join(project.root, c.path)) || ".");
}

/** The contract in comms.yaml whose declared path is `path` (relative to cwd) or contains it. */
export function contractForPath(ctx: ResolveContext, path: string): [string, ContractConfig] | undefined {
  if (!ctx.project) return undefined;
  const p = normalizePath(path);
  for (const [name, c] of Object.entries(ctx.project.config.contracts)) {
    const cp = contractPathFromCwd(ctx.project, c, ctx.cwd);
    if (p === cp || p.startsWith(`${cp}/`)) return [name, c];
  }
  return undefined;
}

function registryOf(project: LoadedConfig, cwd?: string): Registry {
  return projectRegistry(project, cwd);
}

/** A version entry's snapshot; its paths are the contract's paths relative to the config root. */
function snapshotSource(project: LoadedConfig, entry: VersionEntry, kind: KindId | undefined, name: string, cwd: string): ResolvedContract {
  // Verified against the index; its locations name the snapshot files under the registry.
  const reader = registryOf(project, cwd).reader(entry);
  return {
    name,
    kind: kind ?? (entry.kind as KindId),
    source: { reader, path: normalizePath(entry.path) },
    ref: `${name}@${entry.version}`,
    version: entry.version,
  };
}

function pickVersion(versions: VersionEntry[], spec: string): VersionEntry | undefined {
  if (spec === "latest") return versions[0];
  const bare = spec.replace(/^v(?=\d)/, "");
  if (valid(bare)) return versions.find((v) => v.version === bare);
  const range = validRange(bare);
  if (!range) return undefined;
  const best = maxSatisfying(versions.map((v) => v.version), range);
  return best ? versions.find((v) => v.version === best) : undefined;
}

function looksLikeVersion(s: string): boolean {
  return /^v?\d+(\.\d+){0,2}(-[\w.-]+)?$/.test(s) || s === "latest";
}

/** Resolves one `diff` argument in DESIGN.md's order: path, released version, git ref. */
export function resolveSide(arg: string, ctx: ResolveContext): ResolvedSide {
  // 1. A file or directory.
  const abs = resolve(ctx.cwd, arg);
  if (existsSync(abs)) {
    const inside = !relative(ctx.cwd, abs).startsWith("..") && !isAbsolute(relative(ctx.cwd, abs));
    // Outside cwd, root the reader at the enclosing repository (or the file's folder) so relative $refs and imports resolve.
    const folder = statSync(abs).isDirectory() ? abs : dirname(abs);
    const root = inside ? ctx.cwd : (gitRoot(folder) ?? folder);
    const path = normalizePath(relative(root, abs) || ".");
    const owner = inside ? contractForPath(ctx, path) : undefined;
    // The wall is the directory the argument lives in (cwd, or the repository or folder of a path outside it).
    const reg = ctx.project ? normalizePath(relative(root, ctx.project.registryDir)) : undefined;
    const reader = new DiskReader(root, "working tree", {
      maxFileBytes: maxFileBytes(ctx.project),
      skip: reg && staysInside(reg) ? [reg] : [],
      wallName: inside ? "the working directory" : "the directory of this argument",
    });
    return {
      type: "one",
      contract: {
        name: owner?.[0],
        kind: owner?.[1].kind,
        source: { reader, path },
        // A contract of comms.yaml is "the working tree" version; a loose file is named by its path.
        ref: owner ? "working tree" : path,
        version: owner?.[1].version,
      },
    };
  }

  // 2. A released version: name@version, or a bare version for every contract that has it.
  const at = arg.lastIndexOf("@");
  if (at > 0 && ctx.project) {
    const name = arg.slice(0, at);
    const spec = arg.slice(at + 1);
    const c = Object.hasOwn(ctx.project.config.contracts, name) ? ctx.project.config.contracts[name] : undefined;
    if (c) {
      const versions = registryOf(ctx.project).versions(name);
      const entry = pickVersion(versions, spec);
      if (!entry) {
        const known = versions.map((v) => v.version).join(", ") || "none released yet";
        throw new InputError(`contract '${name}' has no released version '${spec}' (released: ${known})`);
      }
      return { type: "one", contract: snapshotSource(ctx.project, entry, c.kind, name, ctx.cwd) };
    }
  }
  if (ctx.project && looksLikeVersion(arg)) {
    const contracts = new Map<string, ResolvedContract>();
    const registry = registryOf(ctx.project);
    for (const [name, c] of Object.entries(ctx.project.config.contracts)) {
      const entry = pickVersion(registry.versions(name), arg);
      if (entry) contracts.set(name, snapshotSource(ctx.project, entry, c.kind, name, ctx.cwd));
    }
    if (contracts.size) return { type: "all", label: arg, contracts };
  }

  // 3. A git ref with a path (`main:contracts/x.yaml`), or alone (every contract of comms.yaml at that ref).
  const colon = arg.indexOf(":");
  if (colon > 0) {
    const ref = arg.slice(0, colon);
    const path = normalizePath(arg.slice(colon + 1) || ".");
    if (!isGitRef(ctx.cwd, ref)) throw new InputError(`unknown git ref '${ref}' (in '${arg}')`);
    const reader = readTreeAtRef(ctx.cwd, ref, [path], ref, maxFileBytes(ctx.project));
    if (!reader.stat(path)) throw new InputError(`'${path}' does not exist at git ref '${ref}'`);
    const owner = contractForPath(ctx, path);
    return { type: "one", contract: { name: owner?.[0], kind: owner?.[1].kind, source: { reader, path }, ref, version: owner?.[1].version } };
  }
  if (isGitRef(ctx.cwd, arg)) {
    if (!ctx.project) throw new InputError(`'${arg}' is a git ref, but there is no comms.yaml to say which contracts to read (use '${arg}:<path>')`);
    const paths = Object.values(ctx.project.config.contracts).map((c) => contractPathFromCwd(ctx.project!, c, ctx.cwd));
    const reader = readTreeAtRef(ctx.cwd, arg, paths, arg, maxFileBytes(ctx.project));
    const contracts = new Map<string, ResolvedContract>();
    for (const [name, c] of Object.entries(ctx.project.config.contracts)) {
      const path = contractPathFromCwd(ctx.project, c, ctx.cwd);
      if (reader.stat(path)) contracts.set(name, { name, kind: c.kind, source: { reader, path }, ref: arg, version: c.version });
    }
    return { type: "all", label: arg, contracts };
  }
  if (!ctx.project && (arg.includes("@") || looksLikeVersion(arg))) {
    throw new InputError(`'${arg}' is not a file or directory, and there is no comms.yaml to look up released versions`);
  }
  throw new InputError(`'${arg}' is not a file, directory, released version (name@version) or git ref`);
}

/** Kind of a contract version: declared, else detected from its files. Throws when nothing identifies it. */
export function detectKind(c: ResolvedContract): KindId | undefined {
  if (c.kind) return c.kind;
  const { reader, path } = c.source;
  if (reader.stat(path) === "dir") {
    const files = reader.list(path);
    return detectDirKind(files, (f) => reader.read(f));
  }
  const content = reader.read(path);
  return content === undefined ? undefined : detectFileKind(path, content);
}

/** A clear error for a contract version whose kind cannot be told. */
export function undetectable(c: ResolvedContract): InputError {
  const { reader, path } = c.source;
  if (reader.stat(path) === "dir") {
    return new InputError(`${path}: no contract found in this directory (no .proto, .graphql/.gql, .avsc, JSON Schema, OpenAPI or AsyncAPI document)`);
  }
  return new InputError(`${path}:1:1: cannot tell what kind of contract this is; pass --kind (${KIND_IDS.join(", ")})`);
}
