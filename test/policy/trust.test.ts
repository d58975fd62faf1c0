import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { applyTrust, modeLoosened, type TrustOutcome } from "../../src/gate/trust.ts";
import type { CompatibilityMode } from "../../src/policy/config.ts";
import { globMatch } from "../../src/policy/steps/accept.ts";
import type { ContractResult } from "../../src/report/model.ts";

describe("compatibility modes are ordered by what they check", () => {
  // from, to, loosened
  const table: Array<[CompatibilityMode, CompatibilityMode, boolean]> = [
    ["backward", "none", true],
    ["forward", "none", true],
    ["full", "backward", true],
    ["full", "forward", true],
    ["backward", "forward", true],
    ["forward", "backward", true],
    ["backward-transitive", "backward", true],
    ["backward-transitive", "full", true],
    ["full-transitive", "forward-transitive", true],
    ["none", "backward", false],
    ["none", "none", false],
    ["backward", "full", false],
    ["backward", "backward-transitive", false],
    ["forward", "full-transitive", false],
    ["backward-transitive", "full-transitive", false],
    ["full", "full", false],
  ];
  for (const [from, to, loosened] of table) {
    test(`${from} -> ${to}: ${loosened ? "loosened" : "not loosened"}`, () => {
      expect(modeLoosened(from, to)).toBe(loosened);
    });
  }
});

describe("accept patterns match in one pass", () => {
  const table: Array<[string, string, boolean]> = [
    ["*", "", true],
    ["*", "anything", true],
    ["a*c", "abc", true],
    ["a*c", "ac", true],
    ["a*c", "abd", false],
    ["*/email", "/paths/~1users/get/email", true],
    ["*b", "aab", true],
    ["a**b", "ab", true],
    ["exact", "exact", true],
    ["exact", "exactly", false],
    // What a backtracking regular expression takes minutes on.
    [`${"*a".repeat(12)}*b`, "a".repeat(5000), false],
    [`${"*a".repeat(12)}*b`, `${"a".repeat(5000)}b`, true],
  ];
  for (const [pattern, value, matches] of table) {
    test(`${pattern.slice(0, 30)} ~ ${value.slice(0, 30)}: ${matches}`, () => {
      expect(globMatch(pattern, value)).toBe(matches);
    });
  }
});

describe("applyTrust", () => {
  const finding = (rule: string, path: string): Finding => ({ rule, severity: "breaking", path, message: `${rule} at ${path}`, gate: "config" });
  const contractResult = (): ContractResult => ({
    contract: "users",
    kind: "graphql",
    old: { ref: "users@1.0.0" },
    new: { ref: "working tree" },
    // A contract in mode none keeps its breaking findings without failing.
    findings: [{ rule: "FIELD_REMOVED", severity: "breaking", path: "User.email", message: "removed" }],
    suggestedBump: "major",
    verdict: "pass",
  });
  const outcome = (): TrustOutcome => ({
    configName: "comms.yaml",
    ref: "main",
    notes: [],
    findings: [
      { finding: finding("policy-compatibility-loosened", "policy.compatibility") },
      { contract: "users", finding: finding("policy-compatibility-loosened", "contracts.users.compatibility") },
      { contract: "orders", removedKind: "openapi", finding: finding("contract-removed", "contracts.orders") },
    ],
  });

  test("each finding lands on its result; the configuration and a removed contract get results of their own", () => {
    const results = [contractResult()];
    expect(applyTrust(results, outcome(), [], "breaking")).toEqual([]);
    expect(results.map((r) => [r.contract, r.kind, r.verdict, r.findings.map((f) => f.rule)])).toEqual([
      ["users", "graphql", "fail", ["FIELD_REMOVED", "policy-compatibility-loosened"]],
      ["comms.yaml", "policy", "fail", ["policy-compatibility-loosened"]],
      ["orders", "openapi", "fail", ["contract-removed"]],
    ]);
  });

  test("only entries naming rule and path exactly accept them; patterns never do", () => {
    const results = [contractResult()];
    const accepts = [
      { rule: "*", path: "*", reason: "everything" },
      { rule: "policy-compatibility-loosened", path: "policy.*", reason: "pattern" },
      { rule: "policy-compatibility-loosened", path: "policy.compatibility", reason: "reviewed" },
      { contract: "orders", rule: "contract-removed", path: "contracts.orders", reason: "retired", until: "2000-01-01" },
    ];
    expect(applyTrust(results, outcome(), accepts, "breaking", new Date("2026-01-01"))).toEqual([2, 3]);
    const config = results.find((r) => r.kind === "policy")!;
    expect(config.findings[0]!.accepted).toEqual({ reason: "reviewed" });
    expect(config.verdict).toBe("pass");
    // The users result fails on its own loosening, not on FIELD_REMOVED (mode none keeps that one passing).
    const users = results[0]!;
    expect(users.findings.find((f) => f.gate === "config")!.accepted).toBeUndefined();
    expect(users.verdict).toBe("fail");
    const orders = results.find((r) => r.contract === "orders")!;
    expect(orders.findings[0]!.note).toContain("accepted until 2000-01-01, which has passed");
    expect(orders.verdict).toBe("fail");
  });

  test("accepted loosenings leave a contract's own verdict alone", () => {
    const results = [contractResult()];
    const o = outcome();
    o.findings = [o.findings[1]!];
    applyTrust(results, o, [{ contract: "users", rule: "policy-compatibility-loosened", path: "contracts.users.compatibility", reason: "drafts" }], "breaking");
    expect(results[0]!.verdict).toBe("pass");
  });
});
