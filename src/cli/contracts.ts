import { join, relative } from "node:path";
import { globSync } from "tinyglobby";
import type { KindId } from "../core/engine.ts";
import { ContainmentError, InputError } from "../core/errors.ts";
import { DEFAULT_MAX_FILE_BYTES, DiskReader, normalizePath, staysInside } from "../core/source.ts";
import type { ContractConfig, LoadedConfig } from "../policy/config.ts";

/** Kind-specific engine settings: `policy.<kind>` plus the contract's own options. */
export function engineSettings(project: LoadedConfig | undefined, kind: KindId, contract?: ContractConfig): Record<string, unknown> {
  const base = (project?.config.policy?.[kind] ?? {}) as Record<string, unknown>;
  return contract?.usage ? { ...base, usage: contract.usage } : { ...base };
}

/**
 * GraphQL operation documents matching globs, read from disk relative to `base`, which is also the
 * wall: a glob that is absolute or climbs with `..` is refused, and every match is read through a
 * walled reader (regular files inside `base`, size-limited).
 */
export function readOperations(globs: string[], base: string, cwd: string, maxFileBytes = DEFAULT_MAX_FILE_BYTES): Array<{ file: string; content: string }> {
  const out: Array<{ file: string; content: string }> = [];
  const seen = new Set<string>();
  const reader = new DiskReader(base, "operations", { maxFileBytes });
  for (const pattern of globs) {
    if (!staysInside(pattern) || pattern.split(/[\\/]/).includes("..")) {
      throw new ContainmentError(`operation glob '${pattern}' reaches outside ${base}; use a pattern relative to it`);
    }
    let matched = 0;
    // Only files, relative to `base`; a directory name is not expanded and symlinks are not followed.
    for (const f of globSync(pattern, { cwd: base, onlyFiles: true, expandDirectories: false, followSymbolicLinks: false })) {
      const abs = join(base, f);
      if (seen.has(abs)) continue;
      seen.add(abs);
      matched++;
      const content = reader.read(f);
      if (content === undefined) continue;
      out.push({ file: normalizePath(relative(cwd, abs)), content });
    }
    if (!matched) throw new InputError(`no operation documents match '${pattern}'`);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}
