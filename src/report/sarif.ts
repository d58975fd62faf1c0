import { primaryLocation, type Finding, type Severity } from "../core/finding.ts";
import type { Location } from "../core/location.ts";
import type { RuleInfo } from "../core/rule.ts";
import { acceptedText, displayPath, findingFingerprint, isVersionMismatch, sideText } from "./common.ts";
import { jsonDocument } from "./escape.ts";
import type { ContractResult, Report, ReportOptions } from "./model.ts";
import { POLICY_KIND, POLICY_RULES } from "./policy-rules.ts";

/** What the SARIF reporter knows beyond the report itself. */
export interface SarifOptions {
  /** Rule descriptions (`comms rules`), for richer help text in code-scanning UIs. */
  rules?: readonly RuleInfo[];
  /** The comms version that produced the log. */
  toolVersion?: string;
  /** Home page of the tool, shown by code-scanning UIs. */
  informationUri?: string;
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { breaking: "error", dangerous: "warning", safe: "note" };

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

interface SarifRule {
  id: string;
  /** The id as the kind's users know it, without the namespace. */
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: "error" | "warning" | "note" };
  properties: { tags: string[] };
}

/**
 * The SARIF rule id of a finding: namespaced by kind (`graphql/FIELD_ADDED`, `protobuf/FIELD_ADDED`),
 * since kinds keep their reference tools' ids and some of those collide; the policy's own rules are
 * `policy/<id>`. `comms rules <namespaced id>` explains each.
 */
export function sarifRuleId(kind: string, f: Finding): string {
  return `${isVersionMismatch(f) || f.gate === "config" ? POLICY_KIND : kind}/${f.rule}`;
}

/**
 * SARIF 2.1.0 for code scanning: one run, one rule per kind and rule id seen, one result per finding.
 * URIs are repository-relative under %SRCROOT% and every result has a partial fingerprint, so alerts
 * stay the same alert across runs.
 */
export function renderSarif(report: Report, opts: ReportOptions, extra: SarifOptions = {}): string {
  const infos = new Map([...POLICY_RULES, ...(extra.rules ?? [])].map((r) => [`${r.kind}/${r.id}`, r]));
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const results: unknown[] = [];
  for (const r of report.results) {
    for (const f of r.findings) {
      const id = sarifRuleId(r.kind, f);
      let index = ruleIndex.get(id);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(id, index);
        rules.push(sarifRule(id, f, r, infos.get(id)));
      }
      results.push(sarifResult(id, f, r, index, opts.cwd));
    }
  }
  const driver: Record<string, unknown> = { name: "comms" };
  if (extra.informationUri) driver.informationUri = extra.informationUri;
  driver.version = extra.toolVersion ?? "0.0.0";
  driver.rules = rules;
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [{ tool: { driver }, columnKind: "utf16CodeUnits", results }],
  };
  return jsonDocument(log);
}

function sarifRule(id: string, first: Finding, r: ContractResult, info: RuleInfo | undefined): SarifRule {
  const severity = info?.severity ?? first.severity;
  const summary = info?.summary ?? `${r.kind} ${severity} change, e.g. ${first.message}`;
  const full = [info?.summary, info?.why].filter(Boolean).join(" ") || summary;
  const help = [full];
  if (info?.example) help.push(`Old: ${info.example.old}\nNew: ${info.example.new}`);
  if (info?.fix) help.push(`Fix: ${info.fix}`);
  help.push(`Run \`comms rules ${id}\` for details.`);
  const tags = [info?.kind ?? r.kind, severity, ...(info?.categories ?? [])];
  return {
    id,
    name: first.rule,
    shortDescription: { text: summary },
    fullDescription: { text: full },
    help: { text: help.join("\n\n") },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags },
  };
}

function sarifResult(ruleId: string, f: Finding, r: ContractResult, ruleIndex: number, cwd: string): Record<string, unknown> {
  const loc = primaryLocation(f);
  const logical = [{ fullyQualifiedName: f.path, name: f.path }];
  const location: Record<string, unknown> = loc ? { physicalLocation: physical(loc, cwd), logicalLocations: logical } : { logicalLocations: logical };
  const result: Record<string, unknown> = {
    ruleId,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: messageText(f, r) },
    locations: [location],
    partialFingerprints: { "commsFingerprint/v1": findingFingerprint(r, f) },
  };
  // Where the element was, in the old side's own file and line (a snapshot, or `ref:path`), next to the
  // new location.
  if (f.old && f.new) {
    result.relatedLocations = [{ id: 1, physicalLocation: physical(f.old, cwd), message: { text: `before, in ${sideText(r.old)}` } }];
  }
  if (f.accepted) result.suppressions = [{ kind: "external", justification: acceptedText(f.accepted) }];
  const properties: Record<string, unknown> = { contract: r.contract, kind: r.kind, severity: f.severity, path: f.path };
  if (f.operations?.length) properties.operations = f.operations;
  if (f.deprecated) properties.deprecated = f.deprecated;
  if (f.cosmetic) properties.cosmetic = true;
  if (f.note) properties.note = f.note;
  result.properties = properties;
  return result;
}

function messageText(f: Finding, r: ContractResult): string {
  const parts = [f.message];
  if (f.operations?.length) parts.push(`Affects: ${f.operations.join(", ")}.`);
  if (f.note) parts.push(f.note);
  parts.push(`(${r.contract}: ${sideText(r.old)} → ${sideText(r.new)})`);
  return parts.join(" ");
}

function physical(loc: Location, cwd: string): Record<string, unknown> {
  const region: Record<string, number> = { startLine: loc.line, startColumn: loc.column };
  if (loc.endLine !== undefined) region.endLine = loc.endLine;
  if (loc.endColumn !== undefined) region.endColumn = loc.endColumn;
  return { artifactLocation: { uri: fileUri(displayPath(loc.file, cwd)), uriBaseId: "%SRCROOT%" }, region };
}

/** A relative URI reference: each segment percent-encoded, so `:` or spaces in names stay a path. */
function fileUri(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
