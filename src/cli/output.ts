import type { KindId } from "../core/engine.ts";
import { getEngine } from "../kinds/index.ts";
import { appendStepSummary, renderReport, type RenderExtras } from "../report/index.ts";
import type { Report } from "../report/model.ts";
import { VERSION } from "../version.ts";
import type { GlobalOptions } from "./args.ts";
import { writeOut } from "./io.ts";

/**
 * Writes a report to stdout in the chosen format, in one write so that redirected output is always
 * a complete document; in GitHub Actions the full report also goes to the step summary.
 * Returns the exit code the report calls for.
 */
export async function emitReport(report: Report, opts: GlobalOptions, command: string, failOn?: "breaking" | "dangerous"): Promise<number> {
  const reportOptions = { color: opts.color, cwd: opts.cwd, all: opts.all, command, failOn: failOn ?? opts.failOn };
  const extras: RenderExtras = { toolVersion: VERSION };
  if (opts.format === "sarif") {
    // SARIF carries rule help; load the rule catalogues of the kinds in this report only.
    const kinds = [...new Set(report.results.map((r) => r.kind))].filter((k): k is KindId => k !== "policy");
    extras.rules = (await Promise.all(kinds.map(async (k) => (await getEngine(k)).rules()))).flat();
  }
  const text = renderReport(report, opts.format, reportOptions, extras);
  if (text) writeOut(text.endsWith("\n") ? text : `${text}\n`);
  if (opts.format === "github") appendStepSummary(report, reportOptions);
  return report.summary.verdict === "fail" ? 1 : 0;
}
