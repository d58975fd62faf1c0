/** JSON Schema documents: tree mutations with the keywords the compatibility rules read, `$ref`s, and bytes. */
import { editCase, type FuzzCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Vocabulary } from "../lib.ts";
import { combinatorialAnyOf, identifierInjection, largeJsonEnum, patternBomb } from "../classes.ts";
import { corpusSeeds, pair, repoFile, varyArgs } from "../seeds.ts";

const BASE = JSON.stringify(
  {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://example.com/order.schema.json",
    type: "object",
    required: ["id"],
    additionalProperties: false,
    properties: {
      id: { type: "string", format: "uuid" },
      amount: { type: "number", minimum: 0, maximum: 100000, multipleOf: 0.01 },
      status: { enum: ["new", "paid"] },
      lines: { type: "array", items: { $ref: "#/$defs/Line" }, minItems: 1 },
      note: { type: ["string", "null"], maxLength: 200 },
      payment: { oneOf: [{ $ref: "#/$defs/Card" }, { type: "string", pattern: "^IBAN" }] },
    },
    $defs: {
      Line: { type: "object", properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1 } }, required: ["sku"] },
      Card: { type: "object", properties: { last4: { type: "string", minLength: 4, maxLength: 4 } } },
    },
  },
  null,
  2,
);

const VOCAB: Vocabulary = {
  keys: [
    "$schema", "$id", "$ref", "$defs", "definitions", "type", "properties", "required", "additionalProperties", "items", "prefixItems",
    "enum", "const", "oneOf", "anyOf", "allOf", "not", "if", "then", "else", "minimum", "maximum", "exclusiveMinimum", "minLength",
    "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems", "dependentRequired", "patternProperties", "default",
  ],
  values: [
    "string", "integer", "number", "object", "array", "boolean", "null", ["string", "null"], "#/$defs/Line", "#/$defs/Card", "#/$defs/Missing",
    "#", "#/properties/id", "other.schema.json", { type: "string" }, false, true, 0, 1, -1, "^[a-z]+$", "(a+)+$", ["id", "sku"],
    "https://json-schema.org/draft-07/schema#", "http://127.0.0.1:1/schema.json",
  ],
};

const kind: FuzzKind = {
  name: "jsonschema",
  classes: {
    "identifier-injection": identifierInjection,
    "pattern-bomb": patternBomb,
    "large-enum": largeJsonEnum,
    "combinatorial-anyof": combinatorialAnyOf,
  },
  async seeds() {
    const own = repoFile("contracts/pedidos/eventos/pedido-cancelado.schema.json");
    const seeds: FuzzCase[] = [
      { files: { "old.schema.json": BASE, "new.schema.json": BASE }, args: ["diff", "old.schema.json", "new.schema.json"] },
      { files: { "old.schema.json": BASE, "new.schema.json": BASE }, args: ["diff", "old.schema.json", "new.schema.json", "--kind", "jsonschema", "--mode", "full"] },
      ...pair(own, own, ".schema.json"),
      ...corpusSeeds("jsonschema"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const docs = Object.keys(c.files).filter((p) => p.endsWith(".json"));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.7 && docs.length) c = editCase(c, rng, docs, (t) => mutateTree(t, rng, VOCAB, donors));
      else if (r < 0.9 && docs.length) c = editCase(c, rng, docs, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.95) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
