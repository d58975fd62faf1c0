import { describe, expect, test } from "bun:test";
import type { Finding } from "../../src/core/finding.ts";
import { MemoryReader } from "../../src/core/source.ts";
import avroEngine from "../../src/kinds/avro/index.ts";
import jsonEngine from "../../src/kinds/jsonschema/index.ts";
import { suggestBump } from "../../src/policy/evaluate.ts";
import { canonicalForm } from "../../src/schemas/avro/canonical.ts";
import { parseAvro } from "../../src/schemas/avro/parse.ts";
import { canonicalDifference } from "../../src/schemas/jsonschema/rules/canonical.ts";

// Property: a pair of versions whose parsing canonical forms differ gets at least one finding and at
// least a patch, in both directions; a pair whose canonical forms are identical (formatting, key order,
// documentation) gets no finding but documentation ones. "Formatting or comments only" is never said
// of a change that writes or accepts other data.

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}
type R = ReturnType<typeof rng>;
type J = any;

const options = { settings: {}, warn: () => {} };

/** Writes JSON with another indentation and key order: the same document for every reader. */
function reformat(r: R, v: J): string {
  const shuffle = (x: J): J => {
    if (Array.isArray(x)) return x.map(shuffle);
    if (x && typeof x === "object") {
      const keys = Object.keys(x);
      if (r.int(2)) keys.reverse();
      return Object.fromEntries(keys.map((k) => [k, shuffle(x[k])]));
    }
    return x;
  };
  return JSON.stringify(shuffle(v), null, r.pick([0, 1, 2, 4]));
}

/** Findings of both directions, as check in `full` mode sees them. */
async function both(engine: typeof avroEngine | typeof jsonEngine, file: string, a: string, b: string): Promise<Finding[][]> {
  const load = (text: string) => (engine as typeof avroEngine).load({ reader: new MemoryReader({ [file]: text }), path: file }, options);
  const [x, y] = [await load(a), await load(b)];
  return [await (engine as typeof avroEngine).diff(x, y, options), await (engine as typeof avroEngine).diff(y, x, { ...options, direction: "forward" })];
}

const BUMPS = ["patch", "minor", "major"];

// ---- Avro ----

const PRIMS = ["boolean", "int", "long", "float", "double", "bytes", "string"] as const;

function avroType(r: R, depth: number, n: { n: number }): J {
  const k = depth <= 0 ? 0 : r.int(9);
  if (k <= 3) return r.pick(PRIMS);
  if (k === 4) return { type: "array", items: avroType(r, depth - 1, n) };
  if (k === 5) return { type: "map", values: avroType(r, depth - 1, n) };
  if (k === 6) return { type: "enum", name: `E${n.n++}`, symbols: ["A", "B", "C"].slice(0, 1 + r.int(3)) };
  if (k === 7) return ["null", r.pick(PRIMS)];
  return avroRecord(r, depth - 1, n);
}

function avroRecord(r: R, depth: number, n: { n: number }): J {
  const fields = [];
  for (let i = 0; i < 1 + r.int(4); i++) fields.push({ name: `f${i}`, type: avroType(r, depth, n) });
  return { type: "record", name: `R${n.n++}`, namespace: "es.tienda", fields };
}

/** Every record, enum, union and primitive slot of a schema. */
function avroSlots(root: J): Array<{ get(): J; set(v: J): void }> {
  const out: Array<{ get(): J; set(v: J): void }> = [];
  const walk = (holder: J, key: string | number) => {
    const t = holder[key];
    out.push({ get: () => holder[key], set: (v) => (holder[key] = v) });
    if (Array.isArray(t)) t.forEach((_, i) => walk(t, i));
    else if (t && typeof t === "object") {
      if (t.type === "array") walk(t, "items");
      if (t.type === "map") walk(t, "values");
      if (t.type === "record") t.fields.forEach((f: J) => walk(f, "type"));
    }
  };
  walk({ root }, "root");
  return out;
}

/** One change: most write other bytes; some only touch documentation. */
function avroMutate(r: R, root: J): void {
  const all = avroSlots(root);
  for (let attempt = 0; attempt < 20; attempt++) {
    const s = r.pick(all);
    const t = s.get();
    const m = r.int(10);
    if (typeof t === "string" && t !== "null") {
      if (m < 4) s.set(r.pick(PRIMS.filter((p) => p !== t)));
      else if (m < 7) s.set(["null", t]);
      else s.set([t, r.pick(PRIMS.filter((p) => p !== t))]);
      return;
    }
    if (Array.isArray(t) && t.length > 1) {
      if (m < 4) t.reverse();
      // A one-branch union is left to the backstop (the rule tests cover it): keep two branches.
      else if (m < 7 && t.length > 2) t.splice(1, 1);
      else if (!t.includes("bytes")) t.push("bytes");
      else continue;
      return;
    }
    if (t?.type === "record") {
      if (m < 2) t.fields.push({ name: `n${r.int(100)}`, type: "int", ...(r.int(2) ? { default: 0 } : {}) });
      else if (m < 4 && t.fields.length > 1) t.fields.splice(r.int(t.fields.length), 1);
      else if (m < 6 && t.fields.length > 1) t.fields.reverse();
      else if (m < 7) t.doc = `doc ${r.int(100)}`;
      else if (m < 8) t.namespace = "es.tienda.v2";
      else r.pick(t.fields as J[]).doc = "campo";
      return;
    }
    if (t?.type === "enum") {
      if (m < 3) t.symbols = [...t.symbols, "Z"];
      else if (m < 6 && t.symbols.length > 1) t.symbols = t.symbols.slice(1);
      else if (m < 8 && t.symbols.length > 1) t.symbols = [...t.symbols].reverse();
      else t.doc = "estado";
      return;
    }
    if (t?.type === "array" || t?.type === "map") {
      s.set(t.type === "array" ? { type: "map", values: t.items } : { type: "array", items: t.values });
      return;
    }
  }
}

describe("canonical form and findings agree", () => {
  test("Avro: a canonical-form change is at least one finding and a patch, both ways; otherwise only documentation", async () => {
    const N = 500;
    let changed = 0;
    let same = 0;
    const backstop: string[] = [];
    const failures: string[] = [];
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const a = avroRecord(r, 3, { n: 0 });
      const b = structuredClone(a);
      for (let i = 0; i < 1 + r.int(2); i++) avroMutate(r, b);
      let pcf: [string, string];
      try {
        const p = (j: J, file: string) => parseAvro([{ file, text: JSON.stringify(j) }]).schemas[0]!.root;
        pcf = [canonicalForm(p(a, "a.avsc")), canonicalForm(p(b, "b.avsc"))];
      } catch {
        continue; // the mutation made an invalid schema (a duplicate union branch)
      }
      const runs = await both(avroEngine, "s.avsc", reformat(r, a), reformat(r, b));
      if (pcf[0] !== pcf[1]) {
        changed++;
        for (const [i, findings] of runs.entries()) {
          const bump = suggestBump(findings);
          if (!findings.length || !BUMPS.includes(bump)) failures.push(`seed ${seed} (${i ? "forward" : "backward"}): canonical form changed, ${findings.length} findings, bump ${bump}\n ${pcf[0]}\n ${pcf[1]}`);
          if (findings.some((f) => f.rule === "CANONICAL_FORM_CHANGED")) backstop.push(`seed ${seed} (${i ? "forward" : "backward"})\n ${pcf[0]}\n ${pcf[1]}`);
        }
      } else {
        same++;
        for (const findings of runs) {
          const real = findings.filter((f) => !f.cosmetic);
          if (real.length) failures.push(`seed ${seed}: same canonical form, findings ${real.map((f) => f.rule).join(", ")}`);
        }
      }
    }
    console.log(`canonical property (avro): ${changed} pairs with another canonical form, ${same} with the same; ${backstop.length} named only by the canonical backstop`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(changed).toBeGreaterThan(300);
    expect(same).toBeGreaterThan(10);
    // Every change the generator makes is named by a rule of its own, not only by the backstop.
    expect(backstop.slice(0, 3)).toEqual([]);
  }, 120_000);

  test("JSON Schema: a canonical-form change is at least one finding and a patch, both ways; otherwise only documentation", async () => {
    const N = 500;
    let changed = 0;
    let same = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const a = jsonObject(r, 2);
      const b = structuredClone(a);
      for (let i = 0; i < 1 + r.int(2); i++) jsonMutate(r, b);
      const runs = await both(jsonEngine, "e.schema.json", reformat(r, a), reformat(r, b));
      if (canonicalDifference(a, b) !== undefined) {
        changed++;
        for (const [i, findings] of runs.entries()) {
          const bump = suggestBump(findings);
          if (!findings.length || !BUMPS.includes(bump)) failures.push(`seed ${seed} (${i ? "forward" : "backward"}): ${findings.length} findings, bump ${bump}\n ${JSON.stringify(a)}\n ${JSON.stringify(b)}`);
        }
      } else {
        same++;
        for (const findings of runs) {
          const real = findings.filter((f) => !f.cosmetic);
          if (real.length) failures.push(`seed ${seed}: same canonical form, findings ${real.map((f) => f.rule).join(", ")}`);
        }
      }
    }
    console.log(`canonical property (jsonschema): ${changed} pairs with another canonical form, ${same} with the same`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(changed).toBeGreaterThan(300);
    expect(same).toBeGreaterThan(10);
  }, 120_000);
});

// ---- JSON Schema ----

function jsonType(r: R, depth: number): J {
  const k = depth <= 0 ? r.int(5) : r.int(7);
  if (k === 0) return { type: "string", ...(r.int(2) ? { maxLength: 10 + r.int(20) } : {}) };
  if (k === 1) return { type: "integer", ...(r.int(2) ? { minimum: 0 } : {}) };
  if (k === 2) return { type: "number" };
  if (k === 3) return { type: "boolean" };
  if (k === 4) return { type: "string", enum: ["tarjeta", "bizum", "transferencia"].slice(0, 1 + r.int(3)) };
  if (k === 5) return { type: "array", items: jsonType(r, depth - 1) };
  return jsonObject(r, depth - 1);
}

function jsonObject(r: R, depth: number): J {
  const properties: J = {};
  for (let i = 0; i < 1 + r.int(4); i++) properties[`p${i}`] = jsonType(r, depth);
  const o: J = { $schema: "https://json-schema.org/draft/2020-12/schema", type: "object", properties };
  if (r.int(2)) o.required = Object.keys(properties).slice(0, 1 + r.int(2));
  if (r.int(3) === 0) o.additionalProperties = false;
  return o;
}

function jsonSlots(root: J): J[] {
  const out: J[] = [];
  const walk = (s: J) => {
    out.push(s);
    if (s.type === "object") Object.values(s.properties).forEach(walk);
    if (s.type === "array") walk(s.items);
  };
  walk(root);
  return out;
}

function jsonMutate(r: R, root: J): void {
  const s = r.pick(jsonSlots(root));
  const m = r.int(10);
  if (s.type === "object") {
    const names = Object.keys(s.properties);
    if (m < 2) s.properties[`n${r.int(100)}`] = { type: "string" };
    else if (m < 4 && names.length > 1) delete s.properties[r.pick(names)];
    else if (m < 5) s.required = [...new Set([...(s.required ?? []), r.pick(names)])];
    else if (m < 6) delete s.required;
    else if (m < 7) s.additionalProperties = s.additionalProperties === false ? true : false;
    else if (m < 8) s.title = `Objeto ${r.int(100)}`;
    else s.description = "descripción";
    return;
  }
  if (s.enum) {
    if (m < 4 && s.enum.length > 1) s.enum = s.enum.slice(1);
    else if (m < 8) s.enum = [...s.enum, "efectivo"];
    else s.description = "método";
    return;
  }
  if (s.type === "integer") {
    if (m < 5) s.type = "number";
    else if (m < 8) s.minimum = (s.minimum ?? 0) + 1;
    else s.title = "cantidad";
    return;
  }
  if (s.type === "string") {
    if (m < 3) s.maxLength = (s.maxLength ?? 40) - 1;
    else if (m < 5) s.format = "date";
    else if (m < 7) s.type = ["string", "null"];
    else s.description = "texto";
    return;
  }
  if (s.type === "number") s.type = m < 5 ? "integer" : "string";
  else if (s.type === "boolean") s.type = m < 5 ? ["boolean", "null"] : "string";
  else if (s.type === "array") s.maxItems = 3;
}
