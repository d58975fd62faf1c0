import type { Finding } from "../../core/finding.ts";
import type { AcceptEntry } from "../config.ts";

/**
 * `*` matches any run of characters; everything else is literal. Patterns come from the change under
 * review, so the match is one pass that moves back only to the last `*` (at most pattern x value
 * steps), never a backtracking regular expression: `*a*a*a*a*a*a*a*a*b` against sixty `a`s took minutes.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      mark = v;
    } else if (p < pattern.length && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (star >= 0) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
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
