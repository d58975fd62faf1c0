import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { declaredPaths, mayConcernContracts } from "../../src/registry/prefilter.ts";

const CONFIG = `version: 1
contracts:
  users: { kind: openapi, path: contracts/users/openapi.yaml }
  orders:
    kind: protobuf
    path: "proto/orders"
  graph: { kind: graphql, path: 'schema.graphql' } # at the root
policy:
  accept:
    - { rule: FIELD_REMOVED, path: User.email, reason: gone }
`;

describe("declaredPaths", () => {
  test("finds flow, block and quoted values (a superset: accept paths too)", () => {
    expect(declaredPaths(CONFIG)).toEqual(["contracts/users/openapi.yaml", "proto/orders", "schema.graphql", "User.email"]);
  });
  test("gives up on YAML a scan cannot follow, such as aliases", () => {
    expect(declaredPaths("x: &p a.yaml\ncontracts:\n  a: { kind: openapi, path: *p }\n")).toBeUndefined();
  });
});

describe("mayConcernContracts", () => {
  const root = mkdtempSync(join(tmpdir(), "comms-prefilter-"));
  mkdirSync(join(root, ".comms"));
  writeFileSync(join(root, ".comms/index.json"), JSON.stringify({ version: 1, releases: [{ contract: "users", files: ["shared/errors.yaml"] }] }));
  const cases: Array<[string, string[], boolean]> = [
    ["nothing staged", [], false],
    ["source code only", ["src/app.ts", "README.md"], false],
    ["an unrelated YAML file", [".github/workflows/ci.yml"], false],
    ["a contract file", ["contracts/users/openapi.yaml"], true],
    ["a file of a contract kind beside a single-file contract", ["contracts/users/parts/user.yaml"], true],
    ["a file under a directory contract", ["proto/orders/v1/a.proto"], true],
    ["a file recorded by a release", ["shared/errors.yaml"], true],
    ["the registry", [".comms/index.json"], true],
    ["the config itself", ["comms.yaml"], true],
  ];
  for (const [name, changed, expected] of cases) {
    test(name, () => expect(mayConcernContracts(changed, CONFIG, root, "comms.yaml")).toBe(expected));
  }
  test("a custom registry folder counts as the registry", () => {
    expect(mayConcernContracts(["history/users/1.0.0/x"], `registry: history\n${CONFIG}`, root, "comms.yaml")).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});
