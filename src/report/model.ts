import type { KindId } from "../core/engine.ts";
import type { Finding, Severity } from "../core/finding.ts";
import { isVersionFinding } from "../policy/steps/version.ts";

export type Bump = "major" | "minor" | "patch" | "none";
export type Verdict = "pass" | "fail";

/** The outcome for one contract: what changed, judged by policy. */
export interface ContractResult {
  contract: string;
  /** `policy` for the result holding findings about the gate's configuration as a whole. */
  kind: KindId | "policy";
  /** Schema registry subject (Avro and JSON Schema contracts with a `subject` or `topic`). */
  subject?: string;
  old: { ref: string; version?: string };
  new: { ref: string; version?: string };
  /** Final, de-duplicated and sorted (see finalizeFindings). */
  findings: Finding[];
  suggestedBump: Bump;
  verdict: Verdict;
  /** One-line remarks for people: no baseline yet, stale accept entries, warnings. */
  notes?: string[];
}

/** Everything one command run reports. The JSON reporter prints exactly this (version 1). */
export interface Report {
  version: 1;
  results: ContractResult[];
  /**
   * Counts of changes still needing attention (accepted ones left out). `versionMismatch` counts
   * `version-not-bumped` findings, which are not changes; present only when there is one.
   */
  summary: { breaking: number; dangerous: number; safe: number; versionMismatch?: number; verdict: Verdict };
}

/**
 * Builds the summary from the results. Accepted breaking findings are reported but do not count as
 * breaking: the summary says what still needs attention.
 */
export function buildReport(results: ContractResult[]): Report {
  const summary: Report["summary"] = { breaking: 0, dangerous: 0, safe: 0, verdict: "pass" };
  let versionMismatch = 0;
  for (const r of results) {
    for (const f of r.findings) {
      if (f.accepted) continue;
      if (isVersionFinding(f)) {
        versionMismatch++;
        continue;
      }
      const s: Severity = f.severity;
      summary[s]++;
    }
    if (r.verdict === "fail") summary.verdict = "fail";
  }
  if (versionMismatch) summary.versionMismatch = versionMismatch;
  return { version: 1, results, summary };
}

/** Options every reporter receives. */
export interface ReportOptions {
  /** ANSI colour allowed. */
  color: boolean;
  /** Working directory, for repo-relative URIs and clickable paths. */
  cwd: string;
  /** Include cosmetic (documentation-only) findings in text output. */
  all?: boolean;
  /** The command that produced the report ("diff", "check"), for titles. */
  command?: string;
  /** Lowest severity that fails the run; formats that mark failures (JUnit) follow it. */
  failOn?: "breaking" | "dangerous";
}
