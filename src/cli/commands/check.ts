import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import { normalizePath } from "../../core/source.ts";
import type { CompatibilityMode, LoadedConfig } from "../../policy/config.ts";
import { readObjects, stagedFiles } from "../../registry/git.ts";
import { owningContracts, releasedFiles } from "../../registry/owners.ts";
import { findConfig, MAX_CONFIG_BYTES, readConfigText } from "../../core/config-file.ts";
import { mayConcernContracts } from "../../registry/prefilter.ts";
import { oneLine } from "../../report/escape.ts";
import type { ContractResult } from "../../report/model.ts";
import { registrySubject } from "../../schemas/subject.ts";
import { globalArgs, globalOptions, type GlobalOptions } from "../args.ts";
import { writeOut, writeErr } from "../io.ts";

// Everything heavy (the config parser, engines, reporters, the logger) is imported after the
// pre-commit fast path has decided that some contract may be concerned at all.

const EMPTY_JSON = `${JSON.stringify({ version: 1, results: [], summary: { breaking: 0, dangerous: 0, safe: 0, verdict: "pass" } }, null, 2)}\n`;

interface GateOptions {
  names: string[];
  against?: string;
  fromIndex: boolean;
  failOn: "breaking" | "dangerous";
  /** `--mode`: overrides every contract's compatibility mode. */
  mode?: CompatibilityMode;
  /** All contracts are checked (stale accept entries without a contract can be judged). */
  complete: boolean;
}

export default defineCommand({
  meta: {
    name: "check",
    description:
      "Gate: compare every contract (or the named ones) with its latest release, or with --against <git-ref>, apply policy, and fail on breaking changes or a version that does not fit them. The working tree is checked; with --staged, the staged content (git index). With file arguments or --staged, only the contracts owning those files are checked.",
  },
  args: {
    targets: {
      type: "positional",
      required: false,
      description: "Contract names from comms.yaml, or files and folders (as pre-commit passes them): only the contracts that own them are checked. Default: every contract",
      valueHint: "name|path…",
    },
    against: { type: "string", description: "Compare with the contracts at this git ref instead of the latest release", valueHint: "ref" },
    staged: { type: "boolean", description: "Check the staged content (git index) instead of the working tree, only for contracts with staged changes (pre-commit)" },
    mode: { type: "string", description: "Compatibility mode, overriding policy.compatibility: backward, forward, full, none, or backward-transitive, forward-transitive, full-transitive", valueHint: "mode" },
    accept: { type: "boolean", description: "Write policy.accept entries for the current breaking findings into comms.yaml" },
    reason: { type: "string", description: "Reason recorded by --accept (default: a TODO placeholder to edit)", valueHint: "text" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    const mode = args.mode === undefined ? undefined : (await import("../../policy/modes.ts")).modeOption(args.mode);
    const positional = (args._ as string[] | undefined) ?? [];
    let staged: string[] | undefined;
    if (args.staged && !positional.length) {
      const configFile = opts.config ? resolve(opts.cwd, opts.config) : findConfig(opts.cwd);
      if (configFile && existsSync(configFile)) {
        const root = dirname(configFile);
        const configText = readConfigText(configFile) ?? "";
        staged = stagedFiles(root);
        const name = basename(configFile);
        // The staged comms.yaml is the one committed: its contracts count too when the working tree's differs.
        const concerns = (text: string) => mayConcernContracts(staged!, text, root, name);
        if (!concerns(configText) && !concerns(readObjects(root, [`:./${name}`], () => name, MAX_CONFIG_BYTES).get(`:./${name}`) ?? configText)) return nothingToCheck(opts);
      }
    }
    const { loadProject, validateProject } = await import("../project.ts");
    let project = loadProject(opts, true)!;
    // What will be committed is judged: the staged comms.yaml is the policy applied with --staged.
    if (args.staged) project = (await import("../../gate/trust.ts")).stagedProject(project, opts.cwd, validateProject);
    const contracts = project.config.contracts;
    const names: string[] = [];
    const files: string[] = [];
    for (const a of positional) {
      if (Object.hasOwn(contracts, a)) names.push(a);
      else if (/[./\\]/.test(a) || existsSync(resolve(opts.cwd, a))) files.push(a);
      else throw new UsageError(`unknown contract '${a}' (contracts in comms.yaml: ${Object.keys(contracts).join(", ") || "none"})`);
    }
    if (args.reason !== undefined && !args.accept) throw new UsageError("--reason goes with --accept");
    if (args.reason !== undefined && !args.reason.trim()) throw new UsageError("--reason needs a text");

    let selected = names.length ? names : Object.keys(contracts);
    const filtered = args.staged === true || files.length > 0;
    if (filtered) {
      const changed = [
        ...(args.staged ? (staged ?? stagedFiles(project.root)) : []),
        ...files.map((f) => normalizePath(relative(project.root, resolve(opts.cwd, f)))),
      ];
      const owners = owningContracts(contracts, changed, {
        released: releasedFiles(project.registryDir),
        configFile: relative(project.root, project.file),
        registryPrefix: relative(project.root, project.registryDir),
      });
      selected = names.length ? owners.filter((n) => names.includes(n)) : owners;
      if (!selected.length) return nothingToCheck(opts);
    }
    const gateOptions: GateOptions = {
      names: selected,
      against: args.against,
      // File arguments name what to check, read from the working tree like everything else: the
      // pre-commit framework stashes unstaged edits before it runs, and `--staged` reads the index.
      fromIndex: args.staged === true,
      failOn: opts.failOn ?? project.config.policy?.["fail-on"] ?? "breaking",
      mode,
      complete: !filtered && !names.length,
    };
    let results = await gate(project, opts, gateOptions);
    if (args.accept) {
      const added = await acceptFindings(project, results, gateOptions.failOn, args.reason ?? undefined, opts);
      if (added) results = await gate(loadProject(opts, true)!, opts, gateOptions);
    }
    const code = await emit(results, opts, gateOptions.failOn);
    if (code === 1 && !opts.quiet) writeErr(await nextSteps(results, gateOptions.failOn));
    return code;
  },
});

/**
 * What to do after a failing check, per failing contract: the major version to declare or release, the
 * `--accept` command with what it would record, and `comms rules` for each failing rule. On stderr, so
 * the report on stdout stays a clean document.
 */
export async function nextSteps(results: ContractResult[], failOn: "breaking" | "dangerous"): Promise<string> {
  const [{ isViolation }, { isVersionFinding, nextMajor }, { valid }, { ruleName }] = await Promise.all([
    import("../../policy/evaluate.ts"),
    import("../../policy/steps/version.ts"),
    import("semver"),
    import("./rules.ts"),
  ]);
  const named = await ruleName();
  const MAX = 5;
  const lines = ["comms: what to do next:"];
  for (const r of results.filter((x) => x.verdict === "fail")) {
    const name = oneLine(r.contract);
    const violations = r.findings.filter((f) => isViolation(f, failOn));
    const version = violations.find(isVersionFinding);
    const changes = violations.filter((f) => !isVersionFinding(f));
    // A loosened configuration is not a change of the contract: no release fixes it.
    const breaking = r.findings.some((f) => f.severity === "breaking" && !isVersionFinding(f) && f.gate !== "config");
    const old = r.old.version && valid(r.old.version);
    const target = old ? nextMajor(old) : "a new major version";
    lines.push(`  ${name}:`);
    if (r.subject && breaking && violations.some((f) => !isVersionFinding(f) && f.severity === "breaking")) {
      // Under a registry subject a major version changes nothing: the registry refuses the schema all the same.
      const subject = oneLine(r.subject);
      lines.push(`    the registry refuses this schema under ${subject} (a new major version does not change that). If the break is intended, start a new subject:`);
      lines.push(`      publish to a versioned topic (e.g. ${oneLine(nextTopic(r.subject))}), producing to both topics while consumers move; set contracts.${name}.topic (or subject) in comms.yaml, then run: comms release ${name} --subject <new subject>`);
      lines.push(`    or change the subject's mode deliberately (contracts.${name}.compatibility), as it is changed in the registry`);
    } else if (version) {
      const at = version.new ? ` (${oneLine(version.new.file)}:${version.new.line})` : "";
      lines.push(`    breaking changes need a new major version: set ${oneLine(version.path)} to ${target}${at}, then run: comms release ${name}`);
    } else if (breaking) {
      lines.push(`    if the break is intended, release a new major version: comms release ${name}${old ? ` --version ${target}` : ""}`);
    }
    if (changes.length) {
      const why = breaking ? " (an accepted break still makes the next release major)" : "";
      const command = changes.every((f) => f.gate === "config") ? "comms check" : `comms check ${name}`;
      lines.push(`    ${version || breaking ? "or, once reviewed, accept" : "once reviewed, accept"} the change${changes.length === 1 ? "" : "s"}: ${command} --accept --reason "why no consumer is affected"${why}`);
      for (const f of changes.slice(0, MAX)) lines.push(`      records ${oneLine(f.rule)} at ${oneLine(f.path)}`);
      if (changes.length > MAX) lines.push(`      and ${changes.length - MAX} more`);
    }
    const rules = [...new Set([...changes, ...(version ? [version] : [])].map((f) => named(r.kind, f.rule)))];
    lines.push(`    why: ${rules.slice(0, MAX).map((id) => `comms rules ${oneLine(id)}`).join(", ")}${rules.length > MAX ? ", ..." : ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A versioned topic after the subject's own: pagos.procesados.v1-value gives pagos.procesados.v2. */
function nextTopic(subject: string): string {
  const topic = subject.replace(/-(?:value|key)$/, "");
  const m = /^(.*[._-]v)(\d+)$/.exec(topic);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${topic}.v2`;
}

/** The fast exit: nothing staged or named belongs to a contract. */
function nothingToCheck(opts: GlobalOptions): number | Promise<number> {
  if (!opts.quiet) writeErr("comms: no change to any contract; nothing to check\n");
  if (opts.format === "json") writeOut(EMPTY_JSON);
  else if (opts.format !== "text") return emit([], opts);
  return 0;
}

async function emit(results: ContractResult[], opts: GlobalOptions, failOn?: "breaking" | "dangerous"): Promise<number> {
  const [{ emitReport }, { buildReport }] = await Promise.all([import("../output.ts"), import("../../report/model.ts")]);
  return emitReport(buildReport(results), opts, "check", failOn);
}

/** Compares each selected contract with its baseline and applies policy. */
async function gate(project: LoadedConfig, opts: GlobalOptions, g: GateOptions): Promise<ContractResult[]> {
  const [{ logger, setLogLevel }, { compareDetailed }, { engineSettings, readOperations }, { baselineFor }, { getEngine }, { narrowToSubject }, { projectRegistry }, { withConsumers }] = await Promise.all([
    import("../logger.ts"),
    import("../compare.ts"),
    import("../contracts.ts"),
    import("../../registry/baseline.ts"),
    import("../../kinds/index.ts"),
    import("../../registry/subjects.ts"),
    import("../../registry/store.ts"),
    import("../../gate/consumers-check.ts"),
  ]);
  setLogLevel(opts);
  const policy = project.config.policy;
  const results: ContractResult[] = [];
  const matched = new Set<number>();
  // Before any comparison: rewritten history is exit 2, and the configuration is judged against its trusted version.
  const { judgeTrust, applyTrust } = await import("../../gate/trust.ts");
  const trust = await judgeTrust(project, { against: g.against, fromIndex: g.fromIndex, cwd: opts.cwd, names: g.names, complete: g.complete });
  // Other repositories are fetched only when a checked contract names one, or this one may have consumers there.
  const { sources, sourceNotes } = await readSources(project, opts, g.names, sourcesMaxAge(g.fromIndex));
  for (const name of g.names) {
    const c = project.config.contracts[name]!;
    let base = baselineFor(project, name, { against: g.against, fromIndex: g.fromIndex });
    // A contract with a registry subject is judged against that subject's releases only.
    const subject = registrySubject(c.kind, c);
    if (subject && !g.against) base = narrowToSubject(base, name, projectRegistry(project).versions(name), subject);
    if (!base.old) {
      // Nothing to compare with, but a contract that does not even load must not pass the gate.
      const engine = await getEngine(c.kind);
      await engine.load(base.new.source, { settings: engineSettings(project, c.kind, c), warn: (m) => logger.warn(m) });
      const first: ContractResult = {
        contract: name,
        kind: c.kind,
        old: { ref: "none" },
        new: { ref: base.new.ref, version: c.version },
        findings: [],
        suggestedBump: "none",
        verdict: "pass",
        notes: [base.note],
      };
      const judged = await withConsumers(project, name, first, base.new.source, { fromIndex: g.fromIndex, failOn: g.failOn, mode: g.mode ?? c.compatibility ?? policy?.compatibility, sources });
      for (const i of judged.matchedAccepts) matched.add(i);
      results.push(judged.result);
      continue;
    }
    const detailed = await compareDetailed({
      contract: name,
      kind: c.kind,
      old: base.old,
      new: base.new,
      earlier: base.earlier,
      history: base.history,
      settings: engineSettings(project, c.kind, c),
      subject,
      operations: c.kind === "graphql" && c.operations?.length ? readOperations(c.operations, project.root, opts.cwd) : undefined,
      policy,
      failOn: g.failOn,
      mode: g.mode ?? c.compatibility ?? policy?.compatibility,
      checkVersion: true,
    });
    for (const i of detailed.matchedAccepts) matched.add(i);
    // Besides its history, a provider answers to its consumers, and a consumer to its provider's release.
    const judged = await withConsumers(project, name, detailed.result, base.new.source, { fromIndex: g.fromIndex, failOn: g.failOn, mode: g.mode ?? c.compatibility ?? policy?.compatibility, sources });
    for (const i of judged.matchedAccepts) matched.add(i);
    results.push(judged.result);
  }
  for (const r of results) if (sourceNotes.length) r.notes = [...(r.notes ?? []), ...sourceNotes.filter((n) => n.contracts.includes(r.contract)).map((n) => n.text)];
  for (const i of applyTrust(results, trust, policy?.accept, g.failOn)) matched.add(i);
  addAcceptNotes(project, results, matched, g.complete, opts.cwd);
  return results;
}

/**
 * The sources the checked contracts need, fetched (or, offline, read from the cache), with notes for
 * the contracts concerned: an offline read, a rebuilt cache, a repository without `name:`.
 */
/** Seconds a pre-commit check uses a fetched copy of a source again without fetching. */
const STAGED_MAX_AGE = 600;

/**
 * How long a fetched source is used again: COMMS_SOURCES_MAX_AGE seconds when set; else ten minutes on
 * the pre-commit path (--staged), and never elsewhere, so CI always judges against the remotes' tips.
 */
export function sourcesMaxAge(staged: boolean, env: Record<string, string | undefined> = process.env): number {
  const raw = env.COMMS_SOURCES_MAX_AGE;
  if (raw === undefined || raw === "") return staged ? STAGED_MAX_AGE : 0;
  if (!/^\d{1,9}$/.test(raw)) throw new UsageError(`COMMS_SOURCES_MAX_AGE='${raw.replace(/[^\x20-\x7e]/g, "?").slice(0, 40)}': expected a number of seconds (0: always fetch)`);
  return Number(raw);
}

async function readSources(project: LoadedConfig, opts: GlobalOptions, names: string[], maxAge: number): Promise<{ sources?: Map<string, import("../../sources/remote.ts").RemoteSource>; sourceNotes: { contracts: string[]; text: string }[] }> {
  const all = Object.keys(project.config.sources ?? {});
  if (!all.length) return { sourceNotes: [] };
  const [{ sourcesFor, wantedFrom }, { openSources }] = await Promise.all([import("../../gate/consumers-remote.ts"), import("../../sources/open.ts")]);
  const sourceNotes: { contracts: string[]; text: string }[] = [];
  const providers = names.filter((n) => project.config.contracts[n]!.provider === undefined);
  if (project.config.name === undefined && providers.length) {
    sourceNotes.push({ contracts: providers, text: `comms.yaml has no name:, so no consumer in other repositories (sources: ${all.join(", ")}) can name this repository's contracts; set name: to the name they use for it` });
  }
  const needed = sourcesFor(project, names);
  if (!needed.length) return { sourceNotes };
  const sources = await openSources(project, { offline: opts.offline, maxAge, want: wantedFrom(project, names) }, needed);
  const concerned = (src: string) =>
    names.filter((n) => {
      const p = project.config.contracts[n]!.provider;
      return p === undefined ? project.config.name !== undefined : p.startsWith(`${src}/`);
    });
  const offline: string[] = [];
  for (const src of sources.values()) {
    for (const text of src.notes) {
      // One note for many sources read offline, not one per source on every contract.
      if (sources.size > 3 && text.startsWith(`source '${src.name}' read from the cache`)) offline.push(src.name);
      else sourceNotes.push({ contracts: concerned(src.name), text });
    }
  }
  if (offline.length) {
    const stamps = offline.map((n) => sources.get(n)!.fetched).filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime());
    const when = stamps.length ? `; last fetched between ${stamps[0]!.toISOString()} and ${stamps[stamps.length - 1]!.toISOString()}` : "";
    const why = opts.offline ? "--offline" : `fetched less than ${maxAge} s ago; comms fetch refreshes them`;
    sourceNotes.push({ contracts: [...new Set(offline.flatMap(concerned))], text: `${offline.length} sources read from the cache as they are (${why}${when}); they may be behind their refs` });
  }
  return { sources, sourceNotes };
}

/** Stale and placeholder `policy.accept` entries become notes on the contract they name. */
function addAcceptNotes(project: LoadedConfig, results: ContractResult[], matched: Set<number>, complete: boolean, cwd: string): void {
  const entries = project.config.policy?.accept ?? [];
  const where = (i: number) => {
    const loc = project.locate(["policy", "accept", i]);
    return loc ? ` (${relative(cwd, project.file) || project.file}:${loc.line})` : "";
  };
  for (const [i, e] of entries.entries()) {
    const target = e.contract === undefined ? (complete ? results[0] : undefined) : results.find((r) => r.contract === e.contract);
    if (!target) continue;
    const note = !matched.has(i)
      ? `stale accept entry${where(i)}: ${e.rule} at ${e.path} matches no finding; remove it`
      : /^\s*TODO\b/.test(e.reason)
        ? `accept entry${where(i)} for ${e.rule} still has a placeholder reason; say why this break is acceptable`
        : undefined;
    if (note) (target.notes ??= []).push(note);
  }
}

/** `--accept`: records the failing findings in comms.yaml for review; returns how many were added. */
async function acceptFindings(
  project: LoadedConfig,
  results: ContractResult[],
  failOn: "breaking" | "dangerous",
  reason: string | undefined,
  opts: GlobalOptions,
): Promise<number> {
  const [{ isViolation }, { addAcceptEntries, PLACEHOLDER_REASON }, { VERSION_NOT_BUMPED }] = await Promise.all([
    import("../../policy/evaluate.ts"),
    import("../../policy/edit.ts"),
    import("../../policy/steps/version.ts"),
  ]);
  const entries = results.flatMap((r) =>
    r.findings
      .filter((f: Finding) => isViolation(f, failOn) && f.rule !== VERSION_NOT_BUMPED)
      // Findings about the configuration as a whole belong to no contract.
      .map((f) => ({ ...(r.kind === "policy" ? {} : { contract: r.contract }), rule: f.rule, path: f.path, reason: reason ?? PLACEHOLDER_REASON })),
  );
  if (!entries.length) return 0;
  const display = relative(opts.cwd, project.file) || project.file;
  const { text, added } = addAcceptEntries(readFileSync(project.file, "utf8"), entries, display);
  if (!added.length) return 0;
  writeFileSync(project.file, text);
  if (!opts.quiet) {
    const what = reason ? "" : "; replace the TODO reasons before merging";
    writeErr(`comms: added ${added.length} accepted change${added.length === 1 ? "" : "s"} to ${display} under policy.accept${what}\n`);
  }
  return added.length;
}
