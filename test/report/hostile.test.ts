import { describe, expect, test } from "bun:test";
import { XMLValidator } from "fast-xml-parser";
import type { Finding } from "../../src/core/finding.ts";
import { FORMATS, renderReport } from "../../src/report/index.ts";
import { buildReport, type ContractResult } from "../../src/report/model.ts";
import { OPTS } from "../fixtures/report/sample.ts";

// Strings a pull request can put into a contract: names, paths, descriptions quoted by messages.
const HOSTILE = [
  "x\n::error file=evil,line=1::pwned",
  "x\r\n::warning::pwned",
  "lone\rreturn",
  "red \u001b[5;41mALERT\u001b[0m",
  "link \u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007",
  "title \u001b]0;owned\u0007",
  "nul\u0000bel\u0007",
  "<script>alert(1)</script>",
  "cdata ]]> end",
  "8bit \u009b31m csi",
];

function hostileResult(s: string, i: number): ContractResult {
  const file = `contracts/${s}/api.yaml`;
  const finding = (severity: Finding["severity"], extra: Partial<Finding> = {}): Finding => ({
    rule: severity === "breaking" ? "response-property-removed" : "response-property-enum-value-added",
    severity,
    path: `/components/schemas/${s}/properties/${s}`,
    message: `property '${s}' changed`,
    old: { file, line: 3, column: 5 },
    new: { file: `new/${s}.yaml`, line: 4, column: 7 },
    operations: [`GET /${s}`, `POST /${s}`],
    note: `note ${s}`,
    deprecated: { sunset: s },
    ...extra,
  });
  return {
    contract: `api-${i}-${s}`,
    kind: "openapi",
    old: { ref: `${s}@1.0.0`, version: s },
    new: { ref: "working tree", version: s },
    findings: [finding("breaking"), finding("dangerous"), finding("breaking", { rule: "request-parameter-became-required", accepted: { reason: s, until: s } })],
    suggestedBump: "major",
    verdict: "fail",
    notes: [`note about ${s}`],
  };
}

const report = () => buildReport(HOSTILE.map(hostileResult));

/** Characters that may appear raw in a document: tab, line feed, printable text. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("hostile strings in every report format", () => {
  test.each([...FORMATS])("%s: no user string starts a line of its own or a workflow command", (format) => {
    const out = renderReport(report(), format, { ...OPTS, all: true });
    for (const line of out.split("\n")) {
      if (format === "github") expect(line === "" || /^::(error|warning|notice) [^\n]*::/.test(line)).toBe(true);
      else expect(line).not.toMatch(/^\s*::/);
    }
    expect(out).not.toContain("\r");
  });

  test.each([false, true])("text (color %p): only comms' own escape sequences reach the terminal", (color) => {
    const out = renderReport(report(), "text", { ...OPTS, all: true, color });
    expect(out).not.toContain("\u001b[5;41m");
    expect(out).not.toContain("\u001b]8;;http://evil");
    expect(out).not.toContain("\u001b]0;");
    expect(out).not.toContain("\u0007");
    expect(out).not.toContain("\u0000");
    expect(out).not.toContain("\u009b");
    if (!color) expect(out).not.toContain("\u001b");
    // With colour, every ESC opens one of the reporter's SGR codes or an OSC 8 link to a local file.
    const stripped = out.replace(/\u001b\[(?:1|2|22|31|32|33|36|39)m/g, "").replace(/\u001b\]8;;(?:file:[^\u0000-\u001f]*)?\u001b\\/g, "");
    expect(stripped).not.toMatch(RAW_CONTROL);
    expect(stripped).toContain("x\\n::error file=evil,line=1::pwned");
  });

  test("markdown: no raw HTML, control characters or line breaks inside an item", () => {
    const out = renderReport(report(), "markdown", OPTS);
    expect(out).not.toMatch(RAW_CONTROL);
    // Inside code spans HTML is shown as typed; everywhere else it must be escaped.
    expect(out.replace(/(`+)[^`]*?\1/g, "")).not.toContain("<script>");
    expect(out).toContain("\\<script\\>");
    // Every finding stays one list item: no line of the document starts with hostile text.
    for (const line of out.split("\n").slice(1)) expect(line).not.toMatch(/^(::|x|lone|return|<(?!details|\/details))/);
  });

  test("github: file and title properties cannot be ended early; data keeps no raw control character", () => {
    const out = renderReport(report(), "github", OPTS);
    expect(out).not.toMatch(RAW_CONTROL);
    for (const line of out.trimEnd().split("\n")) {
      const props = /^::\w+ ([^:]*)::/.exec(line)?.[1];
      expect(props).toBeDefined();
      for (const p of props!.split(",")) expect(p).toMatch(/^(file|line|col|endLine|endColumn|title)=/);
    }
  });

  test("junit: a valid XML 1.0 document without forbidden characters", () => {
    const out = renderReport(report(), "junit", { ...OPTS, all: true });
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("]]>");
  });

  test.each(["json", "sarif", "gitlab"] as const)("%s: valid JSON that carries the strings exactly", (format) => {
    const out = renderReport(report(), format, OPTS);
    expect(out).not.toMatch(RAW_CONTROL);
    const text = JSON.stringify(JSON.parse(out));
    for (const s of HOSTILE) expect(text).toContain(JSON.stringify(`property '${s}' changed`).slice(1, -1));
  });
});
