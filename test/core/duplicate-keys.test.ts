import { describe, expect, test } from "bun:test";
import { parseDocument } from "yaml";
import { jsonDuplicateKey, yamlDuplicateSuspect, yamlRepeats } from "../../src/core/duplicate-keys.ts";

// The line scan decides whether a document may skip the exact YAML parse (which names both places of a
// repeated key). It may say yes wrongly (the parse then finds nothing), never no to a real duplicate.

const exactDuplicate = (text: string) => parseDocument(text, { uniqueKeys: true }).errors.some((e) => e.code === "DUPLICATE_KEY");

const CASES: Array<[string, string, boolean]> = [
  ["block keys, all different", "a: 1\nb:\n  a: 2\n  b: 3\n", false],
  ["a block key repeated", "a: 1\nb: 2\na: 3\n", true],
  ["a nested block key repeated", "a:\n  x: 1\n  y: 2\n  x: 3\n", true],
  ["sequence items are mappings of their own", "- a: 1\n  b: 2\n- a: 3\n  b: 4\n", false],
  ["a flow mapping repeating a key", "a: {x: 1, y: 2, x: 3}\n", true],
  ["a nested flow mapping repeating a key", "a: {x: {p: 1, p: 2}}\n", true],
  ["the same key in sibling flow mappings", "a: [{x: 1}, {x: 2}]\nb: {x: {x: 1}, y: {x: 2}}\n", false],
  ["a quoted and a plain key are the same key", "a: {\"x\": 1, x: 2}\n", true],
  ["single-quoted keys", "a: {'it''s': 1, 'it''s': 2}\n", true],
  ["keys without values", "a: {x, y, x}\n", true],
  ["a flow mapping over several lines", "a: {\n  x: 1,\n  y: [1, 2],\n  x: 3\n}\n", true],
  ["a flow mapping over several lines, no repeat", "a: {\n  x: 1,\n  y: {x: 1},\n  z: 3\n}\nx: 1\n", false],
  ["a flow mapping as a sequence item", "- {a: 1, a: 2}\n", true],
  ["after an anchor", "a: &k {x: 1, x: 2}\n", true],
  ["braces inside a quoted value are text", "a: \"{x: 1, x: 2}\"\nb: '{y, y}'\n", false],
  ["braces inside a plain value are text", "a: see {x: 1, x: 2} here\n", false],
  ["braces inside a comment are text", "a: 1 # {x: 1, x: 2}\n", false],
  ["braces inside a block scalar are text", "a: |\n  {x: 1, x: 2}\n  x: 1\n  x: 2\nb: 1\n", false],
  ["a quoted value with a comma and a colon inside a flow mapping", "a: {x: \"p, x: q\", y: 1}\n", false],
  ["the whole document in flow style", "{a: 1, b: {c: 2}, a: 3}\n", true],
];

describe("yamlDuplicateSuspect", () => {
  test.each(CASES)("%s", (_name, text, expected) => {
    expect(yamlDuplicateSuspect(text)).toBe(expected);
    // Never a no where the exact parser finds a duplicate.
    if (exactDuplicate(text)) expect(yamlDuplicateSuspect(text)).toBe(true);
  });

  test("a large flow-heavy document without duplicates is not suspected (it keeps the fast parser)", () => {
    let t = "channels:\n";
    for (let i = 0; i < 3000; i++) t += `  c${i}:\n    address: c${i}\n    messages: { m: { payload: { type: object, properties: { id: { type: string }, n: { type: integer } } } } }\n`;
    expect(yamlDuplicateSuspect(t)).toBe(false);
    expect(yamlDuplicateSuspect(t.replace("n: { type: integer } }", "n: { type: integer }, id: { type: integer } }"))).toBe(true);
  });
});

describe("jsonDuplicateKey", () => {
  test.each([
    ['{"a": 1, "b": {"a": 2}}', undefined],
    ['{"a": 1, "b": 2, "a": 3}', { key: "a", first: 1, second: 17 }],
    ['[{"a": 1}, {"a": 2}]', undefined],
    ['{"a\\u0062": 1, "ab": 2}', { key: "ab", first: 1, second: 15 }],
  ] as const)("%s", (text, expected) => {
    expect(jsonDuplicateKey(text)).toEqual(expected as never);
  });
});

describe("yamlRepeats under keys that are collections", () => {
  // The YAML library's rendering of a key holding keys doubles at each level: such a key is named by its text.
  const deep = `${"{ ".repeat(30)}x: 1${" }: 1".repeat(29)} }`;
  test.each([
    ["a list key", "? [x]\n: { k: 1, k: 2 }\n", "/[x]/k"],
    ["a mapping key written over lines", "? { a: 1,\n    b: 2 }\n: { k: 1, k: 2 }\n", "/{ a: 1, b: 2 }/k"],
    ["a key holding keys 30 levels deep", `x-a:\n  ? ${deep}\n  : { k: 1, k: 2 }\n`, `/x-a/${"{ ".repeat(19)}{…/k`],
  ])("%s", (_name, text, path) => {
    const repeats = yamlRepeats(parseDocument(text, { uniqueKeys: false }), text);
    expect(repeats.map((r) => [r.key, r.path, r.same])).toEqual([["k", path, false]]);
  });
});
