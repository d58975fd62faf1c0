import { compare } from "semver";
import { InputError } from "../core/errors.ts";
import type { Finding } from "../core/finding.ts";
import { normalizePath } from "../core/source.ts";
import type { LoadedConfig } from "../policy/config.ts";
import { isViolation, type FailOn } from "../policy/evaluate.ts";
import { deployedVersions, readDeployments } from "../registry/deployments.ts";
import { maxFileBytes, projectRegistry, type Registry, type VersionEntry } from "../registry/store.ts";
import { readShared, sharedDeployments } from "../sources/deployments-remote.ts";
import { ownContract, recordName } from "./deployed-names.ts";
import { consumersOf, judgePair, loadContract, modeOf, type Loaded } from "./consumers.ts";

/**
 * can-i-deploy: a set of released versions judged against what the deployment records say runs in an
 * environment. A provider version meets every consumer deployed there; a consumer version meets the
 * provider version deployed there. Versions deployed together (several targets) meet each other.
 */

export interface Target {
  contract: string;
  version: string;
}

export interface Pair {
  consumer: Target;
  provider: Target;
  /** `not judged`: one side is another repository's contract, whose released snapshot is not read here. */
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

/** `name@version`, the version released. */
export function parseTarget(project: LoadedConfig, registry: Registry, text: string): Target {
  const at = text.lastIndexOf("@");
  if (at <= 0) throw new InputError(`'${text}': expected <contract>@<version>`);
  const contract = text.slice(0, at);
  const version = text.slice(at + 1).replace(/^v/, "");
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
  ) {}

  load(t: Target): Promise<Loaded> {
    const key = `${t.contract}@${t.version}`;
    let p = this.cache.get(key);
    if (!p) {
      const entry = this.registry.find(t.contract, t.version);
      if (!entry) return Promise.reject(new InputError(`${key} is recorded as deployed but is not released; the registry and the deployment records disagree`));
      const c = this.project.config.contracts[t.contract]!;
      const settings = { ...((this.project.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) };
      p = loadContract(c.kind, { reader: this.registry.reader(entry), path: normalizePath(entry.path) }, settings);
      this.cache.set(key, p);
    }
    return p;
  }
}

async function judge(loader: Loader, project: LoadedConfig, consumer: Target, provider: Target): Promise<Finding[]> {
  const pc = project.config.contracts[provider.contract]!;
  const verdict = await judgePair(consumer.contract, await loader.load(consumer), await loader.load(provider), { ...((project.config.policy?.[pc.kind] ?? {}) as Record<string, unknown>) }, modeOf(project, provider.contract));
  return verdict.findings;
}

const breaks = (findings: Finding[], failOn: FailOn) => findings.some((f) => isViolation(f, failOn));

/** The oldest released version after `after` (or any, when absent) of `contract` that passes `ok`. */
async function firstPassing(registry: Registry, contract: string, after: string | undefined, ok: (v: VersionEntry) => Promise<boolean>): Promise<string | undefined> {
  const candidates = registry
    .versions(contract)
    .filter((v) => after === undefined || compare(v.version, after) > 0)
    .sort((a, b) => compare(a.version, b.version));
  for (const v of candidates) if (await ok(v)) return v.version;
  return undefined;
}

/** The records of an environment: the shared repository's (fetched, or from the cache with `offline`), else the registry's. */
export function deploymentsOf(project: LoadedConfig, env: string, offline: boolean): { records: ReturnType<typeof readDeployments>; note?: string } {
  const shared = sharedDeployments(project, maxFileBytes(project));
  return shared ? readShared(shared, env, offline) : { records: readDeployments(projectRegistry(project), env) };
}

export async function canIDeploy(project: LoadedConfig, targets: Target[], env: string, failOn: FailOn, opts: { offline?: boolean; note?: (text: string) => void } = {}): Promise<Matrix> {
  const registry = projectRegistry(project);
  const read = deploymentsOf(project, env, opts.offline === true);
  if (read.note) opts.note?.(read.note);
  const deployed = deployedVersions(read.records);
  const loader = new Loader(project, registry);
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
    const foreign = [c, p].find((t) => ownContract(project, recordName(project, t.contract)) === undefined);
    if (foreign) {
      pairs.push({ consumer: c, provider: p, status: "not judged", deploying, findings: [], note: `${foreign.contract} is another repository's contract: its deployment is recorded, its released contract is not read here` });
      return;
    }
    const findings = await judge(loader, project, c, p);
    const broken = breaks(findings, failOn);
    pairs.push({ consumer: c, provider: p, status: broken ? "breaks" : "compatible", deploying, findings });
    if (!broken) return;
    if (deploying === "provider") {
      // The consumer deployed there must move first, to a released version that works with the new provider.
      const fix = await firstPassing(registry, consumer, c.version, async (v) => !breaks(await judge(loader, project, { contract: consumer, version: v.version }, p), failOn));
      next.push(
        fix
          ? `deploy ${consumer}@${fix} to ${env} first (it works with ${p.contract}@${p.version}): deploy it, then run 'comms deploy ${consumer}@${fix} --env ${env}'`
          : `no released version of ${consumer} works with ${p.contract}@${p.version}: release a ${consumer} that does and deploy it to ${env} first, or keep ${p.contract} compatible with ${consumer}@${c.version}`,
      );
    } else if (deploying === "consumer") {
      const fix = await firstPassing(registry, provider, p.version, async (v) => !breaks(await judge(loader, project, c, { contract: provider, version: v.version }), failOn));
      next.push(
        fix
          ? `deploy ${provider}@${fix} to ${env} first (it offers what ${c.contract}@${c.version} expects): deploy it, then run 'comms deploy ${provider}@${fix} --env ${env}'`
          : `no released version of ${provider} offers what ${c.contract}@${c.version} expects: change the expectation or release a ${provider} that offers it`,
      );
    } else {
      next.push(`${c.contract}@${c.version} and ${p.contract}@${p.version} do not work together: deploy neither until one of them changes`);
    }
  };
  for (const t of targets) {
    const c = project.config.contracts[t.contract]!;
    for (const consumer of consumersOf(project, t.contract)) await add(consumer, t.contract);
    if (c.provider !== undefined) await add(t.contract, c.provider);
  }
  return { version: 1, env, targets, pairs, verdict: pairs.some((p) => p.status === "breaks") ? "fail" : "pass", next };
}
