import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/core/errors.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { expectBounded } from "../helpers/guard.ts";

const parse = (text: string) => parseConfig(text, "comms.yaml", "/repo/comms.yaml");

function errorOf(text: string): string {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

/** Ten levels of ten aliases each: 10^10 nodes if expanded. */
const BOMB = Array.from({ length: 10 }, (_, i) => (i === 0 ? "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" : `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`)).join("");

describe("comms.yaml", () => {
  test("a valid config keeps contracts, policy and the registry location", () => {
    const c = parse(
      [
        "version: 1",
        "contracts:",
        "  users-api: { kind: openapi, path: contracts/users/openapi.yaml }",
        "  users-grpc: { kind: protobuf, path: contracts/users/proto, version: 1.2.0 }",
        "policy:",
        "  compatibility: backward-transitive",
        "  protobuf: { use: [FILE], except: [FIELD_SAME_JSON_NAME] }",
        "  accept:",
        "    - { contract: users-api, rule: response-property-removed, path: /x, reason: agreed with mobile, until: 2027-01-31 }",
        "registry: .versions",
      ].join("\n"),
    );
    expect(Object.keys(c.config.contracts)).toEqual(["users-api", "users-grpc"]);
    expect(c.config.contracts["users-grpc"]!.version).toBe("1.2.0");
    expect(c.config.policy?.accept?.[0]?.until).toBe("2027-01-31");
    expect(c.registryDir).toBe("/repo/.versions");
    expect(c.root).toBe("/repo");
  });

  test.each([
    ["an unknown key names the key and its line", "version: 1\ncontracts:\n  a:\n    kind: openapi\n    path: x.yaml\n    paht: y\n", "comms.yaml:6:5: contracts.a.paht: unknown key 'paht'"],
    ["a wrong enum value names the value's line", "contracts:\n  a:\n    kind: soap\n    path: x\n", "comms.yaml:3:11: contracts.a.kind: expected one of openapi, graphql, protobuf"],
    ["a missing required key names the entry", "contracts:\n  a:\n    path: x\n", "contracts.a.kind: required key is missing"],
    ["a wrong type in policy", "contracts: {}\npolicy:\n  deprecation: { min-days: soon }\n", "comms.yaml:3:28: policy.deprecation.min-days"],
    ["a bad date in an accepted change", "contracts: {}\npolicy:\n  accept:\n    - { rule: r, path: p, reason: x, until: tomorrow }\n", "policy.accept.0.until: expected a date as YYYY-MM-DD"],
    ["an accepted change without a reason", "contracts: {}\npolicy:\n  accept:\n    - { rule: r, path: p }\n", "policy.accept.0.reason: required key is missing"],
    ["a bad version", "contracts:\n  a: { kind: graphql, path: s.graphql, version: one }\n", "contracts.a.version: expected a semantic version"],
    ["malformed YAML", "contracts:\n  a: { kind: graphql\n", "comms.yaml:"],
    ["missing contracts", "version: 1\n", "contracts: required key is missing"],
    ["a duplicate key with a different value", "contracts: {}\ncontracts: { a: { kind: graphql, path: s.graphql } }\n", "comms.yaml:2:1: Map keys must be unique: 'contracts' is written twice with different values (first at line 1, column 1)"],
    ["a duplicate key under a complex key", "contracts: {}\n? [x]\n: { a: 1, a: 2 }\n", "comms.yaml:3:11: Map keys must be unique: 'a' is written twice with different values (first at line 3, column 5)"],
    ["a key that is a collection is pointed at", "contracts: {}\n? [x]\n: 1\n", "comms.yaml:2:3: [ x ]: unknown key '[ x ]'"],
    // Rendered by the library in its flow style: named by its first 60 characters.
    ["a key holding keys 30 levels deep is named by its beginning", `contracts: {}\n? ${"{ ".repeat(30)}x: 1${" }: 1".repeat(29)} }\n: 1\n`, "comms.yaml:2:3: {\n  ? {\n      ? {"],
    ["an undefined alias points at the alias", "contracts:\n  a: *nope\n", "comms.yaml:2:6: Unresolved alias"],
    ["an alias bomb stops at the alias limit", `${BOMB}contracts: {}\n`, "comms.yaml:2:10: Excessive alias count"],
    ["a contract named __proto__ is refused", "contracts:\n  __proto__: { kind: graphql, path: s.graphql }\n", "comms.yaml:2:3: contracts.__proto__: '__proto__' is a reserved name"],
    ["a contract named constructor is refused", "contracts:\n  constructor: { kind: graphql, path: s.graphql }\n", "comms.yaml:2:3: contracts.constructor: 'constructor' is a reserved name"],
    ["a contract named hasOwnProperty is refused", "contracts:\n  hasOwnProperty: { kind: graphql, path: s.graphql }\n", "comms.yaml:2:3: contracts.hasOwnProperty: 'hasOwnProperty' is a reserved name"],
    ["a contract named toString is refused", "contracts:\n  toString: { kind: graphql, path: s.graphql }\n", "'toString' is a reserved name"],
    ["an unknown limit", "contracts: {}\nlimits: { max-bytes: 5 }\n", "limits.max-bytes: unknown key"],
  ])("%s", (_name, text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  test("a key holding keys 30 levels deep gives a message of a few lines, not its rendering", () => {
    const message = errorOf(`contracts: {}\n? ${"{ ".repeat(30)}x: 1${" }: 1".repeat(29)} }\n: 1\n`);
    expect(message).toMatch(/…: unknown key '.*…'$/s);
    expect(message.length).toBeLessThan(200);
  });

  test("an alias bomb is refused in milliseconds", () => {
    const start = performance.now();
    expect(errorOf(`${BOMB}contracts: {}\n`)).toContain("Excessive alias count");
    expectBounded(performance.now() - start, 1000);
  });

  test("contract lookups by name never reach Object.prototype", () => {
    const { config } = parse("contracts:\n  a: { kind: graphql, path: s.graphql }\n");
    for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"]) expect(config.contracts[name]).toBeUndefined();
    expect(Object.keys(config.contracts)).toEqual(["a"]);
  });

  test("limits.max-file-bytes is kept", () => {
    expect(parse("contracts: {}\nlimits: { max-file-bytes: 1024 }\n").config.limits).toEqual({ "max-file-bytes": 1024 });
  });
});

