import { describe, expect, test } from "bun:test";
import { KIND_IDS } from "../../src/core/engine.ts";
import type { RuleInfo } from "../../src/core/rule.ts";
import { allRules, findRules } from "../../src/cli/commands/rules.ts";
import { POLICY_RULES } from "../../src/report/policy-rules.ts";
import { runCli } from "../helpers/cli.ts";

const rules = await allRules();

describe("comms rules <id>", () => {
  test("explains the policy's version rule, which fails the gate", () => {
    const r = runCli(["rules", "version-not-bumped"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("policy/version-not-bumped  (policy, breaking");
    expect(r.stdout).toContain("Why it matters: ");
    expect(r.stdout).toContain("How to fix: ");
    expect(runCli(["rules", "policy/version-not-bumped"]).stdout).toBe(r.stdout);
  });

  test("a bare id shared by several kinds lists the kinds and how to ask for one", () => {
    const shared = findRules(rules, "FIELD_ADDED");
    expect(shared.map((r) => r.kind).sort()).toEqual(["graphql", "protobuf"]);
    const r = runCli(["rules", "FIELD_ADDED"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("'FIELD_ADDED' is a rule of 2 kinds (graphql, protobuf)");
    expect(r.stdout).toMatch(/^ {2}graphql\/FIELD_ADDED /m);
    expect(r.stdout).toMatch(/^ {2}protobuf\/FIELD_ADDED /m);
  });

  test("a namespaced id explains that kind's rule only", () => {
    const proto = rules.find((x) => x.kind === "protobuf" && x.id === "FIELD_ADDED")!;
    const r = runCli(["rules", "protobuf/FIELD_ADDED"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("protobuf/FIELD_ADDED  (protobuf, ");
    expect(r.stdout).toContain(proto.summary);
    expect(runCli(["rules", "FIELD_ADDED", "--kind", "protobuf"]).stdout).toBe(r.stdout);
  });

  test("ids are matched without regard to case", () => {
    expect(findRules(rules, "Graphql/field_removed").map((r) => `${r.kind}/${r.id}`)).toEqual(["graphql/FIELD_REMOVED"]);
  });

  test("an unknown id is exit 2 on one line", () => {
    const r = runCli(["rules", "NOPE_NOT_A_RULE"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toEqual(["comms: unknown rule 'NOPE_NOT_A_RULE' (list them with 'comms rules')"]);
  });

  test("the list includes the policy's rules and --kind policy selects them", () => {
    const r = runCli(["rules", "--kind", "policy", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((x: RuleInfo) => x.id)).toEqual(POLICY_RULES.map((x) => x.id));
  });
});

/**
 * Every id comms can report needs an explanation a consumer can act on: a summary sentence saying what
 * changed (not the id's words read back, as in "API deprecated sunset parse.") and a sentence saying
 * why it matters.
 */
function explanationProblems(r: RuleInfo): string[] {
  const problems: string[] = [];
  const idWords = r.id.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const sentence = (s: string | undefined, what: string, minWords: number) => {
    if (!s?.trim()) return problems.push(`no ${what}`);
    if (!/^[A-Z`"'(]/.test(s.trim())) problems.push(`${what} does not start like a sentence`);
    if (!/[.!?)`]$/.test(s.trim())) problems.push(`${what} does not end like a sentence`);
    if (words(s).length < minWords) problems.push(`${what} has fewer than ${minWords} words`);
  };
  sentence(r.summary, "summary", 3);
  // A summary generated from the id reads the id's words back in order, without a verb of its own.
  if (words(r.summary).join(" ") === [...idWords].join(" ")) problems.push("summary only repeats the id");
  sentence(r.why, "why", 6);
  return problems;
}

describe("every rule has a real explanation", () => {
  test("the policy's rules", () => {
    for (const r of POLICY_RULES) expect(explanationProblems(r)).toEqual([]);
  });

  test("the check is real: a generated summary or a missing why is refused", () => {
    expect(explanationProblems({ id: "api-deprecated-sunset-parse", kind: "openapi", severity: "breaking", summary: "API deprecated sunset parse." })).toEqual([
      "summary only repeats the id",
      "no why",
    ]);
  });

  test.each([...KIND_IDS])("%s", (kind) => {
    const bad = rules
      .filter((r) => r.kind === kind)
      .map((r) => [r.id, explanationProblems(r)] as const)
      .filter(([, p]) => p.length)
      .map(([id, p]) => `${id}: ${p.join("; ")}`);
    expect(bad).toEqual([]);
  });
});
