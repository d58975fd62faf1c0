import { describe, expect, test } from "bun:test";
import { addAcceptEntries, PLACEHOLDER_REASON } from "../../src/policy/edit.ts";
import { parseConfig } from "../../src/policy/config.ts";

const entry = { contract: "users", rule: "FIELD_REMOVED", path: "User.email", reason: PLACEHOLDER_REASON };

describe("addAcceptEntries", () => {
  test("creates policy.accept and keeps comments and the rest of the file", () => {
    const text = "# our contracts\nversion: 1\ncontracts:\n  users: { kind: graphql, path: schema.graphql } # the public API\n";
    const out = addAcceptEntries(text, [entry]);
    expect(out.text).toBe(
      "# our contracts\nversion: 1\ncontracts:\n  users: { kind: graphql, path: schema.graphql } # the public API\npolicy:\n  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: \"TODO: why this break is acceptable\" }\n",
    );
    expect(parseConfig(out.text, "comms.yaml", "/x/comms.yaml").config.policy?.accept).toEqual([entry]);
  });

  test("appends to an existing list and skips entries already there", () => {
    const text = [
      "contracts:",
      "  users: { kind: graphql, path: schema.graphql }",
      "policy:",
      "  compatibility: full # agreed with the mobile team",
      "  accept:",
      "    # reviewed in #123",
      "    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: unused }",
      "",
    ].join("\n");
    const other = { ...entry, path: "User.name", reason: "renamed" };
    const out = addAcceptEntries(text, [entry, other]);
    expect(out.added).toEqual([other]);
    expect(out.text).toBe(`${text}    - { contract: users, rule: FIELD_REMOVED, path: User.name, reason: renamed }\n`);
  });

  test("nothing new leaves the text untouched", () => {
    const text = "contracts: {}\npolicy:\n  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: x }\n";
    expect(addAcceptEntries(text, [entry])).toEqual({ text, added: [] });
  });

  test("a policy.accept that is not a list is a config error", () => {
    expect(() => addAcceptEntries("contracts: {}\npolicy:\n  accept: yes\n", [entry])).toThrow("comms.yaml: policy.accept is not a list");
  });
});
