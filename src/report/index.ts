import type { RuleInfo } from "../core/rule.ts";
import { renderGithub } from "./github.ts";
import { renderGitlab } from "./gitlab.ts";
import { renderJson } from "./json.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Report, ReportOptions } from "./model.ts";
import { renderSarif } from "./sarif.ts";
import { renderText } from "./text.ts";

export { appendStepSummary, githubStepSummary } from "./github.ts";
export { MARKDOWN_MARKER } from "./markdown.ts";

/** Every `--format` value, in the order help text lists them. */
export const FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "gitlab"] as const;

/** An output format. */
export type Format = (typeof FORMATS)[number];

/** Whether a string names an output format. */
export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

/** Facts some formats can use beyond the report: rule descriptions and the tool's identity. */
export interface RenderExtras {
  /** Rule descriptions (from the engines' `rules()`), used for SARIF rule help. */
  rules?: readonly RuleInfo[];
  /** comms version, written into SARIF. */
  toolVersion?: string;
  /** Tool home page, written into SARIF. */
  informationUri?: string;
}

// Statically imported: a compiled binary has no source tree to load reporters from.
const RENDERERS: Record<Format, (report: Report, opts: ReportOptions, extras: RenderExtras) => string> = {
  text: renderText,
  json: renderJson,
  markdown: (report, opts) => renderMarkdown(report, opts),
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  gitlab: renderGitlab,
};

/** Renders a report in one format; the result goes to stdout as is. Pure. */
export function renderReport(report: Report, format: Format, opts: ReportOptions, extras: RenderExtras = {}): string {
  return RENDERERS[format](report, opts, extras);
}
