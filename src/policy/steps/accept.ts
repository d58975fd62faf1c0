import type { Finding } from "../../core/finding.ts";
import type { AcceptEntry } from "../config.ts";

/**
 * `*` matches any run of characters; everything else is literal. Matched without a regular expression:
 * a pattern from comms.yaml (`*a*a*a*…b`) must not cost backtracking over a long finding path.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const parts = pattern.split("*");
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // The leftmost place of each middle part leaves the most room for the rest: no backtracking needed.
  let at = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    if (!part) continue;
    const i = value.indexOf(part, at);
    if (i < 0 || i + part.length > end) return false;
    at = i + part.length;
  }
  return true;
}

/** Whether an accept entry names this finding of this contract. */
export function acceptMatches(entry: AcceptEntry, contract: string, f: Finding): boolean {
  return (entry.contract === undefined || entry.contract === contract) && globMatch(entry.rule, f.rule) && globMatch(entry.path, f.path);
}

/** Today as YYYY-MM-DD in UTC, the form `until` is written in. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Marks breaking and dangerous findings named by `policy.accept` as accepted: still reported, no longer
 * failing. An entry past its `until` date (inclusive) no longer applies, and the finding says so.
 * Returns the indexes of the entries that matched something, so the caller can report stale ones.
 */
export function applyAccepts(
  findings: Finding[],
  entries: readonly AcceptEntry[] | undefined,
  contract: string,
  now: Date,
): { findings: Finding[]; matched: number[] } {
  if (!entries?.length) return { findings, matched: [] };
  const today = isoDay(now);
  const matched = new Set<number>();
  const out = findings.map((f) => {
    if (f.severity === "safe" || f.accepted) return f;
    for (const [i, e] of entries.entries()) {
      if (!acceptMatches(e, contract, f)) continue;
      matched.add(i);
      if (e.until !== undefined && e.until < today) {
        return { ...f, note: `accepted until ${e.until}, which has passed (${e.reason})` };
      }
      return { ...f, accepted: e.until === undefined ? { reason: e.reason } : { reason: e.reason, until: e.until } };
    }
    return f;
  });
  return { findings: out, matched: [...matched].sort((a, b) => a - b) };
}
