import { primaryLocation, type Finding } from "../core/finding.ts";
import { acceptedText, displayPath, locationText, sideText } from "./common.ts";
import { elementName } from "./element.ts";
import { oneLine, xmlAttr, xmlText } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";

/**
 * JUnit XML for CI test views (GitLab, Jenkins, Azure): a suite per contract, a test case per finding,
 * named by the element it is about. Unaccepted changes at or above `--fail-on` fail; dangerous ones
 * below it are skipped with a message, so they show as needing a look rather than as passing; accepted
 * ones are skipped with their reason; safe ones pass. A contract without findings gets one passing case
 * so it still shows up.
 */
export function renderJunit(report: Report, opts: ReportOptions): string {
  const suites = report.results.map((r) => suite(r, opts));
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failures = suites.reduce((n, s) => n + s.failures, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="comms" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites.flatMap((s) => s.lines),
    `</testsuites>`,
  ];
  return `${lines.join("\n")}\n`;
}

function suite(r: ContractResult, opts: ReportOptions): { tests: number; failures: number; skipped: number; lines: string[] } {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const f of r.findings) {
    const loc = primaryLocation(f);
    const attrs = [`classname="${attr(r.contract)}"`, `name="${attr(`${r.contract}: ${elementName(f.path)} (${f.rule})`)}"`];
    if (loc) attrs.push(`file="${attr(displayPath(loc.file, opts.cwd))}"`, `line="${loc.line}"`);
    const open = `    <testcase ${attrs.join(" ")}`;
    if (f.accepted) {
      skipped++;
      cases.push(`${open}>`, `      <skipped message="${attr(`accepted: ${acceptedText(f.accepted)}`)}"/>`, `    </testcase>`);
    } else if (f.severity === "breaking" || (opts.failOn === "dangerous" && f.severity === "dangerous")) {
      failures++;
      cases.push(`${open}>`, `      <failure message="${attr(f.message)}" type="${f.severity}">${failureBody(f, opts)}</failure>`, `    </testcase>`);
    } else if (f.severity === "dangerous") {
      skipped++;
      cases.push(`${open}>`, `      <skipped message="${attr(`dangerous: ${f.message}`)}"/>`, `    </testcase>`);
    } else {
      cases.push(`${open}/>`);
    }
  }
  if (!r.findings.length) cases.push(`    <testcase classname="${attr(r.contract)}" name="${attr(`${r.contract} is compatible`)}"/>`);
  const tests = Math.max(r.findings.length, 1);
  const name = `${r.contract} (${r.kind}): ${sideText(r.old)} → ${sideText(r.new)}`;
  const lines = [
    `  <testsuite name="${attr(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...cases,
    `  </testsuite>`,
  ];
  return { tests, failures, skipped, lines };
}

// Every user string is put on one line before XML escaping: names and messages quote contracts, and a
// test report is often printed to a CI log, where a line of its own could be a workflow command.
function attr(s: string): string {
  return xmlAttr(oneLine(s));
}

function text(s: string): string {
  return xmlText(oneLine(s));
}

function failureBody(f: Finding, opts: ReportOptions): string {
  const loc = primaryLocation(f);
  const lines = [`${loc ? `${locationText(loc, opts.cwd)}: ` : ""}${f.message}`, `rule: ${f.rule}`, `path: ${f.path}`];
  if (f.operations?.length) lines.push(`affects: ${f.operations.join(", ")}`);
  if (f.note) lines.push(`note: ${f.note}`);
  return lines.map(text).join("\n");
}
