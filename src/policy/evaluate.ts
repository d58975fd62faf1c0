import { finalizeFindings, type Finding } from "../core/finding.ts";
import type { Bump, Verdict } from "../report/model.ts";
import type { PolicyConfig } from "./config.ts";

export type FailOn = "breaking" | "dangerous";

/** Inputs of the policy pipeline for one contract. */
export interface PolicyContext {
  contract: string;
  policy?: PolicyConfig;
  failOn: FailOn;
  /** "Today", injectable for tests of dated rules (accept `until`, deprecation age). */
  now?: Date;
}

/** Semver bump a set of findings calls for: major if breaking, minor if anything was added, else patch. */
export function suggestBump(findings: Finding[]): Bump {
  if (!findings.length) return "none";
  if (findings.some((f) => f.severity === "breaking" && !f.accepted)) return "major";
  if (findings.some((f) => /added|ADDED/.test(f.rule))) return "minor";
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
 */
export function evaluate(raw: Finding[], ctx: PolicyContext): { findings: Finding[]; verdict: Verdict; suggestedBump: Bump; notes: string[] } {
  const findings = finalizeFindings(raw, ctx.contract);
  const verdict: Verdict = findings.some((f) => isViolation(f, ctx.failOn)) ? "fail" : "pass";
  return { findings, verdict, suggestedBump: suggestBump(findings), notes: [] };
}
