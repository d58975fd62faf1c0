import type { Finding } from "../core/finding.ts";
import type { Location } from "../core/location.ts";
import { displayPath, findingFingerprint } from "./common.ts";
import { jsonDocument } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";

/**
 * The machine-readable report, version 1. Objects are rebuilt key by key so the key order is the
 * documented one whatever order the producers used, and optional keys appear only when set.
 */
export function renderJson(report: Report, opts: ReportOptions): string {
  const out = {
    version: 1,
    results: report.results.map((r) => jsonResult(r, opts.cwd)),
    summary: {
      breaking: report.summary.breaking,
      dangerous: report.summary.dangerous,
      safe: report.summary.safe,
      ...(report.summary.versionMismatch ? { versionMismatch: report.summary.versionMismatch } : {}),
      verdict: report.summary.verdict,
    },
  };
  return jsonDocument(out);
}

function jsonResult(r: ContractResult, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    contract: r.contract,
    kind: r.kind,
    ...(r.subject ? { subject: r.subject } : {}),
    old: side(r.old),
    new: side(r.new),
    findings: r.findings.map((f) => jsonFinding(r, f, cwd)),
    suggestedBump: r.suggestedBump,
    verdict: r.verdict,
  };
  if (r.notes?.length) out.notes = [...r.notes];
  return out;
}

function side(s: { ref: string; version?: string }): Record<string, unknown> {
  return s.version === undefined ? { ref: s.ref } : { ref: s.ref, version: s.version };
}

function jsonFinding(r: ContractResult, f: Finding, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = { rule: f.rule, severity: f.severity, path: f.path, message: f.message };
  if (f.old) out.old = jsonLocation(f.old, cwd);
  if (f.new) out.new = jsonLocation(f.new, cwd);
  out.fingerprint = findingFingerprint(r, f);
  if (f.operations?.length) out.operations = [...f.operations];
  if (f.deprecated) out.deprecated = f.deprecated.sunset === undefined ? {} : { sunset: f.deprecated.sunset };
  if (f.cosmetic) out.cosmetic = true;
  if (f.accepted) out.accepted = f.accepted.until === undefined ? { reason: f.accepted.reason } : { reason: f.accepted.reason, until: f.accepted.until };
  if (f.note !== undefined) out.note = f.note;
  if (f.consumer) {
    const c = f.consumer;
    out.consumer = { contract: c.contract, interaction: c.interaction, ...(c.location ? { location: jsonLocation(c.location, cwd) } : {}) };
  }
  return out;
}

function jsonLocation(l: Location, cwd: string): Record<string, unknown> {
  const out: Record<string, unknown> = { file: displayPath(l.file, cwd), line: l.line, column: l.column };
  if (l.endLine !== undefined) out.endLine = l.endLine;
  if (l.endColumn !== undefined) out.endColumn = l.endColumn;
  return out;
}
