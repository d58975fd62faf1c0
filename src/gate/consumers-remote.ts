import { ConfigError } from "../core/errors.ts";
import type { ContractSource } from "../core/source.ts";
import type { CompatibilityMode, LoadedConfig } from "../policy/config.ts";
import { loadCurrent, loadRelease, splitProvider } from "../sources/contracts.ts";
import type { RemoteSource } from "../sources/remote.ts";
import { EXPECTS, judgePair, loadContract, modeOf, type Loaded, type PairVerdict } from "./consumers.ts";

/**
 * Consumers and providers in other repositories (comms.yaml `sources:`). A consumer here naming
 * `pagos/pagos-api` is judged against the latest release in source `pagos`; a provider here (this
 * comms.yaml has `name: pagos`) is judged against every contract of its sources naming
 * `pagos/<contract>`, as those are at the tip of the source's ref. Findings name the remote side
 * `<source>/<contract>`.
 */

/** The sources a check of these contracts reads: none when nothing needs them. */
export function sourcesFor(project: LoadedConfig, names: string[]): string[] {
  const sources = Object.keys(project.config.sources ?? {});
  if (!sources.length) return [];
  // A named repository's consumers may be in any of its sources.
  if (project.config.name !== undefined && names.some((n) => project.config.contracts[n]!.provider === undefined)) return sources;
  const out = new Set<string>();
  for (const n of names) {
    const p = project.config.contracts[n]!.provider;
    const remote = p === undefined ? undefined : splitProvider(p);
    if (remote) out.add(remote.source);
  }
  return [...out];
}

/** Files of a source the check will read: the latest release of each provider named, and the consumers naming this repository. */
export function wantedFrom(project: LoadedConfig, names: string[]): (src: RemoteSource) => string[] {
  return (src) => {
    const paths: string[] = [];
    for (const n of names) {
      const p = project.config.contracts[n]!.provider;
      const remote = p === undefined ? undefined : splitProvider(p);
      if (remote?.source !== src.name || !Object.hasOwn(src.contracts, remote.contract)) continue;
      const latest = src.versions(remote.contract)[0];
      if (latest) paths.push(...src.releaseFiles(latest));
    }
    const me = project.config.name;
    if (me !== undefined) {
      for (const [cn, cc] of Object.entries(src.contracts)) {
        const remote = cc.provider === undefined ? undefined : splitProvider(cc.provider);
        if (remote?.source === me && names.includes(remote.contract)) paths.push(...src.contractFiles(cn));
      }
    }
    return paths;
  };
}

function settingsOf(project: LoadedConfig, name: string): Record<string, unknown> {
  const c = project.config.contracts[name]!;
  return { ...((project.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) };
}

const an = (kind: string) => (/^[aeiou]/.test(kind) ? "an" : "a");

/** Whether a contract here has consumers in the sources read. */
export function hasRemoteConsumers(project: LoadedConfig, name: string, sources: Map<string, RemoteSource> | undefined): boolean {
  const me = project.config.name;
  if (me === undefined || !sources) return false;
  for (const src of sources.values()) if (src.consumersOf(`${me}/${name}`).length) return true;
  return false;
}

/** What the other repositories say about a contract's current version. */
export async function remoteVerdicts(
  project: LoadedConfig,
  name: string,
  current: ContractSource,
  sources: Map<string, RemoteSource>,
  mode?: CompatibilityMode,
): Promise<{ verdicts: PairVerdict[]; notes: string[] }> {
  const c = project.config.contracts[name]!;
  const verdicts: PairVerdict[] = [];
  const notes: string[] = [];
  const me = project.config.name;
  if (me !== undefined && c.provider === undefined) {
    let provider: Loaded | undefined;
    const judged: string[] = [];
    for (const src of sources.values()) {
      for (const cn of src.consumersOf(`${me}/${name}`)) {
        const cc = src.contracts[cn]!;
        const label = `${src.name}/${cn}`;
        if (!EXPECTS[cc.kind]?.includes(c.kind)) {
          notes.push(`consumer '${label}' is ${an(cc.kind)} ${cc.kind} contract, which cannot be judged against ${an(c.kind)} ${c.kind} provider: not judged`);
          continue;
        }
        provider ??= await loadContract(c.kind, current, settingsOf(project, name));
        const consumer = await loadCurrent(src, cn);
        verdicts.push(await judgePair(label, consumer, provider, settingsOf(project, name), mode ?? modeOf(project, name)));
        judged.push(`${label} (${src.ref} at ${src.short})`);
      }
    }
    if (judged.length) notes.push(`judged against its consumers in other repositories: ${judged.join(", ")}`);
  }
  const remote = c.provider === undefined ? undefined : splitProvider(c.provider);
  if (remote) {
    const src = sources.get(remote.source)!;
    const at = project.locate(["contracts", name, "provider"]);
    if (!Object.hasOwn(src.contracts, remote.contract)) {
      throw new ConfigError(`contracts.${name}.provider: source '${remote.source}' has no contract '${remote.contract}' (its contracts: ${Object.keys(src.contracts).join(", ") || "none"})`, at);
    }
    const pc = src.contracts[remote.contract]!;
    if (pc.provider !== undefined) throw new ConfigError(`contracts.${name}.provider: '${c.provider}' is itself a consumer contract (of '${pc.provider}'); name the provider contract`, at);
    if (!EXPECTS[c.kind]?.includes(pc.kind)) throw new ConfigError(`contracts.${name}.provider: '${c.provider}' is ${an(pc.kind)} ${pc.kind} contract, which ${an(c.kind)} ${c.kind} expectation cannot be judged against`, at);
    const latest = src.versions(remote.contract)[0];
    if (!latest) {
      notes.push(`provider '${c.provider}' has no release yet (source '${src.name}', ${src.ref} at ${src.short}): these expectations are judged by its check`);
    } else {
      const provider = await loadRelease(src, latest);
      const consumer = await loadContract(c.kind, current, settingsOf(project, name));
      const theirMode = pc.compatibility ?? src.config.config.policy?.compatibility ?? "backward";
      const settings = { ...((src.config.config.policy?.[pc.kind] ?? {}) as Record<string, unknown>) };
      verdicts.push(await judgePair(name, consumer, provider, settings, theirMode));
      notes.push(`judged against its provider's latest release ${c.provider}@${latest.version} (source '${src.name}', ${src.ref} at ${src.short})`);
    }
  }
  return { verdicts, notes };
}
