import { describe, expect, test } from "bun:test";
import avro from "avsc";
import { checkAvro } from "../../../src/schemas/avro/check.ts";
import { parseAvro } from "../../../src/schemas/avro/parse.ts";
import { breaks } from "../../../src/schemas/avro/rules/define.ts";

/** Small deterministic PRNG, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}
type R = ReturnType<typeof rng>;
type J = any;

const PRIMS = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"] as const;

/** A random schema: records, enums, fixed, arrays, maps and unions, a few levels deep. */
function gen(r: R, depth: number, names: { n: number }): J {
  const k = depth <= 0 ? 0 : r.int(10);
  if (k <= 3) return r.pick(PRIMS.filter((p) => p !== "null"));
  if (k === 4) return { type: "array", items: gen(r, depth - 1, names) };
  if (k === 5) return { type: "map", values: gen(r, depth - 1, names) };
  if (k === 6) return { type: "enum", name: `E${names.n++}`, symbols: ["A", "B", "C"].slice(0, 1 + r.int(3)) };
  if (k === 7) return { type: "fixed", name: `F${names.n++}`, size: 1 + r.int(4) };
  if (k === 8) {
    const used = new Set<string>();
    const branches: J[] = [];
    if (r.int(2)) branches.push("null");
    for (let i = 0; i < 1 + r.int(3); i++) {
      const p = r.pick(PRIMS.filter((x) => x !== "null"));
      if (!used.has(p)) {
        used.add(p);
        branches.push(p);
      }
    }
    if (r.int(3) === 0) branches.push({ type: "record", name: `R${names.n++}`, fields: [{ name: "x", type: "int" }] });
    return branches;
  }
  return record(r, depth - 1, names);
}

function record(r: R, depth: number, names: { n: number }): J {
  const fields = [];
  for (let i = 0; i < 1 + r.int(4); i++) fields.push({ name: `f${i}`, type: gen(r, depth, names) });
  return { type: "record", name: `R${names.n++}`, fields };
}

/** Every place a type is written, with a setter, so a mutation can replace it. */
function slots(root: J): Array<{ get(): J; set(v: J): void }> {
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

const PROMO: Record<string, string[]> = { int: ["long", "float", "double"], long: ["float", "double", "int"], float: ["double", "long"], double: ["float"], string: ["bytes"], bytes: ["string"], boolean: ["int"] };

/** One random change of the kind schemas evolve by. Returns whether it touched a namespace. */
function mutate(r: R, root: J): { namespace: boolean } {
  const all = slots(root);
  for (let attempt = 0; attempt < 20; attempt++) {
    const s = r.pick(all);
    const t = s.get();
    const m = r.int(12);
    if (typeof t === "string" && t !== "null" && m < 6) {
      s.set(r.pick(PROMO[t] ?? ["string"]));
      return { namespace: false };
    }
    if (typeof t === "string" && m >= 6) {
      s.set(r.int(2) ? ["null", t] : [t, "null"]);
      return { namespace: false };
    }
    if (Array.isArray(t) && t.length > 1 && m < 6) {
      t.splice(r.int(t.length), 1);
      return { namespace: false };
    }
    if (Array.isArray(t)) {
      const extra = r.pick(PRIMS).toString();
      if (!t.includes(extra)) t.push(extra);
      return { namespace: false };
    }
    if (t?.type === "record") {
      if (m < 3) t.fields.push({ name: `n${r.int(100)}`, type: "int", ...(r.int(2) ? { default: 0 } : {}) });
      else if (m < 5 && t.fields.length > 1) t.fields.splice(r.int(t.fields.length), 1);
      else if (m < 7) {
        const f = r.pick(t.fields as J[]);
        const old = f.name;
        f.name = `${old}_renamed`;
        if (r.int(2)) f.aliases = [old];
      } else if (m < 9) {
        t.namespace = r.int(2) ? "ns.one" : "ns.two";
        return { namespace: true };
      } else {
        const old = t.name;
        t.name = `${old}X`;
        if (r.int(2)) t.aliases = [old];
      }
      return { namespace: false };
    }
    if (t?.type === "enum") {
      if (m < 4) t.symbols = [...t.symbols, "Z"];
      else if (m < 8 && t.symbols.length > 1) t.symbols = t.symbols.slice(1);
      else t.default = t.symbols[0];
      return { namespace: false };
    }
    if (t?.type === "fixed") {
      t.size += r.int(2) ? 1 : 0;
      return { namespace: false };
    }
    if (t?.type === "array" || t?.type === "map") {
      s.set(t.type === "array" ? { type: "map", values: t.items } : { type: "array", items: t.values });
      return { namespace: false };
    }
  }
  return { namespace: false };
}

function avscCompatible(reader: J, writer: J): boolean {
  try {
    avro.Type.forSchema(reader, { wrapUnions: true }).createResolver(avro.Type.forSchema(writer, { wrapUnions: true }));
    return true;
  } catch {
    return false;
  }
}

function ours(reader: J, writer: J): boolean {
  const p = (j: J, file: string) => parseAvro([{ file, text: JSON.stringify(j) }]).schemas[0]!.root;
  return !breaks(checkAvro(p(reader, "reader.avsc"), p(writer, "writer.avsc"), ""));
}

describe("avro resolution against avsc's resolver", () => {
  test("random schema pairs agree in both directions, except where avsc matches full names", () => {
    const N = 1500;
    let compared = 0;
    let agreed = 0;
    let namespaceOnly = 0;
    let incompatible = 0;
    const disagreements: string[] = [];
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const a = record(r, 3, { n: 0 });
      const b = structuredClone(a);
      let namespace = false;
      for (let i = 0; i < 1 + r.int(3); i++) namespace = mutate(r, b).namespace || namespace;
      let valid = true;
      try {
        avro.Type.forSchema(b, { wrapUnions: true });
      } catch {
        valid = false; // a mutation produced an invalid schema (e.g. a duplicate union branch)
      }
      if (!valid) continue;
      for (const [reader, writer] of [[b, a], [a, b]]) {
        compared++;
        const mine = ours(reader, writer);
        const theirs = avscCompatible(reader, writer);
        if (!mine) incompatible++;
        if (mine === theirs) agreed++;
        else if (namespace && mine && !theirs) namespaceOnly++;
        else disagreements.push(`seed ${seed}: ours ${mine}, avsc ${theirs}\n reader ${JSON.stringify(reader)}\n writer ${JSON.stringify(writer)}`);
      }
    }
    console.log(`avro property: ${compared} reader/writer checks, ${agreed} agree with avsc, ${namespaceOnly} differ only by avsc's full-name matching, ${incompatible} incompatible`);
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
    expect(incompatible).toBeGreaterThan(100);
  }, 600_000);
});
