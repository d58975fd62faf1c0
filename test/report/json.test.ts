import { describe, expect, test } from "bun:test";
import { renderReport } from "../../src/report/index.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, sampleReport, usersApi } from "../fixtures/report/sample.ts";

describe("json report (v1)", () => {
  const out = renderReport(sampleReport(), "json", OPTS);
  const doc = JSON.parse(out);

  test("is 2-space indented JSON with a trailing newline", () => {
    expect(out.endsWith("}\n")).toBe(true);
    expect(out).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  test("top level, result, finding, location and summary keys come in the documented order", () => {
    expect(Object.keys(doc)).toEqual(["version", "results", "summary"]);
    expect(doc.version).toBe(1);
    expect(Object.keys(doc.results[0])).toEqual(["contract", "kind", "old", "new", "findings", "suggestedBump", "verdict", "notes"]);
    expect(Object.keys(doc.results[1])).toEqual(["contract", "kind", "old", "new", "findings", "suggestedBump", "verdict"]);
    expect(Object.keys(doc.results[0].findings[0])).toEqual(["rule", "severity", "path", "message", "old", "new", "fingerprint", "operations"]);
    expect(Object.keys(doc.results[0].findings[0].old)).toEqual(["file", "line", "column", "endLine", "endColumn"]);
    expect(Object.keys(doc.summary)).toEqual(["breaking", "dangerous", "safe", "verdict"]);
  });

  test("the first finding is exactly the documented shape", () => {
    expect(doc.results[0]).toMatchObject({
      contract: "users-api",
      kind: "openapi",
      old: { ref: "users-api@1.2.0", version: "1.2.0" },
      new: { ref: "working tree", version: "1.3.0" },
      suggestedBump: "major",
      verdict: "fail",
      notes: ["accept entry for 'endpoint-removed' at /paths/~1legacy matched nothing"],
    });
    expect(doc.results[0].findings[0]).toEqual({
      rule: "response-property-removed",
      severity: "breaking",
      path: "/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/email",
      message: "response property 'email' removed from GET /users/{id} (200)",
      old: { file: "contracts/users/openapi.yaml", line: 41, column: 11, endLine: 43, endColumn: 5 },
      new: { file: "contracts/users/openapi.yaml", line: 38, column: 9 },
      fingerprint: "fp-users-email",
      operations: ["GET /users/{id}"],
    });
  });

  test.each([
    ["accepted", 0, 1, { accepted: { reason: "clients were migrated in Q3", until: "2027-01-31" } }],
    ["note", 0, 2, { note: "dangerous: clients with exhaustive switches may fail" }],
    ["cosmetic", 0, 4, { cosmetic: true }],
    ["deprecated", 1, 0, { deprecated: { sunset: "2026-01-01" } }],
  ] as const)("optional key %s appears only when set", (key, result, finding, expected) => {
    expect(doc.results[result].findings[finding]).toMatchObject(expected);
    const others = doc.results.flatMap((r: { findings: object[] }) => r.findings).filter((f: object) => key in f);
    expect(others).toHaveLength(1);
  });

  test("a side without version has only its ref; a finding without location has neither old nor new", () => {
    expect(doc.results[1].old).toEqual({ ref: "main" });
    const fileRule = doc.results[2].findings[0];
    expect(Object.keys(fileRule)).toEqual(["rule", "severity", "path", "message", "fingerprint"]);
  });

  test("absolute files are made relative to the working directory", () => {
    expect(doc.results[2].findings[1].new.file).toBe("contracts/billing/invoice.proto");
  });

  test("the summary is the report's", () => {
    // The accepted breaking finding is reported but not counted as breaking.
    expect(doc.summary).toEqual({ breaking: 3, dangerous: 2, safe: 3, verdict: "fail" });
  });

  test("a finding without fingerprint gets the policy's fingerprint for its contract", () => {
    const [first] = usersApi.findings;
    const bare = buildReport([{ ...usersApi, findings: [{ ...first!, fingerprint: undefined }] }]);
    const fp = JSON.parse(renderReport(bare, "json", OPTS)).results[0].findings[0].fingerprint;
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
  });

  test("version-not-bumped is counted apart: the summary's breaking counts changes", () => {
    const [removed] = usersApi.findings;
    const version = { rule: "version-not-bumped", severity: "breaking" as const, path: "info.version", message: "needs a new major version" };
    const out = JSON.parse(renderReport(buildReport([{ ...usersApi, findings: [removed!, version] }]), "json", OPTS));
    expect(out.summary).toEqual({ breaking: 1, dangerous: 0, safe: 0, versionMismatch: 1, verdict: "fail" });
    expect(Object.keys(out.summary)).toEqual(["breaking", "dangerous", "safe", "versionMismatch", "verdict"]);
    expect(out.results[0].findings.map((f: { rule: string }) => f.rule)).toContain("version-not-bumped");
  });
});
