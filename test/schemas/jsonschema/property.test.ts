import { describe, expect, test } from "bun:test";
import Ajv from "ajv";
import { JsonDocument } from "../../../src/schemas/json/parse.ts";
import { compatibleWith, diffSchemas } from "../../../src/schemas/jsonschema/diff.ts";
import { SchemaSet } from "../../../src/schemas/jsonschema/load.ts";

/** Deterministic PRNG, so a failure names a seed that reproduces it. */
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

const NAMES = ["a", "b", "c", "d", "e"];

function genSchema(r: R, depth: number): J {
  const k = depth <= 0 ? r.int(4) : r.int(6);
  if (k === 0) return { type: "string", ...(r.int(2) ? { maxLength: 3 + r.int(5) } : {}), ...(r.int(3) === 0 ? { minLength: 1 + r.int(2) } : {}) };
  if (k === 1) return { type: r.pick(["integer", "number"]), ...(r.int(2) ? { maximum: 10 + r.int(10) } : {}), ...(r.int(2) ? { minimum: r.int(5) } : {}) };
  if (k === 2) return { type: "string", enum: ["x", "y", "z"].slice(0, 1 + r.int(3)) };
  if (k === 3) return { type: "boolean" };
  if (k === 4) return { type: "array", items: genSchema(r, depth - 1), ...(r.int(2) ? { maxItems: 2 + r.int(3) } : {}) };
  const properties: J = {};
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) properties[NAMES[i]!] = genSchema(r, depth - 1);
  const required = Object.keys(properties).filter(() => r.int(2) === 0);
  return { type: "object", properties, ...(required.length ? { required } : {}), ...(r.int(2) ? { additionalProperties: false } : {}) };
}

/** Every schema object in a tree, for picking one to mutate. */
function nodes(s: J, out: J[] = []): J[] {
  out.push(s);
  if (s.properties) for (const v of Object.values(s.properties)) nodes(v, out);
  if (s.items) nodes(s.items, out);
  return out;
}

/** One change of the kinds schemas evolve by, some compatible and some not. */
function mutate(r: R, root: J): void {
  const s = r.pick(nodes(root));
  const m = r.int(4);
  switch (s.type) {
    case "string":
      if (s.enum) {
        if (m === 0 && s.enum.length > 1) s.enum = s.enum.slice(1);
        else if (m === 1) s.enum = [...s.enum, "w"];
        else if (m === 2) s.type = "integer", delete s.enum;
        else s.enum = ["q"];
      } else if (m === 0) s.maxLength = Math.max(0, (s.maxLength ?? 8) - 2);
      else if (m === 1) s.maxLength = (s.maxLength ?? 3) + 2;
      else if (m === 2) s.minLength = (s.minLength ?? 0) + 1;
      else s.type = "number";
      return;
    case "integer":
    case "number":
      if (m === 0) s.type = s.type === "integer" ? "number" : "integer";
      else if (m === 1) s.maximum = (s.maximum ?? 30) - 5;
      else if (m === 2) s.minimum = (s.minimum ?? 0) + 3;
      else delete s.maximum;
      return;
    case "boolean":
      s.type = m < 2 ? "string" : "boolean";
      return;
    case "array":
      if (m === 0) s.maxItems = Math.max(0, (s.maxItems ?? 5) - 1);
      else if (m === 1) s.minItems = 1;
      else if (m === 2) delete s.maxItems;
      else s.items = { type: "boolean" };
      return;
    case "object": {
      const keys = Object.keys(s.properties);
      if (m === 0) s.required = [...new Set([...(s.required ?? []), r.pick(keys)])];
      else if (m === 1) s.properties[NAMES[keys.length]!] = { type: "string" };
      else if (m === 2 && keys.length > 1) {
        const k = r.pick(keys);
        delete s.properties[k];
        if (s.required) s.required = s.required.filter((x: string) => x !== k);
        if (!s.required?.length) delete s.required;
      } else if (s.additionalProperties === false) delete s.additionalProperties;
      else s.additionalProperties = false;
      return;
    }
  }
}

const anyValues: J[] = [0, 1.5, 7, "x", "yy", "w", "q", true, null, [], [1], { a: 1 }];

/** A random document for a schema, biased towards its boundaries and towards extra properties. */
function instance(r: R, s: J, depth = 0): J {
  if (depth > 8) return null;
  if (s.enum) return r.pick(s.enum);
  switch (s.type) {
    case "string": {
      const min = s.minLength ?? 0;
      const max = s.maxLength ?? min + 20;
      const len = r.pick([min, max, min + r.int(max - min + 1)]);
      return "s".repeat(len);
    }
    case "integer":
    case "number": {
      const lo = s.minimum ?? -5;
      const hi = s.maximum ?? 40;
      const v = r.pick([lo, hi, lo + r.int(hi - lo + 1)]);
      return s.type === "number" && r.int(3) === 0 && v + 0.5 <= hi ? v + 0.5 : v;
    }
    case "boolean":
      return r.int(2) === 0;
    case "array": {
      const n = r.pick([0, 1, s.maxItems ?? 3, r.int((s.maxItems ?? 4) + 1)]);
      return Array.from({ length: n }, () => instance(r, s.items, depth + 1));
    }
    case "object": {
      const o: J = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if ((s.required ?? []).includes(k) || r.int(2)) o[k] = instance(r, v, depth + 1);
      if (s.additionalProperties !== false && r.int(2)) o[r.pick(NAMES)] ??= r.pick(anyValues);
      return o;
    }
  }
  return null;
}

function judge(oldS: J, newS: J): boolean {
  const set = (j: J, f: string) => new SchemaSet(new JsonDocument(f, JSON.stringify(j)), () => undefined).root;
  return compatibleWith(diffSchemas(set(oldS, "old.json"), set(newS, "new.json")), false);
}

describe("jsonschema verdicts against ajv witnesses", () => {
  test("every incompatible verdict has a witness document; no compatible verdict has one", () => {
    const ajv = new Ajv({ strict: false, allErrors: false });
    let pairs = 0;
    let incompatible = 0;
    let witnessed = 0;
    const unwitnessed: string[] = [];
    const unsound: string[] = [];
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const a = genSchema(r, 3);
      const b = structuredClone(a);
      for (let i = 0; i < 1 + r.int(2); i++) mutate(r, b);
      for (const [oldS, newS] of [[a, b], [b, a]]) {
        pairs++;
        const ok = judge(oldS, newS);
        const validOld = ajv.compile(oldS);
        const validNew = ajv.compile(newS);
        let witness: J;
        for (let i = 0; i < 400 && witness === undefined; i++) {
          const doc = instance(r, oldS);
          if (validOld(doc) && !validNew(doc)) witness = doc;
        }
        if (!ok) {
          incompatible++;
          if (witness !== undefined) witnessed++;
          else unwitnessed.push(`seed ${seed}: ${JSON.stringify(oldS)} → ${JSON.stringify(newS)}`);
        } else if (witness !== undefined) unsound.push(`seed ${seed}: compatible, yet ${JSON.stringify(witness)} is valid under ${JSON.stringify(oldS)} and not under ${JSON.stringify(newS)}`);
      }
    }
    console.log(`jsonschema property: ${pairs} pairs, ${incompatible} incompatible, ${witnessed} with an ajv witness; ${unsound.length} compatible verdicts contradicted`);
    expect(unsound).toEqual([]);
    expect(unwitnessed).toEqual([]);
    expect(incompatible).toBeGreaterThan(100);
  }, 600_000);
});
