import { join, relative } from "node:path";
import { MAX_CONFIG_BYTES, readConfigText } from "../core/config-file.ts";
import type { KindId } from "../core/engine.ts";
import { CommsError, ConfigError } from "../core/errors.ts";
import { finalizeFindings, type Finding } from "../core/finding.ts";
import { normalizePath } from "../core/source.ts";
import { displayPath, parseConfig, type AcceptEntry, type CommsConfig, type CompatibilityMode, type LoadedConfig } from "../policy/config.ts";
import { policyNow } from "../policy/clock.ts";
import { isViolation, type FailOn } from "../policy/evaluate.ts";
import { modeSpec } from "../policy/modes.ts";
import { globMatch, isoDay } from "../policy/steps/accept.ts";
import { DEFAULT_MIN_DAYS } from "../policy/steps/deprecation.ts";
import * as R from "../policy/trust-rules.ts";
import { readIndex, readObjects, repoState, resolveCommit } from "../registry/git.ts";
import { maxFileBytes, projectRegistry, workingReader } from "../registry/store.ts";
import type { ContractResult } from "../report/model.ts";
import { verifyHistory } from "./history.ts";
import { bufEntryFiles, bufView, compareBufViews, protobufLoosenings, workModules, type BreakingSettings } from "./trust-buf.ts";

// The gate's trust anchor. What the change under review may not decide for itself (the policy it is
// judged by, the list of contracts, the registry, released history) is compared with trusted history:
// comms.yaml at the base ref with `--against`, else at HEAD; snapshots with the commits that released
// them. The change's own policy is the one applied, as buf reads its config from the input, but every
// loosening is a breaking finding of its own that only an exact policy.accept entry clears.

/** A finding about the configuration and the result it belongs to. */
interface ConfigFinding {
  /** Contract the finding is about; undefined for the configuration as a whole. */
  contract?: string;
  /** Kind of a contract the change no longer declares. */
  removedKind?: KindId;
  finding: Finding;
}

/** What the trust anchor found; `applyTrust` merges it into the gate's results. */
export interface TrustOutcome {
  findings: ConfigFinding[];
  notes: string[];
  /** Name of the result that holds findings about the configuration as a whole. */
  configName: string;
  /** What the configuration was compared with: the base ref, or HEAD. */
  ref?: string;
}

export interface TrustOptions {
  against?: string;
  fromIndex?: boolean;
  cwd: string;
  /** Contracts checked in this run; findings about other declared contracts are left out. */
  names: readonly string[];
  /** Every contract is checked: contracts released but no longer declared are named in a note. */
  complete: boolean;
}

/** The comms.yaml text a project was parsed from when it is not the working tree's (the index's, --staged). */
const stagedTexts = new WeakMap<LoadedConfig, string>();
/** What the report says about a working tree comms.yaml that differs from the staged one. */
const stagedNotes = new WeakMap<LoadedConfig, string>();

/**
 * `--staged`: the comms.yaml that will be committed is the one judged against HEAD and applied. The
 * working tree's may differ (a loosening staged while the file on disk looks strict, or the reverse); a
 * note says so. `validate` applies the checks every loaded configuration passes (containment).
 */
export function stagedProject(project: LoadedConfig, cwd: string, validate: (p: LoadedConfig, display: string) => void): LoadedConfig {
  const state = repoState(project.root);
  if (!state) return project;
  const file = normalizePath(relative(project.root, project.file));
  const display = displayPath(project.file, cwd);
  const name = `:${state.prefix}${file}`;
  const staged = readObjects(state.root, [name], () => `${display} (git index)`, MAX_CONFIG_BYTES).get(name);
  const working = readConfigText(project.file);
  if (staged === undefined) {
    stagedNotes.set(project, `${file} is not staged (or has conflicts): the working tree's is applied, but it is not what will be committed`);
    return project;
  }
  if (staged === working) return project;
  const next = parseConfig(staged, display, project.file);
  validate(next, display);
  stagedTexts.set(next, staged);
  stagedNotes.set(next, `${file} in the working tree differs from the staged one: the staged ${file} (what will be committed) is the policy applied and is compared with HEAD; the working tree's is not checked`);
  return next;
}

/** The trusted configuration, parsed from its text at the base ref or HEAD; undefined when it cannot serve. */
function baseConfig(project: LoadedConfig, text: string | undefined, ref: string, file: string, notes: string[]): LoadedConfig | undefined {
  if (text === undefined) {
    if (ref !== "HEAD") notes.push(`${file} does not exist at ${ref}: the gate's configuration is new there, so there is nothing to compare it with`);
    return undefined;
  }
  // The usual case: nothing changed, nothing to parse.
  if (text === (stagedTexts.get(project) ?? readConfigText(project.file))) return undefined;
  try {
    if (text.length > MAX_CONFIG_BYTES) throw new ConfigError(`larger than ${MAX_CONFIG_BYTES} bytes`, { file: `${ref}:${file}`, line: 1, column: 1 });
    return parseConfig(text, `${ref}:${file}`, project.file);
  } catch (e) {
    if (!(e instanceof CommsError)) throw e;
    notes.push(`the configuration at ${ref} cannot be read (${e.message.split("\n")[0]}); the change's configuration is not compared with it`);
    return undefined;
  }
}

/** Whether mode `to` checks less than `from`: a guarantee (backward, forward, transitive) of `from` is lost. */
export function modeLoosened(from: CompatibilityMode, to: CompatibilityMode): boolean {
  const a = modeSpec(from);
  const b = modeSpec(to);
  if (from === "none") return false;
  return to === "none" || (a.backward && !b.backward) || (a.forward && !b.forward) || (a.transitive && !b.transitive);
}

const LEVEL_RANK: Record<string, number> = { ERR: 3, WARN: 2, INFO: 1, NONE: 0 };
const SEVERITY_LEVEL: Record<string, string> = { breaking: "ERR", dangerous: "WARN", safe: "INFO" };

/** Every name `inner` matches is also matched by `outer`: `outer` matches `inner`'s text, its `*` included. */
function patternCovers(outer: string, inner: string): boolean {
  return outer === inner || globMatch(outer, inner);
}

function acceptCovers(b: AcceptEntry, c: AcceptEntry): boolean {
  if (b.contract !== undefined && b.contract !== c.contract) return false;
  if (!patternCovers(b.rule, c.rule) || !patternCovers(b.path, c.path)) return false;
  return b.until === undefined || (c.until !== undefined && c.until <= b.until);
}

const describeAccept = (e: AcceptEntry) =>
  `{ ${e.contract === undefined ? "every contract" : `contract ${e.contract}`}, rule ${e.rule}, path ${e.path}${e.until ? `, until ${e.until}` : ", no end date"} }`;

/**
 * Compares the change's comms.yaml with the trusted one and verifies released history. Throws a
 * RegistryError (exit 2) when released history was rewritten.
 */
export async function judgeTrust(project: LoadedConfig, opts: TrustOptions): Promise<TrustOutcome> {
  // One `git rev-parse` for the repository, and the trusted comms.yaml read in the history check's batch.
  const state = repoState(project.root);
  const file = normalizePath(relative(project.root, project.file));
  const ref = opts.against ?? "HEAD";
  const commit = !state ? undefined : opts.against ? resolveCommit(project.root, opts.against) : state.head;
  const objectOf = (path: string) => `${commit}:${state!.prefix}${path}`;
  const object = commit && state ? objectOf(file) : undefined;
  // buf.yaml beside each checked protobuf contract is read at the base in the same batch.
  const bufFiles = object
    ? opts.names.flatMap((n) => {
        const c = Object.hasOwn(project.config.contracts, n) ? project.config.contracts[n]! : undefined;
        return c?.kind === "protobuf" ? bufEntryFiles(c.path).map(objectOf) : [];
      })
    : [];
  const history = verifyHistory(project, {
    against: opts.against,
    fromIndex: opts.fromIndex,
    cwd: opts.cwd,
    state: state ?? null,
    extra: object ? [object, ...bufFiles] : [],
    extraMaxBytes: MAX_CONFIG_BYTES,
  });
  const notes = history.notes;
  const staged = stagedNotes.get(project);
  if (staged && opts.fromIndex) notes.push(staged);
  // Named as in the project, whatever directory comms runs from, so accept entries stay valid.
  const configName = file;
  const out: TrustOutcome = { findings: [], notes, configName };
  const change = project.config;
  if (!state) notes.push("not a git repository: comms.yaml and released snapshots are not compared with git history (snapshots are checked against the registry's hashes only)");
  if (opts.complete) {
    const declared = change.contracts;
    let released: string[] = [];
    try {
      released = projectRegistry(project).contracts();
    } catch {
      // A damaged registry is reported by the comparisons that read it.
    }
    const orphans = released.filter((n) => !Object.hasOwn(declared, n));
    if (orphans.length) notes.push(`released but not declared in ${configName}, so not checked: ${orphans.join(", ")}`);
  }
  const base = object ? baseConfig(project, history.objects.get(object), ref, file, notes) : undefined;
  if (bufFiles.length) {
    const was = base?.config ?? project.config;
    out.findings.push(...(await compareBufYaml(project, was, history.objects, objectOf, ref, opts, state?.root)));
  }
  if (!base) return out;
  out.ref = ref;
  const was = base.config;
  const selected = new Set(opts.names);
  const push = (rule: string, keys: Array<string | number>, message: string, o: { contract?: string; removedKind?: KindId; path?: string; preferKey?: boolean; at?: Array<string | number> } = {}) => {
    if (o.contract !== undefined && o.removedKind === undefined && !selected.has(o.contract)) return;
    const finding: Finding = { rule, severity: "breaking", path: o.path ?? keys.join("."), message, gate: "config" };
    const now = project.locate(o.at ?? keys, o.preferKey);
    const before = base.locate(keys, o.preferKey);
    if (now) finding.new = now;
    if (before) finding.old = before;
    out.findings.push({ contract: o.contract, removedKind: o.removedKind, finding });
  };
  // Where the base value is written (`main:comms.yaml:4`), else the ref when the base relies on a default.
  const wasAt = (keys: Array<string | number>) => {
    const l = base.locate(keys);
    return l && keys.every((_, i) => base.locate(keys.slice(0, i + 1))) ? `${l.file}:${l.line}` : ref;
  };

  comparePolicy(was, change, push, wasAt, ref);
  await compareRules(was, change, push, wasAt, ref);
  compareAccepts(was, change, push, wasAt, ref);
  compareContracts(was, change, push, wasAt, ref);
  const oldRegistry = normalizePath(was.registry ?? ".comms");
  const newRegistry = normalizePath(change.registry ?? ".comms");
  if (oldRegistry !== newRegistry) {
    push(R.POLICY_REGISTRY_MOVED, ["registry"], `the registry moved from ${oldRegistry} (${wasAt(["registry"])}) to ${newRegistry}: releases are read from there`);
  }
  return out;
}

type Push = (rule: string, keys: Array<string | number>, message: string, o?: { contract?: string; removedKind?: KindId; path?: string; preferKey?: boolean; at?: Array<string | number> }) => void;
type WasAt = (keys: Array<string | number>) => string;

function comparePolicy(was: CommsConfig, now: CommsConfig, push: Push, wasAt: WasAt, ref: string): void {
  const oldMode = was.policy?.compatibility ?? "backward";
  const newMode = now.policy?.compatibility ?? "backward";
  const meaning = (a: CompatibilityMode, b: CompatibilityMode) =>
    a !== "none" && b !== "none" && modeSpec(a).backward !== modeSpec(b).backward && modeSpec(a).forward !== modeSpec(b).forward
      ? " (a change of meaning: the other direction is checked instead)"
      : "";
  if (modeLoosened(oldMode, newMode)) {
    push(R.POLICY_COMPATIBILITY_LOOSENED, ["policy", "compatibility"], `compatibility loosened from ${oldMode} (${wasAt(["policy", "compatibility"])}) to ${newMode}${meaning(oldMode, newMode)}`);
  }
  for (const [name, c] of Object.entries(now.contracts)) {
    if (!Object.hasOwn(was.contracts, name)) continue;
    const b = was.contracts[name]!;
    if (b.compatibility === undefined && c.compatibility === undefined) continue;
    const from = b.compatibility ?? oldMode;
    const to = c.compatibility ?? newMode;
    if (modeLoosened(from, to)) {
      push(R.POLICY_COMPATIBILITY_LOOSENED, ["contracts", name, "compatibility"], `compatibility of contract '${name}' loosened from ${from} (${wasAt(b.compatibility === undefined ? ["policy", "compatibility"] : ["contracts", name, "compatibility"])}) to ${to}${meaning(from, to)}`, { contract: name });
    }
    if (b.usage !== "required" && c.usage === "required") {
      push(R.POLICY_RULE_LOWERED, ["contracts", name, "usage"], `contract '${name}' now uses usage: required (was ${b.usage ?? "optional"} at ${ref}): breaks no operation touches become dangerous`, { contract: name });
    }
  }
  const oldFail = was.policy?.["fail-on"] ?? "breaking";
  const newFail = now.policy?.["fail-on"] ?? "breaking";
  if (oldFail === "dangerous" && newFail === "breaking") {
    push(R.POLICY_FAIL_ON_RAISED, ["policy", "fail-on"], `fail-on raised from dangerous (${wasAt(["policy", "fail-on"])}) to breaking: dangerous changes no longer fail`);
  }
  const oldDays = was.policy?.deprecation?.["min-days"] ?? DEFAULT_MIN_DAYS;
  const newDays = now.policy?.deprecation?.["min-days"] ?? DEFAULT_MIN_DAYS;
  if (newDays < oldDays) {
    push(R.POLICY_DEPRECATION_SHORTENED, ["policy", "deprecation", "min-days"], `deprecation min-days lowered from ${oldDays} (${wasAt(["policy", "deprecation", "min-days"])}) to ${newDays}`);
  }
  const oldSunset = was.policy?.openapi?.["deprecation-days"];
  const newSunset = now.policy?.openapi?.["deprecation-days"];
  if (oldSunset !== undefined && (newSunset === undefined || newSunset < oldSunset)) {
    push(R.POLICY_DEPRECATION_SHORTENED, ["policy", "openapi", "deprecation-days"], `openapi deprecation-days lowered from ${oldSunset} (${wasAt(["policy", "openapi", "deprecation-days"])}) to ${newSunset ?? "none"}`);
  }
  for (const kind of ["jsonschema", "asyncapi"] as const) {
    if (was.policy?.[kind]?.lenient !== true && now.policy?.[kind]?.lenient === true) {
      push(R.POLICY_LENIENT_ENABLED, ["policy", kind, "lenient"], `${kind} lenient mode turned on (off at ${ref}): the schema registry's lenient changes pass`);
    }
  }
}

async function compareRules(was: CommsConfig, now: CommsConfig, push: Push, wasAt: WasAt, ref: string): Promise<void> {
  const oldLevels = was.policy?.openapi?.levels ?? {};
  const newLevels = now.policy?.openapi?.levels ?? {};
  const ids = [...new Set([...Object.keys(oldLevels), ...Object.keys(newLevels)])].filter((id) => oldLevels[id] !== newLevels[id]);
  if (ids.length) {
    const { getEngine } = await import("../kinds/index.ts");
    const defaults = new Map((await getEngine("openapi")).rules().map((r) => [r.id, SEVERITY_LEVEL[r.severity]!]));
    for (const id of ids) {
      // A rule comms does not know fires nothing; an unknown id is judged as if it were an error.
      const from = (Object.hasOwn(oldLevels, id) ? oldLevels[id] : undefined) ?? defaults.get(id) ?? "ERR";
      const to = (Object.hasOwn(newLevels, id) ? newLevels[id] : undefined) ?? defaults.get(id) ?? "ERR";
      if (LEVEL_RANK[to]! < LEVEL_RANK[from]!) push(R.POLICY_RULE_LOWERED, ["policy", "openapi", "levels", id], `level of openapi rule ${id} lowered from ${from} (${wasAt(["policy", "openapi", "levels", id])}) to ${to}`);
    }
  }
  for (const l of await protobufLoosenings(was.policy?.protobuf ?? {}, now.policy?.protobuf ?? {}, ref)) push(R.POLICY_RULE_LOWERED, ["policy", "protobuf", ...l.key], l.message);
  const oldGraph = was.policy?.graphql ?? {};
  const newGraph = now.policy?.graphql ?? {};
  if (oldGraph["strict-enums"] === true && newGraph["strict-enums"] !== true) {
    push(R.POLICY_RULE_LOWERED, ["policy", "graphql", "strict-enums"], `graphql strict-enums turned off (on at ${wasAt(["policy", "graphql", "strict-enums"])}): new values of enums used both ways become dangerous`);
  }
  const directives = (newGraph["ignore-directives"] ?? []).filter((d) => !(oldGraph["ignore-directives"] ?? []).includes(d));
  if (directives.length) push(R.POLICY_RULE_LOWERED, ["policy", "graphql", "ignore-directives"], `graphql directives newly ignored (not at ${ref}): ${directives.join(", ")}`);
}

/**
 * The buf files of each checked protobuf contract (buf.yaml, buf.work.yaml and its modules' buf.yaml),
 * read from the change and at the base, with comms.yaml's own protobuf settings applied over both: a
 * loosening is reported on that contract, at the file.
 */
async function compareBufYaml(project: LoadedConfig, was: CommsConfig, texts: Map<string, string | undefined>, objectOf: (file: string) => string, ref: string, opts: TrustOptions, root: string | undefined): Promise<ConfigFinding[]> {
  const out: ConfigFinding[] = [];
  const buf = await import("../kinds/protobuf/buf-config.ts");
  const policy = project.config.policy?.protobuf as BreakingSettings | undefined;
  const contracts = Object.entries(project.config.contracts).filter(
    ([name, c]) => c.kind === "protobuf" && opts.names.includes(name) && Object.hasOwn(was.contracts, name) && normalizePath(was.contracts[name]!.path) === normalizePath(c.path) && bufEntryFiles(c.path).length,
  );
  if (!contracts.length) return out;
  // The modules of a workspace at the base are known once its buf.work.yaml is read: one more batch.
  const atBase = (f: string) => texts.get(objectOf(f));
  const more = root ? contracts.flatMap(([, c]) => workModules(buf, normalizePath(c.path), atBase).map((m) => objectOf(`${m}/buf.yaml`))) : [];
  const moduleTexts = more.length ? readObjects(root!, more, (n) => n, MAX_CONFIG_BYTES) : new Map<string, string | undefined>();
  const base = (f: string) => (texts.has(objectOf(f)) ? texts.get(objectOf(f)) : moduleTexts.get(objectOf(f)));
  for (const [name, c] of contracts) {
    const dir = normalizePath(c.path);
    // What will be committed with --staged, else the working tree.
    const reader = opts.fromIndex ? readIndex(project.root, [dir], maxFileBytes(project)) : workingReader(project);
    const change = (f: string) => quiet(() => reader.read(f));
    const findings = await compareBufViews({
      dir,
      was: bufView(buf, dir, base),
      now: bufView(buf, dir, change),
      policy,
      ref,
      reader,
      display: (f) => displayPath(join(project.root, f), opts.cwd),
    });
    for (const finding of findings) out.push({ contract: name, finding });
  }
  return out;
}

/** A file that cannot be read configures nothing here; the engine reports it when it loads the contract. */
function quiet<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function compareAccepts(was: CommsConfig, now: CommsConfig, push: Push, wasAt: WasAt, ref: string): void {
  const before = was.policy?.accept ?? [];
  for (const [i, e] of (now.policy?.accept ?? []).entries()) {
    if (before.some((b) => acceptCovers(b, e))) continue;
    const wildcard = e.rule.includes("*") || e.path.includes("*");
    // The base entry this one replaces, if any: same rule and path, or same index with the same rule.
    const same = before.findIndex((b) => b.rule === e.rule && b.path === e.path && (b.contract === e.contract || b.contract === undefined || e.contract === undefined));
    if (!wildcard && same < 0) continue;
    const id = `policy.accept[${e.contract ?? "*"}:${e.rule}:${e.path}]`;
    const previous = same >= 0 ? ` (was ${describeAccept(before[same]!)} at ${wasAt(["policy", "accept", same])})` : ` (no entry of ${ref} covers it)`;
    push(R.POLICY_ACCEPT_WIDENED, ["policy", "accept", i], `accept entry widened: ${describeAccept(e)}${previous}`, { path: id });
  }
}

function compareContracts(was: CommsConfig, now: CommsConfig, push: Push, wasAt: WasAt, ref: string): void {
  for (const [name, b] of Object.entries(was.contracts)) {
    const oldPath = normalizePath(b.path);
    if (!Object.hasOwn(now.contracts, name)) {
      const heir = Object.entries(now.contracts).find(([n, c]) => !Object.hasOwn(was.contracts, n) && normalizePath(c.path) === oldPath && c.kind === b.kind)?.[0];
      if (heir) {
        push(R.CONTRACT_RENAMED, ["contracts", name], `contract '${name}' (${b.kind}, ${oldPath}, declared at ${wasAt(["contracts", name])}) is now declared as '${heir}': the old name is removed and the new one has no release history`, {
          contract: name,
          removedKind: b.kind,
          preferKey: true,
          at: ["contracts", heir],
        });
      } else {
        push(R.CONTRACT_REMOVED, ["contracts", name], `contract '${name}' (${b.kind}, ${oldPath}) was removed from the configuration (declared at ${wasAt(["contracts", name])}): it is no longer checked`, {
          contract: name,
          removedKind: b.kind,
          preferKey: true,
          at: ["contracts"],
        });
      }
      continue;
    }
    const c = now.contracts[name]!;
    const newPath = normalizePath(c.path);
    if (newPath !== oldPath || c.kind !== b.kind) {
      const what = newPath !== oldPath ? `now points at ${newPath} (was ${oldPath} at ${wasAt(["contracts", name, "path"])})` : `is now of kind ${c.kind} (was ${b.kind} at ${ref})`;
      push(R.CONTRACT_REPOINTED, ["contracts", name, newPath !== oldPath ? "path" : "kind"], `contract '${name}' ${what}`, { contract: name, path: `contracts.${name}.path` });
    }
  }
}

/**
 * Merges the trust findings into the gate's results: each on its contract's result, findings about the
 * configuration as a whole on a result of their own (named after the config file), removed contracts on
 * results that name them. A finding is accepted only by a policy.accept entry whose rule and path equal
 * its own (no patterns). Returns the indexes of the entries that matched.
 */
export function applyTrust(results: ContractResult[], outcome: TrustOutcome, accepts: readonly AcceptEntry[] | undefined, failOn: FailOn, now = policyNow()): number[] {
  const matched = new Set<number>();
  const today = isoDay(now);
  const touched = new Set<ContractResult>();
  const resultFor = (cf: ConfigFinding): ContractResult => {
    const name = cf.contract ?? outcome.configName;
    let r = results.find((x) => x.contract === name && (cf.contract === undefined ? x.kind === "policy" : x.kind !== "policy"));
    if (!r) {
      r = {
        contract: name,
        kind: cf.contract === undefined ? "policy" : cf.removedKind!,
        old: { ref: outcome.ref ?? "HEAD" },
        new: { ref: "working tree" },
        findings: [],
        suggestedBump: "none",
        verdict: "pass",
      };
      results.push(r);
    }
    return r;
  };
  for (const cf of outcome.findings) {
    const f = cf.finding;
    const name = cf.contract ?? outcome.configName;
    for (const [i, e] of (accepts ?? []).entries()) {
      if ((e.contract !== undefined && e.contract !== name) || e.rule !== f.rule || e.path !== f.path) continue;
      matched.add(i);
      if (e.until !== undefined && e.until < today) f.note = `accepted until ${e.until}, which has passed (${e.reason})`;
      else f.accepted = e.until === undefined ? { reason: e.reason } : { reason: e.reason, until: e.until };
      break;
    }
    const r = resultFor(cf);
    r.findings.push(f);
    touched.add(r);
  }
  for (const r of touched) {
    r.findings = finalizeFindings(r.findings, r.contract);
    // Only the configuration's findings: a contract in mode `none` keeps its own verdict.
    if (r.findings.some((f) => f.gate === "config" && isViolation(f, failOn))) r.verdict = "fail";
  }
  if (outcome.notes.length) {
    const target = results.find((r) => r.kind === "policy") ?? results[0];
    if (target) target.notes = [...(target.notes ?? []), ...outcome.notes];
  }
  return [...matched].sort((a, b) => a - b);
}
