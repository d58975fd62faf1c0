import { finalizeFindings, type Finding } from "../core/finding.ts";
import { normalizePath, type ContractSource } from "../core/source.ts";
import type { CompatibilityMode, LoadedConfig } from "../policy/config.ts";
import { evaluate, isViolation, type FailOn } from "../policy/evaluate.ts";
import { readIndex } from "../registry/git.ts";
import { readPaths } from "../registry/baseline.ts";
import { maxFileBytes, projectRegistry, workingReader } from "../registry/store.ts";
import type { ContractResult } from "../report/model.ts";
import type { RemoteSource } from "../sources/remote.ts";
import { hasRemoteConsumers, remoteVerdicts } from "./consumers-remote.ts";
import { consumersOf, judgePair, loadContract, modeOf, type PairVerdict } from "./consumers.ts";

/**
 * The gate's consumer step, after a contract has been compared with its history: a provider's new
 * version is judged against every consumer contract naming it (the consumers as they are in the
 * working tree or the index), and a consumer's expectations against its provider's latest release.
 */

export interface ConsumerGateOptions {
  fromIndex: boolean;
  /** Other repositories read for this check (comms.yaml `sources:`). */
  sources?: Map<string, RemoteSource>;
  failOn: FailOn;
  mode?: CompatibilityMode;
  now?: Date;
}

function settingsOf(project: LoadedConfig, name: string): Record<string, unknown> {
  const c = project.config.contracts[name]!;
  return { ...((project.config.policy?.[c.kind] ?? {}) as Record<string, unknown>) };
}

/**
 * A consumer as the gate reads it: from the working tree, or with `--staged` from the index, with the
 * same paths as a staged provider (its folder and the files its releases recorded). A consumer declared
 * in comms.yaml whose file was never added to git is read from the working tree, and the note says so.
 */
function currentSource(project: LoadedConfig, name: string, fromIndex: boolean): { source: ContractSource; note?: string } {
  const path = normalizePath(project.config.contracts[name]!.path);
  if (!fromIndex) return { source: { reader: workingReader(project), path } };
  const reader = readIndex(project.root, readPaths(path, projectRegistry(project).versions(name)), maxFileBytes(project));
  if (reader.stat(path)) return { source: { reader, path } };
  return { source: { reader: workingReader(project), path }, note: `consumer '${name}' is not in the git index ('${path}' was never added): judged as it is in the working tree` };
}

/** What a contract's consumers (or, for a consumer, its provider) say about its current version. */
export async function consumerVerdicts(project: LoadedConfig, name: string, current: ContractSource, fromIndex: boolean, mode?: CompatibilityMode, sources?: Map<string, RemoteSource>): Promise<{ verdicts: PairVerdict[]; notes: string[] }> {
  const c = project.config.contracts[name]!;
  const verdicts: PairVerdict[] = [];
  const notes: string[] = [];
  const consumers = consumersOf(project, name);
  if (consumers.length) {
    const provider = await loadContract(c.kind, current, settingsOf(project, name));
    for (const cn of consumers) {
      const cc = project.config.contracts[cn]!;
      const { source, note } = currentSource(project, cn, fromIndex);
      if (note) notes.push(note);
      const consumer = await loadContract(cc.kind, source, settingsOf(project, cn));
      verdicts.push(await judgePair(cn, consumer, provider, settingsOf(project, name), mode ?? modeOf(project, name)));
    }
    notes.push(`judged against its consumers: ${consumers.join(", ")}`);
  }
  if (sources) {
    const remote = await remoteVerdicts(project, name, current, sources, mode);
    verdicts.push(...remote.verdicts);
    notes.push(...remote.notes);
  }
  if (c.provider !== undefined && !c.provider.includes("/")) {
    const registry = projectRegistry(project);
    const latest = registry.latest(c.provider);
    if (!latest) {
      notes.push(`provider '${c.provider}' has no release yet: these expectations are judged by its check`);
    } else {
      const pc = project.config.contracts[c.provider]!;
      const provider = await loadContract(pc.kind, { reader: registry.reader(latest), path: normalizePath(latest.path) }, settingsOf(project, c.provider));
      const consumer = await loadContract(c.kind, current, settingsOf(project, name));
      verdicts.push(await judgePair(name, consumer, provider, settingsOf(project, c.provider), modeOf(project, c.provider)));
      notes.push(`judged against its provider's latest release ${c.provider}@${latest.version}`);
    }
  }
  return { verdicts, notes };
}

/** Whether a history finding touches what a consumer uses. */
function touches(f: Finding, v: PairVerdict): boolean {
  if (!v.uses) return v.findings.length > 0;
  if (f.operations?.some((o) => v.uses!.has(o))) return true;
  for (let p = f.path; p; p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "") if (v.uses.has(p)) return true;
  return false;
}

/**
 * Adds the consumer findings to a contract's result, through the same policy (accept entries apply),
 * and with `usage: required` lowers history breaks no declared consumer touches to dangerous.
 */
export async function withConsumers(
  project: LoadedConfig,
  name: string,
  result: ContractResult,
  current: ContractSource,
  opts: ConsumerGateOptions,
): Promise<{ result: ContractResult; matchedAccepts: number[] }> {
  const c = project.config.contracts[name]!;
  const isProvider = consumersOf(project, name).length > 0 || hasRemoteConsumers(project, name, opts.sources);
  if (!isProvider && c.provider === undefined) return { result, matchedAccepts: [] };
  const { verdicts, notes } = await consumerVerdicts(project, name, current, opts.fromIndex, opts.mode, opts.sources);
  const raw = verdicts.flatMap((v) => v.findings);
  const judged = evaluate(raw, { contract: name, policy: project.config.policy, failOn: opts.failOn, now: opts.now, mode: opts.mode });
  let history = result.findings;
  let lowered = false;
  if (c.usage === "required" && isProvider) {
    const checked = verdicts.map((v) => v.consumer);
    history = history.map((f) => {
      if (f.severity !== "breaking" || f.accepted || f.gate || verdicts.some((v) => touches(f, v))) return f;
      lowered = true;
      return { ...f, severity: "dangerous" as const, note: `no declared consumer uses it (checked: ${checked.join(", ")}); reported as dangerous because usage is required` };
    });
  }
  const findings = finalizeFindings([...history, ...judged.findings], name);
  const mode = opts.mode;
  const verdict =
    mode === "none"
      ? result.verdict
      : lowered
        ? findings.some((f) => isViolation(f, opts.failOn)) ? "fail" : "pass"
        : result.verdict === "fail" || judged.verdict === "fail" ? "fail" : "pass";
  return {
    result: { ...result, findings, verdict, notes: [...(result.notes ?? []), ...notes] },
    matchedAccepts: judged.matchedAccepts,
  };
}
