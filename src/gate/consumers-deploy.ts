import { compare } from "semver";
import { InputError } from "../core/errors.ts";
import type { Finding } from "../core/finding.ts";
import { normalizePath } from "../core/source.ts";
import type { KindId } from "../core/engine.ts";
import type { CompatibilityMode, LoadedConfig } from "../policy/config.ts";
import { isViolation, type FailOn } from "../policy/evaluate.ts";
import { deployedVersions, readDeployments } from "../registry/deployments.ts";
import { maxFileBytes, projectRegistry, type Registry } from "../registry/store.ts";
import { readShared, sharedDeployments } from "../sources/deployments-remote.ts";
import { loadSourceRelease, splitProvider, theirSettings } from "../sources/contracts.ts";
import { openSources } from "../sources/open.ts";
import type { RemoteSource } from "../sources/remote.ts";
import { recordName } from "./deployed-names.ts";
import { consumersOf, EXPECTS, judgePair, loadContract, modeOf, type Loaded } from "./consumers.ts";
import { sourcesFor } from "./consumers-remote.ts";

/**
 * can-i-deploy: a set of released versions judged against what the deployment records say runs in an
 * environment. A provider version meets every consumer deployed there; a consumer version meets the
 * provider version deployed there. Versions deployed together (several targets) meet each other. A side
 * in another repository (sources:) is its release recorded as deployed in the shared records, read
 * from its source (from the cache with --offline); its consumers there are found as check finds them.
 */

export interface Target {
  contract: string;
  version: string;
}

export interface Pair {
  consumer: Target;
  provider: Target;
  /**
   * `not judged`: the pair cannot be judged, the note says why (another repository's deployed version
   * is not among its releases, or the kinds have no judge).
   */
  status: "compatible" | "breaks" | "not deployed" | "not judged";
  /** Which side of the pair is being deployed. */
  deploying: "consumer" | "provider" | "both";
  findings: Finding[];
  note?: string;
}

export interface Matrix {
  version: 1;
  env: string;
  targets: Target[];
  pairs: Pair[];
  verdict: "pass" | "fail";
  /** What to do first when the answer is no. */
  next: string[];
}

/** `name@version` (or `<this repository's name>/name@version`), the version released. */
export function parseTarget(project: LoadedConfig, registry: Registry, text: string): Target {
  const at = text.lastIndexOf("@");
  if (at <= 0) throw new InputError(`'${text}': expected <contract>@<version>`);
  let contract = text.slice(0, at);
  const version = text.slice(at + 1).replace(/^v/, "");
  // Shared records and other repositories name this repository's contracts `<name>/<contract>`.
  const me = project.config.name;
  if (me !== undefined && contract.startsWith(`${me}/`)) contract = contract.slice(me.length + 1);
  if (!Object.hasOwn(project.config.contracts, contract)) {
    throw new InputError(`unknown contract '${contract}' (contracts in comms.yaml: ${Object.keys(project.config.contracts).join(", ") || "none"})`);
  }
  if (!registry.find(contract, version)) {
    const known = registry.versions(contract).map((v) => v.version);
    throw new InputError(`${contract}@${version} is not released (released: ${known.join(", ") || "none"}); run 'comms release ${contract}' first`);
  }
  return { contract, version };
}

class Loader {
  private cache = new Map<string, Promise<Loaded>>();
  constructor(
    private readonly project: LoadedConfig,
    private readonly registry: Registry,
    private readonly sources: Map<string, RemoteSource>,
    private readonly offline: boolean,
  ) {}

  load(t: Target): Promise<Loaded> {
    const key = `${t.contract}@${t.version}`;
    let p = this.cache.get(key);
    if (!p) {
      const remote = splitProvider(t.contract);
      if (remote) {
        p = loadSourceRelease(this.project, remote.source, remote.contract, t.version, { offline: this.offline, sources: this.sources });
      } else {
        const entry = this.registry.find(t.contract, t.version);
        if (!entry) return Promise.reject(new InputError(`${key} is recorded as deployed but is not released; the registry and the deployment records disagree`));
        const c = this.project.config.contracts[t.contract]!;
        const settings = { ...((this.project.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) };
        p = loadContract(c.kind, { reader: this.registry.reader(entry), path: normalizePath(entry.path) }, settings);
      }
      this.cache.set(key, p);
    }
    return p;
  }
}

const an = (kind: string) => (/^[aeiou]/.test(kind) ? "an" : "a");

/**
 * One side of a pair as the judge needs it: its kind, and for a provider the settings and mode its own
 * repository gives it. A contract of another repository is read from its source (its comms.yaml at the
 * tip of the source's ref); a string says why it cannot be.
 */
interface Side {
  kind: KindId;
  settings: Record<string, unknown>;
  mode: CompatibilityMode;
  /** Released versions, for the next step. */
  versions: string[];
}

function sideOf(project: LoadedConfig, registry: Registry, sources: Map<string, RemoteSource>, contract: string, version: string): Side | string {
  const remote = splitProvider(contract);
  if (!remote) {
    const c = project.config.contracts[contract]!;
    return { kind: c.kind, settings: { ...((project.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) }, mode: modeOf(project, contract), versions: registry.versions(contract).map((v) => v.version) };
  }
  const src = sources.get(remote.source);
  if (!src) return `${contract} is in source '${remote.source}', which this run did not read`;
  const where = `source '${src.name}', ${src.ref} at ${src.short}`;
  if (!Object.hasOwn(src.contracts, remote.contract)) return `${contract} is recorded as deployed, but its repository's comms.yaml has no contract '${remote.contract}' (${where})`;
  const versions = src.versions(remote.contract).map((v) => v.version);
  if (!versions.includes(version)) return `${contract}@${version} is recorded as deployed, but its repository has no such release (${where}; released: ${versions.join(", ") || "none"})`;
  const c = src.contracts[remote.contract]!;
  return { kind: c.kind, settings: theirSettings(src, remote.contract), mode: c.compatibility ?? src.config.config.policy?.compatibility ?? "backward", versions };
}

async function judge(loader: Loader, consumer: Target, provider: Target, p: Side): Promise<Finding[]> {
  const verdict = await judgePair(consumer.contract, await loader.load(consumer), await loader.load(provider), { ...p.settings }, p.mode);
  return verdict.findings;
}

const breaks = (findings: Finding[], failOn: FailOn) => findings.some((f) => isViolation(f, failOn));

/** The oldest of `versions` after `after` (or any, when absent) that passes `ok`. */
async function firstPassing(versions: string[], after: string | undefined, ok: (version: string) => Promise<boolean>): Promise<string | undefined> {
  const candidates = versions.filter((v) => after === undefined || compare(v, after) > 0).sort(compare);
  for (const v of candidates) if (await ok(v)) return v;
  return undefined;
}

/** The records of an environment: the shared repository's (fetched, or from the cache with `offline`), else the registry's. */
export function deploymentsOf(project: LoadedConfig, env: string, offline: boolean): { records: ReturnType<typeof readDeployments>; note?: string } {
  const shared = sharedDeployments(project, maxFileBytes(project));
  return shared ? readShared(shared, env, offline) : { records: readDeployments(projectRegistry(project), env) };
}

export async function canIDeploy(project: LoadedConfig, targets: Target[], env: string, failOn: FailOn, opts: { offline?: boolean; note?: (text: string) => void } = {}): Promise<Matrix> {
  const registry = projectRegistry(project);
  const offline = opts.offline === true;
  const read = deploymentsOf(project, env, offline);
  if (read.note) opts.note?.(read.note);
  const deployed = deployedVersions(read.records);
  // Other repositories: the providers the targets name, and (for a named repository) its consumers there.
  // Only shared records say what runs of them, so without deployments: nothing is fetched.
  const sources = project.config.deployments ? await openSources(project, { offline }, sourcesFor(project, targets.map((t) => t.contract))) : new Map<string, RemoteSource>();
  for (const src of sources.values()) for (const n of src.notes) opts.note?.(n);
  const loader = new Loader(project, registry, sources, offline);
  const targetOf = new Map(targets.map((t) => [t.contract, t]));
  // What runs in the environment once the targets are deployed; records name contracts as recordName does.
  const running = (contract: string): Target | undefined => {
    const target = targetOf.get(contract);
    if (target) return target;
    const r = deployed.get(recordName(project, contract));
    return r ? { contract, version: r.version } : undefined;
  };
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  const next: string[] = [];
  const add = async (consumer: string, provider: string) => {
    const key = `${consumer}\u0000${provider}`;
    if (seen.has(key)) return;
    seen.add(key);
    const c = running(consumer);
    const p = running(provider);
    const deploying = targetOf.has(consumer) && targetOf.has(provider) ? "both" : targetOf.has(consumer) ? "consumer" : "provider";
    if (!c || !p) {
      const missing = !c ? consumer : provider;
      pairs.push({
        consumer: c ?? { contract: consumer, version: "-" },
        provider: p ?? { contract: provider, version: "-" },
        status: "not deployed",
        deploying,
        findings: [],
        note: `${missing} is not deployed to ${env}`,
      });
      return;
    }
    const cs = sideOf(project, registry, sources, c.contract, c.version);
    const ps = sideOf(project, registry, sources, p.contract, p.version);
    const why = typeof cs === "string" ? cs : typeof ps === "string" ? ps : !EXPECTS[cs.kind]?.includes(ps.kind) ? `${an(cs.kind)} ${cs.kind} expectation cannot be judged against ${an(ps.kind)} ${ps.kind} provider` : undefined;
    if (why !== undefined || typeof cs === "string" || typeof ps === "string") {
      pairs.push({ consumer: c, provider: p, status: "not judged", deploying, findings: [], note: why });
      return;
    }
    const findings = await judge(loader, c, p, ps);
    const broken = breaks(findings, failOn);
    pairs.push({ consumer: c, provider: p, status: broken ? "breaks" : "compatible", deploying, findings });
    if (!broken) return;
    if (deploying === "provider") {
      // The consumer deployed there must move first, to a released version that works with the new provider.
      const fix = await firstPassing(cs.versions, c.version, async (v) => !breaks(await judge(loader, { contract: consumer, version: v }, p, ps), failOn));
      next.push(
        fix
          ? `deploy ${consumer}@${fix} to ${env} first (it works with ${p.contract}@${p.version}): deploy it, then run 'comms deploy ${consumer}@${fix} --env ${env}'`
          : `no released version of ${consumer} works with ${p.contract}@${p.version}: release a ${consumer} that does and deploy it to ${env} first, or keep ${p.contract} compatible with ${consumer}@${c.version}`,
      );
    } else if (deploying === "consumer") {
      const fix = await firstPassing(ps.versions, p.version, async (v) => {
        const side = sideOf(project, registry, sources, provider, v);
        return typeof side !== "string" && !breaks(await judge(loader, c, { contract: provider, version: v }, side), failOn);
      });
      next.push(
        fix
          ? `deploy ${provider}@${fix} to ${env} first (it offers what ${c.contract}@${c.version} expects): deploy it, then run 'comms deploy ${provider}@${fix} --env ${env}'`
          : `no released version of ${provider} offers what ${c.contract}@${c.version} expects: change the expectation or release a ${provider} that offers it`,
      );
    } else {
      next.push(`${c.contract}@${c.version} and ${p.contract}@${p.version} do not work together: deploy neither until one of them changes`);
    }
  };
  const me = project.config.name;
  for (const t of targets) {
    const c = project.config.contracts[t.contract]!;
    for (const consumer of consumersOf(project, t.contract)) await add(consumer, t.contract);
    if (c.provider === undefined && me !== undefined) {
      for (const src of sources.values()) for (const cn of src.consumersOf(`${me}/${t.contract}`)) await add(`${src.name}/${cn}`, t.contract);
    }
    if (c.provider !== undefined) await add(t.contract, c.provider);
  }
  return { version: 1, env, targets, pairs, verdict: pairs.some((p) => p.status === "breaks") ? "fail" : "pass", next };
}
