import { describe, expect, test } from "bun:test";
import { parseDocument } from "yaml";
import { JsonLocator, YamlLocator } from "../../../src/kinds/openapi/locate.ts";

const json = `{
  "a": "say \\"hi\\" \\\\",
  "b\\/c": [1, {"d": "x"}, [true, null]],
  "e": {"f~g": {}}
}`;

describe("JSON and YAML locators", () => {
  const cases: Array<[string[], string]> = [
    [[], "{"],
    [["a"], '"a"'],
    [["b/c"], '"b\\/c"'],
    [["b/c", "1", "d"], '"d"'],
    [["b/c", "2", "1"], "null"],
    [["e", "f~g"], '"f~g"'],
    [["e", "missing"], '"e"'],
  ];
  for (const [segments, at] of cases) {
    test(`JSON /${segments.join("/")} starts at ${at}`, () => {
      const off = new JsonLocator(json).offset(segments);
      expect(json.slice(off, off + at.length)).toBe(at);
    });
  }

  test("YAML keys, sequence items and aliases", () => {
    const text = "base: &b\n  x: 1\nlist:\n  - one\n  - two: 2\nref: *b\n";
    const loc = new YamlLocator(parseDocument(text));
    expect(text.slice(loc.offset(["list", "1", "two"]))).toStartWith("two: 2");
    expect(text.slice(loc.offset(["ref", "x"]))).toStartWith("x: 1");
    expect(text.slice(loc.offset(["nope"]))).toStartWith("base");
  });
});
