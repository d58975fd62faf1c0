import type { Finding } from "../../core/finding.ts";
import { isReuseGuard } from "../classes.ts";
import { isoDay } from "./accept.ts";

/**
 * Days a deprecation must have been released before the removal it announced is judged safe. One
 * default for every kind, the value `comms init` writes: long enough for consumers to see the notice.
 */
export const DEFAULT_MIN_DAYS = 30;

/** The first released version in which an element was marked deprecated. */
export interface DeprecatedSince {
  version: string;
  /** ISO date (or date-time) of that release. */
  date: string;
}

export interface DeprecationContext {
  minDays: number;
  now: Date;
  /**
   * Whether the release history was searched (`check`, `release`). Without it (`diff` of two files)
   * nothing shows that a deprecation ever reached consumers.
   */
  history: boolean;
  /** First release deprecating the element at a finding's path, when the history shows one. */
  since(f: Finding): DeprecatedSince | undefined;
}

const DAY_MS = 86_400_000;

function daysBetween(from: string, now: Date): number {
  return Math.floor((Date.parse(isoDay(now)) - Date.parse(from.slice(0, 10))) / DAY_MS);
}

/**
 * The deprecation rule, the same for every kind. Engines report a removal at the severity it would have
 * if nothing had been deprecated, and set `deprecated` when the old version marked the element. Policy
 * may only soften such a removal (to safe), never harden it, and only when consumers were told in time:
 * the deprecation was in a release at least `min-days` old, or a released deprecation's sunset date has
 * passed. Without release history the removal keeps its severity, with a note that it was deprecated.
 * Every finding with the fact gets a note that explains the verdict.
 */
export function applyDeprecation(findings: Finding[], ctx: DeprecationContext): Finding[] {
  const today = isoDay(ctx.now);
  return findings.map((f) => {
    if (!f.deprecated) return f;
    const soften = (note: string): Finding => ({ ...f, severity: "safe", note });
    const keep = (note: string): Finding => ({ ...f, note });
    if (isReuseGuard(f)) return keep("deprecated, but deprecation does not allow reusing a number or name; reserve it");
    if (f.unreserved) return keep("deprecated, but its number and name are not reserved, and a deprecation does not stop them from being reused; reserve both to remove it");
    if (f.severity === "safe") return f;
    const sunset = f.deprecated.sunset?.slice(0, 10);
    if (!ctx.history) {
      return keep("deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated");
    }
    const since = ctx.since(f);
    if (!since) {
      const wait = ctx.minDays > 0 ? ` at least ${ctx.minDays} days before the removal` : " before the removal";
      return keep(`deprecated, but in no released version yet; the deprecation must be released${wait}`);
    }
    const from = `${since.version} (${since.date.slice(0, 10)})`;
    if (sunset && sunset <= today) return soften(`deprecated since ${from}, removed after its sunset date ${sunset}`);
    const age = daysBetween(since.date, ctx.now);
    if (sunset) return keep(`deprecated since ${from}, removed before its sunset date ${sunset}`);
    if (age >= ctx.minDays) return soften(`deprecated since ${since.version} (${since.date.slice(0, 10)}, ${age} days ago)`);
    return keep(`deprecated in ${since.version} only ${age} days ago; removal needs at least ${ctx.minDays} (policy.deprecation.min-days)`);
  });
}
