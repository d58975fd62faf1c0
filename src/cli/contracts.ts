import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { globSync } from "tinyglobby";
import type { KindId } from "../core/engine.ts";
import { InputError } from "../core/errors.ts";
import { normalizePath } from "../core/source.ts";
import type { ContractConfig, LoadedConfig } from "../policy/config.ts";

/** Kind-specific engine settings: `policy.<kind>` plus the contract's own options. */
export function engineSettings(project: LoadedConfig | undefined, kind: KindId, contract?: ContractConfig): Record<string, unknown> {
  const base = (project?.config.policy?.[kind] ?? {}) as Record<string, unknown>;
  return contract?.usage ? { ...base, usage: contract.usage } : { ...base };
}

/** GraphQL operation documents matching globs, read from disk relative to `base`. */
export function readOperations(globs: string[], base: string, cwd: string): Array<{ file: string; content: string }> {
  const out: Array<{ file: string; content: string }> = [];
  const seen = new Set<string>();
  for (const pattern of globs) {
    let matched = 0;
    // Only files, relative to `base`; a directory name is not expanded and symlinks are not followed.
    for (const f of globSync(pattern, { cwd: base, onlyFiles: true, expandDirectories: false, followSymbolicLinks: false })) {
      const abs = join(base, f);
      if (seen.has(abs)) continue;
      seen.add(abs);
      matched++;
      out.push({ file: normalizePath(relative(cwd, abs)), content: readFileSync(abs, "utf8") });
    }
    if (!matched) throw new InputError(`no operation documents match '${pattern}'`);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}
