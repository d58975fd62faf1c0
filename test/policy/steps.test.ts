import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { modeSpec } from "../../src/policy/modes.ts";
import { applyAccepts } from "../../src/policy/steps/accept.ts";
import { applyDeprecation, type DeprecatedSince } from "../../src/policy/steps/deprecation.ts";
import { asForward } from "../../src/policy/steps/direction.ts";
import { checkVersion, isMajorBump, isVersionFinding, nextMajor } from "../../src/policy/steps/version.ts";
import { allRules } from "../../src/cli/commands/rules.ts";
import type { RuleInfo } from "../../src/core/rule.ts";
import { MemoryReader } from "../../src/core/source.ts";
import openapi from "../../src/kinds/openapi/index.ts";

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
  const dangerous: Finding = { ...removed, rule: "response-optional-property-removed", severity: "dangerous" };
  const cases: Array<{ name: string; finding?: Finding; deprecated?: { sunset?: string }; minDays: number; history?: boolean; since?: DeprecatedSince; severity: string; note?: string }> = [
    { name: "a removal of a non-deprecated element is left alone", minDays: 0, severity: "breaking" },
    { name: "min-days 0: any released deprecation softens the removal", deprecated: {}, minDays: 0, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01, 45 days ago)" },
    { name: "deprecated long enough ago: safe", deprecated: {}, minDays: 30, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01, 45 days ago)" },
    { name: "a dangerous removal is softened alike", finding: dangerous, deprecated: {}, minDays: 30, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01, 45 days ago)" },
    { name: "deprecated too recently: keeps its severity", deprecated: {}, minDays: 60, since: release, severity: "breaking", note: "deprecated in 1.2.0 only 45 days ago; removal needs at least 60 (policy.deprecation.min-days)" },
    { name: "too recently, dangerous: stays dangerous, never hardened", finding: dangerous, deprecated: {}, minDays: 60, since: release, severity: "dangerous", note: "deprecated in 1.2.0 only 45 days ago; removal needs at least 60 (policy.deprecation.min-days)" },
    { name: "deprecated only in unreleased work", deprecated: {}, minDays: 30, severity: "breaking", note: "deprecated, but in no released version yet; the deprecation must be released at least 30 days before the removal" },
    { name: "no release history (plain diff): judged as if not deprecated, with a note", deprecated: {}, minDays: 0, history: false, since: release, severity: "breaking", note: "deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated" },
    { name: "no release history, dangerous: stays dangerous", finding: dangerous, deprecated: {}, minDays: 0, history: false, severity: "dangerous", note: "deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated" },
    { name: "removed before its sunset date: keeps its severity", deprecated: { sunset: "2026-07-01" }, minDays: 0, since: release, severity: "breaking", note: "deprecated since 1.2.0 (2026-05-01), removed before its sunset date 2026-07-01" },
    { name: "before its sunset date, dangerous: never hardened", finding: dangerous, deprecated: { sunset: "2026-07-01" }, minDays: 0, since: release, severity: "dangerous", note: "deprecated since 1.2.0 (2026-05-01), removed before its sunset date 2026-07-01" },
    { name: "after a released sunset date, whatever min-days says: safe", deprecated: { sunset: "2026-06-01" }, minDays: 365, since: release, severity: "safe", note: "deprecated since 1.2.0 (2026-05-01), removed after its sunset date 2026-06-01" },
    { name: "a sunset date in no released version softens nothing", deprecated: { sunset: "2026-06-01" }, minDays: 0, severity: "breaking", note: "deprecated, but in no released version yet; the deprecation must be released before the removal" },
    {
      name: "a deletion that leaves a protobuf number or name free for reuse is never softened",
      finding: { ...removed, rule: "FIELD_NO_DELETE", unreserved: true },
      deprecated: {},
      minDays: 0,
      since: release,
      severity: "breaking",
      note: "deprecated, but its number and name are not reserved, and a deprecation does not stop them from being reused; reserve both to remove it",
    },
    { name: "an already safe removal stays as it is", finding: { ...removed, severity: "safe" }, deprecated: {}, minDays: 30, since: release, severity: "safe" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const base = c.finding ?? removed;
      const f: Finding = c.deprecated ? { ...base, deprecated: c.deprecated } : base;
      const [out] = applyDeprecation([f], { minDays: c.minDays, now, history: c.history ?? true, since: since(c.since) });
      expect(out!.severity).toBe(c.severity as Finding["severity"]);
      expect(out!.note).toBe(c.note);
    });
  }
  test("protobuf's reuse guards are never softened: deprecation does not stop reuse", () => {
    for (const rule of ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"]) {
      const [out] = applyDeprecation([{ ...removed, rule, deprecated: {} }], { minDays: 0, now, history: true, since: since(release) });
      expect([rule, out!.severity]).toEqual([rule, "breaking"]);
    }
  });
  test("no severity is ever raised, for any combination", () => {
    const rank = { safe: 0, dangerous: 1, breaking: 2 } as const;
    for (const severity of ["safe", "dangerous", "breaking"] as const)
      for (const sunset of [undefined, "2026-01-01", "2027-01-01"])
        for (const minDays of [0, 30, 365])
          for (const history of [true, false])
            for (const s of [undefined, release]) {
              const f: Finding = { ...removed, severity, deprecated: sunset ? { sunset } : {} };
              const [out] = applyDeprecation([f], { minDays, now, history, since: since(s) });
              expect(rank[out!.severity]).toBeLessThanOrEqual(rank[severity]);
            }
  });
});

describe("deprecation never hardens, across rule ids", () => {
  // Every rule id naming the removal of a deprecated element (`…-with-deprecation`, `…-before-sunset`)
  // beside the same removal never deprecated (`…-without-deprecation`, or the bare id), read from the
  // catalogues of every kind rather than listed here.
  const pairs = (rules: RuleInfo[]) => {
    const byId = new Map(rules.map((r) => [`${r.kind}/${r.id}`, r]));
    return rules.flatMap((r) => {
      const m = /^(.*)-(with-deprecation|before-sunset)$/.exec(r.id);
      const plain = m && [`${m[1]}-without-deprecation`, m[1]].map((id) => byId.get(`${r.kind}/${id}`)).find((x) => x !== undefined);
      return plain ? [{ deprecated: r, plain }] : [];
    });
  };
  const rank = { safe: 0, dangerous: 1, breaking: 2 } as const;
  const release = { version: "1.2.0", date: "2026-05-01T10:00:00Z" };

  test("no severity of a deprecated removal, after any policy, is above the same removal never deprecated", async () => {
    const found = pairs(await allRules());
    // api-removed, api-path-removed, request-parameter-removed: each with deprecation and before its sunset.
    expect(found.map((p) => p.deprecated.id).sort()).toEqual([
      "api-path-removed-before-sunset",
      "api-path-removed-with-deprecation",
      "api-removed-before-sunset",
      "api-removed-with-deprecation",
      "request-parameter-removed-before-sunset",
      "request-parameter-removed-with-deprecation",
    ]);
    for (const { deprecated, plain } of found) {
      for (const sunset of [undefined, "2026-01-01", "2027-01-01"])
        for (const minDays of [0, 30, 365])
          for (const history of [true, false])
            for (const s of [undefined, release]) {
              const opts = { minDays, now, history, since: () => s };
              const [d] = applyDeprecation([{ ...removed, rule: deprecated.id, severity: deprecated.severity, deprecated: sunset ? { sunset } : {} }], opts);
              const [p] = applyDeprecation([{ ...removed, rule: plain.id, severity: plain.severity }], opts);
              expect([deprecated.id, rank[d!.severity] <= rank[p!.severity]]).toEqual([deprecated.id, true]);
            }
    }
  });

  test("a level lowered for a removal lowers the same removal after deprecation, unless set apart", () => {
    const model = (parameters: string) => `openapi: 3.0.3
info: { title: t, version: "1.0.0" }
paths:
  /users:
    get:
      parameters: [${parameters}]
      responses: { "200": { description: ok } }
`;
    const before = model("{ name: page, in: query, deprecated: true, schema: { type: integer } }, { name: first, in: query, schema: { type: integer } }");
    const after = model("");
    const run = async (levels: Record<string, string>) => {
      const reader = new MemoryReader({ "old.yaml": before, "new.yaml": after });
      const opts = { settings: { levels }, warn: () => {} };
      const fs = await openapi.diff(await openapi.load({ reader, path: "old.yaml" }, opts), await openapi.load({ reader, path: "new.yaml" }, opts), opts);
      return fs.filter((f) => /^request-parameter-removed/.test(f.rule)).map((f) => `${f.rule} ${f.severity}`);
    };
    return (async () => {
      expect(await run({})).toEqual(["request-parameter-removed-with-deprecation dangerous", "request-parameter-removed dangerous"]);
      expect(await run({ "request-parameter-removed": "INFO" })).toEqual(["request-parameter-removed-with-deprecation safe", "request-parameter-removed safe"]);
      expect(await run({ "request-parameter-removed": "NONE" })).toEqual([]);
      expect(await run({ "request-parameter-removed": "INFO", "request-parameter-removed-with-deprecation": "WARN" })).toEqual(["request-parameter-removed-with-deprecation dangerous", "request-parameter-removed safe"]);
    })();
  });
});

describe("checkVersion", () => {
  const loc = { file: "comms.yaml", line: 4, column: 62 };
  const accepted = { ...removed, accepted: { reason: "no client reads it" } };
  const cases: Array<{ name: string; findings: Finding[]; old: string; next: string; message: string }> = [
    { name: "a breaking change without a new major version", findings: [removed], old: "1.1.0", next: "1.2.0", message: "1 breaking change since 1.1.0 needs a new major version, but the declared version is 1.2.0 (was 1.1.0; expected 2.0.0 or later)" },
    { name: "the version left as it was", findings: [removed, { ...removed, path: "/b" }], old: "1.1.0", next: "1.1.0", message: "2 breaking changes since 1.1.0 need a new major version, but the declared version is 1.1.0 (was 1.1.0; expected 2.0.0 or later)" },
    { name: "some breaks accepted", findings: [removed, { ...accepted, path: "/b" }], old: "1.1.0", next: "1.1.0", message: "2 breaking changes since 1.1.0, 1 of them accepted, need a new major version, but the declared version is 1.1.0 (was 1.1.0; expected 2.0.0 or later)" },
    { name: "every break accepted: semver still follows the findings", findings: [accepted], old: "1.1.0", next: "1.1.1", message: "accepted breaking changes still need a major version: 1 accepted breaking change since 1.1.0, but the declared version is 1.1.1 (was 1.1.0; expected 2.0.0 or later)" },
    { name: "below 1.0.0 the next minor is the major", findings: [removed], old: "0.3.1", next: "0.3.2", message: "1 breaking change since 0.3.1 needs a new major version, but the declared version is 0.3.2 (was 0.3.1; expected 0.4.0 or later)" },
  ];
  for (const c of cases) {
    test(`version-not-bumped: ${c.name}`, () => {
      const out = checkVersion(c.findings, { old: c.old, new: c.next, location: loc, path: "contracts.users.version" });
      expect(out.slice(0, -1)).toEqual(c.findings);
      expect(out.at(-1)).toEqual({ rule: "version-not-bumped", severity: "breaking", path: "contracts.users.version", message: c.message, new: loc, gate: "version" });
      expect(isVersionFinding(out.at(-1)!)).toBe(true);
    });
  }
  test("a new major version allows the breaking changes, which stay reported as accepted", () => {
    const out = checkVersion([removed, added], { old: "1.1.0", new: "2.0.0", path: "info.version" });
    expect(out).toHaveLength(2);
    expect(out[0]!.accepted).toEqual({ reason: "new major version 2.0.0 (was 1.1.0)" });
    expect(out[1]!.accepted).toBeUndefined();
  });
  const silent: Array<[string, Finding[], string | undefined, string | undefined]> = [
    ["no breaking change", [added], "1.0.0", "1.0.0"],
    ["accepted, with a new major version", [accepted], "1.0.0", "2.0.0"],
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
