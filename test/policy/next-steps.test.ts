import { describe, expect, test } from "bun:test";
import { nextSteps } from "../../src/cli/commands/check.ts";
import type { Finding } from "../../src/core/finding.ts";
import type { ContractResult } from "../../src/report/model.ts";

// What a failing check tells a person to do next, per failing contract.
const removed: Finding = { rule: "FIELD_REMOVED", severity: "breaking", path: "User.email", message: "m" };
const version: Finding = { rule: "version-not-bumped", severity: "breaking", path: "contracts.users.version", message: "m", new: { file: "comms.yaml", line: 4, column: 3 }, gate: "version" };
const result = (findings: Finding[], old = "1.4.2", contract = "users"): ContractResult => ({
  contract,
  kind: "graphql",
  old: { ref: `${contract}@${old}`, version: old },
  new: { ref: "working tree" },
  findings,
  suggestedBump: "major",
  verdict: "fail",
});

describe("next steps after a failing check", () => {
  test("a declared version: the version to set, the accept command with what it records, the rules", async () => {
    expect(await nextSteps([result([removed, version])], "breaking")).toBe(
      [
        "comms: what to do next:",
        "  users:",
        "    breaking changes need a new major version: set contracts.users.version to 2.0.0 (comms.yaml:4), then run: comms release users",
        '    or, once reviewed, accept the change: comms check users --accept --reason "why no consumer is affected" (an accepted break still makes the next release major)',
        "      records FIELD_REMOVED at User.email",
        "    why: comms rules FIELD_REMOVED, comms rules version-not-bumped",
        "",
      ].join("\n"),
    );
  });

  test("no declared version: the major version to release", async () => {
    const out = await nextSteps([result([removed], "0.3.1")], "breaking");
    expect(out).toContain("    if the break is intended, release a new major version: comms release users --version 0.4.0\n");
  });

  test("every break accepted: only the version remains to set", async () => {
    const out = await nextSteps([result([{ ...removed, accepted: { reason: "r" } }, version])], "breaking");
    expect(out).toContain("set contracts.users.version to 2.0.0");
    expect(out).not.toContain("--accept");
    expect(out).toContain("    why: comms rules version-not-bumped\n");
  });

  test("dangerous findings failing with --fail-on dangerous: accept them, no major version", async () => {
    const out = await nextSteps([result([{ ...removed, rule: "ENUM_VALUE_ADDED", severity: "dangerous", path: "Role.ADMIN" }])], "dangerous");
    expect(out).toContain('    once reviewed, accept the change: comms check users --accept --reason "why no consumer is affected"\n      records ENUM_VALUE_ADDED at Role.ADMIN\n');
    expect(out).not.toContain("major");
  });

  test("a rule id several kinds share is named kind/id, so 'comms rules' explains the one that fired", async () => {
    const mismatch: Finding = { rule: "TYPE_MISMATCH", severity: "breaking", path: "Order.total", message: "m" };
    const out = await nextSteps([{ ...result([mismatch, version]), kind: "avro" }], "breaking");
    expect(out).toContain("    why: comms rules avro/TYPE_MISMATCH, comms rules version-not-bumped\n");
    // The accept entry keeps the bare id: it is scoped by its contract already.
    expect(out).toContain("      records TYPE_MISMATCH at Order.total\n");
    const own = await nextSteps([result([removed])], "breaking");
    expect(own).toContain("    why: comms rules FIELD_REMOVED\n");
  });

  test("only failing contracts are listed, and long lists are cut", async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...removed, path: `User.f${i}` }));
    const passing = { ...result([]), contract: "orders", verdict: "pass" as const };
    const out = await nextSteps([passing, result(many)], "breaking");
    expect(out).not.toContain("orders");
    expect(out).toContain("      records FIELD_REMOVED at User.f4\n      and 2 more\n");
  });

  test("user text is escaped for the terminal: no control character reaches stderr", async () => {
    const hostile = { ...removed, rule: "x\u001b[2Jy", path: "a\nb\u0007c\u009bd\u2028e" };
    const out = await nextSteps([result([hostile])], "breaking");
    expect(out).toContain("records x\\u001b[2Jy at a\\nb\\u0007c\\u009bd\\u2028e\n");
    expect(out.replace(/\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });
});
