import { InputError } from "../core/errors.ts";
import { normalizePath } from "../core/source.ts";
import type { LoadedConfig } from "../policy/config.ts";
import type { VersionEntry } from "../registry/store.ts";
import { loadContract, type Loaded } from "../gate/consumers.ts";
import { openSources } from "./open.ts";
import type { RemoteSource } from "./remote.ts";

/**
 * Contracts of other repositories as the gate uses them: a released version (verified against its
 * hash) or a consumer's expectation as it is at the tip of the source's ref.
 */

/** `pagos/pagos-api` → source and contract, or undefined for a contract of this comms.yaml. */
export function splitProvider(provider: string): { source: string; contract: string } | undefined {
  const slash = provider.indexOf("/");
  return slash === -1 ? undefined : { source: provider.slice(0, slash), contract: provider.slice(slash + 1) };
}

/** Settings their policy gives a kind (their engines' options, as their own checks use them). */
export function theirSettings(src: RemoteSource, contract: string): Record<string, unknown> {
  const c = src.contracts[contract]!;
  return { ...((src.config.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) };
}

/** A released version of a contract of a source, loaded with its kind's engine (files fetched if needed). */
export async function loadRelease(src: RemoteSource, entry: VersionEntry): Promise<Loaded> {
  await src.ensure(src.releaseFiles(entry));
  const kind = src.contracts[entry.contract]?.kind ?? (entry.kind as Loaded["kind"]);
  return loadContract(kind, { reader: src.releaseReader(entry), path: normalizePath(entry.path) }, Object.hasOwn(src.contracts, entry.contract) ? theirSettings(src, entry.contract) : {});
}

/** A contract of a source as it is at the tip of its ref. */
export async function loadCurrent(src: RemoteSource, contract: string): Promise<Loaded> {
  await src.ensure(src.contractFiles(contract));
  const c = src.contracts[contract]!;
  return loadContract(c.kind, { reader: src.currentReader(contract), path: normalizePath(c.path) }, theirSettings(src, contract));
}

/**
 * The released version `version` of `contract` in source `source` of this comms.yaml, loaded: what a
 * deployment record naming another repository's version ("the version deployed in prod") is judged
 * with. Fetches the source unless `offline` or given in `sources`; an InputError when there is no such release.
 */
export async function loadSourceRelease(
  project: LoadedConfig,
  source: string,
  contract: string,
  version: string,
  opts: { offline: boolean; cache?: string; sources?: Map<string, RemoteSource> },
): Promise<Loaded> {
  // Sources already opened by the caller are read as they are: one fetch per run, not one per version.
  const src = opts.sources?.get(source) ?? (await openSources(project, opts, [source])).get(source)!;
  const v = version.replace(/^v/, "");
  const entry = src.versions(contract).find((r) => r.version === v);
  if (!entry) {
    const known = src.versions(contract).map((r) => r.version);
    throw new InputError(`source '${source}' has no release ${contract}@${v} (${known.length ? `released: ${known.join(", ")}` : `no release of ${contract}`})`);
  }
  const loaded = await loadRelease(src, entry);
  // The files fetched for this version are kept for the next run, offline ones included.
  src.settle();
  return loaded;
}
