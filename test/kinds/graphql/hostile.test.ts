import { buildASTSchema, parse, printSchema } from "graphql";
import { describe, expect, test } from "bun:test";
import { ContractError } from "../../../src/core/errors.ts";
import { checkNesting, MAX_NESTING, MAX_REPEATED_DIRECTIVES, mergeExtensions, parseBounded } from "../../../src/kinds/graphql/limits.ts";
import { parseOperations } from "../../../src/kinds/graphql/usage.ts";
import { diffSdl } from "./helpers.ts";

/** The message (which starts with `file:line:col`) of the ContractError a call throws, or "no error". */
async function errorOf(f: () => unknown): Promise<string> {
  try {
    await f();
    return "no error";
  } catch (e) {
    if (!(e instanceof ContractError)) throw e;
    return e.message;
  }
}

const BASE = "type Query {\n  a: Int\n}\n";
const lists = (n: number, inner: string) => `${"[".repeat(n)}${inner}${"]".repeat(n)}`;

describe("nesting is bounded before any recursive parser runs", () => {
  // Nesting counts every open bracket: `type Query {` is one level, `a(` another.
  const cases: Array<[string, (n: number, v?: 1 | 2) => string, number]> = [
    ["list types", (n, v = 1) => `type Query {\n  a: ${lists(n, v === 1 ? "Int" : "String")}\n}\n`, 1],
    ["argument default values", (n, v = 1) => `type Query {\n  a(x: ${lists(n, "Int")} = ${lists(n, String(v))}): Int\n}\n`, 2],
    ["input object default values", (n, v = 1) => `input I { a: I b: Int }\ntype Query {\n  a(x: I = ${"{a: ".repeat(n)}{b: ${v}}${"}".repeat(n)}): Int\n}\n`, 3],
    ["directive arguments", (n, v = 1) => `directive @d(x: [[Int]]) on FIELD_DEFINITION\ntype Query {\n  a: Int @d(x: ${lists(n, String(v))})\n}\n`, 2],
  ];

  test.each(cases)("%s just inside the limit are compared", async (_, make, outer) => {
    const n = MAX_NESTING - outer - 1;
    const { findings } = await diffSdl(make(n, 1), make(n, 2));
    expect(findings.length).toBeGreaterThan(0);
  });

  test.each(cases)("%s nested thousands deep are exit-2 errors at the bracket", async (_, make) => {
    const message = await errorOf(() => diffSdl(BASE, make(5000)));
    expect(message).toMatch(new RegExp(`^new\\.graphql:\\d+:\\d+: nested more than ${MAX_NESTING} levels deep`));
  });

  test("the error points at the first bracket beyond the limit", async () => {
    expect(await errorOf(() => checkNesting(`a\n  ${"[".repeat(MAX_NESTING + 5)}`, "x.graphql"))).toBe(
      `x.graphql:2:${3 + MAX_NESTING}: nested more than ${MAX_NESTING} levels deep (lists, objects, arguments or selections); refusing to read further`,
    );
  });

  test("brackets in strings, block strings and comments do not count", async () => {
    const deep = "[".repeat(MAX_NESTING * 2);
    const text = `"${deep}"\n"""\n${deep} \\""" ${deep}\n"""\n# ${deep}\n"\\"${deep}"\ntype Query { a: Int }`;
    expect(await errorOf(() => checkNesting(text, "x.graphql"))).toBe("no error");
  });

  test.each([
    ["a block string closed after a backslash that escapes nothing", '"""\\"x"""'],
    ["a block string with an escaped triple quote, then closed", '"""a \\""" b"""'],
    ["a string with an escaped quote", '"a \\" b"'],
    ["a comment ended by a carriage return", "# note\r"],
    ["an unterminated string ended by a line break", '"abc\n'],
  ])("brackets right after %s count", async (_, prefix) => {
    const text = `${prefix}${"[".repeat(MAX_NESTING + 1)}`;
    expect(await errorOf(() => checkNesting(text, "x.graphql"))).toContain(`nested more than ${MAX_NESTING} levels deep`);
  });

  test("an introspection result nested too deeply is refused", async () => {
    const { MemoryReader } = await import("../../../src/core/source.ts");
    const engine = (await import("../../../src/kinds/graphql/index.ts")).default;
    const reader = new MemoryReader({ "s.json": `{"data": {"__schema": {"types": ${lists(20000, "")}}}}` });
    const message = await errorOf(() => engine.load({ reader, path: "s.json" }, { settings: {}, warn: () => {} }));
    expect(message).toStartWith(`s.json:1:${33 + MAX_NESTING - 3}: nested more than`);
  });
});

describe("consumer operations are bounded too", () => {
  const op = (n: number) => `query Q ${"{ q ".repeat(n)}{ x }${" }".repeat(n)}`;

  test("a selection nested 20,000 deep is an error at the selection", async () => {
    expect(await errorOf(() => parseOperations([{ file: "ops.graphql", content: op(20000) }]))).toMatch(/^ops\.graphql:1:\d+: nested more than 128 levels deep/);
  });

  test("a selection just inside the limit is validated", () => {
    expect(parseOperations([{ file: "ops.graphql", content: op(MAX_NESTING - 2) }]).length).toBe(1);
  });

  test("a chain of fragments that nests too deeply is an error at the spread", async () => {
    const chain = Array.from({ length: 2000 }, (_, i) => `fragment f${i} on Q { q { ...f${i + 1} } }`).join("\n");
    const content = `query Q { q { ...f0 } }\n${chain}\nfragment f2000 on Q { x }\n`;
    expect(await errorOf(() => parseOperations([{ file: "ops.graphql", content }]))).toBe(
      "ops.graphql:1:15: selections nest more than 128 levels deep through fragment 'f0'; refusing to validate the operation",
    );
  });

  test("a variable of an input type that reaches 20,000 input types through each other is expanded", async () => {
    const chain = Array.from({ length: 20000 }, (_, i) => `input I${i} { a: I${i + 1} }`).join("\n");
    const sdl = `type Query {\n  a(i: I0): Int\n}\n${chain}\ninput I20000 { x: Int }\n`;
    const operations = [{ file: "ops.graphql", content: "query Q($i: I0) { a(i: $i) }\n" }];
    const { findings } = await diffSdl(sdl, sdl.replace("{ x: Int }", "{ x: String }"), { operations });
    expect(findings.map((f) => `${f.rule} ${f.path} ${f.operations}`)).toEqual(["INPUT_FIELD_TYPE_CHANGED I20000.x Q (ops.graphql:1:1)"]);
  });

  test("fragment cycles and shared fragments are not mistaken for depth", () => {
    const content = [
      "query A { q { ...C1 ...S ...S } }",
      "query B { q { ...S } }",
      "fragment C1 on Q { ...C2 }",
      "fragment C2 on Q { ...C1 }",
      "fragment S on Q { q { x } }",
    ].join("\n");
    const ops = parseOperations([{ file: "ops.graphql", content }]);
    expect(ops.map((o) => o.document.definitions.length)).toEqual([4, 2]);
  });
});

describe("parsing stops at a token budget", () => {
  test("a document within the budget reports the tokens it used", () => {
    // <SOF> type Query { a : Int } <EOF>
    expect(parseBounded("type Query { a: Int }", "s.graphql", 100).tokens).toBe(9);
  });

  test("a document over the budget is an error at the token where it ran out", async () => {
    expect(await errorOf(() => parseBounded("type Query {\n  a: Int\n  b: Int\n}", "s.graphql", 6))).toBe(
      "s.graphql:3:3: more than 2000000 tokens in all files together; refusing to parse further",
    );
  });
});

describe("repeated directives and locations", () => {
  const directives = (n: number) => `directive @t repeatable on FIELD_DEFINITION\ntype Query {\n  a: Int${" @t".repeat(n)}\n}\n`;

  test(`up to ${MAX_REPEATED_DIRECTIVES} applications of one directive on one element are compared`, async () => {
    const { findings } = await diffSdl(directives(MAX_REPEATED_DIRECTIVES - 1), directives(MAX_REPEATED_DIRECTIVES));
    expect(findings.map((f) => f.rule)).toContain("DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED");
  });

  test("more are an error at the first one over the limit", async () => {
    expect(await errorOf(() => diffSdl(BASE, directives(20000)))).toBe(
      `new.graphql:3:${10 + 3 * MAX_REPEATED_DIRECTIVES}: @t is applied more than ${MAX_REPEATED_DIRECTIVES} times to one element; refusing to compare it`,
    );
  });

  test("a location listed many times counts once", async () => {
    const many = (loc: string) => `type Query { a: Int }\ndirective @d on ${Array(5000).fill(loc).join(" | ")}\n`;
    const { findings } = await diffSdl(many("FIELD"), many("QUERY"));
    expect(findings.map((f) => `${f.rule} ${f.path}`).sort()).toEqual(["DIRECTIVE_LOCATION_ADDED @d.QUERY", "DIRECTIVE_LOCATION_REMOVED @d.FIELD"]);
  });
});

describe("merged extensions build the same schema", () => {
  test("fields, interfaces, directives, values and members keep their order", () => {
    const sdl = [
      "directive @k(v: Int) repeatable on OBJECT | ENUM | UNION",
      "type Query { a: Int }",
      "interface I { i: Int }",
      "interface J { j: Int }",
      "extend type Query @k(v: 1) { b: Int }",
      "enum E { A }",
      "extend enum E @k(v: 2) { B }",
      "extend type Query implements I { i: Int }",
      "union U = Query",
      "extend enum E { C }",
      "type X { x: Int }",
      "extend union U @k(v: 3) = X",
      "extend type Query implements J @k(v: 4) { j: Int c: Int }",
    ].join("\n");
    const doc = parse(sdl);
    const plain = buildASTSchema(doc, { assumeValidSDL: true });
    const merged = buildASTSchema({ ...doc, definitions: mergeExtensions(doc.definitions) }, { assumeValidSDL: true });
    expect(printSchema(merged)).toBe(printSchema(plain));
    const directivesOn = (s: typeof plain) => s.getType("Query")?.extensionASTNodes.flatMap((n) => n.directives?.map((d) => d.arguments?.[0]?.value) ?? []);
    expect(directivesOn(merged)).toEqual(directivesOn(plain));
  });
});

describe("names that are JavaScript object properties are ordinary GraphQL names", () => {
  const OLD = [
    "type Query {",
    "  constructor: constructor",
    "  toString(hasOwnProperty: Int, valueOf: String): toString",
    "  __proto__: __proto__",
    "  role: Role",
    "}",
    "type constructor {",
    "  constructor: Int",
    "  prototype: String",
    "}",
    "type toString {",
    "  toString: String",
    "}",
    "type __proto__ {",
    "  __proto__: Int",
    "  keep: Int",
    "}",
    "enum Role {",
    "  constructor",
    "  toString",
    "  __proto__",
    "}",
    "input hasOwnProperty {",
    "  constructor: Int",
    "  __proto__: Int",
    "}",
    "union valueOf = constructor | toString",
    "",
  ].join("\n");
  const NEW = OLD.replace("hasOwnProperty: Int, valueOf: String", "hasOwnProperty: String")
    .replace("  constructor: Int\n  prototype", "  prototype")
    .replace("  toString: String", "  toString: Int")
    .replace("  __proto__: Int\n  keep", "  keep")
    .replace("  constructor\n  toString\n  __proto__\n", "  toString\n")
    .replace("  constructor: Int\n  __proto__: Int", "  constructor: Int!")
    .replace("constructor | toString", "toString");

  test("a breaking change to each is found, with its coordinate and location", async () => {
    const { findings } = await diffSdl(OLD, NEW);
    expect(findings.map((f) => `${f.rule} ${f.severity} ${f.path} ${f.old?.line}`).sort()).toEqual([
      "ENUM_VALUE_REMOVED breaking Role.__proto__ 21",
      "ENUM_VALUE_REMOVED breaking Role.constructor 19",
      "FIELD_ARGUMENT_REMOVED breaking Query.toString.valueOf 3",
      "FIELD_ARGUMENT_TYPE_CHANGED breaking Query.toString.hasOwnProperty 3",
      "FIELD_REMOVED breaking __proto__.__proto__ 15",
      "FIELD_REMOVED breaking constructor.constructor 8",
      "FIELD_TYPE_CHANGED breaking toString.toString 12",
      "INPUT_FIELD_REMOVED breaking hasOwnProperty.__proto__ 25",
      "INPUT_FIELD_TYPE_CHANGED breaking hasOwnProperty.constructor 24",
      "UNION_MEMBER_REMOVED breaking valueOf.constructor 27",
    ]);
  });

  test("consumer operations that use them are matched by name", async () => {
    const operations = [{ file: "ops.graphql", content: "query Q { constructor { constructor } toString(valueOf: \"x\") { toString } }\n" }];
    const { findings } = await diffSdl(OLD, NEW, { operations });
    const byPath = new Map(findings.map((f) => [`${f.rule} ${f.path}`, f.operations]));
    expect(byPath.get("FIELD_REMOVED constructor.constructor")).toEqual(["Q (ops.graphql:1:1)"]);
    expect(byPath.get("FIELD_ARGUMENT_REMOVED Query.toString.valueOf")).toEqual(["Q (ops.graphql:1:1)"]);
    expect(byPath.get("FIELD_REMOVED __proto__.__proto__")).toBeUndefined();
  });

  test("a field named like an Object method that does not exist is not deprecated or required", async () => {
    const { findings } = await diffSdl("type Query { a: Int }\ntype T { b: Int }", "type Query { a: Int }\ntype T { b: Int constructor: Int }");
    expect(findings.map((f) => `${f.rule} ${f.severity} ${f.path}`)).toEqual(["FIELD_ADDED safe T.constructor"]);
  });
});
