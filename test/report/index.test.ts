import { describe, expect, test } from "bun:test";
import { FORMATS, isFormat, renderReport } from "../../src/report/index.ts";
import { OPTS, RULES, sampleReport } from "../fixtures/report/sample.ts";

describe("report registry", () => {
  test("lists the formats of --format", () => {
    expect([...FORMATS]).toEqual(["text", "json", "markdown", "sarif", "junit", "github", "gitlab"]);
    expect(isFormat("sarif")).toBe(true);
    expect(isFormat("html")).toBe(false);
  });

  test.each([...FORMATS])("%s renders deterministically, ends with a newline and never colours unless asked", (format) => {
    const a = renderReport(sampleReport(), format, OPTS, { rules: RULES });
    const b = renderReport(sampleReport(), format, OPTS, { rules: RULES });
    expect(a).toBe(b);
    expect(a.endsWith("\n")).toBe(true);
    expect(a).not.toMatch(/\x1b/);
  });

  test.each(FORMATS.filter((f) => f !== "text"))("%s ignores the colour option", (format) => {
    expect(renderReport(sampleReport(), format, { ...OPTS, color: true })).toBe(renderReport(sampleReport(), format, OPTS));
  });

  test("renderers do not modify the report", () => {
    const report = sampleReport();
    const before = JSON.stringify(report);
    for (const format of FORMATS) renderReport(report, format, { ...OPTS, all: true, color: true });
    expect(JSON.stringify(report)).toBe(before);
  });
});
