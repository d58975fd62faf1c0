import { createHash } from "node:crypto";
import { primaryLocation, type Finding } from "../core/finding.ts";
import { acceptedText, displayPath, findingFingerprint } from "./common.ts";
import { jsonDocument } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";

type GitlabSeverity = "info" | "minor" | "major" | "critical" | "blocker";

/** One GitLab Code Quality issue. */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

/**
 * GitLab Code Quality (`artifacts: reports: codequality`). GitLab shows only the first issue of
 * each fingerprint, so fingerprints hash contract + finding fingerprint and are made unique across
 * the whole report.
 */
export function renderGitlab(report: Report, opts: ReportOptions): string {
  const issues: CodeQualityIssue[] = [];
  const used = new Set<string>();
  for (const r of report.results) {
    for (const f of r.findings) {
      if (f.cosmetic && !opts.all) continue;
      issues.push(issue(r, f, opts.cwd, used));
    }
  }
  return jsonDocument(issues);
}

function issue(r: ContractResult, f: Finding, cwd: string, used: Set<string>): CodeQualityIssue {
  const loc = primaryLocation(f);
  let description = `${r.contract}: ${f.message}`;
  if (f.accepted) description += ` [accepted: ${acceptedText(f.accepted)}]`;
  return {
    description,
    check_name: f.rule,
    fingerprint: uniqueFingerprint(`${r.contract}\u0000${findingFingerprint(r, f)}`, used),
    severity: severity(f),
    // GitLab requires a path; a finding without a location is attached to the contract's name.
    location: { path: loc ? displayPath(loc.file, cwd) : r.contract, lines: { begin: loc?.line ?? 1 } },
  };
}

function severity(f: Finding): GitlabSeverity {
  if (f.accepted) return "info";
  return f.severity === "breaking" ? "critical" : f.severity === "dangerous" ? "minor" : "info";
}

function uniqueFingerprint(key: string, used: Set<string>): string {
  for (let n = 0; ; n++) {
    const fp = createHash("sha256").update(n ? `${key}\u0000${n}` : key).digest("hex").slice(0, 32);
    if (!used.has(fp)) {
      used.add(fp);
      return fp;
    }
  }
}
