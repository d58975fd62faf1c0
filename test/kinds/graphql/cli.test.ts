import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "comms-graphql-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (path: string, text: string) => {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
};

write("v1/schema.graphql", "type Query {\n  user(id: ID!): User\n  users: [User]\n}\n");
write("v1/user.graphql", "type User {\n  id: ID!\n  email: String\n}\n");
write("v2/schema.graphql", "type Query {\n  user(id: ID!): User\n  users: [User]\n}\n");
write("v2/user.graphql", "type User {\n  id: ID!\n}\n");
write("ops/get-user.graphql", "query GetUser {\n  user(id: 1) {\n    email\n  }\n}\n");
write("ops/list.graphql", "query ListUsers {\n  users {\n    id\n  }\n}\n");
write("bad.graphql", "type Query {\n  a: String\n  b(: Int\n}\n");
write("bundle/old.graphql", "type Query {\n  bundle: Bundle\n}\ninterface Named {\n  name: String!\n}\ntype Bundle {\n  id: ID!\n  name: String!\n  price: Int!\n}\n");
write("bundle/new.graphql", "type Query {\n  bundle: Bundle\n}\ninterface Named {\n  name: String!\n}\ntype Bundle implements Named {\n  id: ID!\n  name: String!\n  sku: String\n}\n");
write("dep/old.graphql", 'type Query {\n  a: String\n  b: Int @deprecated(reason: "use a")\n}\n');
write("dep/new.graphql", "type Query {\n  a: String\n}\n");
write("enum/old.graphql", "type Query {\n  users(role: Role): [String]\n}\nenum Role {\n  ADMIN\n}\n");
write("enum/new.graphql", "type Query {\n  users(role: Role): [String]\n}\nenum Role {\n  ADMIN\n  GUEST\n}\n");

describe("comms diff on GraphQL through the CLI", () => {
  test("directories merge; --operations lists the broken operation and adds OPERATION_INVALID in the operation file", () => {
    const r = runCli(["diff", "v1", "v2", "--kind", "graphql", "--operations", "ops/*.graphql", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).results[0].findings as Array<Record<string, any>>;
    const removed = findings.find((f) => f.rule === "FIELD_REMOVED");
    expect(removed?.path).toBe("User.email");
    expect(removed?.old).toMatchObject({ file: "v1/user.graphql", line: 3, column: 3 });
    expect(removed?.operations).toEqual(["GetUser (ops/get-user.graphql:1:1)"]);
    const invalid = findings.find((f) => f.rule === "OPERATION_INVALID");
    expect(invalid?.new).toMatchObject({ file: "ops/get-user.graphql", line: 3, column: 5 });
  });

  test("a syntax error exits 2 and names file:line:col", () => {
    const r = runCli(["diff", "v1/schema.graphql", "bad.graphql"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("bad.graphql:3:5: Syntax Error");
  });

  const findingsOf = (r: { stdout: string }) => JSON.parse(r.stdout).results[0].findings as Array<Record<string, any>>;

  test("a field removed from a type that also gains an interface fails the diff, and the added field is listed", () => {
    const r = runCli(["diff", "bundle/old.graphql", "bundle/new.graphql", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const got = findingsOf(r).map((f) => `${f.rule} ${f.severity} ${f.path}`);
    expect(got).toContain("FIELD_REMOVED breaking Bundle.price");
    expect(got).toContain("FIELD_ADDED safe Bundle.sku");
    expect(got).toContain("OBJECT_TYPE_INTERFACE_ADDED dangerous Bundle.Named");
  });

  test("removing a deprecated field without release history is breaking, with the deprecation as a fact", () => {
    const r = runCli(["diff", "dep/old.graphql", "dep/new.graphql", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const removed = findingsOf(r).find((f) => f.rule === "FIELD_REMOVED");
    expect(removed).toMatchObject({ severity: "breaking", path: "Query.b", deprecated: {} });
  });

  test("a value added to an enum only used in arguments passes even with --fail-on dangerous", () => {
    const r = runCli(["diff", "enum/old.graphql", "enum/new.graphql", "--format", "json", "--fail-on", "dangerous"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(findingsOf(r).map((f) => `${f.rule} ${f.severity} ${f.path}`)).toEqual(["ENUM_VALUE_ADDED safe Role.GUEST"]);
  });

  test("comms rules explains every GraphQL rule, with why it matters", () => {
    const r = runCli(["rules", "--kind", "graphql", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as Array<{ id: string; why?: string }>;
    expect(rules.length).toBeGreaterThanOrEqual(81);
    expect(rules.filter((x) => !x.why).map((x) => x.id)).toEqual([]);
    const one = runCli(["rules", "FIELD_ARGUMENT_DEFAULT_CHANGED"], { cwd: dir });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("Operations that omit the argument get different results");
  });
});
