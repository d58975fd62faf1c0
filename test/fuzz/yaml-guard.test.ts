import { describe, expect, test } from "bun:test";
import { nestingTooDeep } from "../../src/core/yaml-guard.ts";

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

  test("is linear: 10 MB of flow collections scan in at most 12x the time of 1 MB", () => {
    const unit = `{b: [1, 'x]', "y}"], `;
    const text = (n: number) => `a: ${unit.repeat(n)}c: 1${"}".repeat(n)}`;
    // The 1,001st level is the `[` inside the 1,000th map.
    expect(nestingTooDeep(text(500_000), 1000)).toBe(3 + 999 * unit.length + 4);
    expect(nestingTooDeep(text(500_000).replaceAll("{b: [1,", "{b: 1,"), 1_000_000)).toBeUndefined();
    const time = (n: number) => {
      const t = text(n);
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        nestingTooDeep(t, 10_000_000);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(50_000);
    expect(time(500_000) / time(50_000)).toBeLessThanOrEqual(12);
  });
});
