import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { owningContracts, releasedFiles } from "../../src/registry/owners.ts";

const contracts = {
  users: { kind: "openapi", path: "contracts/users/openapi.yaml" },
  orders: { kind: "protobuf", path: "proto/orders" },
  graph: { kind: "graphql", path: "schema.graphql" },
};
const released = new Map([["users", new Set(["contracts/users/openapi.yaml", "contracts/common/errors.yaml"])]]);
const opts = { released, configFile: "comms.yaml", registryPrefix: ".comms" };

describe("owningContracts", () => {
  const cases: Array<[string, string[], string[]]> = [
    ["nothing staged concerns no contract", [], []],
    ["an unrelated file concerns no contract", ["README.md", "src/app.ts"], []],
    ["the declared file", ["contracts/users/openapi.yaml"], ["users"]],
    ["a file beside a single-file contract, of its kind ($ref target)", ["contracts/users/schemas/user.yaml"], ["users"]],
    ["a file of another kind beside it does not count", ["contracts/users/notes.md"], []],
    ["a file outside the folder that a release recorded", ["contracts/common/errors.yaml"], ["users"]],
    ["any file below a directory contract", ["proto/orders/v1/orders.proto"], ["orders"]],
    ["a sibling directory with a common prefix does not count", ["proto/orders-old/x.proto"], []],
    ["a root-level single file does not claim every file of its kind", ["other.graphql"], []],
    ["the root-level file itself", ["schema.graphql"], ["graph"]],
    ["the contract's own registry entries", [".comms/orders/1.0.0/proto/orders/a.proto"], ["orders"]],
    ["comms.yaml concerns every contract", ["comms.yaml"], ["users", "orders", "graph"]],
    ["several at once, in declaration order", ["schema.graphql", "contracts/users/openapi.yaml"], ["users", "graph"]],
  ];
  for (const [name, changed, expected] of cases) {
    test(name, () => expect(owningContracts(contracts, changed, opts)).toEqual(expected));
  }
});

describe("releasedFiles", () => {
  test("reads the files of every release, and nothing from a damaged or missing index", () => {
    const dir = mkdtempSync(join(tmpdir(), "comms-owners-"));
    try {
      expect(releasedFiles(dir).size).toBe(0);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "index.json"), JSON.stringify({ version: 1, releases: [{ contract: "a", files: ["x/a.yaml", "./x/b.yaml"] }, { contract: "a", files: ["x/c.yaml"] }] }));
      expect([...releasedFiles(dir).get("a")!].sort()).toEqual(["x/a.yaml", "x/b.yaml", "x/c.yaml"]);
      // A byte order mark before the index changes nothing.
      writeFileSync(join(dir, "index.json"), `\uFEFF${JSON.stringify({ version: 1, releases: [{ contract: "a", files: ["x/a.yaml"] }] })}`);
      expect([...releasedFiles(dir).get("a")!]).toEqual(["x/a.yaml"]);
      writeFileSync(join(dir, "index.json"), "{ broken");
      expect(releasedFiles(dir).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
