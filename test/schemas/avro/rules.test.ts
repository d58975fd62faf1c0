import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/avro/index.ts";

const options = { settings: {}, warn: () => {} };

/** `line:col` of the first occurrence of `needle` (after `after`, when given) in `text`. */
function at(text: string, needle: string, after = ""): string {
  const from = after ? text.indexOf(after) : 0;
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

async function diff(oldText: string, newText: string) {
  const load = (text: string) => engine.load({ reader: new MemoryReader({ "s.avsc": text }), path: "s.avsc" }, options);
  const findings = await engine.diff(await load(oldText), await load(newText), options);
  return findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    path: f.path,
    old: f.old && `${f.old.line}:${f.old.column}`,
    new: f.new && `${f.new.line}:${f.new.column}`,
  }));
}

const rec = (fields: string, extra = "") => `{"type": "record", "name": "PedidoCreado", "namespace": "com.acme"${extra},\n "fields": [\n${fields}\n]}`;

interface Case {
  name: string;
  old: string;
  new: string;
  /** Expected finding; locations as [needle, after] in the old and new text. */
  expect: { rule: string; severity: string; path: string; old?: [string, string?]; new?: [string, string?] };
}

const cases: Case[] = [
  {
    name: "a field without default is new in the reader",
    old: rec(`  {"name": "id", "type": "string"}`),
    new: rec(`  {"name": "id", "type": "string"},\n  {"name": "canal", "type": "string"}`),
    expect: { rule: "READER_FIELD_MISSING_DEFAULT_VALUE", severity: "breaking", path: "PedidoCreado.canal", old: ['"PedidoCreado"'], new: ['"canal"'] },
  },
  {
    name: "a field with default is new in the reader",
    old: rec(`  {"name": "id", "type": "string"}`),
    new: rec(`  {"name": "id", "type": "string"},\n  {"name": "canal", "type": "string", "default": "web"}`),
    expect: { rule: "FIELD_ADDED_WITH_DEFAULT", severity: "safe", path: "PedidoCreado.canal", old: ['"PedidoCreado"'], new: ['"canal"'] },
  },
  {
    name: "a field is narrowed from long to int inside array items",
    old: rec(`  {"name": "lineas", "type": {"type": "array", "items": {"type": "record", "name": "Linea", "fields": [{"name": "cantidad", "type": "long"}]}}}`),
    new: rec(`  {"name": "lineas", "type": {"type": "array", "items": {"type": "record", "name": "Linea", "fields": [{"name": "cantidad", "type": "int"}]}}}`),
    expect: { rule: "TYPE_MISMATCH", severity: "breaking", path: "PedidoCreado.lineas[].cantidad", old: ['"long"'], new: ['"int"'] },
  },
  {
    name: "a map value is promoted from int to long",
    old: rec(`  {"name": "stock", "type": {"type": "map", "values": "int"}}`),
    new: rec(`  {"name": "stock", "type": {"type": "map", "values": "long"}}`),
    expect: { rule: "TYPE_PROMOTED", severity: "safe", path: "PedidoCreado.stock{}", old: ['"int"'], new: ['"long"'] },
  },
  {
    name: "an enum loses a symbol",
    old: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO", "ENVIADO"]}}`),
    new: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO"]}}`),
    expect: { rule: "MISSING_ENUM_SYMBOLS", severity: "breaking", path: "PedidoCreado.estado", old: ['"Estado"'], new: ['"Estado"'] },
  },
  {
    name: "an enum loses a symbol but the reader has a default",
    old: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO", "ENVIADO"], "default": "NUEVO"}}`),
    new: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO"], "default": "NUEVO"}}`),
    expect: { rule: "ENUM_SYMBOL_READ_AS_DEFAULT", severity: "dangerous", path: "PedidoCreado.estado", old: ['"Estado"'], new: ['"Estado"'] },
  },
  {
    name: "an enum gains a symbol",
    old: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO"]}}`),
    new: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO"]}}`),
    expect: { rule: "ENUM_SYMBOL_ADDED", severity: "safe", path: "PedidoCreado.estado", old: ['"Estado"'], new: ['"Estado"'] },
  },
  {
    name: "a union loses a branch the writer used",
    old: rec(`  {"name": "importe", "type": ["null", "long", "string"]}`),
    new: rec(`  {"name": "importe", "type": ["null", "long"]}`),
    expect: { rule: "MISSING_UNION_BRANCH", severity: "breaking", path: "PedidoCreado.importe", old: ['"string"'], new: ['[', '"importe"'] },
  },
  {
    name: "a nested record is renamed without alias",
    old: rec(`  {"name": "dir", "type": {"type": "record", "name": "Direccion", "fields": []}}`),
    new: rec(`  {"name": "dir", "type": {"type": "record", "name": "Domicilio", "fields": []}}`),
    expect: { rule: "NAME_MISMATCH", severity: "breaking", path: "PedidoCreado.dir", old: ['"Direccion"'], new: ['"Domicilio"'] },
  },
  {
    name: "a nested record is renamed with an alias",
    old: rec(`  {"name": "dir", "type": {"type": "record", "name": "Direccion", "fields": []}}`),
    new: rec(`  {"name": "dir", "type": {"type": "record", "name": "Domicilio", "aliases": ["Direccion"], "fields": []}}`),
    expect: { rule: "TYPE_RENAMED_WITH_ALIAS", severity: "safe", path: "PedidoCreado.dir", old: ['"Direccion"'], new: ['"Domicilio"'] },
  },
  {
    name: "a fixed changes size",
    old: rec(`  {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 16}}`),
    new: rec(`  {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 32}}`),
    expect: { rule: "FIXED_SIZE_MISMATCH", severity: "breaking", path: "PedidoCreado.hash", old: ['"Hash"'], new: ['"Hash"'] },
  },
  {
    name: "a logical type changes units",
    old: rec(`  {"name": "creado", "type": {"type": "long", "logicalType": "timestamp-millis"}}`),
    new: rec(`  {"name": "creado", "type": {"type": "long", "logicalType": "timestamp-micros"}}`),
    expect: { rule: "LOGICAL_TYPE_CHANGED", severity: "dangerous", path: "PedidoCreado.creado", old: ['"long"'], new: ['"long"'] },
  },
  {
    name: "a default changes",
    old: rec(`  {"name": "moneda", "type": "string", "default": "EUR"}`),
    new: rec(`  {"name": "moneda", "type": "string", "default": "USD"}`),
    expect: { rule: "DEFAULT_CHANGED", severity: "dangerous", path: "PedidoCreado.moneda", old: ['"EUR"'], new: ['"USD"'] },
  },
  {
    name: "the namespace changes",
    old: rec(`  {"name": "id", "type": "string"}`),
    new: rec(`  {"name": "id", "type": "string"}`).replace("com.acme", "com.acme.v2"),
    expect: { rule: "NAMESPACE_CHANGED", severity: "dangerous", path: "PedidoCreado", old: ['"PedidoCreado"'], new: ['"PedidoCreado"'] },
  },
  {
    name: "a field is renamed with an alias",
    old: rec(`  {"name": "cantidad", "type": "int"}`),
    new: rec(`  {"name": "unidades", "aliases": ["cantidad"], "type": "int"}`),
    expect: { rule: "FIELD_RENAMED_WITH_ALIAS", severity: "safe", path: "PedidoCreado.unidades", old: ['"cantidad"'], new: ['"unidades"'] },
  },
  {
    name: "a field the reader does not know is skipped",
    old: rec(`  {"name": "id", "type": "string"},\n  {"name": "nota", "type": "string"}`),
    new: rec(`  {"name": "id", "type": "string"}`),
    expect: { rule: "FIELD_NOT_READ", severity: "safe", path: "PedidoCreado.nota", old: ['"nota"'], new: ['"PedidoCreado"'] },
  },
  {
    name: "a doc changes",
    old: rec(`  {"name": "total", "type": "long", "doc": "Total"}`),
    new: rec(`  {"name": "total", "type": "long", "doc": "Total en céntimos"}`),
    expect: { rule: "DOC_CHANGED", severity: "safe", path: "PedidoCreado.total", old: ['"total"'], new: ['"total"'] },
  },
  {
    name: "a field is widened into a union (made nullable)",
    old: rec(`  {"name": "telefono", "type": "string"}`),
    new: rec(`  {"name": "telefono", "type": ["null", "string"], "default": null}`),
    expect: { rule: "UNION_BRANCH_ADDED", severity: "safe", path: "PedidoCreado.telefono", old: ['"string"'], new: ['["null"'] },
  },
  {
    name: "a union gains a branch",
    old: rec(`  {"name": "ref", "type": ["string", "long"]}`),
    new: rec(`  {"name": "ref", "type": ["string", "long", "bytes"]}`),
    expect: { rule: "UNION_BRANCH_ADDED", severity: "safe", path: "PedidoCreado.ref", old: ['["string"'], new: ['["string"'] },
  },
  {
    name: "a union lists its branches in another order",
    old: rec(`  {"name": "ref", "type": ["string", "long"]}`),
    new: rec(`  {"name": "ref", "type": ["long", "string"]}`),
    expect: { rule: "UNION_BRANCHES_REORDERED", severity: "safe", path: "PedidoCreado.ref", old: ['["string"'], new: ['["long"'] },
  },
  {
    name: "fields are reordered",
    old: rec(`  {"name": "id", "type": "string"},\n  {"name": "total", "type": "long"}`),
    new: rec(`  {"name": "total", "type": "long"},\n  {"name": "id", "type": "string"}`),
    expect: { rule: "FIELD_ORDER_CHANGED", severity: "safe", path: "PedidoCreado", old: ['"PedidoCreado"'], new: ['"PedidoCreado"'] },
  },
  {
    name: "enum symbols are reordered",
    old: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["NUEVO", "PAGADO"]}}`),
    new: rec(`  {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ["PAGADO", "NUEVO"]}}`),
    expect: { rule: "ENUM_SYMBOLS_REORDERED", severity: "safe", path: "PedidoCreado.estado", old: ['"Estado"'], new: ['"Estado"'] },
  },
  {
    name: "a union default is given on a branch other than the first (Avro 1.12 only)",
    old: rec(`  {"name": "canal", "type": ["null", "string"], "default": null}`),
    new: rec(`  {"name": "canal", "type": ["null", "string"], "default": "web"}`),
    expect: { rule: "UNION_DEFAULT_NOT_FIRST_BRANCH", severity: "dangerous", path: "PedidoCreado.canal", old: ["null}"], new: ['"web"'] },
  },
  {
    name: "a type becomes a union of itself alone: only the canonical form says so",
    old: rec(`  {"name": "ref", "type": "string"}`),
    new: rec(`  {"name": "ref", "type": ["string"]}`),
    expect: { rule: "CANONICAL_FORM_CHANGED", severity: "safe", path: "PedidoCreado", old: ['"PedidoCreado"'], new: ['"PedidoCreado"'] },
  },
];

describe("avro rules: old schema, new schema, findings (backward: new reads old)", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const got = await diff(c.old, c.new);
      const want = {
        rule: c.expect.rule,
        severity: c.expect.severity,
        path: c.expect.path,
        old: c.expect.old && at(c.old, c.expect.old[0], c.expect.old[1]),
        new: c.expect.new && at(c.new, c.expect.new[0], c.expect.new[1]),
      };
      expect(got).toContainEqual(want as (typeof got)[number]);
      expect(got.filter((f) => f.severity === "breaking").length).toBe(want.severity === "breaking" ? 1 : 0);
    });
  }

  test("every rule of the catalogue has a case here or in the contract-level tests", () => {
    const covered = new Set(cases.map((c) => c.expect.rule));
    const missing = engine.rules().filter((r) => !covered.has(r.id) && !r.id.startsWith("SCHEMA_FILE_")).map((r) => r.id);
    expect(missing).toEqual([]);
  });

  test("a union default on a non-first branch is reported once under full, and never when the old version had it", async () => {
    const oldT = rec(`  {"name": "canal", "type": ["null", "string"], "default": null}`);
    const newT = rec(`  {"name": "canal", "type": ["null", "string"], "default": "web"}`);
    const load = (text: string) => engine.load({ reader: new MemoryReader({ "s.avsc": text }), path: "s.avsc" }, options);
    const [a, b] = [await load(oldT), await load(newT)];
    const full = { ...options, mode: "full" };
    const count = (fs: { rule: string }[]) => fs.filter((f) => f.rule === "UNION_DEFAULT_NOT_FIRST_BRANCH").length;
    expect(count(await engine.diff(a, b, full)) + count(await engine.diff(b, a, { ...full, direction: "forward" as const }))).toBe(1);
    // Forward only: the new version is the writer of the swapped call.
    expect(count(await engine.diff(b, a, { ...options, mode: "forward", direction: "forward" as const }))).toBe(1);
    expect(count(await engine.diff(b, b, options))).toBe(0);
    // A new field with such a default is reported too.
    const added = rec(`  {"name": "id", "type": "string"},\n  {"name": "canal", "type": ["null", "string"], "default": "web"}`);
    expect(count(await engine.diff(await load(rec(`  {"name": "id", "type": "string"}`)), await load(added), options))).toBe(1);
  });

  test("a shared named type used by the records of two subjects is one finding listing them", async () => {
    const dir = (cp: string) => ({
      "s/direccion.avsc": `{"type": "record", "name": "Direccion", "namespace": "es.tienda.comun", "fields": [{"name": "calle", "type": "string"}, {"name": "cp", "type": "${cp}"}]}`,
      "s/pedido-creado.avsc": `{"type": "record", "name": "PedidoCreado", "namespace": "es.tienda.pedidos", "fields": [{"name": "envio", "type": "es.tienda.comun.Direccion"}]}`,
      "s/cliente-registrado.avsc": `{"type": "record", "name": "ClienteRegistrado", "namespace": "es.tienda.clientes", "fields": [{"name": "domicilio", "type": "es.tienda.comun.Direccion"}]}`,
    });
    const load = (files: Record<string, string>) => engine.load({ reader: new MemoryReader(files), path: "s" }, options);
    const got = await engine.diff(await load(dir("string")), await load(dir("int")), options);
    const mismatch = got.filter((f) => f.rule === "TYPE_MISMATCH");
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.operations?.sort()).toEqual(["ClienteRegistrado (cliente-registrado.avsc)", "PedidoCreado (pedido-creado.avsc)"]);
  });

  test("a shared named type changed once is one finding", async () => {
    const linea = (t: string) => `{"type": "record", "name": "Linea", "fields": [{"name": "cantidad", "type": "${t}"}]}`;
    const s = (t: string) => rec(`  {"name": "a", "type": ${linea(t)}},\n  {"name": "b", "type": "Linea"}`);
    const got = await diff(s("long"), s("int"));
    expect(got.filter((f) => f.rule === "TYPE_MISMATCH").map((f) => f.path)).toEqual(["PedidoCreado.a.cantidad"]);
  });

  test("recursive records terminate", async () => {
    const s = (t: string) => `{"type": "record", "name": "Nodo", "fields": [{"name": "v", "type": "${t}"}, {"name": "hijos", "type": {"type": "array", "items": "Nodo"}}]}`;
    const got = await diff(s("long"), s("int"));
    expect(got.map((f) => f.rule)).toEqual(["TYPE_MISMATCH"]);
  });

  test("named types split across files of a directory resolve by full name", async () => {
    const dir = (cantidad: string) =>
      new MemoryReader({
        "ev/linea.avsc": `{"type": "record", "name": "Linea", "namespace": "com.acme", "fields": [{"name": "cantidad", "type": "${cantidad}"}]}`,
        "ev/pedido.avsc": `{"type": "record", "name": "PedidoCreado", "namespace": "com.acme", "fields": [{"name": "lineas", "type": {"type": "array", "items": "com.acme.Linea"}}]}`,
      });
    const load = (cantidad: string) => engine.load({ reader: dir(cantidad), path: "ev" }, options);
    const got = await engine.diff(await load("long"), await load("int"), options);
    // One change, one finding: at its use from the schema that holds it, not again for the file defining it.
    expect(got.map((f) => [f.rule, f.path])).toEqual([["TYPE_MISMATCH", "PedidoCreado.lineas[].cantidad"]]);
  });
});
