import { lt, valid } from "semver";
import type { Engine, KindId, LoadedContract } from "../core/engine.ts";
import { collectRepeats, DUPLICATE_KEY_RULE, type RepeatedKey } from "../core/duplicate-keys.ts";
import { finalizeFindings, type Finding } from "../core/finding.ts";
import type { Location } from "../core/location.ts";
import { relocate, type ContractSource } from "../core/source.ts";
import { getEngine } from "../kinds/index.ts";
import type { CompatibilityMode, PolicyConfig } from "../policy/config.ts";
import { evaluate, type FailOn } from "../policy/evaluate.ts";
import { modeSpec } from "../policy/modes.ts";
import { isRemoval, isReuseGuard } from "../policy/classes.ts";
import { asForward } from "../policy/steps/direction.ts";
import { VERSION_NOT_BUMPED, versionProblem } from "../policy/steps/version.ts";
import type { DeprecatedSince } from "../policy/steps/deprecation.ts";
import type { ContractResult } from "../report/model.ts";
import { logger } from "./logger.ts";

/** One side of a comparison. */
export interface Side {
  source: ContractSource;
  /** Shown in reports: "users-api@1.2.0", "main", "working tree". */
  ref: string;
  /** Version declared outside the contract (comms.yaml or the registry). */
  version?: string;
  /** Where `version` is declared (the comms.yaml line), for version findings. */
  versionLocation?: Location;
  /** Release date, for deprecation ages. */
  date?: string;
}

/** A released version in the history walked for deprecation dates. */
export interface HistoryEntry {
  source: ContractSource;
  version: string;
  date: string;
}

export interface CompareRequest {
  contract: string;
  kind: KindId;
  old: Side;
  new: Side;
  /** Kind-specific settings from comms.yaml (`policy.<kind>` plus per-contract options). */
  settings?: Record<string, unknown>;
  operations?: Array<{ file: string; content: string }>;
  policy?: PolicyConfig;
  failOn: FailOn;
  /** Compatibility mode; backward when absent. */
  mode?: CompatibilityMode;
  /** Earlier baselines checked as well in `*-transitive` modes, newest first (after `old`). */
  earlier?: Side[];
  /** Released versions, oldest first, searched for the first deprecation of a removed element. */
  history?: HistoryEntry[];
  /** Judge the declared version against the change (`check`, not `diff`). */
  checkVersion?: boolean;
  now?: Date;
  /** Schema registry subject of an Avro or JSON Schema contract, shown with its result. */
  subject?: string;
  /** Engine override, for tests with a fake kind. */
  engine?: Engine;
}

/** A comparison's result plus what the caller needs to report stale accept entries. */
export interface DetailedResult {
  result: ContractResult;
  matchedAccepts: number[];
}

const BUMPS: ReadonlyArray<ContractResult["suggestedBump"]> = ["none", "patch", "minor", "major"];

/** Loads both sides with the kind's engine, diffs them and applies policy. */
export async function compareContract(req: CompareRequest): Promise<ContractResult> {
  return (await compareDetailed(req)).result;
}

function versionLocation(contract: string, side: Side, loaded: LoadedContract): { path: string; location?: Location } {
  if (loaded.version !== undefined) {
    // The engine located it while parsing; parsing the document again here cost seconds on large specs.
    return { path: "info.version", location: loaded.versionLocation };
  }
  return { path: `contracts.${contract}.version`, location: side.versionLocation };
}

/**
 * Compares the new side with one baseline, or with each baseline of a transitive mode, and merges the
 * findings: a break against an older release that the latest already shows is reported once.
 */
export async function compareDetailed(req: CompareRequest): Promise<DetailedResult> {
  const engine = req.engine ?? (await getEngine(req.kind));
  const warn = (m: string) => logger.warn(m);
  const options = { settings: req.settings ?? {}, warn };
  const spec = modeSpec(req.mode);
  const baselines = [req.old, ...(spec.transitive ? (req.earlier ?? []) : [])];
  // Repeated keys the readers accepted are reported for the compared pair; other versions only obey the mode.
  const dupMode = req.policy?.["duplicate-keys"];
  const repeats: { old: RepeatedKey[]; new: RepeatedKey[] } = { old: [], new: [] };
  const load = async (source: ContractSource, side?: "old" | "new") => {
    const { value, repeats: found } = await collectRepeats(dupMode, () => engine.load(source, options));
    if (side) repeats[side].push(...found);
    return value;
  };
  // Both sides of the first comparison load together; older baselines only when a transitive mode asks.
  const [after, latest] = await Promise.all([load(req.new.source, "new"), load(req.old.source, "old")]);
  warnRepeats([...repeats.old, ...repeats.new]);
  const history = new Map<string, Promise<LoadedContract>>();
  const loadHistory = (h: HistoryEntry) => {
    let p = history.get(h.version);
    if (!p) history.set(h.version, (p = load(h.source)));
    return p;
  };

  const merged: Finding[] = [];
  const seen = new Set<string>();
  const matched = new Set<number>();
  const notes: string[] = [];
  let first: { before: LoadedContract; suggestedBump: ContractResult["suggestedBump"] } | undefined;
  let verdict: ContractResult["verdict"] = "pass";
  for (const [i, base] of baselines.entries()) {
    const before = i === 0 ? latest : await load(base.source);
    const diffOptions = { ...options, operations: req.operations, mode: req.mode };
    const raw: Finding[] = [];
    // Locations name the file each side was read from (a registry snapshot, `ref:path`).
    const [oldReader, newReader] = [base.source.reader, req.new.source.reader];
    if (spec.backward || req.mode === "none") raw.push(...markDeprecated(relocate(await engine.diff(before, after, diffOptions), oldReader, newReader), engine, before));
    if (spec.forward) raw.push(...asForward(relocate(await engine.diff(after, before, { ...diffOptions, direction: "forward" }), newReader, oldReader)));
    if (i === 0) raw.push(...relocate(repeatFindings(repeats), oldReader, newReader));

    const since = await deprecationDates(raw, req, engine, loadHistory);
    const version = req.checkVersion
      ? { old: base.version ?? before.version, new: after.version ?? req.new.version, ...versionLocation(req.contract, req.new, after), ...(req.subject ? { subject: req.subject } : {}) }
      : undefined;
    const judged = evaluate(raw, {
      contract: req.contract,
      policy: req.policy,
      failOn: req.failOn,
      now: req.now,
      mode: req.mode,
      deprecatedSince: (f) => since.get(f.path),
      history: (req.history?.length ?? 0) > 0,
      version,
    });
    if (i === 0 && !version && !req.subject) {
      // `diff` does not judge the declared version, but says what `check` would.
      const problem = versionProblem(judged.findings, { old: base.version ?? before.version, new: after.version ?? req.new.version });
      if (problem) notes.push(`${problem} ('comms check' fails on this: ${VERSION_NOT_BUMPED})`);
    }
    if (i === 0 && version?.old && version.new && valid(version.old) && valid(version.new) && lt(version.new, version.old)) {
      notes.push(`the declared version ${version.new} is lower than ${base.ref} (${version.old})`);
    }
    if (judged.verdict === "fail") verdict = "fail";
    for (const n of judged.matchedAccepts) matched.add(n);
    for (const n of judged.notes) if (!notes.includes(n)) notes.push(n);
    for (const f of judged.findings) {
      const key = `${f.rule}\u0000${f.path}\u0000${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(i === 0 ? f : { ...f, note: f.note ? `${f.note}; against ${base.ref}` : `against ${base.ref}` });
    }
    if (i === 0) first = { before, suggestedBump: judged.suggestedBump };
    // The bump follows every comparison the mode makes: a break against an older release is a break.
    else if (BUMPS.indexOf(judged.suggestedBump) > BUMPS.indexOf(first!.suggestedBump)) first!.suggestedBump = judged.suggestedBump;
  }
  if (baselines.length > 1) notes.push(`checked against ${baselines.map((b) => b.ref).join(", ")}`);
  const findings = baselines.length > 1 ? finalizeFindings(merged, req.contract) : merged;
  return {
    result: {
      contract: req.contract,
      kind: req.kind,
      ...(req.subject ? { subject: req.subject } : {}),
      old: { ref: req.old.ref, version: req.old.version ?? first!.before.version },
      new: { ref: req.new.ref, version: after.version ?? req.new.version },
      findings,
      suggestedBump: first!.suggestedBump,
      verdict,
      ...(notes.length ? { notes } : {}),
    },
    matchedAccepts: [...matched].sort((a, b) => a - b),
  };
}

/**
 * Keys written more than once with different values and read as the last one (`--duplicate-keys
 * last`): one dangerous finding per key and side, at the occurrence that is read, naming every line.
 * A key the new version still repeats is reported there only.
 */
function repeatFindings(repeats: { old: RepeatedKey[]; new: RepeatedKey[] }): Finding[] {
  const out: Finding[] = [];
  const inNew = new Set(repeats.new.filter((r) => !r.same).map((r) => r.path));
  for (const side of ["new", "old"] as const) {
    const byKey = new Map<string, RepeatedKey[]>();
    for (const r of repeats[side]) {
      const id = `${r.second.file}\u0000${r.path}`;
      byKey.set(id, [...(byKey.get(id) ?? []), r]);
    }
    for (const list of byKey.values()) {
      if (list.every((r) => r.same) || (side === "old" && inNew.has(list[0]!.path))) continue;
      const last = list[list.length - 1]!;
      const lines = [list[0]!.first.line, ...list.map((r) => r.second.line)];
      const where = side === "old" ? "the old version" : "the new version";
      out.push({
        rule: DUPLICATE_KEY_RULE,
        severity: "dangerous",
        path: last.path,
        message: `'${last.key}' is written ${lines.length === 2 ? "twice" : `${lines.length} times`} with different values in ${where} (lines ${lines.join(", ")}); read as the last one, as JSON.parse does, so a reviewer of an earlier one sees another contract`,
        [side]: last.second,
      });
    }
  }
  return out;
}

/**
 * Keys written twice with the same value hide nothing: one warning line counts them (with the first's
 * two places), and --verbose lists each.
 */
function warnRepeats(all: RepeatedKey[]): void {
  const seen = new Set<string>();
  const same = all.filter((r) => {
    const id = `${r.second.file}\u0000${r.second.line}\u0000${r.second.column}`;
    if (!r.same || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  if (!same.length) return;
  const at = (r: RepeatedKey) => `${r.second.file}:${r.second.line}:${r.second.column} (first at ${r.first.line}:${r.first.column})`;
  const first = same[0]!;
  const more = same.length > 1 ? `, and ${same.length - 1} more (--verbose lists them)` : "";
  logger.warn(`${same.length} key${same.length === 1 ? "" : "s"} written twice with the same value, read once: '${first.key}' at ${at(first)}${more}`);
  for (const r of same) logger.debug(`key '${r.key}' written twice with the same value: ${r.path} at ${at(r)}`);
}

/**
 * Removals the engine did not flag but whose element its `deprecation()` reports as deprecated in the
 * old version get the flag, so deprecation policy works alike for every kind. Rules that stop a number
 * or name from being reused never get it: deprecation does nothing against reuse.
 */
function markDeprecated(findings: Finding[], engine: Engine, before: LoadedContract): Finding[] {
  if (!engine.deprecation) return findings;
  return findings.map((f) => {
    if (f.deprecated || f.severity === "safe" || !isRemoval(f) || isReuseGuard(f)) return f;
    const d = engine.deprecation!(before, f.path);
    return d ? { ...f, deprecated: d } : f;
  });
}

/**
 * For removals of deprecated elements, the first release in which each was deprecated: older releases
 * are loaded only when some finding needs them, oldest first, and each at most once.
 */
async function deprecationDates(
  raw: Finding[],
  req: CompareRequest,
  engine: Engine,
  load: (h: HistoryEntry) => Promise<LoadedContract>,
): Promise<Map<string, DeprecatedSince>> {
  const out = new Map<string, DeprecatedSince>();
  // Sunset dates too: a sunset only counts once a release told consumers about it.
  const wanted = raw.filter((f) => f.deprecated && f.severity !== "safe");
  if (!wanted.length || !engine.deprecation || !req.history?.length) return out;
  const pending = new Set(wanted.map((f) => f.path));
  for (const h of req.history) {
    if (!pending.size) break;
    const loaded = await load(h);
    for (const path of [...pending]) {
      if (engine.deprecation(loaded, path)) {
        out.set(path, { version: h.version, date: h.date });
        pending.delete(path);
      }
    }
  }
  return out;
}
