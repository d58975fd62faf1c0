/**
 * Positions read from the parsed SDL once its token list is gone: a documented element is located at
 * its first token after the description (what GraphQL ignores in between skipped), and a parse still
 * reports every token it read.
 */
import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/graphql/index.ts";
import { parseBounded } from "../../../src/kinds/graphql/limits.ts";
import { at } from "./helpers.ts";

async function locate(sdl: string, path: string) {
  const loaded = await engine.load({ reader: new MemoryReader({ "s.graphql": sdl }), path: "s.graphql" }, { settings: {}, warn: () => {} });
  return at(loaded.model.locate(path, true));
}

describe("an element with a description is located at the element, not at its description", () => {
  const cases: Array<[string, string, string, string]> = [
    ["a type after a one-line description", '"A user"\ntype User { id: ID }\ntype Query { u: User }\n', "User", "2:1"],
    ["a type after a block description", '"""\nA user\n"""\ntype User { id: ID }\ntype Query { u: User }\n', "User", "4:1"],
    ["a type after a comment and blank lines", '"A user"\n\n# internal\n\n  type User { id: ID }\ntype Query { u: User }\n', "User", "5:3"],
    ["a field after commas and a comment", 'type Query {\n  "Who"  ,,  # note\n  ,user: ID\n}\n', "Query.user", "3:4"],
    ["an argument after its description", 'type Query {\n  u(\n    "The id" id: ID\n  ): ID\n}\n', "Query.u.id", "3:14"],
    ["an enum value after a description with a byte order mark next to it", 'enum E {\n  "first"\uFEFFA\n  B\n}\ntype Query { e: E }\n', "E.A", "2:11"],
    ["a description holding `#` and commas is skipped whole", 'type Query {\n  "a # b, c"\n  x: ID\n}\n', "Query.x", "3:3"],
    ["an element without a description is located at its start", "type Query {\n  x: ID\n}\n", "Query.x", "2:3"],
  ];
  for (const [name, sdl, path, want] of cases) {
    test(name, async () => {
      expect(await locate(sdl, path)).toBe(want);
    });
  }
});

describe("a parse counts every token it read", () => {
  const cases: Array<[string, string, number]> = [
    // <SOF> type Query { a : Int } <EOF>
    ["a plain document", "type Query { a: Int }", 9],
    ["comments count as tokens", "# one\ntype Query {\n  # two\n  a: Int # three\n}\n# four", 13],
    ["a description is one token", '"doc" type Query { a: Int }', 10],
  ];
  for (const [name, text, tokens] of cases) {
    test(name, () => {
      expect(parseBounded(text, "s.graphql", 100).tokens).toBe(tokens);
    });
  }

  test("a node's location keeps its offsets and source, and no token", () => {
    const { doc } = parseBounded("type Query { a: Int }", "s.graphql", 100);
    const type = doc.definitions[0]!;
    const field = "fields" in type ? type.fields?.[0] : undefined;
    expect(field?.loc).toMatchObject({ start: 13, end: 19 });
    expect(Object.keys(field?.loc ?? {}).sort()).toEqual(["end", "source", "start"]);
  });
});
