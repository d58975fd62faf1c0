import { appendFileSync } from "node:fs";
import { primaryLocation, type Finding, type Severity } from "../core/finding.ts";
import { acceptedText, affectsText, displayPath } from "./common.ts";
import { workflowData, workflowProperty } from "./escape.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Report, ReportOptions } from "./model.ts";

type Level = "error" | "warning" | "notice";

const LEVEL: Record<Severity, Level> = { breaking: "error", dangerous: "warning", safe: "notice" };

/** GitHub drops annotations past this many of each level in one step. */
export const ANNOTATIONS_PER_LEVEL = 10;

/** GitHub keeps at most this much of a step summary. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

/**
 * GitHub Actions workflow commands (`::error file=…::message`), one per finding. Accepted findings are
 * notices. When a level would exceed GitHub's limit, its last slot says how many were left out, so
 * nothing disappears silently.
 */
export function renderGithub(report: Report, opts: ReportOptions): string {
  const byLevel: Record<Level, string[]> = { error: [], warning: [], notice: [] };
  for (const r of report.results) {
    for (const f of r.findings) {
      if (f.cosmetic && !opts.all) continue;
      // Under --fail-on dangerous a dangerous change fails the job, so it is annotated as an error.
      const failing = f.severity === "dangerous" && opts.failOn === "dangerous";
      const level: Level = f.accepted ? "notice" : failing ? "error" : LEVEL[f.severity];
      byLevel[level].push(annotation(level, f, opts.cwd));
    }
  }
  const lines: string[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const all = byLevel[level];
    if (all.length <= ANNOTATIONS_PER_LEVEL) {
      lines.push(...all);
      continue;
    }
    const shown = ANNOTATIONS_PER_LEVEL - 1;
    lines.push(...all.slice(0, shown));
    const more = all.length - shown;
    lines.push(`::${level}::${escapeData(`${more} more ${level} annotations omitted (GitHub shows ${ANNOTATIONS_PER_LEVEL} per level); the job summary or --format text lists every finding.`)}`);
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

function annotation(level: Level, f: Finding, cwd: string): string {
  const loc = primaryLocation(f);
  const props: string[] = [];
  if (loc) {
    props.push(`file=${escapeProperty(displayPath(loc.file, cwd))}`, `line=${loc.line}`, `col=${loc.column}`);
    if (loc.endLine !== undefined) props.push(`endLine=${loc.endLine}`);
    if (loc.endColumn !== undefined) props.push(`endColumn=${loc.endColumn}`);
  }
  props.push(`title=${escapeProperty(f.accepted ? `${f.rule} (accepted)` : f.rule)}`);
  const message = [f.message];
  if (!loc) message.push(`path: ${f.path}`);
  if (f.operations?.length) message.push(`affects: ${affectsText(f.operations)}`);
  if (f.accepted) message.push(`accepted: ${acceptedText(f.accepted)}`);
  if (f.note) message.push(`note: ${f.note}`);
  return `::${level} ${props.join(",")}::${escapeData(message.join("\n"))}`;
}

/** Escaping of a workflow command's message (see `workflowData`). */
export const escapeData = workflowData;

/** Escaping of a workflow command's property value (see `workflowProperty`). */
export const escapeProperty = workflowProperty;

/** The markdown for `$GITHUB_STEP_SUMMARY`: the full report, or its summary table when too large. */
export function githubStepSummary(report: Report, opts: ReportOptions): string {
  const plain = { ...opts, color: false };
  const full = renderMarkdown(report, plain);
  if (Buffer.byteLength(full) <= STEP_SUMMARY_LIMIT) return full;
  return renderMarkdown(report, plain, { summaryOnly: true });
}

/** Appends the markdown report to the file named by `GITHUB_STEP_SUMMARY`; returns whether it did. */
export function appendStepSummary(report: Report, opts: ReportOptions, env: Record<string, string | undefined> = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  appendFileSync(file, githubStepSummary(report, opts));
  return true;
}
