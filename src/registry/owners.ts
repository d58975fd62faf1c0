import { posix } from "node:path";
import { DiskReader, normalizePath, withoutBom } from "../core/source.ts";

/** What ownership needs to know of a declared contract. */
export interface OwnedContract {
  kind: string;
  /** Declared path (file or directory), relative to the config root. */
  path: string;
}

/** Extensions that make a file beside a single-file contract part of it (its `$ref` or import closure). */
const EXTENSIONS: Record<string, readonly string[]> = {
  openapi: [".yaml", ".yml", ".json"],
  graphql: [".graphql", ".graphqls", ".gql"],
  protobuf: [".proto"],
};

/**
 * Files of each contract's releases, read straight from the registry index without validating it:
 * this runs on the pre-commit fast path, before anything heavy is loaded. A damaged index yields
 * nothing here and is reported properly once a contract is actually checked.
 */
export function releasedFiles(registryDir: string, root?: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let data: unknown;
  try {
    // Walled like every read: an index outside the root, a FIFO or /dev/zero yields nothing here.
    const text = new DiskReader(registryDir, "registry", root === undefined ? {} : { within: root }).read("index.json");
    if (text === undefined) return out;
    data = JSON.parse(withoutBom(text));
  } catch {
    return out;
  }
  const releases = (data as { releases?: unknown })?.releases;
  if (!Array.isArray(releases)) return out;
  for (const r of releases as Array<{ contract?: unknown; files?: unknown }>) {
    if (typeof r?.contract !== "string" || !Array.isArray(r.files)) continue;
    let set = out.get(r.contract);
    if (!set) out.set(r.contract, (set = new Set()));
    for (const f of r.files) if (typeof f === "string") set.add(normalizePath(f));
  }
  return out;
}

/**
 * Contracts that own any of `changed` (paths relative to the config root): files under a directory
 * contract, a single-file contract and the files of its kind beside or below it, files recorded in any
 * of its releases, and its registry entries. A change to the config itself concerns every contract.
 */
export function owningContracts(
  contracts: Record<string, OwnedContract>,
  changed: readonly string[],
  opts: { released?: Map<string, Set<string>>; configFile?: string; registryPrefix?: string },
): string[] {
  const names = Object.keys(contracts);
  const files = changed.map(normalizePath);
  if (opts.configFile && files.includes(normalizePath(opts.configFile))) return names;
  const owned: string[] = [];
  for (const name of names) {
    const c = contracts[name]!;
    const p = normalizePath(c.path);
    const exts = EXTENSIONS[c.kind] ?? [];
    // Only a single-file contract (named with its kind's extension) claims the files beside it.
    const dir = exts.some((e) => p.toLowerCase().endsWith(e)) ? posix.dirname(p) : ".";
    const released = opts.released?.get(name);
    const reg = opts.registryPrefix ? `${normalizePath(opts.registryPrefix)}/${name}/` : undefined;
    const owns = (f: string): boolean => {
      if (f === p || f.startsWith(`${p}/`)) return true;
      if (released?.has(f)) return true;
      if (reg && f.startsWith(reg)) return true;
      // A single-file contract at the root would otherwise claim every YAML file of the repository.
      if (dir !== "." && f.startsWith(`${dir}/`) && exts.some((e) => f.toLowerCase().endsWith(e))) return true;
      return false;
    };
    if (files.some(owns)) owned.push(name);
  }
  return owned;
}
