import type { LoadedConfig } from "../policy/config.ts";
import { maxFileBytes } from "../registry/store.ts";
import { remoteSource, settle, type RemoteSource } from "./remote.ts";

/**
 * Opens several sources at once: fetched in parallel (at most PARALLEL git processes), each with its
 * comms.yaml and index read, then the files the caller names fetched in one more request per source.
 */

const PARALLEL = 8;

export interface OpenSourcesOptions {
  offline: boolean;
  cache?: string;
  /** Seconds a fetched copy is used again without fetching (see OpenOptions.maxAge). */
  maxAge?: number;
  /** Paths of a source's repository to have in the cache before reading (releases and consumers wanted). */
  want?: (src: RemoteSource) => string[];
}

/** Runs `task` over `items` with at most `limit` running at a time; the first failure is thrown after all settle. */
export async function bounded<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await task(items[i]!);
      } catch (e) {
        failure ??= { error: e };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return out;
}

/** The named sources of comms.yaml (default: all), fetched unless offline, with their wanted files in the cache. */
export async function openSources(project: LoadedConfig, opts: OpenSourcesOptions, names = Object.keys(project.config.sources ?? {})): Promise<Map<string, RemoteSource>> {
  // URLs and refs are all checked before anything is fetched: a bad one is a ConfigError, not half a fetch.
  const sources = names.map((n) => remoteSource(project, n, { offline: opts.offline, maxFileBytes: maxFileBytes(project), cache: opts.cache, maxAge: opts.maxAge }));
  await bounded(sources, PARALLEL, async (src) => {
    await src.open();
    if (opts.want) await src.ensure(opts.want(src));
    settle(src);
  });
  return new Map(sources.map((s) => [s.name, s]));
}
