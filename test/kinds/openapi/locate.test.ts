import { describe, expect, test } from "bun:test";
import { parseDocument } from "yaml";
import { JsonLocator, YamlLocator } from "../../../src/kinds/openapi/locate.ts";
import { YamlLineLocator } from "../../../src/kinds/openapi/yaml-lines.ts";

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

  test("the line-based YAML locator (large files) agrees with the YAML parser on every element", () => {
    const text = [
      "# comment",
      "openapi: 3.0.3",
      "info: { title: 'it''s', version: \"1\" }",
      "paths:",
      "  /a/{id}:",
      "    get:",
      "      description: |",
      "        block: scalar",
      "        - not an item",
      "      parameters:",
      "      - name: id",
      "        in: path",
      "      - { name: q, in: query, schema: { type: [string, 'null'], enum: [a, b] } }",
      "      responses:",
      "        \"200\":",
      "          description: ok",
      "          content:",
      "            application/json:",
      "              schema:",
      "                type: object",
      "                properties:",
      "                  'x:y': { type: string }",
      "                  list:",
      "                    type: array",
      "                    items:",
      "                      -",
      "                        nested: true",
      "",
    ].join("\n");
    const doc = parseDocument(text);
    const exact = new YamlLocator(doc);
    const lines = new YamlLineLocator(text);
    const crlf = new YamlLineLocator(text.replace(/\n/g, "\r\n"));
    const pointers: string[][] = [];
    const walk = (v: unknown, p: string[]) => {
      pointers.push(p);
      if (Array.isArray(v)) v.forEach((c, i) => walk(c, [...p, String(i)]));
      else if (v && typeof v === "object") for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
    };
    walk(doc.toJS(), []);
    expect(pointers.length).toBeGreaterThan(30);
    const lineOf = (t: string, o: number) => t.slice(0, o).split(/\r?\n/).length;
    for (const p of pointers) {
      expect([p.join("/"), lines.offset(p)]).toEqual([p.join("/"), exact.offset(p)]);
      expect([p.join("/"), lineOf(text.replace(/\n/g, "\r\n"), crlf.offset(p))]).toEqual([p.join("/"), lineOf(text, exact.offset(p))]);
    }
  });
});
