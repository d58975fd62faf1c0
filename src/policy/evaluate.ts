import { finalizeFindings, type Finding } from "../core/finding.ts";
import type { Bump, Verdict } from "../report/model.ts";
import type { CompatibilityMode, PolicyConfig } from "./config.ts";
import { policyNow } from "./clock.ts";
import { isAddition, isDeprecation, isDocumentation, isExtension, isRemoval } from "./classes.ts";
import { applyAccepts } from "./steps/accept.ts";
import { applyDeprecation, DEFAULT_MIN_DAYS, type DeprecatedSince } from "./steps/deprecation.ts";
import { checkVersion, isVersionFinding, type VersionContext } from "./steps/version.ts";

export type FailOn = "breaking" | "dangerous";

/** Inputs of the policy pipeline for one contract. */
export interface PolicyContext {
  contract: string;
  policy?: PolicyConfig;
  failOn: FailOn;
  /** "Today", injectable for tests of dated rules (accept `until`, deprecation age). */
  now?: Date;
  /** Effective compatibility mode; `none` reports findings without failing. */
  mode?: CompatibilityMode;
  /** First release that deprecated the element a finding removes (from the registry history). */
  deprecatedSince?: (f: Finding) => DeprecatedSince | undefined;
  /** Whether release history was searched for `deprecatedSince`; without it no deprecation softens a removal. */
  history?: boolean;
  /** When set, the declared version must fit the change (`check`). */
  version?: VersionContext;
}

/** Outcome of the pipeline. */
export interface Evaluation {
  findings: Finding[];
  verdict: Verdict;
  suggestedBump: Bump;
  notes: string[];
  /** Indexes of `policy.accept` entries that matched a finding (the others may be stale). */
  matchedAccepts: number[];
}

/**
 * Semver bump a set of findings calls for, one table for every kind. Semver follows the findings, not
 * the verdict: any breaking finding makes it major, accepted or not (accepting a break stops the gate
 * from failing, it does not make the change compatible). Anything dangerous, added, widened, removed or
 * deprecated is at least minor: a removal is never a patch, even when it is rated safe (an optional
 * field, a deprecated element). Documentation and other changes no consumer relies on are a patch.
 */
export function suggestBump(findings: Finding[]): Bump {
  const changes = findings.filter((f) => !isVersionFinding(f));
  if (!changes.length) return "none";
  if (changes.some((f) => f.severity === "breaking")) return "major";
  if (changes.some((f) => (f.severity === "dangerous" && !isDocumentation(f)) || isAddition(f) || isExtension(f) || isRemoval(f) || isDeprecation(f))) return "minor";
  return "patch";
}

/** Whether a finding fails the run at this threshold. */
export function isViolation(f: Finding, failOn: FailOn): boolean {
  if (f.accepted) return false;
  return f.severity === "breaking" || (failOn === "dangerous" && f.severity === "dangerous");
}

/**
 * Applies policy to raw engine findings as pure transforms, then judges them.
 * Detection never reads policy; everything that turns facts into a verdict happens here.
 * Order matters: deprecation and accepted changes decide which breaks remain before the
 * declared version is judged against them.
 */
export function evaluate(raw: Finding[], ctx: PolicyContext): Evaluation {
  const now = ctx.now ?? policyNow();
  let findings = applyDeprecation(raw, {
    minDays: ctx.policy?.deprecation?.["min-days"] ?? DEFAULT_MIN_DAYS,
    now,
    history: ctx.history === true,
    since: ctx.deprecatedSince ?? (() => undefined),
  });
  const accepted = applyAccepts(findings, ctx.policy?.accept, ctx.contract, now);
  findings = accepted.findings;
  const suggestedBump = suggestBump(findings);
  const notes: string[] = [];
  if (ctx.mode === "none") {
    notes.push("compatibility is 'none': changes are reported, never enforced");
  } else if (ctx.version) {
    findings = checkVersion(findings, ctx.version);
  }
  findings = finalizeFindings(findings, ctx.contract);
  const verdict: Verdict = ctx.mode !== "none" && findings.some((f) => isViolation(f, ctx.failOn)) ? "fail" : "pass";
  return { findings, verdict, suggestedBump, notes, matchedAccepts: accepted.matched };
}
