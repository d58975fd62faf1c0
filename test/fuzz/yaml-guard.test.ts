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

  test("is linear: 10x the text costs 10x the characters read, counted, not timed", () => {
    const unit = `{b: [1, 'x]', "y}"], `;
    const text = (n: number) => `a: ${unit.repeat(n)}c: 1${"}".repeat(n)}`;
    // The 1,001st level is the `[` inside the 1,000th map.
    expect(nestingTooDeep(text(500_000), 1000)).toBe(3 + 999 * unit.length + 4);
    expect(nestingTooDeep(text(500_000).replaceAll("{b: [1,", "{b: 1,"), 1_000_000)).toBeUndefined();
    // Other shapes that make the scan jump ahead (comments, block scalars, quotes, markers), each scaled.
    const shapes = [
      text,
      (n: number) => "a:\n" + "  - [x, 'q]', \"r\\\"]\"] # ]]]\n".repeat(n),
      (n: number) => "a: |\n  [[[[\n  {{{{\nb: >-\n  ]]]\n\n".repeat(n),
      (n: number) => "---\n- - ? x\n  : &a !!str y\n...\n".repeat(n),
    ];
    for (const shape of shapes) {
      const small = reads(shape(2_000));
      const large = reads(shape(20_000));
      expect(small.result).toEqual(large.result);
      expect(large.count / small.count).toBeLessThanOrEqual(10.1);
      // Every character is read a bounded number of times.
      expect(large.count).toBeLessThanOrEqual(4 * shape(20_000).length);
    }
  });
});

/**
 * Runs the scan over a text that counts the characters read through it: one per `charCodeAt`, and
 * every character `indexOf` or `startsWith` passes over. A scan that went back over text it had
 * read would read more than 10x the characters for 10x the text, whatever the machine's load.
 */
function reads(source: string): { result: number | undefined; count: number } {
  let count = 0;
  const text = {
    length: source.length,
    charCodeAt(i: number) {
      count++;
      return source.charCodeAt(i);
    },
    indexOf(s: string, from: number) {
      const at = source.indexOf(s, from);
      count += (at === -1 ? source.length : at + s.length) - from;
      return at;
    },
    startsWith(s: string, from: number) {
      count += s.length;
      return source.startsWith(s, from);
    },
  };
  const result = nestingTooDeep(text as unknown as string, 1000);
  return { result, count };
}
