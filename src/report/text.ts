import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { primaryLocation, type Finding } from "../core/finding.ts";
import { acceptedText, addCounts, affectsText, countFindings, type Counts, displayPath, groupFindings, plural, sideText, versionMismatchText } from "./common.ts";
import { terminalText as t } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";

type Paint = (s: string) => string;

interface Palette {
  red: Paint;
  yellow: Paint;
  green: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
  /** Wraps text in a terminal hyperlink to a local file. */
  link: (text: string, absPath: string) => string;
}

const sgr =
  (open: number, close: number): Paint =>
  (s) =>
    `\x1b[${open}m${s}\x1b[${close}m`;

const COLOR: Palette = {
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
  // OSC 8: terminals that do not know it print the text alone, so the plain path stays clickable too.
  // The URL percent-encodes control characters; escaping it again keeps that true whatever the platform.
  link: (text, absPath) => `\x1b]8;;${t(pathToFileURL(absPath).href)}\x1b\\${text}\x1b]8;;\x1b\\`,
};

const identity: Paint = (s) => s;
const PLAIN: Palette = { red: identity, yellow: identity, green: identity, cyan: identity, dim: identity, bold: identity, link: (t) => t };

/**
 * Human output: a header per contract, its findings as `file:line:col  severity  RULE  message`
 * (most severe first, accepted last), and one summary line. Every user string goes through
 * `terminalText`: one line each, no escape sequence of the contract's reaches the terminal.
 */
export function renderText(report: Report, opts: ReportOptions): string {
  const p = opts.color ? COLOR : PLAIN;
  const blocks = report.results.map((r) => contractBlock(r, opts, p));
  const total = addCounts(report.results.map((r) => countFindings(r.findings)));
  blocks.push(summaryLine(report, total, p));
  return `${blocks.join("\n\n")}\n`;
}

function contractBlock(r: ContractResult, opts: ReportOptions, p: Palette): string {
  const verdict = r.verdict === "fail" ? p.red("✖ fail") : p.green("✔ pass");
  const lines = [
    `${p.bold(t(r.contract))}  ${p.dim(r.kind)}${r.subject ? `  ${p.dim("subject")} ${t(r.subject)}` : ""}  ${t(sideText(r.old))} → ${t(sideText(r.new))}  ${verdict}  ${p.dim("bump:")} ${r.suggestedBump}`,
  ];
  const shown = opts.all ? r.findings : r.findings.filter((f) => !f.cosmetic);
  const groups = groupFindings(shown);
  for (const f of [...groups.breaking, ...groups.dangerous, ...groups.safe, ...groups.accepted]) {
    lines.push(...findingLines(f, opts, p));
  }
  const hidden = r.findings.length - shown.length;
  if (hidden) lines.push(`  ${p.dim(`${plural(hidden, "documentation-only change")} hidden (--all shows them)`)}`);
  if (!r.findings.length) lines.push(`  ${p.dim("no changes")}`);
  for (const note of r.notes ?? []) lines.push(`  ${p.dim("note:")} ${t(note)}`);
  return lines.join("\n");
}

function findingLines(f: Finding, opts: ReportOptions, p: Palette): string[] {
  const loc = primaryLocation(f);
  const where = loc
    ? p.link(t(`${displayPath(loc.file, opts.cwd)}:${loc.line}:${loc.column}`), resolve(opts.cwd, loc.file))
    : p.dim("(no location)");
  const label = f.accepted ? p.dim("accepted") : severityLabel(f, p);
  const text = t(f.message);
  const message = f.cosmetic ? `${text} ${p.dim("(documentation only)")}` : text;
  const lines = [`  ${where}  ${label}  ${p.cyan(t(f.rule))}  ${message}`];
  const detail = (key: string, value: string) => lines.push(`      ${p.dim(`${key}:`)} ${value}`);
  if (!loc) detail("path", t(f.path));
  // Comparing two different files (v1.yaml against v2.yaml): also say where the element was.
  if (f.old && f.new && f.old.file !== f.new.file) {
    const before = t(`${displayPath(f.old.file, opts.cwd)}:${f.old.line}:${f.old.column}`);
    detail("before", p.link(before, resolve(opts.cwd, f.old.file)));
  }
  // One change, however many operations use the changed element: they are listed on one line.
  if (f.operations?.length) detail("affects", affectsText(f.operations, t));
  if (f.deprecated) detail("deprecated", f.deprecated.sunset ? `yes, sunset ${t(f.deprecated.sunset)}` : "yes");
  if (f.accepted) detail(`accepted ${f.severity} change`, t(acceptedText(f.accepted)));
  if (f.note) detail("note", t(f.note));
  return lines;
}

function severityLabel(f: Finding, p: Palette): string {
  if (f.severity === "breaking") return p.red(p.bold("breaking"));
  if (f.severity === "dangerous") return p.yellow("dangerous");
  return p.green("safe");
}

function summaryLine(report: Report, c: Counts, p: Palette): string {
  const n = report.results.length;
  const parts = [`${c.breaking} breaking`, `${c.dangerous} dangerous`, `${c.safe} safe`];
  if (c.accepted) parts.push(`${c.accepted} accepted`);
  // A declared version that does not follow the changes is one problem, not one more breaking change.
  if (c.versionMismatch) parts.splice(1, 0, versionMismatchText(c.versionMismatch));
  const scope = `in ${plural(n, "contract")}`;
  if (report.summary.verdict === "fail") return p.red(`✖ ${parts.join(", ")} ${scope}`);
  if (c.breaking || c.versionMismatch) return p.green(`✔ ${parts.join(", ")} ${scope}`);
  return p.green(`✔ no breaking changes`) + p.dim(` (${parts.slice(1).join(", ")} ${scope})`);
}
