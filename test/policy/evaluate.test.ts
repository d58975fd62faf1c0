import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { evaluate, suggestBump } from "../../src/policy/evaluate.ts";

const f = (rule: string, severity: Finding["severity"], extra: Partial<Finding> = {}): Finding => ({ rule, severity, path: rule, message: rule, ...extra });

describe("suggestBump", () => {
  const cases: Array<[string, Finding[], string]> = [
    ["nothing changed", [], "none"],
    ["a break", [f("FIELD_REMOVED", "breaking"), f("FIELD_ADDED", "safe")], "major"],
    ["an addition", [f("response-optional-property-added", "safe")], "minor"],
    ["a new optional parameter (oasdiff's new-* ids)", [f("new-optional-request-parameter", "safe")], "minor"],
    ["a GraphQL addition", [f("ENUM_VALUE_ADDED", "dangerous")], "minor"],
    ["a change whose id merely mentions 'new' is not an addition", [f("request-parameter-became-renewed", "safe")], "patch"],
    ["an accepted break changes the surface: minor", [f("FIELD_REMOVED", "breaking", { accepted: { reason: "r" } })], "minor"],
    ["anything else", [f("FIELD_DESCRIPTION_CHANGED", "safe")], "patch"],
  ];
  for (const [name, findings, bump] of cases) test(name, () => expect(suggestBump(findings)).toBe(bump as never));
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
  test("deprecation and accepted changes are judged before the version", () => {
    const raw = [f("FIELD_REMOVED", "breaking", { deprecated: {} }), f("FIELD_TYPE_CHANGED", "breaking")];
    const policy = { accept: [{ rule: "FIELD_TYPE_CHANGED", path: "FIELD_TYPE_CHANGED", reason: "internal" }] };
    const out = evaluate(raw, { contract: "c", failOn: "breaking", now, policy, version: { old: "1.0.0", new: "1.0.0", path: "info.version" } });
    expect(out.findings.map((x) => `${x.severity} ${x.rule}${x.accepted ? " accepted" : ""}`)).toEqual(["breaking FIELD_TYPE_CHANGED accepted", "safe FIELD_REMOVED"]);
    expect(out.verdict).toBe("pass");
    expect(out.matchedAccepts).toEqual([0]);
  });
});
