import { describe, expect, test } from "bun:test";
import { ContractError } from "../../../src/core/errors.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/graphql/index.ts";
import { MAX_NESTING } from "../../../src/kinds/graphql/limits.ts";
import { diffSdl } from "./helpers.ts";

/** The message of the ContractError the diff of BASE against `sdl` throws, or "no error". */
async function errorOf(sdl: string): Promise<string> {
  try {
    await diffSdl(BASE, sdl);
    return "no error";
  } catch (e) {
    if (!(e instanceof ContractError)) throw e;
    return e.message;
  }
}

const BASE = "type Query {\n  a: Int\n}\n";

describe("a type reference of the wrong kind is an error at the reference", () => {
  // graphql-js builds these without complaint or fails an internal assertion without a position.
  test.each([
    ["an argument default of an object type", "type Query {\n  a(x: Query = {}): Int\n}\n", "2:8: 'Query.a(x:)' must be of a scalar, enum or input type, but 'Query' is an object type"],
    ["an argument of a union type", "type Query {\n  a(x: U): Int\n}\nunion U = Query\n", "2:8: 'Query.a(x:)' must be of a scalar, enum or input type, but 'U' is a union"],
    ["an input field of an interface type, with a default", "type Query {\n  a(x: I = {n: {}}): Int\n}\ninput I {\n  n: N\n}\ninterface N {\n  a: Int\n}\n", "5:6: input field 'I.n' must be of a scalar, enum or input type, but 'N' is an interface"],
    ["a directive argument of an object type", "directive @d(x: Query = {}) on FIELD_DEFINITION\ntype Query {\n  a: Int\n}\n", "1:17: '@d(x:)' must be of a scalar, enum or input type, but 'Query' is an object type"],
    ["a field of an input type", "type Query {\n  a: [I!]\n}\ninput I {\n  b: Int\n}\n", "2:7: field 'Query.a' must be of a scalar, enum, object, interface or union, but 'I' is an input type"],
    ["an extension field of an input type", "type Query {\n  a: Int\n}\nextend type Query {\n  b: I\n}\ninput I {\n  b: Int\n}\n", "5:6: field 'Query.b' must be of a scalar, enum, object, interface or union, but 'I' is an input type"],
    ["an implemented object type", "type Query implements T {\n  a: Int\n}\ntype T {\n  a: Int\n}\n", "1:23: a type implemented by 'Query' must be an interface, but 'T' is an object type"],
    ["an implemented input type", "interface N implements I {\n  a: Int\n}\ninput I {\n  a: Int\n}\ntype Query {\n  a: Int\n}\n", "1:24: a type implemented by 'N' must be an interface, but 'I' is an input type"],
    ["an interface implementing itself", "interface N implements N {\n  a: Int\n}\ntype Query {\n  a: N\n}\n", "1:24: 'N' cannot implement itself"],
    ["a union of a scalar", "union U = Query | Int\ntype Query {\n  a: U\n}\n", "1:19: a member of union 'U' must be an object type, but 'Int' is a scalar"],
    ["a union of an interface, added by an extension", "union U = Query\nextend union U = N\ninterface N {\n  a: Int\n}\ntype Query {\n  a: U\n}\n", "2:18: a member of union 'U' must be an object type, but 'N' is an interface"],
    ["a root type that is an input type", "schema {\n  query: Q\n}\ninput Q {\n  a: Int\n}\n", "2:10: the query root type must be an object type, but 'Q' is an input type"],
    ["a root type added by a schema extension that is an enum", "type Query {\n  a: Int\n}\nextend schema {\n  mutation: E\n}\nenum E {\n  A\n}\n", "5:13: the mutation root type must be an object type, but 'E' is an enum"],
    ["a type named Query of another kind without a schema definition", "input Query {\n  a: Int\n}\n", "1:7: 'Query' is the query root type and must be an object type, but is an input type"],
  ])("%s", async (_, sdl, expected) => {
    expect(await errorOf(sdl)).toBe(`new.graphql:${expected}`);
  });
});

describe("operations and fragments in a schema file", () => {
  test("their names are not types", async () => {
    expect(await errorOf("type Query {\n  a: Q\n  b: F\n}\nquery Q {\n  a\n}\nfragment F on Query {\n  a\n}\n")).toBe("new.graphql:2:6: unknown type 'Q'");
  });

  test("they are left out of the schema", async () => {
    const { findings } = await diffSdl(BASE, "type Query {\n  a: Int\n}\nquery Query {\n  a\n}\n");
    expect(findings).toEqual([]);
  });
});

describe("definitions and extensions agree on a type's kind", () => {
  test.each([
    ["a type defined again as another kind", "type Query {\n  a: Int\n}\ninput Query {\n  a: Int\n}\n", "4:7: type 'Query' is defined again as an input type (first as an object type at new.graphql:1:1)"],
    ["an extension of another kind", "type Query {\n  a: Int\n}\nextend input Query {\n  b: Int\n}\n", "4:1: 'extend' of an input type 'Query', which is an object type"],
    ["an orphan extension, then an extension of another kind", "type Query {\n  a: T\n}\nextend type T {\n  a: Int\n}\nextend enum T {\n  A\n}\n", "7:1: 'extend' of an enum 'T', which is an object type"],
    ["a built-in scalar defined as an object type", "type Query {\n  a: String\n}\ntype String {\n  a: Int\n}\n", "4:6: 'String' is a built-in scalar and cannot be defined as an object type"],
    ["a type named like an introspection type", "type Query {\n  a: __Type\n}\ninput __Type {\n  a: Int\n}\n", "4:7: type name '__Type' is reserved for introspection"],
  ])("%s", async (_, sdl, expected) => {
    expect(await errorOf(sdl)).toBe(`new.graphql:${expected}`);
  });

  test("a type defined twice as the same kind still loads with a warning, and `scalar String` is accepted", async () => {
    const { warnings } = await diffSdl(BASE, "scalar String\ntype Query {\n  a: String\n}\ntype Query {\n  b: Int\n}\n");
    expect(warnings).toEqual(["new.graphql:5:1: type 'Query' is defined more than once (first at new.graphql:2:1); the last definition is used"]);
  });
});

describe("built-in directives read while building carry values of their types", () => {
  test.each([
    ["a numeric deprecation reason on a field", 'type Query {\n  a: Int @deprecated(reason: 5)\n}\n', "2:30: @deprecated(reason:) must be a string"],
    ["an enum deprecation reason on an enum value", "type Query {\n  a: E\n}\nenum E {\n  A @deprecated(reason: B)\n  B\n}\n", "5:25: @deprecated(reason:) must be a string"],
    ["a list deprecation reason on an argument", "type Query {\n  a(x: Int @deprecated(reason: [])): Int\n}\n", "2:32: @deprecated(reason:) must be a string"],
    ["a numeric @specifiedBy url", "scalar D @specifiedBy(url: 3)\ntype Query {\n  a: D\n}\n", "1:28: @specifiedBy(url:) must be a string"],
    ["a @specifiedBy without url", "scalar D @specifiedBy\ntype Query {\n  a: D\n}\n", "1:10: @specifiedBy needs a url"],
  ])("%s is an error at the value", async (_, sdl, expected) => {
    expect(await errorOf(sdl)).toBe(`new.graphql:${expected}`);
  });

  test("a null deprecation reason and a string url are accepted", async () => {
    const { findings } = await diffSdl(BASE, 'scalar D @specifiedBy(url: "https://example.com")\ntype Query {\n  a: Int @deprecated(reason: null)\n  d: D\n}\n');
    expect(findings.map((f) => f.rule).sort()).toEqual(["FIELD_ADDED", "FIELD_DEPRECATION_ADDED", "TYPE_ADDED"]);
  });
});

describe("references of the right kind load", () => {
  test("every kind in every position it may take", async () => {
    const sdl = [
      "schema {\n  query: Query\n}",
      "directive @d(e: E = A, i: I = {s: \"x\"}, s: String) on FIELD_DEFINITION",
      "interface N {\n  id: ID\n}",
      "interface M implements N {\n  id: ID\n}",
      "type Query implements N & M {\n  id: ID\n  u: U\n  e(e: [E!] = [A], i: I): E @d\n  n: N\n}",
      "union U = Query",
      "enum E {\n  A\n}",
      "input I {\n  s: String\n  i: I\n  e: E = A\n}",
    ].join("\n");
    const { findings } = await diffSdl(BASE, sdl);
    expect(findings.some((f) => f.rule === "FIELD_REMOVED" && f.path === "Query.a")).toBe(true);
  });
});

describe("introspection results", () => {
  const schema = (defaultValue: string) =>
    JSON.stringify({
      __schema: {
        queryType: { name: "Q" },
        types: [
          { kind: "OBJECT", name: "Q", interfaces: [], fields: [{ name: "a", args: [{ name: "x", type: { kind: "LIST", ofType: { kind: "SCALAR", name: "Int" } }, defaultValue }], type: { kind: "SCALAR", name: "Int" } }] },
          { kind: "SCALAR", name: "Int" },
        ],
      },
    });
  const load = (text: string) => engine.load({ reader: new MemoryReader({ "s.json": text }), path: "s.json" }, { settings: {}, warn: () => {} });

  test("a default value nested thousands deep inside its JSON string is an error at the string", async () => {
    const text = schema(`${"[".repeat(5000)}1${"]".repeat(5000)}`);
    const error = await load(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toStartWith(`s.json:1:${text.indexOf('"[[[') + 1}: defaultValue nested more than ${MAX_NESTING} levels deep`);
  });

  test("a default value within the limit loads", async () => {
    const loaded = await load(schema(`${"[".repeat(10)}1${"]".repeat(10)}`));
    expect(loaded.model.schema.getQueryType()?.getFields().a?.args[0]?.name).toBe("x");
  });

  test("a result whose shape graphql-js trusts is an error, not a crash", async () => {
    const error = await load('{"__schema": {"types": 5}}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as ContractError).message).toStartWith("s.json:1:1: invalid introspection result:");
  });
});
