import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/jsonschema/index.ts";

const options = { settings: {}, warn: () => {} };

/** `line:col` of the first occurrence of `needle` after `after` in `text`. */
function at(text: string, needle: string, after = ""): string {
  const i = text.indexOf(needle, after ? text.indexOf(after) : 0);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function diff(oldText: string, newText: string, settings: Record<string, unknown> = {}) {
  const load = (text: string) => engine.load({ reader: new MemoryReader({ "e.schema.json": text }), path: "e.schema.json" }, options);
  const findings = await engine.diff(await load(oldText), await load(newText), { ...options, settings });
  return findings.map((f) => ({ rule: f.rule, severity: f.severity, path: f.path, old: f.old && `${f.old.line}:${f.old.column}`, new: f.new && `${f.new.line}:${f.new.column}` }));
}

const obj = (props: string, extra = "") => `{
  "type": "object",
  "properties": {
${props}
  }${extra}
}`;

interface Case {
  name: string;
  old: string;
  new: string;
  rule: string;
  severity: string;
  path: string;
  /** Needles locating the finding in the old and new text: [needle, after]. */
  oldAt: [string, string?];
  newAt: [string, string?];
}

const cases: Case[] = [
  {
    name: "a keyword the registry does not compare (contentMediaType) changes: the canonical form says so",
    old: obj(`    "datos": {"type": "string", "contentMediaType": "application/json"}`),
    new: obj(`    "datos": {"type": "string", "contentMediaType": "text/plain"}`),
    rule: "CANONICAL_FORM_CHANGED",
    severity: "dangerous",
    path: "/properties/datos/contentMediaType",
    oldAt: ['"contentMediaType"'],
    newAt: ['"contentMediaType"'],
  },
  {
    name: "an enum beside a type is narrowed: named by what the user wrote",
    old: obj(`    "metodo": {"type": "string", "enum": ["tarjeta", "bizum"]}`),
    new: obj(`    "metodo": {"type": "string", "enum": ["tarjeta"]}`),
    rule: "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
    severity: "breaking",
    path: "/properties/metodo/enum",
    oldAt: ['"enum"'],
    newAt: ['"enum"'],
  },
  {
    name: "an existing property becomes required",
    old: obj(`    "id": {"type": "string"}`),
    new: obj(`    "id": {"type": "string"}`, `,\n  "required": ["id"]`),
    rule: "REQUIRED_ATTRIBUTE_ADDED",
    severity: "breaking",
    path: "/properties/id",
    oldAt: ['"id"'],
    newAt: ['"id"'],
  },
  {
    name: "a property is removed from a closed content model",
    old: obj(`    "id": {"type": "string"},\n    "canal": {"type": "string"}`, `,\n  "additionalProperties": false`),
    new: obj(`    "id": {"type": "string"}`, `,\n  "additionalProperties": false`),
    rule: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
    severity: "breaking",
    path: "/properties/canal",
    oldAt: ['"canal"'],
    newAt: ['{', '"properties"'],
  },
  {
    name: "an optional property is added to an open content model",
    old: obj(`    "id": {"type": "string"}`),
    new: obj(`    "id": {"type": "string"},\n    "canal": {"type": "string"}`),
    rule: "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
    severity: "breaking",
    path: "/properties/canal",
    oldAt: ['{', '"properties"'],
    newAt: ['"canal"'],
  },
  {
    name: "an optional property is added to a closed content model",
    old: obj(`    "id": {"type": "string"}`, `,\n  "additionalProperties": false`),
    new: obj(`    "id": {"type": "string"},\n    "canal": {"type": "string"}`, `,\n  "additionalProperties": false`),
    rule: "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL",
    severity: "safe",
    path: "/properties/canal",
    oldAt: ['{', '"properties"'],
    newAt: ['"canal"'],
  },
  {
    name: "a type is narrowed from number to integer",
    old: obj(`    "total": {"type": "number"}`),
    new: obj(`    "total": {"type": "integer"}`),
    rule: "TYPE_NARROWED",
    severity: "breaking",
    path: "/properties/total/type",
    oldAt: ['"type"', '"total"'],
    newAt: ['"type"', '"total"'],
  },
  {
    name: "a type is widened from integer to number",
    old: obj(`    "total": {"type": "integer"}`),
    new: obj(`    "total": {"type": "number"}`),
    rule: "TYPE_EXTENDED",
    severity: "safe",
    path: "/properties/total/type",
    oldAt: ['"type"', '"total"'],
    newAt: ['"type"', '"total"'],
  },
  {
    name: "a type changes",
    old: obj(`    "total": {"type": "string"}`),
    new: obj(`    "total": {"type": "object"}`),
    rule: "TYPE_CHANGED",
    severity: "breaking",
    path: "/properties/total",
    oldAt: ['{', '"total"'],
    newAt: ['{', '"total"'],
  },
  {
    name: "maxLength decreases",
    old: obj(`    "cp": {"type": "string", "maxLength": 10}`),
    new: obj(`    "cp": {"type": "string", "maxLength": 5}`),
    rule: "MAX_LENGTH_DECREASED",
    severity: "breaking",
    path: "/properties/cp/maxLength",
    oldAt: ['"maxLength"'],
    newAt: ['"maxLength"'],
  },
  {
    name: "minimum increases",
    old: obj(`    "n": {"type": "integer", "minimum": 0}`),
    new: obj(`    "n": {"type": "integer", "minimum": 1}`),
    rule: "MINIMUM_INCREASED",
    severity: "breaking",
    path: "/properties/n/minimum",
    oldAt: ['"minimum"'],
    newAt: ['"minimum"'],
  },
  {
    name: "enum values are removed",
    old: obj(`    "estado": {"enum": ["NUEVO", "PAGADO"]}`),
    new: obj(`    "estado": {"enum": ["NUEVO"]}`),
    rule: "ENUM_ARRAY_NARROWED",
    severity: "breaking",
    path: "/properties/estado/enum",
    oldAt: ['"enum"'],
    newAt: ['"enum"'],
  },
  {
    name: "enum values are added",
    old: obj(`    "estado": {"enum": ["NUEVO"]}`),
    new: obj(`    "estado": {"enum": ["NUEVO", "PAGADO"]}`),
    rule: "ENUM_ARRAY_EXTENDED",
    severity: "safe",
    path: "/properties/estado/enum",
    oldAt: ['"enum"'],
    newAt: ['"enum"'],
  },
  {
    name: "a oneOf loses an alternative",
    old: obj(`    "v": {"oneOf": [{"type": "string"}, {"type": "number"}]}`),
    new: obj(`    "v": {"oneOf": [{"type": "string"}]}`),
    rule: "SUM_TYPE_NARROWED",
    severity: "breaking",
    path: "/properties/v",
    oldAt: ['{', '"v"'],
    newAt: ['{', '"v"'],
  },
  {
    name: "prefixItems gain a position in a closed tuple (2020-12)",
    old: `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array", "prefixItems": [{"type": "string"}], "items": false}`,
    new: `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "array", "prefixItems": [{"type": "string"}, {"type": "number"}], "items": false}`,
    rule: "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
    severity: "safe",
    path: "/prefixItems/1",
    oldAt: ["[", '"prefixItems"'],
    newAt: ['{"type": "number"}'],
  },
  {
    name: "a format changes",
    old: obj(`    "f": {"type": "string", "format": "date"}`),
    new: obj(`    "f": {"type": "string", "format": "date-time"}`),
    rule: "FORMAT_CHANGED",
    severity: "dangerous",
    path: "/properties/f/format",
    oldAt: ['"format"'],
    newAt: ['"format"'],
  },
  {
    name: "a default changes",
    old: obj(`    "m": {"type": "string", "default": "EUR"}`),
    new: obj(`    "m": {"type": "string", "default": "USD"}`),
    rule: "DEFAULT_CHANGED",
    severity: "dangerous",
    path: "/properties/m/default",
    oldAt: ['"default"'],
    newAt: ['"default"'],
  },
  {
    name: "a change inside $defs is reported once, at the definition",
    old: `{"properties": {"envio": {"$ref": "#/$defs/Dir"}, "factura": {"$ref": "#/$defs/Dir"}},\n "$defs": {"Dir": {"properties": {"cp": {"type": "string", "maxLength": 10}}}}}`,
    new: `{"properties": {"envio": {"$ref": "#/$defs/Dir"}, "factura": {"$ref": "#/$defs/Dir"}},\n "$defs": {"Dir": {"properties": {"cp": {"type": "string", "maxLength": 5}}}}}`,
    rule: "MAX_LENGTH_DECREASED",
    severity: "breaking",
    path: "/$defs/Dir/properties/cp/maxLength",
    oldAt: ['"maxLength"'],
    newAt: ['"maxLength"'],
  },
];

describe("jsonschema rules: old schema, new schema, findings (backward: new accepts all old documents)", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const got = await diff(c.old, c.new);
      const want = { rule: c.rule, severity: c.severity, path: c.path, old: at(c.old, ...c.oldAt), new: at(c.new, ...c.newAt) };
      expect(got).toContainEqual(want as (typeof got)[number]);
    });
  }

  test("the lenient policy accepts what the registry's lenient set allows", async () => {
    const c = cases.find((x) => x.rule === "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")!;
    const got = await diff(c.old, c.new, { lenient: true });
    expect(got.find((f) => f.rule === c.rule)?.severity).toBe("safe");
  });

  test("relative-file $refs are read from the contract's files", async () => {
    const files = (max: number) =>
      new MemoryReader({
        "ev/pedido.schema.json": `{"properties": {"dir": {"$ref": "comun/direccion.json#/$defs/Dir"}}}`,
        "ev/comun/direccion.json": `{"$defs": {"Dir": {"properties": {"cp": {"type": "string", "maxLength": ${max}}}}}}`,
      });
    const load = (max: number) => engine.load({ reader: files(max), path: "ev/pedido.schema.json" }, options);
    const before = await load(10);
    expect(before.files).toEqual(["ev/comun/direccion.json", "ev/pedido.schema.json"]);
    const got = await engine.diff(before, await load(5), options);
    expect(got.map((f) => [f.rule, f.path, f.old?.file])).toEqual([["MAX_LENGTH_DECREASED", "/$defs/Dir/properties/cp/maxLength", "ev/comun/direccion.json"]]);
  });

  test("recursive schemas terminate", async () => {
    const s = (t: string) => `{"$defs": {"Nodo": {"properties": {"v": {"type": "${t}"}, "hijos": {"type": "array", "items": {"$ref": "#/$defs/Nodo"}}}}}, "$ref": "#/$defs/Nodo"}`;
    const got = await diff(s("number"), s("integer"));
    expect(got.map((f) => f.rule)).toEqual(["TYPE_NARROWED"]);
  });

  for (const [name, ref, message] of [
    ["missing file", "nada.json", "file 'nada.json' not found"],
    ["outside the root", "../../fuera.json", "points outside the project root"],
    ["remote", "https://example.com/s.json", "is remote"],
    ["missing pointer", "#/$defs/Nada", "does not resolve"],
  ] as const) {
    test(`a $ref to a ${name} is a ContractError at the reference`, async () => {
      const text = `{\n  "properties": {"x": {"$ref": "${ref}"}}\n}`;
      const p = engine.load({ reader: new MemoryReader({ "e.schema.json": text }), path: "e.schema.json" }, options);
      await expect(p).rejects.toThrow(`e.schema.json:${at(text, `"${ref}"`)}: $ref '${ref}'`);
      await expect(p).rejects.toThrow(message);
    });
  }
});

describe("jsonschema: keywords beside $ref", () => {
  const s = (draft: string, extra: string) => `{"$schema": "${draft}", "$defs": {"P": {"type": "object", "properties": {"a": {"type": "string"}}}}, "properties": {"p": {"$ref": "#/$defs/P"${extra}}}}`;
  test("apply since 2019-09: a `required` beside the $ref is compared", async () => {
    const draft = "https://json-schema.org/draft/2020-12/schema";
    const got = await diff(s(draft, ""), s(draft, `, "required": ["a"]`));
    expect(got.some((f) => f.severity === "breaking")).toBe(true);
  });
  test("are ignored in draft-07, as that draft says", async () => {
    const draft = "http://json-schema.org/draft-07/schema#";
    expect(await diff(s(draft, ""), s(draft, `, "required": ["a"]`))).toEqual([]);
  });
});
