import { describe, expect, test } from "bun:test";
import { buildSchema, introspectionFromSchema, isObjectType } from "graphql";
import { ContractError, InputError } from "../../../src/core/errors.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/graphql/index.ts";
import { brief, graphql } from "./helpers.ts";

function load(files: Record<string, string>, path: string) {
  const warnings: string[] = [];
  const options = { settings: {}, warn: (m: string) => warnings.push(m) };
  return { warnings, loaded: engine.load({ reader: new MemoryReader(files), path }, options), options };
}

async function diffPaths(files: Record<string, string>, oldPath: string, newPath: string) {
  const options = { settings: {}, warn: () => {} };
  const reader = new MemoryReader(files);
  const before = await engine.load({ reader, path: oldPath }, options);
  const after = await engine.load({ reader, path: newPath }, options);
  return (await engine.diff(before, after, options)).map((f) => ({ ...brief(f), oldFile: f.old?.file, newFile: f.new?.file }));
}

describe("graphql loading", () => {
  test("a directory of .graphql/.gql files is merged, extend type included, and locations name the defining file", async () => {
    const files = {
      "v1/query.graphql": "type Query {\n  user: User\n}\n",
      "v1/user.gql": "type User {\n  id: ID!\n}\n",
      "v1/user-extra.graphql": "extend type User {\n  email: String\n}\n",
      "v1/README.md": "not a schema",
      "v2/query.graphql": "type Query {\n  user: User\n}\n",
      "v2/user.gql": "type User {\n  id: ID!\n}\n",
      "v2/user-extra.graphql": "extend type User {\n  name: String\n}\n",
    };
    const { loaded } = load(files, "v1");
    expect((await loaded).files).toEqual(["v1/query.graphql", "v1/user-extra.graphql", "v1/user.gql"]);
    expect(await diffPaths(files, "v1", "v2")).toEqual([
      { rule: "FIELD_REMOVED", severity: "breaking", path: "User.email", old: "2:3", new: "1:1", oldFile: "v1/user-extra.graphql", newFile: "v2/user.gql" },
      { rule: "FIELD_ADDED", severity: "safe", path: "User.name", new: "2:3", oldFile: undefined, newFile: "v2/user-extra.graphql" },
    ]);
  });

  test("an introspection result (JSON, with or without `data`) loads and diffs against SDL", async () => {
    const sdl = "type Query {\n  user: User\n}\n\ntype User {\n  id: ID!\n  email: String\n}\n";
    const json = JSON.stringify({ data: introspectionFromSchema(buildSchema(sdl)) }, null, 2);
    const files = { "old.json": json, "new.graphql": "type Query {\n  user: User\n}\n\ntype User {\n  id: ID!\n}\n" };
    const findings = await diffPaths(files, "old.json", "new.graphql");
    const emailLine = json.split("\n").findIndex((l) => l.includes('"name": "email"')) + 1;
    expect(findings).toEqual([
      { rule: "FIELD_REMOVED", severity: "breaking", path: "User.email", old: `${emailLine}:15`, new: "5:1", oldFile: "old.json", newFile: "new.graphql" },
    ]);
    // The type itself, not the reference to it in Query.user that comes first in the JSON.
    const { loaded: jsonLoaded } = load({ "old.json": json }, "old.json");
    const userLine = json.split("\n").findIndex((l, i, all) => l.includes('"name": "User"') && !all[i + 1]!.includes('"ofType"')) + 1;
    expect((await jsonLoaded).model.locate("User", true)?.line).toBe(userLine);
    const bare = JSON.stringify(introspectionFromSchema(buildSchema(sdl)));
    const { loaded } = load({ "s.json": bare }, "s.json");
    expect(Object.keys((await loaded).model.schema.getTypeMap())).toContain("User");
  });

  test("federation v1 and v2 directives and orphan `extend type` load without definitions or warnings", async () => {
    const sdl = graphql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external"])

      type User @key(fields: "id") {
        id: ID!
        name: String @shareable
      }

      extend type Product @key(fields: "upc") {
        upc: String! @external
        reviews: [String]
      }

      extend type Query {
        me: User
      }
    `;
    const { loaded, warnings } = load({ "subgraph.graphql": sdl }, "subgraph.graphql");
    const schema = (await loaded).model.schema;
    expect(warnings).toEqual([]);
    const query = schema.getQueryType();
    expect(query && Object.keys(query.getFields())).toEqual(["me"]);
    const product = schema.getType("Product");
    expect(isObjectType(product) && Object.keys(product.getFields())).toEqual(["upc", "reviews"]);
    const changed = sdl.replace("  reviews: [String]\n", "");
    expect(await diffPaths({ "a.graphql": sdl, "b.graphql": changed }, "a.graphql", "b.graphql")).toEqual([
      { rule: "FIELD_REMOVED", severity: "breaking", path: "Product.reviews", old: "10:3", new: "8:1", oldFile: "a.graphql", newFile: "b.graphql" },
    ]);
  });

  test("a field defined twice loads with a warning naming both places, and the last definition wins", async () => {
    const sdl = "type Query {\n  a: String\n  b: String\n  a: Int\n}\n";
    const { loaded, warnings } = load({ "dup.graphql": sdl }, "dup.graphql");
    const query = (await loaded).model.schema.getQueryType()!;
    expect(String(query.getFields().a!.type)).toBe("Int");
    expect(warnings).toEqual(["dup.graphql:4:3: 'Query.a' is defined more than once (first at dup.graphql:2:3); the last definition is used"]);
  });

  test("a type defined twice loads with a warning", async () => {
    const { loaded, warnings } = load({ "t.graphql": "type Query {\n  a: T\n}\ntype T {\n  x: Int\n}\ntype T {\n  y: Int\n}\n" }, "t.graphql");
    await loaded;
    expect(warnings).toEqual(["t.graphql:7:1: type 'T' is defined more than once (first at t.graphql:4:1); the last definition is used"]);
  });

  test("a syntax error is a ContractError with file:line:col", async () => {
    const { loaded } = load({ "dir/bad.graphql": "type Query {\n  a: String\n  b(: Int\n}\n" }, "dir");
    const err = await loaded.catch((e) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err.message).toBe("dir/bad.graphql:3:5: Syntax Error: Expected Name, found \":\".");
    expect(err.loc).toEqual({ file: "dir/bad.graphql", line: 3, column: 5 });
  });

  test("an unknown type is a ContractError pointing at its first use", async () => {
    const err = await load({ "s.graphql": "type Query {\n  a: String\n  b: Missing\n}\n" }, "s.graphql").loaded.catch((e) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err.message).toBe("s.graphql:3:6: unknown type 'Missing'");
  });

  test("invalid JSON and JSON that is no introspection result are ContractErrors", async () => {
    const notSchema = await load({ "s.json": '{"openapi": "3.0.0"}' }, "s.json").loaded.catch((e) => e);
    expect(notSchema).toBeInstanceOf(ContractError);
    expect(notSchema.message).toBe("s.json:1:1: not a GraphQL introspection result (no __schema)");
    expect(await load({ "s.json": "{ nope" }, "s.json").loaded.catch((e) => e)).toBeInstanceOf(ContractError);
  });

  test("a JSON syntax error names the line where the text stops being valid", async () => {
    const err = await load({ "s.json": '{"data": {"__schema": {\n  "types": [1, 2\n}}}\n' }, "s.json").loaded.catch((e) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err.message).toStartWith("s.json:3:1: invalid JSON: ");
    expect(err.message).not.toContain("\n");
  });

  test("a missing path or a directory without schema files is an InputError", async () => {
    expect(await load({ "a/readme.md": "x" }, "a").loaded.catch((e) => e)).toBeInstanceOf(InputError);
    expect(await load({ "a/readme.md": "x" }, "b.graphql").loaded.catch((e) => e)).toBeInstanceOf(InputError);
  });
});

describe("graphql deprecation lookup", () => {
  const sdl = graphql`
    type Query {
      user(id: ID, legacyId: Int @deprecated): User
      old: String @deprecated(reason: "use user")
      current: String
    }
    type User {
      id: ID
    }
    enum Role {
      ADMIN
      GUEST @deprecated
    }
    input Filter {
      q: String
      legacy: String @deprecated
    }
  `;
  test.each([
    ["Query.old", {}],
    ["Query.old.@deprecated", {}],
    ["Query.current", undefined],
    ["Query.user.legacyId", {}],
    ["Query.user.id", undefined],
    ["Role.GUEST", {}],
    ["Role.ADMIN", undefined],
    ["Filter.legacy", {}],
    ["Filter.q", undefined],
    ["Nope.x", undefined],
    ["User", undefined],
  ] as const)("%s → %p", async (path, expected) => {
    const contract = await load({ "s.graphql": sdl }, "s.graphql").loaded;
    expect(engine.deprecation!(contract, path)).toEqual(expected);
  });
});
