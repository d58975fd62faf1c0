import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { renderReport } from "../../src/report/index.ts";
import type { RuleInfo } from "../../src/core/rule.ts";
import { buildReport, type ContractResult } from "../../src/report/model.ts";
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

  test("one rule per kind and rule id, referenced by ruleIndex, with help from rule infos when given", () => {
    const rules = run.tool.driver.rules as Array<Record<string, any>>;
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const r of results) expect(rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const removed = rules.find((r) => r.id === "openapi/response-property-removed")!;
    expect(removed.shortDescription.text).toBe("A property was removed from a response body.");
    expect(removed.fullDescription.text).toContain("Clients that read the property");
    expect(removed.help.text).toContain("Fix: Deprecate the property first");
    expect(removed.defaultConfiguration.level).toBe("error");
    expect(removed.properties.tags).toEqual(["openapi", "breaking", "response", "schema"]);
    const added = rules.find((r) => r.id === "graphql/ENUM_VALUE_ADDED")!;
    expect(added.shortDescription.text).toContain("dangerous");
    expect(added.defaultConfiguration.level).toBe("warning");
  });

  test("maps severities to levels", () => {
    expect(byRule("openapi/response-property-removed").level).toBe("error");
    expect(byRule("graphql/ENUM_VALUE_ADDED").level).toBe("warning");
    expect(byRule("openapi/endpoint-added").level).toBe("note");
    expect(results).toHaveLength(9);
  });

  test("locations are repository-relative URIs under %SRCROOT% with the region", () => {
    const r = byRule("openapi/response-property-enum-value-added");
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "contracts/users/openapi.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 90, startColumn: 7, endLine: 90, endColumn: 12 },
    });
    expect(byRule("graphql/FIELD_REMOVED").locations[0].physicalLocation.artifactLocation.uri).toBe("contracts/users%20graph/schema.graphql");
    expect(byRule("protobuf/FIELD_SAME_NAME").locations[0].physicalLocation.artifactLocation.uri).toBe("contracts/billing/invoice.proto");
    expect(r.locations[0].logicalLocations).toEqual([{ fullyQualifiedName: "/components/schemas/Status/enum", name: "/components/schemas/Status/enum" }]);
  });

  test("the old location is a related location", () => {
    const r = byRule("openapi/response-property-removed");
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
    const r = byRule("protobuf/FILE_NO_DELETE");
    expect(r.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: "acme/billing/v1/legacy.proto", name: "acme/billing/v1/legacy.proto" }] }]);
  });

  test("every result has a stable partial fingerprint and a message", () => {
    expect(byRule("openapi/response-property-removed").partialFingerprints).toEqual({ "commsFingerprint/v1": "fp-users-email" });
    for (const r of results) {
      expect(r.partialFingerprints["commsFingerprint/v1"]).toBeString();
      expect(r.message.text.length).toBeGreaterThan(0);
    }
    expect(byRule("openapi/response-property-removed").message.text).toBe(
      "response property 'email' removed from GET /users/{id} (200) Affects: GET /users/{id}. (users-api: users-api@1.2.0 → working tree (1.3.0))",
    );
  });

  test("accepted findings are externally suppressed with the reason", () => {
    expect(byRule("openapi/request-parameter-became-required").suppressions).toEqual([
      { kind: "external", justification: "clients were migrated in Q3 (until 2027-01-31)" },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
  });

  test("rules of different kinds that share an id stay apart, each with its own kind's description", () => {
    const graph: ContractResult = {
      contract: "g", kind: "graphql", old: { ref: "main" }, new: { ref: "working tree" }, suggestedBump: "minor", verdict: "pass",
      findings: [{ rule: "FIELD_ADDED", severity: "safe", path: "User.name", message: "Field 'name' was added to object type 'User'", new: { file: "s.graphql", line: 3, column: 3 } }],
    };
    const proto: ContractResult = {
      contract: "p", kind: "protobuf", old: { ref: "main" }, new: { ref: "working tree" }, suggestedBump: "minor", verdict: "pass",
      findings: [{ rule: "FIELD_ADDED", severity: "safe", path: "acme.v1.User.name", message: "Field 2 with name \"name\" was added.", new: { file: "u.proto", line: 5, column: 3 } }],
    };
    const infos: RuleInfo[] = [
      { id: "FIELD_ADDED", kind: "graphql", severity: "safe", summary: "A field was added to an object or interface type." },
      { id: "FIELD_ADDED", kind: "protobuf", severity: "safe", summary: "A field was added to an existing message." },
    ];
    const sarif = JSON.parse(renderReport(buildReport([graph, proto]), "sarif", OPTS, { rules: infos }));
    expectValid(sarif);
    const rules = sarif.runs[0].tool.driver.rules as Array<Record<string, any>>;
    expect(rules.map((r) => [r.id, r.name, r.shortDescription.text, r.properties.tags[0]])).toEqual([
      ["graphql/FIELD_ADDED", "FIELD_ADDED", "A field was added to an object or interface type.", "graphql"],
      ["protobuf/FIELD_ADDED", "FIELD_ADDED", "A field was added to an existing message.", "protobuf"],
    ]);
    const res = sarif.runs[0].results as Array<Record<string, any>>;
    expect(res.map((r) => [r.ruleId, r.ruleIndex])).toEqual([["graphql/FIELD_ADDED", 0], ["protobuf/FIELD_ADDED", 1]]);
    expect(rules[1]!.help.text).toContain("comms rules protobuf/FIELD_ADDED");
  });

  test("version-not-bumped is the policy's rule, described by its own text", () => {
    const r: ContractResult = {
      contract: "users-api", kind: "openapi", old: { ref: "users-api@1.2.0", version: "1.2.0" }, new: { ref: "working tree", version: "1.3.0" },
      suggestedBump: "major", verdict: "fail",
      findings: [
        { rule: "version-not-bumped", severity: "breaking", path: "info.version", message: "1 breaking change since 1.2.0 needs a new major version", new: { file: "api.yaml", line: 3, column: 12 } },
      ],
    };
    const sarif = JSON.parse(renderReport(buildReport([r]), "sarif", OPTS));
    expectValid(sarif);
    const [rule] = sarif.runs[0].tool.driver.rules;
    expect(rule.id).toBe("policy/version-not-bumped");
    expect(rule.fullDescription.text).toContain("semver");
    expect(rule.properties.tags).toContain("policy");
  });

  test("the before location names the old file and its line when the sides are different files", () => {
    const r: ContractResult = {
      contract: "users-api", kind: "openapi", old: { ref: "users-api@1.2.0", version: "1.2.0" }, new: { ref: "working tree" },
      suggestedBump: "major", verdict: "fail",
      findings: [
        {
          rule: "response-property-type-changed", severity: "breaking", path: "/components/schemas/User/properties/id/type", message: "type changed",
          old: { file: ".comms/users-api/1.2.0/openapi.yaml", line: 7, column: 9 }, new: { file: "api/openapi.yaml", line: 12, column: 9 },
        },
      ],
    };
    const res = JSON.parse(renderReport(buildReport([r]), "sarif", OPTS)).runs[0].results[0];
    expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "api/openapi.yaml" }, region: { startLine: 12 } });
    expect(res.relatedLocations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: ".comms/users-api/1.2.0/openapi.yaml" }, region: { startLine: 7 } });
  });
});
