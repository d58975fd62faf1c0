import { join, posix } from "node:path";
import { normalizePath } from "../core/source.ts";
import { releasedFiles } from "./owners.ts";

// This module runs before comms.yaml is parsed, on every commit of a repository with the hook installed.
// It must stay free of the YAML parser (tens of milliseconds for a config of 50 contracts), the config
// schema and the engines: it reads the config as text and may answer "maybe" but never wrongly "no".

/** Extensions of every file a contract can consist of, whatever its kind. */
const CONTRACT_EXTENSIONS = [".yaml", ".yml", ".json", ".graphql", ".graphqls", ".gql", ".proto"];

const PATH_VALUE = /["']?\bpath["']?\s*:\s*(["']?)([^"'\n,}#]*)\1/g;
const REGISTRY_VALUE = /^["']?registry["']?\s*:\s*(["']?)([^"'\n#]*)\1/m;

/** Every `path:` value of the config text (a superset of the contract paths), or undefined when unsure. */
export function declaredPaths(configText: string): string[] | undefined {
  const out: string[] = [];
  for (const m of configText.matchAll(PATH_VALUE)) {
    const value = m[2]!.trim();
    // Aliases, block scalars and tags are valid YAML that a scan cannot follow: let the real parser decide.
    if (!value || /^[*&|>!]/.test(value)) return undefined;
    out.push(normalizePath(value));
  }
  return out;
}

const hasContractExtension = (f: string) => CONTRACT_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e));

/**
 * Whether any changed file (relative to the config root) may belong to a contract, judged from the config
 * text and the registry index: the config itself, registry files, files under a declared path, files of a
 * contract kind beside a single-file contract, and files recorded by a release. False means nothing to check.
 */
export function mayConcernContracts(changed: readonly string[], configText: string, root: string, configFile: string): boolean {
  if (!changed.length) return false;
  const paths = declaredPaths(configText);
  if (!paths) return true;
  const registry = normalizePath(configText.match(REGISTRY_VALUE)?.[2]?.trim() || ".comms");
  const released = new Set([...releasedFiles(join(root, registry), root).values()].flatMap((s) => [...s]));
  const config = normalizePath(configFile);
  const dirs = paths.filter(hasContractExtension).map((p) => posix.dirname(p)).filter((d) => d !== ".");
  return changed.some((raw) => {
    const f = normalizePath(raw);
    if (f === config || f.startsWith(`${registry}/`) || released.has(f)) return true;
    if (paths.some((p) => f === p || f.startsWith(`${p}/`))) return true;
    return hasContractExtension(f) && dirs.some((d) => f.startsWith(`${d}/`));
  });
}
