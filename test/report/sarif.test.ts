import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { renderReport } from "../../src/report/index.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, RULES, sampleReport, usersApi } from "../fixtures/report/sample.ts";

// The official SARIF 2.1.0 schema (draft-04), as shipped by Microsoft's SARIF test matchers; its
// patterns are not valid in Unicode mode, hence unicodeRegExp: false.
const schemaPath = createRequire(import.meta.url).resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));

function expectValid(log: unknown): void {
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
}

describe("sarif report", () => {
  const out = renderReport(sampleReport(), "sarif", OPTS, { rules: RULES, toolVersion: "1.2.3", informationUri: "https://example.org/comms" });
  const log = JSON.parse(out);
  const run = log.runs[0];
  const results = run.results as Array<Record<string, any>>;
  const byRule = (id: string) => results.find((r) => r.ruleId === id)!;

  test("validates against the SARIF 2.1.0 schema", () => {
    expectValid(log);
  });

  test.each([
    ["without extras", sampleReport(), undefined],
    ["without findings", buildReport([]), undefined],
    ["with rule infos", buildReport([usersApi]), { rules: RULES }],
  ])("validates %s", (_name, report, extras) => {
    expectValid(JSON.parse(renderReport(report, "sarif", OPTS, extras)));
  });

  test("the schema check is real: a wrong level or a missing message is rejected", () => {
    const broken = JSON.parse(out);
    broken.runs[0].results[0].level = "fatal";
    delete broken.runs[0].results[1].message;
    expect(validate(broken)).toBe(false);
  });

  test("has the version, schema, one run and the driver", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toContain("sarif-2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: "comms", version: "1.2.3", informationUri: "https://example.org/comms" });
    expect(JSON.parse(renderReport(sampleReport(), "sarif", OPTS)).runs[0].tool.driver.version).toBe("0.0.0");
  });

  test("one rule per rule id, referenced by ruleIndex, with help from rule infos when given", () => {
    const rules = run.tool.driver.rules as Array<Record<string, any>>;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const removed = rules.find((r) => r.id === "response-property-removed")!;
    expect(removed.shortDescription.text).toBe("A property was removed from a response body.");
    expect(removed.fullDescription.text).toContain("Clients that read the property");
    expect(removed.help.text).toContain("Fix: Deprecate the property first");
    expect(removed.defaultConfiguration.level).toBe("error");
    expect(removed.properties.tags).toEqual(["openapi", "breaking", "response", "schema"]);
    const added = rules.find((r) => r.id === "ENUM_VALUE_ADDED")!;
    expect(added.shortDescription.text).toContain("dangerous");
    expect(added.defaultConfiguration.level).toBe("warning");
  });

  test("maps severities to levels", () => {
    expect(byRule("response-property-removed").level).toBe("error");
    expect(byRule("ENUM_VALUE_ADDED").level).toBe("warning");
    expect(byRule("endpoint-added").level).toBe("note");
    expect(results).toHaveLength(9);
  });

  test("locations are repository-relative URIs under %SRCROOT% with the region", () => {
    const r = byRule("response-property-enum-value-added");
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "contracts/users/openapi.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 90, startColumn: 7, endLine: 90, endColumn: 12 },
    });
    expect(byRule("FIELD_REMOVED").locations[0].physicalLocation.artifactLocation.uri).toBe("contracts/users%20graph/schema.graphql");
    expect(byRule("FIELD_SAME_NAME").locations[0].physicalLocation.artifactLocation.uri).toBe("contracts/billing/invoice.proto");
    expect(r.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: "/components/schemas/Status/enum", name: "/components/schemas/Status/enum" }]);
  });

  test("the old location is a related location", () => {
    const r = byRule("response-property-removed");
    expect(r.locations[0].physicalLocation.region).toEqual({ startLine: 38, startColumn: 9 });
    expect(r.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: "contracts/users/openapi.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 41, startColumn: 11, endLine: 43, endColumn: 5 },
        },
        message: { text: "before, in users-api@1.2.0" },
      },
    ]);
  });

  test("a finding without location keeps its logical location", () => {
    const r = byRule("FILE_NO_DELETE");
    expect(r.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: "acme/billing/v1/legacy.proto", name: "acme/billing/v1/legacy.proto" }] }]);
  });

  test("every result has a stable partial fingerprint and a message", () => {
    expect(byRule("response-property-removed").partialFingerprints).toEqual({ "commsFingerprint/v1": "fp-users-email" });
    for (const r of results) {
      expect(r.partialFingerprints["commsFingerprint/v1"]).toBeString();
      expect(r.message.text.length).toBeGreaterThan(0);
    }
    expect(byRule("response-property-removed").message.text).toBe(
      "response property 'email' removed from GET /users/{id} (200) Operations: GET /users/{id}. (users-api: users-api@1.2.0 → working tree (1.3.0))",
    );
  });

  test("accepted findings are externally suppressed with the reason", () => {
    expect(byRule("request-parameter-became-required").suppressions).toEqual([
      { kind: "external", justification: "clients were migrated in Q3 (until 2027-01-31)" },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
  });
});
