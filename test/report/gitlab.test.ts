import { describe, expect, test } from "bun:test";
import type { CodeQualityIssue } from "../../src/report/gitlab.ts";
import { renderReport } from "../../src/report/index.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, sampleReport, usersApi } from "../fixtures/report/sample.ts";

const SEVERITIES = new Set(["info", "minor", "major", "critical", "blocker"]);

describe("gitlab code quality report", () => {
  const out = renderReport(sampleReport(), "gitlab", OPTS);
  const issues = JSON.parse(out) as CodeQualityIssue[];
  const byCheck = (name: string) => issues.find((i) => i.check_name === name)!;

  test("is a JSON array with one issue per finding, documentation-only changes left out", () => {
    expect(out.endsWith("]\n")).toBe(true);
    expect(Array.isArray(issues)).toBe(true);
    expect(issues).toHaveLength(8);
    expect(issues.some((i) => i.check_name === "api-description-changed")).toBe(false);
    expect(JSON.parse(renderReport(sampleReport(), "gitlab", { ...OPTS, all: true }))).toHaveLength(9);
  });

  test("every issue has exactly the Code Quality keys with valid values", () => {
    for (const i of issues) {
      expect(Object.keys(i)).toEqual(["description", "check_name", "fingerprint", "severity", "location"]);
      expect(SEVERITIES.has(i.severity)).toBe(true);
      expect(i.location.path.length).toBeGreaterThan(0);
      expect(Number.isInteger(i.location.lines.begin) && i.location.lines.begin >= 1).toBe(true);
      expect(i.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  test("fingerprints are unique across the report", () => {
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  });

  test("the same finding fingerprint in two contracts still gives two fingerprints", () => {
    const [first] = usersApi.findings;
    const twice = buildReport([
      { ...usersApi, findings: [first!] },
      { ...usersApi, contract: "users-api-v2", findings: [first!] },
    ]);
    const fps = (JSON.parse(renderReport(twice, "gitlab", OPTS)) as CodeQualityIssue[]).map((i) => i.fingerprint);
    expect(new Set(fps).size).toBe(2);
  });

  test("duplicates inside one contract are made unique too", () => {
    const [first] = usersApi.findings;
    const dup = buildReport([{ ...usersApi, findings: [first!, { ...first!, message: "again" }] }]);
    const fps = (JSON.parse(renderReport(dup, "gitlab", OPTS)) as CodeQualityIssue[]).map((i) => i.fingerprint);
    expect(new Set(fps).size).toBe(2);
  });

  test("fingerprints are stable from run to run", () => {
    expect(renderReport(sampleReport(), "gitlab", OPTS)).toBe(out);
  });

  test.each([
    ["response-property-removed", "critical"],
    ["request-parameter-became-required", "info"], // accepted
    ["response-property-enum-value-added", "minor"],
    ["endpoint-added", "info"],
  ])("%s has severity %s", (check, severity) => {
    expect(byCheck(check).severity).toBe(severity as CodeQualityIssue["severity"]);
  });

  test("describes the finding with its contract and places it at the primary location", () => {
    expect(byCheck("response-property-removed")).toMatchObject({
      description: "users-api: response property 'email' removed from GET /users/{id} (200)",
      location: { path: "contracts/users/openapi.yaml", lines: { begin: 38 } },
    });
    expect(byCheck("request-parameter-became-required").description).toEndWith("[accepted: clients were migrated in Q3 (until 2027-01-31)]");
    expect(byCheck("FIELD_REMOVED").location).toEqual({ path: "contracts/users graph/schema.graphql", lines: { begin: 7 } });
    expect(byCheck("FIELD_SAME_NAME").location.path).toBe("contracts/billing/invoice.proto");
  });

  test("a finding without location is attached to its contract", () => {
    expect(byCheck("FILE_NO_DELETE").location).toEqual({ path: "billing-grpc", lines: { begin: 1 } });
  });

  test("an empty run is an empty array", () => {
    expect(renderReport(buildReport([]), "gitlab", OPTS)).toBe("[]\n");
  });
});
