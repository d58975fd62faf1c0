import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { lookup } from "../../../src/kinds/openapi/load.ts";
import { accepts, type Side } from "../../../src/kinds/openapi/subset.ts";

/** Loads components A (the old values) and B (the schema that should accept them) and asks whether B accepts A. */
async function check(a: string, b: string, extra = ""): Promise<boolean> {
  const doc = `openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}\ncomponents:\n  schemas:\n    A: ${a}\n    B: ${b}\n${extra}`;
  const loaded = await engine.load({ reader: new MemoryReader({ "s.yaml": doc }), path: "s.yaml" }, { settings: {}, warn: () => {} });
  const spec = loaded.model.spec;
  const side = (name: string): Side => ({ spec, n: { v: lookup(spec.root.value, ["components", "schemas", name]), f: "s.yaml", p: `/components/schemas/${name}` } });
  return accepts(side("B"), side("A"));
}

const rows: Array<[string, string, string, boolean, string?]> = [
  ["integer values are numbers", "{ type: integer }", "{ type: number }", true],
  ["numbers are not all integers", "{ type: number }", "{ type: integer }", false],
  ["a type list accepts each listed type", "{ type: string }", "{ type: [string, integer] }", true],
  ["an enum accepts a subset of its values", "{ type: string, enum: [a] }", "{ type: string, enum: [a, b] }", true],
  ["an enum does not accept a value it lacks", "{ type: string, enum: [a, c] }", "{ type: string, enum: [a, b] }", false],
  ["a free string is not accepted by an enum", "{ type: string }", "{ enum: [a] }", false],
  ["null needs nullable on both sides", "{ type: string, nullable: true }", "{ type: string }", false],
  ["nullable accepts the non-null type", "{ type: string }", "{ type: [string, 'null'] }", true],
  ["a tighter maximum accepts the values under it", "{ type: integer, maximum: 5 }", "{ type: integer, maximum: 10 }", true],
  ["a bound where there was none rejects values", "{ type: integer }", "{ type: integer, maximum: 10 }", false],
  ["a required property must stay required in the old values", "{ type: object, properties: { a: { type: string } } }", "{ type: object, required: [a], properties: { a: { type: string } } }", false],
  ["an optional property made optional still accepts", "{ type: object, required: [a], properties: { a: { type: string } } }", "{ type: object, properties: { a: { type: string } } }", true],
  ["properties are compared", "{ type: object, properties: { a: { type: string } } }", "{ type: object, properties: { a: { type: integer } } }", false],
  ["a closed object refuses properties it does not declare", "{ type: object, properties: { a: { type: string }, b: { type: string } } }", "{ type: object, additionalProperties: false, properties: { a: { type: string } } }", false],
  ["array items are compared", "{ type: array, items: { type: integer } }", "{ type: array, items: { type: number } }", true],
  ["array items that narrow reject", "{ type: array, items: { type: number } }", "{ type: array, items: { type: integer } }", false],
  ["each alternative of a union must be accepted", "{ oneOf: [{ type: string }, { type: integer }] }", "{ type: [string, integer] }", true],
  ["one alternative not accepted is enough to refuse", "{ oneOf: [{ type: string }, { type: boolean }] }", "{ type: [string, integer] }", false],
  ["anyOf on the accepting side needs one branch", "{ type: string }", "{ anyOf: [{ type: integer }, { type: string }] }", true],
  ["oneOf on the accepting side needs the other branches disjoint", "{ type: integer }", "{ oneOf: [{ type: number }, { type: integer }] }", false],
  ["oneOf with disjoint branches accepts", "{ type: string }", "{ oneOf: [{ type: object }, { type: string }] }", true],
  ["references are followed", "{ $ref: '#/components/schemas/C' }", "{ type: object, properties: { x: { type: number } } }", true, "    C: { type: object, properties: { x: { type: integer } } }\n"],
  ["recursive schemas terminate", "{ $ref: '#/components/schemas/T' }", "{ $ref: '#/components/schemas/T' }", true, "    T: { type: object, properties: { next: { $ref: '#/components/schemas/T' } } }\n"],
  ["unknown constraint keywords answer no", "{ type: string }", "{ type: string, not: { enum: [x] } }", false],
  ["an empty schema accepts everything", "{ type: string, pattern: '^a' }", "{ description: anything }", true],
];

describe("openapi: does one schema accept every value of another", () => {
  for (const [name, a, b, want, extra] of rows) {
    test(`${name}: ${want ? "yes" : "no"}`, async () => {
      expect(await check(a, b, extra)).toBe(want);
    });
  }
});
