import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findContracts } from "../../src/cli/commands/init.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { runCli } from "../helpers/cli.ts";

let dir = "";
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "comms-init-"));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

describe("comms init", () => {
  test("finds OpenAPI roots, GraphQL schemas and protobuf trees, not operations or fragments", () => {
    const root = tree({
      "services/users/openapi.yaml": "openapi: 3.0.0\ninfo: {title: u, version: 1.0.0}\npaths: {}\n",
      "services/users/schemas/user.yaml": "type: object\n",
      "services/users/schema.graphql": "type Query { me: String }\n",
      "clients/web/queries.graphql": "query Me { me }\n",
      "proto/acme/users/v1/users.proto": 'syntax = "proto3";\npackage acme.users.v1;\n',
      "proto/acme/orders/v1/orders.proto": 'syntax = "proto3";\npackage acme.orders.v1;\n',
      "node_modules/x/openapi.yaml": "openapi: 3.0.0\n",
      "package.json": '{"name":"x"}',
    });
    expect(findContracts(root)).toEqual([
      { name: "proto-grpc", kind: "protobuf", path: "proto" },
      { name: "users-api", kind: "openapi", path: "services/users/openapi.yaml" },
      { name: "users-graph", kind: "graphql", path: "services/users/schema.graphql" },
    ]);
  });

  test("writes a comms.yaml that validates, and refuses to overwrite it", () => {
    const root = tree({ "api/openapi.json": '{"openapi":"3.1.0","info":{"title":"a","version":"1.0.0"},"paths":{}}' });
    const first = runCli(["init"], { cwd: root });
    expect(first.code).toBe(0);
    const text = readFileSync(join(root, "comms.yaml"), "utf8");
    const cfg = parseConfig(text, "comms.yaml", join(root, "comms.yaml")).config;
    expect(cfg.contracts).toEqual({ "api-api": { kind: "openapi", path: "api/openapi.json" } });
    const again = runCli(["init"], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(readFileSync(join(root, "comms.yaml"), "utf8")).toBe(text);
  });
});
