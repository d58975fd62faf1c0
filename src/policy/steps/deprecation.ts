import type { Finding } from "../../core/finding.ts";
import { isoDay } from "./accept.ts";

/** Removal needs no waiting period unless `policy.deprecation.min-days` asks for one. */
export const DEFAULT_MIN_DAYS = 0;

/** The first released version in which an element was marked deprecated. */
export interface DeprecatedSince {
  version: string;
  /** ISO date (or date-time) of that release. */
  date: string;
}

export interface DeprecationContext {
  minDays: number;
  now: Date;
  /** First release deprecating the element at a finding's path, when the history shows one. */
  since(f: Finding): DeprecatedSince | undefined;
}

const DAY_MS = 86_400_000;

function daysBetween(from: string, now: Date): number {
  return Math.floor((Date.parse(isoDay(now)) - Date.parse(from.slice(0, 10))) / DAY_MS);
}

/**
 * Removing an element that was deprecated long enough ago is not breaking: the deprecation was the notice.
 * A sunset date still in the future keeps the removal breaking; a sunset date that has passed allows it
 * whatever `min-days` says. A removal too soon after its deprecation is breaking even when the engine
 * rated it lower (OpenAPI's `*-removed-with-deprecation` is informational). Every judged finding gets a
 * note that explains the verdict.
 */
export function applyDeprecation(findings: Finding[], ctx: DeprecationContext): Finding[] {
  const today = isoDay(ctx.now);
  return findings.map((f) => {
    if (!f.deprecated) return f;
    const allow = (note: string): Finding => ({ ...f, severity: f.severity === "breaking" ? "safe" : f.severity, note });
    const refuse = (note: string): Finding => ({ ...f, severity: "breaking", note });
    const sunset = f.deprecated.sunset?.slice(0, 10);
    if (sunset && sunset > today) return refuse(`removed before its sunset date ${sunset}`);
    if (sunset) return allow(`removed after its sunset date ${sunset}`);
    const since = ctx.since(f);
    if (ctx.minDays <= 0) return allow(since ? `deprecated since ${since.version} (${since.date.slice(0, 10)})` : "removed after deprecation");
    if (!since) return refuse(`deprecated, but in no released version yet; removal needs a deprecation released at least ${ctx.minDays} days earlier`);
    const age = daysBetween(since.date, ctx.now);
    if (age >= ctx.minDays) return allow(`deprecated since ${since.version} (${since.date.slice(0, 10)}, ${age} days ago)`);
    return refuse(`deprecated in ${since.version} only ${age} days ago; removal needs at least ${ctx.minDays} (policy.deprecation.min-days)`);
  });
}
