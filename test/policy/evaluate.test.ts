import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { KIND_IDS } from "../../src/core/engine.ts";
import { getEngine } from "../../src/kinds/index.ts";
import { isDocumentation, isRemoval } from "../../src/policy/classes.ts";
import { evaluate, suggestBump } from "../../src/policy/evaluate.ts";

const f = (rule: string, severity: Finding["severity"], extra: Partial<Finding> = {}): Finding => ({ rule, severity, path: rule, message: rule, ...extra });

describe("suggestBump", () => {
  const accepted = { accepted: { reason: "r" } };
  const cases: Array<[string, Finding[], string]> = [
    ["nothing changed", [], "none"],
    ["a break", [f("FIELD_REMOVED", "breaking"), f("FIELD_ADDED", "safe")], "major"],
    ["an accepted break is still major: semver follows the findings", [f("FIELD_REMOVED", "breaking", accepted)], "major"],
    ["a break allowed by a new major version is major", [f("FIELD_REMOVED", "breaking", { accepted: { reason: "new major version 2.0.0 (was 1.0.0)" } })], "major"],
    ["an addition", [f("response-optional-property-added", "safe")], "minor"],
    ["a new optional parameter (oasdiff's new-* ids)", [f("new-optional-request-parameter", "safe")], "minor"],
    ["a GraphQL addition", [f("ENUM_VALUE_ADDED", "dangerous")], "minor"],
    ["a deprecation (semver: minor)", [f("FIELD_DEPRECATION_ADDED", "safe")], "minor"],
    ["a protobuf deprecation", [f("FIELD_DEPRECATED", "safe")], "minor"],
    ["an OpenAPI deprecation", [f("endpoint-deprecated", "safe")], "minor"],
    ["a change whose id merely mentions 'new' is not an addition", [f("request-parameter-became-renewed", "safe")], "patch"],
    ["a description", [f("FIELD_DESCRIPTION_CHANGED", "safe")], "patch"],
    ["a description added is documentation, not an addition", [f("FIELD_DESCRIPTION_ADDED", "safe")], "patch"],
    ["a cosmetic finding", [f("x-changed", "safe", { cosmetic: true })], "patch"],
    ["the version finding alone is not a change", [f("version-not-bumped", "breaking", { gate: "version" })], "none"],
    // One table for every kind: additions minor, dangerous at least minor, documentation patch.
    ["an Avro field added with a default", [f("FIELD_ADDED_WITH_DEFAULT", "safe")], "minor"],
    ["an Avro enum symbol added", [f("ENUM_SYMBOL_ADDED", "safe")], "minor"],
    ["an Avro union widened", [f("UNION_BRANCH_ADDED", "safe")], "minor"],
    ["an Avro type promoted (int to long)", [f("TYPE_PROMOTED", "safe")], "minor"],
    ["an Avro field no longer written (removed)", [f("FIELD_NOT_READ", "safe")], "minor"],
    ["a default given to an Avro field (dangerous)", [f("DEFAULT_CHANGED", "dangerous")], "minor"],
    ["a JSON Schema enum widened", [f("ENUM_ARRAY_EXTENDED", "safe")], "minor"],
    ["a JSON Schema type widened", [f("TYPE_EXTENDED", "safe")], "minor"],
    ["a JSON Schema optional property added", [f("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "safe")], "minor"],
    ["a JSON Schema default given (dangerous)", [f("DEFAULT_CHANGED", "dangerous")], "minor"],
    ["a deploy-order finding (dangerous)", [f("DEPLOY_CONSUMERS_FIRST", "dangerous")], "minor"],
    ["an Avro doc changed", [f("DOC_CHANGED", "safe", { cosmetic: true })], "patch"],
    ["a JSON Schema title changed", [f("TITLE_CHANGED", "safe", { cosmetic: true })], "patch"],
    ["a JSON Schema bound relaxed", [f("MAX_LENGTH_INCREASED", "safe")], "patch"],
  ];
  for (const [name, findings, bump] of cases) test(name, () => expect(suggestBump(findings)).toBe(bump as never));

  // A removal is never a patch, whatever its severity, in every kind's vocabulary.
  const removals: Array<[string, string]> = [
    ["openapi", "response-optional-property-removed"],
    ["openapi", "api-path-removed-with-deprecation"],
    ["openapi", "api-removed-with-deprecation"],
    ["openapi", "request-parameter-removed-with-deprecation"],
    ["openapi", "optional-response-header-removed"],
    ["openapi", "response-property-enum-value-removed"],
    ["openapi", "request-body-discriminator-mapping-deleted"],
    ["openapi", "sunset-deleted"],
    ["openapi", "api-tag-removed"],
    ["openapi", "webhook-removed"],
    ["graphql", "FIELD_REMOVED"],
    ["graphql", "TYPE_REMOVED"],
    ["graphql", "ENUM_VALUE_REMOVED"],
    ["graphql", "INPUT_FIELD_REMOVED"],
    ["graphql", "DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED"],
    ["protobuf", "FIELD_NO_DELETE"],
    ["protobuf", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"],
    ["protobuf", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"],
    ["protobuf", "MESSAGE_NO_DELETE"],
    ["protobuf", "RPC_NO_DELETE"],
    ["protobuf", "RESERVED_MESSAGE_NO_DELETE"],
    ["protobuf", "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR"],
    ["jsonschema", "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"],
    ["jsonschema", "REQUIRED_ATTRIBUTE_REMOVED"],
    ["asyncapi", "channel-removed"],
  ];
  for (const [kind, rule] of removals) {
    for (const severity of ["safe", "dangerous"] as const) {
      test(`${kind} ${rule} (${severity}) is at least minor`, () => {
        expect(isRemoval({ rule })).toBe(true);
        expect(suggestBump([f(rule, severity)])).toBe("minor");
      });
    }
  }
  const notRemovals = ["FIELD_DESCRIPTION_REMOVED", "TYPE_DESCRIPTION_REMOVED", "FIELD_DEPRECATION_REASON_REMOVED", "ENUM_VALUE_DEPRECATION_REASON_REMOVED", "FIELD_DEPRECATION_REMOVED", "request-body-all-of-removed-annotation-only"];
  for (const rule of notRemovals) test(`${rule} is documentation, not a removal`, () => expect([isRemoval({ rule }), isDocumentation({ rule })]).toEqual([false, true]));

  // Every id in the catalogues that speaks of removing or deleting is classed: a removal, or documentation.
  for (const kind of KIND_IDS) {
    test(`every ${kind} rule id that removes something is a removal or documentation`, async () => {
      const ids = (await getEngine(kind)).rules().map((r) => r.id).filter((id) => /remov|delet/i.test(id));
      expect(ids.length).toBeGreaterThan(0);
      const unclassed = ids.filter((rule) => !isRemoval({ rule }) && !isDocumentation({ rule }));
      expect(unclassed).toEqual([]);
    });
  }
});

describe("evaluate", () => {
  const now = new Date("2026-06-15T00:00:00Z");
  test("dangerous findings fail only with fail-on dangerous", () => {
    const raw = [f("ENUM_VALUE_ADDED", "dangerous")];
    expect(evaluate(raw, { contract: "c", failOn: "breaking", now }).verdict).toBe("pass");
    expect(evaluate(raw, { contract: "c", failOn: "dangerous", now }).verdict).toBe("fail");
  });
  test("mode none reports without failing, and skips the version check", () => {
    const out = evaluate([f("FIELD_REMOVED", "breaking")], { contract: "c", failOn: "breaking", now, mode: "none", version: { old: "1.0.0", new: "1.0.0", path: "info.version" } });
    expect(out.verdict).toBe("pass");
    expect(out.findings.map((x) => x.rule)).toEqual(["FIELD_REMOVED"]);
    expect(out.notes).toEqual(["compatibility is 'none': changes are reported, never enforced"]);
  });
  test("deprecation and accepted changes are judged before the version, which accepted breaks still need", () => {
    const raw = [f("FIELD_REMOVED", "breaking", { deprecated: {} }), f("FIELD_TYPE_CHANGED", "breaking")];
    const policy = { accept: [{ rule: "FIELD_TYPE_CHANGED", path: "FIELD_TYPE_CHANGED", reason: "internal" }] };
    const ctx = { contract: "c", failOn: "breaking" as const, now, policy, history: true, deprecatedSince: () => ({ version: "0.9.0", date: "2026-01-01" }) };
    const same = evaluate(raw, { ...ctx, version: { old: "1.0.0", new: "1.0.0", path: "info.version" } });
    expect(same.findings.map((x) => `${x.severity} ${x.rule}${x.accepted ? " accepted" : ""}`)).toEqual(["breaking FIELD_TYPE_CHANGED accepted", "breaking version-not-bumped", "safe FIELD_REMOVED"]);
    expect(same.findings[1]!.message).toStartWith("accepted breaking changes still need a major version");
    expect([same.verdict, same.suggestedBump]).toEqual(["fail", "major"]);
    expect(same.matchedAccepts).toEqual([0]);
    const bumped = evaluate(raw, { ...ctx, version: { old: "1.0.0", new: "2.0.0", path: "info.version" } });
    expect([bumped.verdict, bumped.suggestedBump]).toEqual(["pass", "major"]);
  });
  test("without release history a deprecated removal stays breaking", () => {
    const out = evaluate([f("FIELD_REMOVED", "breaking", { deprecated: {} })], { contract: "c", failOn: "breaking", now, deprecatedSince: () => ({ version: "0.9.0", date: "2026-01-01" }) });
    expect([out.findings[0]!.severity, out.verdict]).toEqual(["breaking", "fail"]);
  });
  test("COMMS_NOW pins today for dated policy", () => {
    const policy = { accept: [{ rule: "FIELD_REMOVED", path: "FIELD_REMOVED", reason: "r", until: "2026-03-01" }] };
    const prev = process.env.COMMS_NOW;
    try {
      process.env.COMMS_NOW = "2026-02-01";
      expect(evaluate([f("FIELD_REMOVED", "breaking")], { contract: "c", failOn: "breaking", policy }).verdict).toBe("pass");
      process.env.COMMS_NOW = "2026-03-02";
      expect(evaluate([f("FIELD_REMOVED", "breaking")], { contract: "c", failOn: "breaking", policy }).verdict).toBe("fail");
      process.env.COMMS_NOW = "yesterday";
      expect(() => evaluate([], { contract: "c", failOn: "breaking" })).toThrow("COMMS_NOW: expected a date");
    } finally {
      if (prev === undefined) delete process.env.COMMS_NOW;
      else process.env.COMMS_NOW = prev;
    }
  });
});
