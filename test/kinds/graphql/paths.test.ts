import { describe, expect, test } from "bun:test";
import { diffSdl } from "./helpers.ts";

/**
 * Finding paths are schema coordinates: inserting unrelated elements before the changed one (in
 * both versions) must not change them, so accepted changes survive unrelated edits. `{pad}` marks
 * where the unrelated elements go.
 */
const CASES: Array<{ name: string; old: string; new: string; pad: string; paths: string[] }> = [
  {
    name: "arguments",
    old: "type Query { users({pad} first: Int, after: String = \"x\"): [Int] }",
    new: "type Query { users({pad} first: Int!, after: String = \"y\", last: Int!): [Int] }",
    pad: "a0: Int, a1: String,",
    paths: ["FIELD_ARGUMENT_ADDED Query.users.last", "FIELD_ARGUMENT_DEFAULT_CHANGED Query.users.after", "FIELD_ARGUMENT_TYPE_CHANGED Query.users.first"],
  },
  {
    name: "directive usages and their arguments",
    old: "directive @tag(name: String) repeatable on FIELD_DEFINITION\ndirective @auth(role: String) on FIELD_DEFINITION\ntype Query { a: Int {pad} @auth(role: \"x\") }",
    new: "directive @tag(name: String) repeatable on FIELD_DEFINITION\ndirective @auth(role: String) on FIELD_DEFINITION\ndirective @cache on FIELD_DEFINITION\ntype Query { a: Int {pad} @auth(role: \"y\") @cache }",
    pad: "@tag(name: \"a\") @tag(name: \"b\")",
    paths: [
      "DIRECTIVE_ADDED @cache",
      "DIRECTIVE_USAGE_ARGUMENT_ADDED Query.a.@auth.role",
      "DIRECTIVE_USAGE_ARGUMENT_REMOVED Query.a.@auth.role",
      "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED Query.a.@cache",
    ],
  },
  {
    name: "union members",
    old: "type Query { s: S }\ntype P0 { a: Int } type P1 { a: Int } type A { a: Int } type B { a: Int } type C { a: Int }\nunion S = {pad} A | B",
    new: "type Query { s: S }\ntype P0 { a: Int } type P1 { a: Int } type A { a: Int } type B { a: Int } type C { a: Int }\nunion S = {pad} A | C",
    pad: "P0 | P1 |",
    paths: ["UNION_MEMBER_ADDED S.C", "UNION_MEMBER_REMOVED S.B"],
  },
  {
    name: "interfaces",
    old: "type Query { t: T }\ninterface P0 { a: Int } interface I { a: Int } interface J { a: Int }\ntype T implements {pad} I { a: Int }",
    new: "type Query { t: T }\ninterface P0 { a: Int } interface I { a: Int } interface J { a: Int }\ntype T implements {pad} J { a: Int }",
    pad: "P0 &",
    paths: ["OBJECT_TYPE_INTERFACE_ADDED T.J", "OBJECT_TYPE_INTERFACE_REMOVED T.I"],
  },
  {
    name: "enum values",
    old: "type Query { r: Role }\nenum Role { {pad} ADMIN USER @deprecated }",
    new: "type Query { r: Role }\nenum Role { {pad} ADMIN GUEST }",
    pad: "P0 P1 P2",
    paths: ["ENUM_VALUE_ADDED Role.GUEST", "ENUM_VALUE_REMOVED Role.USER"],
  },
  {
    name: "input fields and directive locations",
    old: "directive @d({pad} x: Int) on FIELD_DEFINITION | OBJECT\ntype Query { a(f: F): Int }\ninput F { {pad} q: String }",
    new: "directive @d({pad} x: Int, y: Int) on FIELD_DEFINITION\ntype Query { a(f: F): Int }\ninput F { {pad} q: String! r: Int }",
    pad: "p0: Int p1: Int",
    paths: ["DIRECTIVE_ARGUMENT_ADDED @d.y", "DIRECTIVE_LOCATION_REMOVED @d.OBJECT", "INPUT_FIELD_ADDED F.r", "INPUT_FIELD_TYPE_CHANGED F.q"],
  },
];

describe("graphql finding paths are schema coordinates, not positions", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const run = async (pad: string) => {
      const { findings } = await diffSdl(c.old.replaceAll("{pad}", pad), c.new.replaceAll("{pad}", pad));
      return findings.map((f) => `${f.rule} ${f.path}`).sort();
    };
    const plain = await run("");
    expect(plain).toEqual([...c.paths].sort());
    expect(await run(c.pad)).toEqual(plain);
  });
});
