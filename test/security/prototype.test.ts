import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Attack, refusedSafely, SCHEMA_V1 } from "./helpers.ts";

// No lookup by a user-given name reaches Object.prototype: contracts named after its members are
// refused (never silently skipped, which let a breaking change pass), and command-line names that
// happen to be such members are unknown contracts.

const NAMES = ["__proto__", "constructor", "hasOwnProperty", "toString", "prototype"];
let a: Attack;
beforeAll(() => {
  a = new Attack();
  a.repo.write("schema.graphql", SCHEMA_V1);
});
afterAll(() => a.cleanup());

describe("contracts named after Object.prototype members", () => {
  for (const name of NAMES) {
    test(`a contract named ${name} is refused by every command, never skipped`, () => {
      a.repo.write("comms.yaml", `contracts:\n  ${name}: { kind: graphql, path: schema.graphql }\n`);
      for (const args of [["check"], ["release", name], ["log"], ["diff", "schema.graphql", "schema.graphql"]]) {
        refusedSafely(a.comms(...args), `comms.yaml:2:3: contracts.${name}: '${name}' is a reserved name`);
      }
    });
  }
});

describe("command-line names are own keys only", () => {
  test("release, log, check and diff treat Object.prototype names as unknown contracts", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    expect(a.comms("release", "graph").code).toBe(0);
    for (const name of ["constructor", "toString", "hasOwnProperty", "__proto__"]) {
      refusedSafely(a.comms("release", name), `no contract named '${name}'`);
      refusedSafely(a.comms("log", name), `no contract named '${name}'`);
      refusedSafely(a.comms("check", name), `unknown contract '${name}'`);
      const r = a.comms("diff", `${name}@1.0.0`, "schema.graphql");
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
