import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { modeSpec } from "../../src/policy/modes.ts";
import { applyAccepts } from "../../src/policy/steps/accept.ts";
import { applyDeprecation, type DeprecatedSince } from "../../src/policy/steps/deprecation.ts";
import { asForward } from "../../src/policy/steps/direction.ts";
import { checkVersion, isMajorBump, nextMajor } from "../../src/policy/steps/version.ts";

const removed: Finding = {
  rule: "response-property-removed",
  severity: "breaking",
  path: "/paths/~1users/get/responses/200/content/application~1json/schema/properties/email",
  message: "response property 'email' removed",
  old: { file: "api.yaml", line: 20, column: 9 },
  new: { file: "api.yaml", line: 18, column: 7 },
};
const added: Finding = { rule: "response-optional-property-added", severity: "safe", path: "/x/nick", message: "added", new: { file: "api.yaml", line: 3, column: 1 } };
const now = new Date("2026-06-15T12:00:00Z");

describe("applyAccepts", () => {
  const entry = { contract: "users", rule: removed.rule, path: removed.path, reason: "no client reads it" };
  const cases: Array<{ name: string; entries: Array<typeof entry & { until?: string }>; contract?: string; accepted?: { reason: string; until?: string }; note?: string; matched: number[] }> = [
    { name: "an exact entry accepts the finding", entries: [entry], accepted: { reason: "no client reads it" }, matched: [0] },
    { name: "an entry without contract applies to every contract", entries: [{ ...entry, contract: undefined as unknown as string }], accepted: { reason: "no client reads it" }, matched: [0] },
    { name: "an entry for another contract does not apply", entries: [{ ...entry, contract: "orders" }], matched: [] },
    { name: "a path glob matches", entries: [{ ...entry, path: "/paths/~1users/*" }], accepted: { reason: "no client reads it" }, matched: [0] },
    { name: "a different rule does not match", entries: [{ ...entry, rule: "response-property-type-changed" }], matched: [] },
    { name: "until today still applies", entries: [{ ...entry, until: "2026-06-15" }], accepted: { reason: "no client reads it", until: "2026-06-15" }, matched: [0] },
    { name: "an expired entry fails again, and says so", entries: [{ ...entry, until: "2026-06-14" }], note: "accepted until 2026-06-14, which has passed (no client reads it)", matched: [0] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = applyAccepts([removed, added], c.entries, c.contract ?? "users", now);
      expect(out.findings[0]!.accepted).toEqual(c.accepted);
      expect(out.findings[0]!.note).toBe(c.note);
      expect(out.findings[1]).toBe(added);
      expect(out.matched).toEqual(c.matched);
    });
  }
});

describe("applyDeprecation", () => {
  const since = (s?: DeprecatedSince) => () => s;
  const release = { version: "1.2.0", date: "2026-05-01T10:00:00Z" };
  const cases: Array<{ name: string; deprecated?: { sunset?: string }; minDays: number; since?: DeprecatedSince; severity: string; note?: string }> = [
    { name: "a removal of a non-deprecated element stays breaking", minDays: 0, severity: "breaking" },
    { name: "with the default min-days, any released deprecation allows removal", deprecated: {}, minDays: 0, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01)" },
    { name: "deprecated long enough ago", deprecated: {}, minDays: 30, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01, 45 days ago)" },
    { name: "deprecated too recently", deprecated: {}, minDays: 60, since: release, severity: "breaking", note: "deprecated in 1.2.0 only 45 days ago; removal needs at least 60 (policy.deprecation.min-days)" },
    { name: "deprecated only in unreleased work", deprecated: {}, minDays: 30, severity: "breaking", note: "deprecated, but in no released version yet; removal needs a deprecation released at least 30 days earlier" },
    { name: "removed before its sunset date", deprecated: { sunset: "2026-07-01" }, minDays: 0, since: release, severity: "breaking", note: "removed before its sunset date 2026-07-01" },
    { name: "removed after its sunset date, whatever min-days says", deprecated: { sunset: "2026-06-01" }, minDays: 365, severity: "safe", note: "removed after its sunset date 2026-06-01" },
  ];
  test("an engine's informational removal-after-deprecation is breaking when the deprecation is too young", () => {
    const info: Finding = { ...removed, rule: "api-removed-with-deprecation", severity: "safe", deprecated: {} };
    const [young] = applyDeprecation([info], { minDays: 60, now, since: since(release) });
    expect([young!.severity, young!.note]).toEqual(["breaking", "deprecated in 1.2.0 only 45 days ago; removal needs at least 60 (policy.deprecation.min-days)"]);
    const [old] = applyDeprecation([info], { minDays: 30, now, since: since(release) });
    expect(old!.severity).toBe("safe");
  });
  for (const c of cases) {
    test(c.name, () => {
      const f: Finding = c.deprecated ? { ...removed, deprecated: c.deprecated } : removed;
      const [out] = applyDeprecation([f], { minDays: c.minDays, now, since: since(c.since) });
      expect(out!.severity).toBe(c.severity as Finding["severity"]);
      expect(out!.note).toBe(c.note);
    });
  }
});

describe("checkVersion", () => {
  const loc = { file: "comms.yaml", line: 4, column: 62 };
  test("a breaking change without a new major version adds version-not-bumped at the declaration", () => {
    const out = checkVersion([removed], { old: "1.1.0", new: "1.2.0", location: loc, path: "contracts.users.version" });
    expect(out[1]).toEqual({
      rule: "version-not-bumped",
      severity: "breaking",
      path: "contracts.users.version",
      message: "1 breaking change since 1.1.0 needs a new major version, but the declared version is 1.2.0 (expected 2.0.0 or later)",
      new: loc,
    });
  });
  test("a new major version allows the breaking changes, which stay reported as accepted", () => {
    const out = checkVersion([removed, added], { old: "1.1.0", new: "2.0.0", path: "info.version" });
    expect(out).toHaveLength(2);
    expect(out[0]!.accepted).toEqual({ reason: "new major version 2.0.0 (was 1.1.0)" });
    expect(out[1]!.accepted).toBeUndefined();
  });
  const silent: Array<[string, Finding[], string | undefined, string | undefined]> = [
    ["no breaking change", [added], "1.0.0", "1.0.0"],
    ["already accepted", [{ ...removed, accepted: { reason: "r" } }], "1.0.0", "1.0.0"],
    ["no declared version", [removed], "1.0.0", undefined],
    ["a version that is not semver (oasdiff is silent too)", [removed], "1.0.0", "2024-01-01"],
  ];
  for (const [name, findings, old, next] of silent) {
    test(`silent: ${name}`, () => expect(checkVersion(findings, { old, new: next, path: "info.version" })).toEqual(findings));
  }
  test("below 1.0.0 the minor number acts as the major one", () => {
    expect([isMajorBump("0.3.1", "0.4.0"), isMajorBump("0.3.1", "0.3.9"), isMajorBump("0.3.1", "1.0.0"), isMajorBump("1.3.1", "1.9.0"), isMajorBump("2.0.0", "1.0.0")]).toEqual([true, false, true, false, false]);
    expect([nextMajor("0.3.1"), nextMajor("1.3.1")]).toEqual(["0.4.0", "2.0.0"]);
  });
});

describe("modes and directions", () => {
  test("each mode's directions and reach", () => {
    expect(modeSpec()).toEqual({ backward: true, forward: false, transitive: false });
    expect(modeSpec("forward")).toEqual({ backward: false, forward: true, transitive: false });
    expect(modeSpec("full-transitive")).toEqual({ backward: true, forward: true, transitive: true });
    expect(modeSpec("none")).toEqual({ backward: false, forward: false, transitive: false });
  });
  test("forward findings put each location back on its own side and drop the deprecation fact", () => {
    const swapped: Finding = { rule: "FIELD_REMOVED", severity: "breaking", path: "User.nick", message: "Field 'nick' was removed", old: { file: "s.graphql", line: 9, column: 3 }, new: { file: "s.graphql", line: 4, column: 1 }, deprecated: {} };
    expect(asForward([swapped])).toEqual([
      {
        rule: "FIELD_REMOVED",
        severity: "breaking",
        path: "User.nick",
        message: "forward: Field 'nick' was removed",
        old: { file: "s.graphql", line: 4, column: 1 },
        new: { file: "s.graphql", line: 9, column: 3 },
        note: "judged from an old reader's side (forward compatibility)",
      },
    ]);
  });
});
