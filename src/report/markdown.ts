import { primaryLocation, type Finding } from "../core/finding.ts";
import { acceptedText, addCounts, affectsText, countFindings, displayPath, groupFindings, plural, sideText, versionMismatchText } from "./common.ts";
import { markdownCode as code, markdownText as esc } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";

/** Hidden marker so a CI job can find and update its previous PR comment instead of adding one. */
export const MARKDOWN_MARKER = "<!-- comms-report -->";

const EMOJI = { breaking: "🔴", dangerous: "🟠", safe: "🟢", accepted: "⚪" } as const;

/** Options of the markdown reporter beyond the shared ones. */
export interface MarkdownOptions {
  /** Only the title and the summary table (for size-limited targets such as a step summary). */
  summaryOnly?: boolean;
}

/** A pull-request comment: title, summary table, then findings per contract (safe ones collapsed). */
export function renderMarkdown(report: Report, opts: ReportOptions, md: MarkdownOptions = {}): string {
  const counts = report.results.map((r) => countFindings(r.findings));
  const total = addCounts(counts);
  const what = opts.command ? `comms ${opts.command}` : "comms";
  const problems = [
    ...(total.breaking ? [plural(total.breaking, "breaking change")] : []),
    ...(total.versionMismatch ? [versionMismatchText(total.versionMismatch)] : []),
  ].join(", ");
  const headline =
    report.summary.verdict === "fail"
      ? `❌ ${what}: ${problems || "policy violation"}`
      : `✅ ${what}: ${problems ? `${problems} (allowed by policy)` : "no breaking changes"}`;
  const out = [MARKDOWN_MARKER, `## ${headline}`, ""];
  if (!report.results.length) {
    out.push("No contracts were compared.");
    return `${out.join("\n")}\n`;
  }
  out.push(
    "| Contract | Kind | Old → New | Breaking | Dangerous | Safe | Verdict | Bump |",
    "| --- | --- | --- | ---: | ---: | ---: | --- | --- |",
  );
  report.results.forEach((r, i) => {
    const c = counts[i]!;
    const extra = [...(c.accepted ? [`+${c.accepted} accepted`] : []), ...(c.versionMismatch ? [`+${versionMismatchText(c.versionMismatch)}`] : [])];
    const breaking = extra.length ? `${c.breaking} (${extra.join(", ")})` : String(c.breaking);
    const verdict = r.verdict === "fail" ? "❌ fail" : "✅ pass";
    out.push(
      `| ${esc(r.contract)} | ${r.kind} | ${esc(sideText(r.old))} → ${esc(sideText(r.new))} | ${breaking} | ${c.dangerous} | ${c.safe} | ${verdict} | ${r.suggestedBump} |`,
    );
  });
  if (md.summaryOnly) {
    out.push("", "_The full report is too large to show here; run `comms` with `--format text` for every finding._");
    return `${out.join("\n")}\n`;
  }
  for (const r of report.results) {
    if (!r.findings.length && !r.notes?.length) continue;
    out.push("", ...contractSection(r, opts));
  }
  return `${out.join("\n")}\n`;
}

function contractSection(r: ContractResult, opts: ReportOptions): string[] {
  const g = groupFindings(r.findings);
  const blocks: string[][] = [];
  const listed = [...g.breaking, ...g.dangerous];
  if (listed.length) blocks.push(listed.flatMap((f) => findingItem(f, opts)));
  if (g.accepted.length) blocks.push([`**Accepted (${g.accepted.length})**`, "", ...g.accepted.flatMap((f) => findingItem(f, opts))]);
  if (g.safe.length) {
    blocks.push([`<details><summary>${plural(g.safe.length, "safe change")}</summary>`, "", ...g.safe.flatMap((f) => findingItem(f, opts)), "", "</details>"]);
  }
  for (const note of r.notes ?? []) blocks.push([`> **Note:** ${esc(note)}`]);
  return [`### ${esc(r.contract)}`, ...blocks.flatMap((b) => ["", ...b])];
}

function findingItem(f: Finding, opts: ReportOptions): string[] {
  const loc = primaryLocation(f);
  const where = loc ? ` ${code(`${displayPath(loc.file, opts.cwd)}:${loc.line}:${loc.column}`)}` : "";
  const emoji = f.accepted ? EMOJI.accepted : EMOJI[f.severity];
  const docs = f.cosmetic ? " _(documentation only)_" : "";
  const lines = [`- ${emoji} **${f.severity}** ${code(f.rule)}${where}: ${esc(f.message)}${docs}`];
  if (!loc) lines.push(`  - Path: ${code(f.path)}`);
  if (f.operations?.length) lines.push(`  - Affects: ${affectsText(f.operations, code)}`);
  if (f.deprecated) lines.push(`  - Deprecated${f.deprecated.sunset ? `, sunset ${esc(f.deprecated.sunset)}` : ""}`);
  if (f.accepted) lines.push(`  - Accepted: ${esc(acceptedText(f.accepted))}`);
  if (f.note) lines.push(`  - Note: ${esc(f.note)}`);
  return lines;
}
