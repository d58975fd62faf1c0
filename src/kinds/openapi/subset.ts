import { isObj, type N, type Spec } from "./load.ts";
import { child } from "./model.ts";

/** One side of a comparison: a schema node and the spec its `$ref`s resolve in. */
export interface Side {
  spec: Spec;
  n: N;
}

/** Keywords that describe a schema without constraining its values. */
const ANNOTATIONS = new Set(["description", "title", "example", "examples", "deprecated", "externalDocs", "$comment", "readOnly", "writeOnly", "default", "discriminator", "xml", "$schema", "$id", "$anchor"]);

/** Constraint keywords this check understands on the accepting side; any other one makes it answer "not sure". */
const KNOWN = new Set(["type", "nullable", "x-nullable", "enum", "const", "properties", "required", "additionalProperties", "items", "oneOf", "anyOf", "allOf", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "maxLength", "minLength", "maxItems", "minItems", "pattern", "format", "uniqueItems", "multipleOf"]);

const UPPER: Array<[string, "max" | "min"]> = [
  ["maximum", "max"],
  ["exclusiveMaximum", "max"],
  ["maxLength", "max"],
  ["maxItems", "max"],
  ["minimum", "min"],
  ["exclusiveMinimum", "min"],
  ["minLength", "min"],
  ["minItems", "min"],
];

/** Non-null types a schema allows; empty when it does not say. */
function types(s: Record<string, unknown>): string[] {
  const t = s.type;
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string" && x !== "null");
  return typeof t === "string" && t !== "null" ? [t] : [];
}

function nullable(s: Record<string, unknown>): boolean {
  return s.nullable === true || s["x-nullable"] === true || (Array.isArray(s.type) && s.type.includes("null")) || s.type === "null";
}

const json = (v: unknown): string => JSON.stringify(v);

/** The JSON type of a literal value, as a schema type names it. */
function typeOfValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Whether type `t` is among `ts` (an integer is also a number). */
const allows = (ts: string[], t: string): boolean => ts.includes(t) || (t === "integer" && ts.includes("number"));

/**
 * Whether every value schema `a` describes is also accepted by schema `b`, reading objects as
 * clients built from `a` write them (with the properties `a` declares). The answer is
 * conservative: true only when the common keywords (type, nullable, enum, const, properties and
 * required, additionalProperties, items, bounds, pattern, format, oneOf/anyOf/allOf) prove it;
 * anything it cannot judge is "no". Used so that merging alternatives into one that accepts them
 * all is not reported as a removed alternative.
 */
export function accepts(b: Side, a: Side, budget: { left: number } = { left: 10_000 }): boolean {
  const assumed = new Set<string>();
  const go = (bn: N, an: N, depth: number): boolean => {
    if (--budget.left < 0 || depth > 32) return false;
    const B = b.spec.deref(bn);
    const A = a.spec.deref(an);
    // A recursive pair met again below itself holds if nothing else fails (as for recursive types).
    const key = `${A.f}#${A.p}|${B.f}#${B.p}`;
    if (assumed.has(key)) return true;
    const bv = B.v;
    const av = A.v;
    if (bv === true || (isObj(bv) && Object.keys(bv).every((k) => ANNOTATIONS.has(k) || k.startsWith("x-")))) return true;
    if (av === false) return true;
    if (!isObj(av) || !isObj(bv)) return false;
    if (json(av) === json(bv)) return true;
    assumed.add(key);
    try {
      return judge(B, A, bv, av, depth);
    } finally {
      assumed.delete(key);
    }
  };

  const judge = (B: N, A: N, bv: Record<string, unknown>, av: Record<string, unknown>, depth: number): boolean => {
    // A union on the accepted side: each alternative must be accepted.
    for (const kw of ["oneOf", "anyOf"] as const) {
      const xs = av[kw];
      if (Array.isArray(xs) && xs.length) {
        const rest = Object.fromEntries(Object.entries(av).filter(([k]) => k !== kw));
        const restTyped = types(rest).length > 0 || rest.enum !== undefined || rest.properties !== undefined;
        // Keywords next to the union narrow every branch; without them each branch stands alone.
        if (restTyped) return false;
        return xs.every((_, i) => go(B, child(child(A, kw), i), depth + 1));
      }
    }
    // allOf on the accepted side: one member accepted is enough (the values are in every member).
    if (Array.isArray(av.allOf) && av.allOf.length && av.allOf.some((_, i) => go(B, child(child(A, "allOf"), i), depth + 1))) return true;
    if (Object.keys(bv).some((k) => !KNOWN.has(k) && !ANNOTATIONS.has(k) && !k.startsWith("x-"))) return false;
    // allOf on the accepting side: every member must accept, and so must the keywords beside it.
    if (Array.isArray(bv.allOf)) {
      if (!bv.allOf.every((_, i) => go(child(child(B, "allOf"), i), A, depth + 1))) return false;
      const rest = Object.fromEntries(Object.entries(bv).filter(([k]) => k !== "allOf"));
      return go({ v: rest, f: B.f, p: `${B.p}/~rest` }, A, depth + 1);
    }
    for (const kw of ["anyOf", "oneOf"] as const) {
      const xs = bv[kw];
      if (!Array.isArray(xs)) continue;
      const rest = Object.fromEntries(Object.entries(bv).filter(([k]) => k !== kw));
      if (!go({ v: rest, f: B.f, p: `${B.p}/~rest` }, A, depth + 1)) return false;
      const branches = xs.map((_, i) => child(child(B, kw), i));
      const i = branches.findIndex((x) => go(x, A, depth + 1));
      if (i === -1) return false;
      // oneOf needs exactly one match: the other branches must not accept the same values.
      if (kw === "oneOf") return branches.every((x, j) => j === i || disjoint(b.spec.deref(x).v, av));
      return true;
    }
    if (nullable(av) && !nullable(bv)) return false;
    const bt = types(bv);
    const at = types(av);
    if (bv.const !== undefined && (av.const === undefined || json(av.const) !== json(bv.const))) {
      if (!(Array.isArray(av.enum) && av.enum.length && av.enum.every((v) => json(v) === json(bv.const)))) return false;
    }
    if (Array.isArray(bv.enum)) {
      const values = av.const !== undefined ? [av.const] : Array.isArray(av.enum) ? av.enum : undefined;
      if (!values || !values.every((v) => (bv.enum as unknown[]).some((w) => json(v) === json(w)))) return false;
    }
    if (bt.length) {
      const values = av.const !== undefined ? [av.const] : Array.isArray(av.enum) ? av.enum : undefined;
      if (values) {
        if (!values.every((v) => (v === null && nullable(bv)) || allows(bt, typeOfValue(v)))) return false;
      } else if (!at.length || !at.every((t) => allows(bt, t))) return false;
    }
    for (const [kw, dir] of UPPER) {
      if (typeof bv[kw] !== "number") continue;
      const x = av[kw];
      if (typeof x !== "number" || (dir === "max" ? x > (bv[kw] as number) : x < (bv[kw] as number))) return false;
    }
    for (const kw of ["pattern", "format", "multipleOf"]) {
      if (bv[kw] !== undefined && json(av[kw]) !== json(bv[kw])) return false;
    }
    if (bv.uniqueItems === true && av.uniqueItems !== true) return false;
    // Objects: what B requires, A requires; shared properties are accepted; A's other declared
    // properties are allowed by B. Properties A does not declare are ones its clients do not send
    // (the same reading that makes a new optional request property safe).
    const breq = Array.isArray(bv.required) ? (bv.required as unknown[]) : [];
    const areq = new Set(Array.isArray(av.required) ? (av.required as unknown[]) : []);
    if (!breq.every((r) => areq.has(r))) return false;
    const bp = isObj(bv.properties) ? bv.properties : {};
    const ap = isObj(av.properties) ? av.properties : {};
    for (const k of Object.keys(bp)) {
      if (Object.hasOwn(ap, k) && !go(child(child(B, "properties"), k), child(child(A, "properties"), k), depth + 1)) return false;
    }
    const extra = Object.keys(ap).filter((k) => !Object.hasOwn(bp, k));
    const aOpen = av.additionalProperties === true || isObj(av.additionalProperties);
    if (bv.additionalProperties === false) {
      if (aOpen || extra.length) return false;
    } else if (isObj(bv.additionalProperties)) {
      const addl = child(B, "additionalProperties");
      if (!extra.every((k) => go(addl, child(child(A, "properties"), k), depth + 1))) return false;
      if (av.additionalProperties === true || (isObj(av.additionalProperties) && !go(addl, child(A, "additionalProperties"), depth + 1))) return false;
    }
    if (bv.items !== undefined) {
      if (av.items === undefined) return false;
      if (!go(child(B, "items"), child(A, "items"), depth + 1)) return false;
    }
    return true;
  };

  return go(b.n, a.n, 0);
}

/** Whether two schemas certainly share no value, judged by their types alone. */
function disjoint(x: unknown, y: Record<string, unknown>): boolean {
  if (!isObj(x)) return false;
  const xt = types(x);
  const yt = types(y);
  if (!xt.length || !yt.length) return false;
  if (nullable(x) && nullable(y)) return false;
  return !xt.some((t) => yt.some((u) => allows([t], u) || allows([u], t)));
}
