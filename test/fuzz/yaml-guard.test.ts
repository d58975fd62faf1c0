import { describe, expect, test } from "bun:test";
import { nestingTooDeep } from "../../src/core/yaml-guard.ts";
import { expectBounded } from "../helpers/guard.ts";

// [text, max, offset of the first opener beyond max (undefined: accepted)]
const cases: Array<[string, number, number | undefined]> = [
  ["a: [[[[x]]]]", 3, 6],
  ["a: [[[x]]]\nb: [[[y]]]", 3, undefined],
  ["a: {b: {c: {d: 1}}}", 2, 11],
  ["a: '[[[[x'\nb: 1", 3, undefined],
  ["a: 'it''s [[[['\nb: 1", 3, undefined],
  ['a: "[[[[\\"x"\nb: 1', 3, undefined],
  ['a: "multi\n  [[[[ line"\nb: 1', 3, undefined],
  ["a: text [[[[ in a plain scalar\nb: 1", 3, undefined],
  ["a: # [[[[\n  1", 3, undefined],
  ["a: |\n  [[[[\n  {{{{\nb: [[[[1]]]]", 3, 25],
  ["a: >-\n  [[[[\n\n  [[[[\nb: 1", 3, undefined],
  ["- - - - x", 3, 6],
  ["- - - x", 3, undefined],
  ["- - |\n  - [[[[1]]]]", 3, 12],
  ['{"a":"[[[[","b":[[[1]]]}', 3, 18],
  ["[it's, [[[x]]]]", 3, 9],
  ["a: &x [[[[1]]]]", 3, 9],
  ["a: !!seq [[[[1]]]]", 3, 12],
  ["--- [[[[1]]]]", 3, 7],
];

describe("nesting pre-scan of YAML text", () => {
  for (const [text, max, offset] of cases) {
    test(JSON.stringify(text), () => {
      expect(nestingTooDeep(text, max)).toBe(offset);
    });
  }

  test("is linear: 10 MB of flow collections scan in well under a second", () => {
    const unit = `{b: [1, 'x]', "y}"], `;
    const text = `a: ${unit.repeat(500_000)}c: 1${"}".repeat(500_000)}`;
    const t = performance.now();
    // The 1,001st level is the `[` inside the 1,000th map.
    expect(nestingTooDeep(text, 1000)).toBe(3 + 999 * unit.length + 4);
    expect(nestingTooDeep(text.replaceAll("{b: [1,", "{b: 1,"), 1_000_000)).toBeUndefined();
    expectBounded(performance.now() - t, 1000);
  });
});
