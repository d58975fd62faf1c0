import { posix } from "node:path";
import { escapeSegment, isObj, lookup, splitPointer, type N } from "../load.ts";
import { child } from "../model.ts";
import type { DiffContext } from "../context.ts";
import { daysUntil, lifecycleOf, stabilityRank } from "./lifecycle.ts";
import { CATALOGUE } from "../catalogue.ts";
import { accepts, type Side } from "../subset.ts";

/** Which side of the exchange a schema describes: requests must accept more, responses produce less. */
export type Direction = "request" | "response";

/**
 * Where a schema sits, which picks oasdiff's id prefix: the schema of a body or parameter itself
 * ("request-body-…", "request-parameter-…") or one of its nested properties ("request-property-…").
 */
export type Flavour = "body" | "property" | "parameter" | "parameter-property" | "header-property" | "response-header";

/** A change found inside a schema, relative to the schema's root so it can be cached and replayed per operation. */
export interface SchemaChange {
  id: string;
  /** JSON pointer suffix below the schema root. */
  suffix: string;
  /** Property path for messages, as a person writes it ("lines[].quantity"), empty at the root. */
  prop: string;
  /**
   * Finding path when the change lies in a schema shared by several uses (a component, another
   * file, a YAML alias): the change is reported once there, whatever reaches it.
   */
  at?: string;
  detail: string;
  old?: N;
  new?: N;
  deprecated?: { sunset?: string };
}

/** Context of one schema comparison. */
export interface SchemaScope {
  dir: Direction;
  flavour: Flavour;
  /** Loosely typed media (XML, forms, text): object and string are interchangeable. */
  loose?: boolean;
  /** A header parameter: its nested properties use oasdiff's request-header-property ids. */
  header?: boolean;
  /** A query parameter in exploded form style: one value and a repeated value look alike on the wire. */
  exploded?: boolean;
  /** A parameter serialised as plain text (`schema`, not `content`): every scalar it took is also a string. */
  textual?: boolean;
  /** An `allOf` branch: its properties are compared with the parent's (flattened), not again on their own. */
  allOfBranch?: boolean;
}

/** Scope of a schema nested below the current one. */
const below = (scope: SchemaScope, flavour: Flavour): SchemaScope => ({ ...scope, flavour, allOfBranch: false });

const prefixOf = (dir: Direction, fl: Flavour): string =>
  fl === "body"
    ? `${dir}-body`
    : fl === "property"
      ? `${dir}-property`
      : fl === "parameter"
        ? "request-parameter"
        : fl === "parameter-property"
          ? "request-parameter-property"
          : fl === "header-property"
            ? "request-header-property"
            : "response-header";

const nested = (fl: Flavour): Flavour =>
  fl === "parameter" || fl === "parameter-property"
    ? "parameter-property"
    : fl === "header-property"
      ? "header-property"
      : fl === "response-header"
        ? "response-header"
        : "property";

const NUMERIC: Array<[string, string]> = [
  ["maximum", "max"],
  ["minimum", "min"],
  ["maxLength", "max-length"],
  ["minLength", "min-length"],
  ["maxItems", "max-items"],
  ["minItems", "min-items"],
  ["exclusiveMaximum", "exclusive-max"],
  ["exclusiveMinimum", "exclusive-min"],
  ["maxContains", "max-contains"],
  ["minContains", "min-contains"],
];

const EXISTENCE: Array<[string, string]> = [
  ["contains", "contains"],
  ["if", "if"],
  ["then", "then"],
  ["else", "else"],
  ["propertyNames", "property-names"],
  ["unevaluatedItems", "unevaluated-items"],
  ["unevaluatedProperties", "unevaluated-properties"],
  ["contentSchema", "content-schema"],
];

const SCALARS = new Set(["integer", "number", "boolean"]);

const ANNOTATIONS = new Set(["description", "title", "example", "examples", "deprecated", "externalDocs", "$comment", "readOnly", "writeOnly", "default"]);

/** JSON-ish deep equality for keyword values (enums, defaults, consts). */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Non-null types of a schema (3.0 `type`, 3.1 type arrays). */
export function typesOf(s: Record<string, unknown>): string[] {
  const t = s.type;
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string" && x !== "null");
  return typeof t === "string" && t !== "null" ? [t] : [];
}

/**
 * Types offered by a schema, including a `oneOf`/`anyOf` whose branches only name a type, which
 * oasdiff reads as a list of types rather than a composition.
 */
function typeList(s: Record<string, unknown>): { types: string[]; composed?: "oneOf" | "anyOf"; pure?: boolean } {
  const direct = typesOf(s);
  if (direct.length) return { types: direct };
  for (const k of ["oneOf", "anyOf"] as const) {
    const xs = s[k];
    if (!Array.isArray(xs) || !xs.length) continue;
    if (xs.every((x) => isObj(x) && typeof x.type === "string" && x.type !== "null")) {
      const pure = xs.every((x) => Object.keys(x as object).every((key) => key === "type" || ANNOTATIONS.has(key)));
      return { types: xs.map((x) => (x as { type: string }).type), composed: k, pure };
    }
  }
  return { types: [] };
}

/** An items schema that accepts any string. */
function plainStrings(v: unknown): boolean {
  return isObj(v) && v.type === "string" && Object.keys(v).every((k) => k === "type" || ANNOTATIONS.has(k));
}

function isNullSchema(v: unknown): boolean {
  return isObj(v) && (v.type === "null" || (Array.isArray(v.type) && v.type.length === 1 && v.type[0] === "null"));
}

/** Nullable in any of the three spellings: `nullable` (3.0), `x-nullable` (2.0), a "null" type (3.1). */
export function isNullable(s: Record<string, unknown>): boolean {
  if (s.nullable === true || s["x-nullable"] === true) return true;
  if (Array.isArray(s.type) && s.type.includes("null")) return true;
  for (const k of ["oneOf", "anyOf"] as const) {
    const xs = s[k];
    if (Array.isArray(xs) && xs.some(isNullSchema)) return true;
  }
  return false;
}

/**
 * The schema a wrapper stands for: `oneOf`/`anyOf: [X, {type: null}]` is X made nullable, and a
 * `oneOf`/`anyOf`/`allOf` of one branch is that branch; comparing X itself avoids reporting the
 * wrapper as a removed schema and a new composition. `at` is the branch's pointer suffix.
 */
function unwrap(cx: DiffContext, side: "before" | "after", n: N, other: unknown): { n: N; at: string } {
  const s = n.v;
  if (!isObj(s)) return { n, at: "" };
  for (const k of ["oneOf", "anyOf", "allOf"] as const) {
    const xs = s[k];
    if (!Array.isArray(xs) || !xs.length || xs.length > 2) continue;
    // One branch left of several is a removal, for the composition to report.
    if (xs.length === 1 && isObj(other) && Array.isArray(other[k]) && other[k].length > 1) continue;
    const i = xs.length === 1 ? 0 : k === "allOf" ? -1 : xs.findIndex(isNullSchema) === -1 ? -1 : 1 - xs.findIndex(isNullSchema);
    if (i === -1 || !isObj(xs[i])) continue;
    if (Object.keys(s).some((key) => key !== k && !ANNOTATIONS.has(key) && !NULLABLE.has(key) && !key.startsWith("x-"))) continue;
    return { n: cx.spec(side).deref(child(child(n, k), i)), at: `/${k}/${i}` };
  }
  return { n, at: "" };
}

const NULLABLE = new Set(["nullable", "x-nullable"]);

interface Props {
  props: Map<string, N>;
  /** Pointer suffix of each property below the schema root, through `allOf` branches (`/allOf/1/properties/x`). */
  suffix: Map<string, string>;
  required: Set<string>;
  /** The schema each property is written in: the root, or an `allOf` member. */
  holder: Map<string, N>;
  /** Every schema read: the root and its `allOf` members. */
  holders: N[];
}

/** Properties of an object schema, including those brought in by `allOf` (flattened, recursion-safe). */
function propsOf(cx: DiffContext, side: "before" | "after", n: N, depth = 0): Props {
  const out: Props = { props: new Map(), suffix: new Map(), required: new Set(), holder: new Map(), holders: [n] };
  const s = n.v;
  if (!isObj(s) || depth > 16) return out;
  if (Array.isArray(s.required)) for (const r of s.required) if (typeof r === "string") out.required.add(r);
  const ps = child(n, "properties");
  if (isObj(ps.v)) {
    for (const k of Object.keys(ps.v)) {
      out.props.set(k, child(ps, k));
      out.suffix.set(k, `/properties/${escapeSegment(k)}`);
      out.holder.set(k, n);
    }
  }
  if (Array.isArray(s.allOf)) {
    const all = child(n, "allOf");
    for (let i = 0; i < s.allOf.length; i++) {
      const sub = propsOf(cx, side, cx.spec(side).deref(child(all, i)), depth + 1);
      for (const [k, v] of sub.props) {
        if (out.props.has(k)) continue;
        out.props.set(k, v);
        out.suffix.set(k, `/allOf/${i}${sub.suffix.get(k)}`);
        out.holder.set(k, sub.holder.get(k)!);
      }
      for (const r of sub.required) out.required.add(r);
      out.holders.push(...sub.holders);
    }
  }
  return out;
}

/**
 * Compares two schemas and returns the changes, relative to their roots. Pairs of referenced
 * schemas are compared once per scope and cached; a pair met again while being compared is a
 * recursive schema and contributes nothing further.
 */
export function diffSchema(cx: DiffContext, scope: SchemaScope, oRaw: N, nRaw: N): SchemaChange[] {
  const o0 = cx.before.spec.canonical(cx.before.spec.deref(oRaw));
  const n0 = cx.after.spec.canonical(cx.after.spec.deref(nRaw));
  const key = `${scope.dir}|${scope.flavour}|${scope.loose ? 1 : 0}${scope.header ? 1 : 0}${scope.exploded ? 1 : 0}${scope.textual ? 1 : 0}${scope.allOfBranch ? 1 : 0}|${o0.f}#${o0.p}|${n0.f}#${n0.p}`;
  const hit = cx.schemaCache.get(key);
  if (hit) return hit;
  // Recursion is detected on the schema pair alone: a schema reached again below itself, whatever
  // its position, adds nothing new.
  const pairKey = `${scope.dir}|${o0.f}#${o0.p}|${n0.f}#${n0.p}`;
  if (cx.inProgress.has(pairKey)) return [];
  cx.inProgress.add(pairKey);
  cx.tick(n0);
  let out: SchemaChange[] = [];
  try {
    compare(cx, scope, o0, n0, out);
  } finally {
    cx.inProgress.delete(pairKey);
  }
  // Every change is copied once per level it is nested under: that copying is the work to bound.
  cx.carry(out.length, n0);
  const anchor = sharedAnchor(cx, oRaw, o0, nRaw, n0);
  if (anchor !== undefined) out = out.map((c) => (c.at === undefined ? { ...c, at: anchor + c.suffix } : c));
  out = once(out);
  cx.schemaCache.set(key, out);
  return out;
}

/**
 * The finding path of a schema used from more than one place: a component (`/components/...`,
 * Swagger's `/definitions/...`), a schema in another file, or a value shared by YAML aliases.
 */
export function anchorOf(cx: DiffContext, raw: N, side: "before" | "after" = "after"): string | undefined {
  const spec = cx.spec(side);
  const n = spec.canonical(raw);
  // Named relative to the root document, so the path is the same whichever directory the versions are read from.
  if (n.f !== spec.rootPath) return `${posix.relative(posix.dirname(spec.rootPath), n.f)}#${n.p}`;
  if (/^\/(components\/[^/]+|definitions)\/[^/]+/.test(n.p)) return n.p;
  if (typeof n.v === "object" && n.v !== null && spec.files.get(n.f)?.shared.has(n.v)) return n.p;
  return undefined;
}

/**
 * Where changes between two schemas are reported: at the shared schema when both sides are that
 * schema (the same component, or one renamed); a property that now points to another existing
 * component changed where it is written, not in the component, which other users still share.
 */
function sharedAnchor(cx: DiffContext, oRaw: N, o: N, nRaw: N, n: N): string | undefined {
  const after = anchorOf(cx, n);
  const before = anchorOf(cx, o, "before");
  const written = anchorOf(cx, oRaw, "before");
  if (after !== undefined && (after === before || after === written)) return after;
  if (after !== undefined && before !== undefined && whole(before) && whole(after)) {
    // Renamed: the old schema is gone from the new version, or the new one is not in the old.
    if (!exists(cx, "after", before) || !exists(cx, "before", after)) return after;
  }
  // Written in the same shared place, now pointing elsewhere: reported where it is written (a
  // branch of a composition is named by the composition instead, which may pair it elsewhere).
  const place = anchorOf(cx, nRaw);
  return place !== undefined && place === written && !/\/(oneOf|anyOf|allOf)\/\d+$/.test(place) ? place : undefined;
}

/** An anchor naming a whole schema: a component, a definition, a schema file or a named schema in one. */
const whole = (anchor: string): boolean => /^\/(components\/[^/]+|definitions)\/[^/]+$/.test(anchor) || /^[^#]+#(\/[^/]+)?$/.test(anchor);

/** Whether an anchor (a pointer, or `file#pointer` relative to the root document) exists in one version. */
function exists(cx: DiffContext, side: "before" | "after", anchor: string): boolean {
  const spec = cx.spec(side);
  const hash = anchor.indexOf("#");
  if (hash <= 0) return lookup(spec.root.value, splitPointer(anchor)) !== undefined;
  const f = spec.files.get(posix.join(posix.dirname(spec.rootPath), anchor.slice(0, hash)));
  return f !== undefined && lookup(f.value, splitPointer(anchor.slice(hash + 1))) !== undefined;
}

/** A change found in a shared schema is kept once, however many paths lead to it. */
function once(changes: SchemaChange[]): SchemaChange[] {
  if (!changes.some((c) => c.at !== undefined)) return changes;
  const seen = new Set<string>();
  return changes.filter((c) => {
    if (c.at === undefined) return true;
    const k = `${c.id}\u0000${c.at}\u0000${c.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Joins property paths the way people write them: `lines` + `[]` + `quantity` is `lines[].quantity`. */
export function joinProp(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  return b.startsWith("[") || b.startsWith("{") ? `${a}${b}` : `${a}.${b}`;
}

function nest(out: SchemaChange[], changes: SchemaChange[], suffix: string, prop: string): void {
  for (const c of changes) out.push({ ...c, suffix: suffix + c.suffix, prop: joinProp(prop, c.prop) });
}

function compare(cx: DiffContext, scope: SchemaScope, oN: N, nN: N, out: SchemaChange[]): void {
  const { dir, flavour } = scope;
  const P = prefixOf(dir, flavour);
  const o = oN.v;
  const n = nN.v;
  if (!isObj(o) || !isObj(n)) return;
  // The first candidate id the catalogue knows wins; a body-level change oasdiff only names for
  // properties falls back to the property id.
  const emit = (suffix: string | string[], detail: string, extra: Partial<SchemaChange> = {}) => {
    let id: string | undefined;
    for (const s of typeof suffix === "string" ? [suffix] : suffix) {
      if (CATALOGUE.has(`${P}-${s}`)) id = `${P}-${s}`;
      else if (P.endsWith("-body") && CATALOGUE.has(`${dir}-property-${s}`)) id = `${dir}-property-${s}`;
      if (id) break;
    }
    out.push({ id: id ?? `${P}-${typeof suffix === "string" ? suffix : suffix[0]}`, suffix: "", prop: "", detail, old: oN, new: nN, ...extra });
  };
  const at = (k: string): Partial<SchemaChange> => ({ old: child(oN, k), new: child(nN, k) });

  const ol = typeList(o);
  const nl = typeList(n);
  const skip = new Set<string>();
  const ou = unwrap(cx, "before", oN, n);
  const nu = unwrap(cx, "after", nN, o);
  if (ou.n !== oN || nu.n !== nN) {
    const on = isNullable(o) || (ou.n !== oN && isObj(ou.n.v) && isNullable(ou.n.v));
    const nn = isNullable(n) || (nu.n !== nN && isObj(nu.n.v) && isNullable(nu.n.v));
    // Compared as schemas of their own, so a branch that is a component is reported there.
    const inner = diffSchema(cx, scope, ou.n, nu.n).map((c) => (nu.at && c.at === undefined ? { ...c, suffix: nu.at + c.suffix } : c));
    const root = (c: SchemaChange) => c.suffix === nu.at && c.prop === "" && /became-(not-)?nullable$/.test(c.id);
    const real = inner.filter((c) => !root(c));
    // Only a pure nullable wrapping is reported as such; real changes inside speak for themselves.
    if (on !== nn && !real.some((c) => c.prop === "")) emit(nn ? "became-nullable" : "became-not-nullable", nn ? "became nullable" : "became not nullable");
    out.push(...real);
    return;
  }

  // A typed schema replaced by a oneOf of alternatives: requests now need to match one branch
  // exactly and responses may return shapes old clients never saw; reported once.
  if (!Array.isArray(o.oneOf) && Array.isArray(n.oneOf) && !nl.pure && !isNullable(n) && typesOf(o).length && !typesOf(n).length) {
    const old = { spec: cx.before.spec, n: oN };
    // Requests: alternatives of which exactly one still takes every old value only widen what is accepted.
    if (dir === "request" && accepts({ spec: cx.after.spec, n: nN }, old, cx.subsetBudget)) {
      const ot = typesOf(o);
      if (nl.types.some((t) => !ot.includes(t))) emit("list-of-types-widened", `types changed from '${ot.join(",")}' to '${nl.types.join(",")}'`, at("oneOf"));
      return;
    }
    emit("wrapped-in-one-of", "wrapped in oneOf", at("oneOf"));
    if (dir === "response") requiredDropped(cx, oN, nN, out);
    return;
  }

  // type
  const ot = ol.types;
  const nt = nl.types;
  if (ol.composed && ol.pure) skip.add(ol.composed);
  if (nl.composed && nl.pure) skip.add(nl.composed);
  if (scope.exploded && flavour === "parameter" && !ot.includes("array") && same(nt, ["array"]) && plainStrings(n.items)) {
    // `?token=x` still parses as an exploded array of unconstrained strings: every old value stays valid.
    emit(["type-generalized", "type-changed"], `type changed from '${ot.join(",")}' to an exploded array of strings`, at("type"));
    return;
  }
  if (ot.length && nt.length && !same([...ot].sort(), [...nt].sort())) {
    if (ot.length > 1 || nt.length > 1 || ol.composed || nl.composed) {
      const detail = `types changed from '${ot.join(",")}' to '${nt.join(",")}'`;
      const added = nt.some((t) => !ot.includes(t));
      const removed = ot.some((t) => !nt.includes(t));
      // A plain type array that both gained and lost types changed type; a list spelled as
      // oneOf/anyOf branches reports each direction.
      if (added && removed && !ol.composed && !nl.composed) emit("type-changed", detail, at("type"));
      else {
        if (added) emit("list-of-types-widened", detail, at("type"));
        if (removed) emit("list-of-types-narrowed", detail, at("type"));
      }
    } else {
      const a = ot[0]!;
      const b = nt[0]!;
      const detail = `type changed from '${a}' to '${b}'`;
      if (scope.loose && ((a === "object" && b === "string") || (a === "string" && b === "object"))) emit("type-compatible", detail, at("type"));
      else if (a === "integer" && b === "number") emit(["type-generalized", "type-changed"], detail, at("type"));
      else if (a === "number" && b === "integer") emit(["type-specialized", "type-changed"], detail, at("type"));
      // Query, path and header values travel as strings: a string that became a number narrows, the reverse widens.
      else if (flavour === "parameter-property" && a === "string") emit(["type-specialized", "type-changed"], detail, at("type"));
      // `?limit=10` is as valid for a string parameter as it was for an integer one.
      else if (flavour === "parameter" && scope.textual && b === "string" && SCALARS.has(a)) emit(["type-generalized", "type-changed"], detail, at("type"));
      else emit("type-changed", detail, at("type"));
    }
  } else if (ot.length === 1 && same(ot, nt) && o.format !== n.format && (o.format !== undefined || n.format !== undefined)) {
    const detail = `format changed from '${show(o.format ?? "")}' to '${show(n.format ?? "")}'`;
    if (dir === "request" && n.format === undefined) emit(["type-generalized", "type-changed"], detail, at("format"));
    // `format: int64` on an integer that had none narrows what the server promises to accept, but
    // every value clients really send still fits: a risk to review, not a broken call.
    else if (dir === "request" && o.format === undefined && (ot[0] === "integer" || ot[0] === "number")) emit("format-added", `format '${show(n.format)}' added`, at("format"));
    else if (dir === "response" && o.format === undefined) emit(["type-specialized", "type-changed"], detail, at("format"));
    else emit("type-changed", detail, at("format"));
  }

  // nullability
  const on = isNullable(o);
  const nn = isNullable(n);
  if (on !== nn) emit(nn ? "became-nullable" : "became-not-nullable", nn ? "became nullable" : "became not nullable");

  // enum
  const oe = Array.isArray(o.enum) ? (o.enum as unknown[]) : undefined;
  const ne = Array.isArray(n.enum) ? (n.enum as unknown[]) : nl.composed && oe ? [] : undefined;
  if (oe && ne) {
    for (const v of oe) {
      if (ne.some((w) => same(v, w))) continue;
      if (P === "response-body") emit("enum-value-removed", `enum value '${show(v)}' removed`, { ...at("enum"), id: "response-mediatype-enum-value-removed" });
      else emit("enum-value-removed", `enum value '${show(v)}' removed`, at("enum"));
    }
    for (const v of ne) {
      if (oe.some((w) => same(v, w))) continue;
      const id = dir === "response" ? (o.writeOnly === true ? "response-write-only-property-enum-value-added" : "response-property-enum-value-added") : undefined;
      emit("enum-value-added", `enum value '${show(v)}' added`, id ? { ...at("enum"), id } : at("enum"));
    }
  } else if (!oe && ne && dir === "request") emit("became-enum", "became an enum", at("enum"));
  const ox = o["x-extensible-enum"];
  const nx = n["x-extensible-enum"];
  if (Array.isArray(ox) && Array.isArray(nx)) {
    for (const v of ox) if (!nx.some((w) => same(v, w))) emit("x-extensible-enum-value-removed", `x-extensible-enum value '${show(v)}' removed`, at("x-extensible-enum"));
  }

  // numeric bounds
  for (const [kw, slug] of NUMERIC) {
    const a = typeof o[kw] === "number" ? (o[kw] as number) : undefined;
    const b = typeof n[kw] === "number" ? (n[kw] as number) : undefined;
    if (a === b) continue;
    const ex = at(kw);
    if (a !== undefined && b !== undefined) emit(`${slug}-${b > a ? "increased" : "decreased"}`, `${kw} changed from ${a} to ${b}`, ex);
    else if (a === undefined) emit(`${slug}-set`, `${kw} set to ${b}`, ex);
    else emit(`${slug}-unset`, `${kw} ${a} removed`, ex);
  }
  if (dir === "request" && P !== "request-parameter") {
    // Read-only properties are never sent: tightening them is informational (oasdiff's read-only ids).
    if (o.readOnly === true && n.readOnly === true) relabelReadOnly(out);
  }

  // pattern (an empty pattern constrains nothing)
  const op = o.pattern === "" ? undefined : o.pattern;
  const np = n.pattern === "" ? undefined : n.pattern;
  if (op !== np) {
    const ex = at("pattern");
    if (op === undefined) emit("pattern-added", `pattern '${show(np)}' added`, ex);
    else if (np === undefined) emit("pattern-removed", `pattern '${show(op)}' removed`, ex);
    else if (np === ".*" || np === "^.*$") emit("pattern-generalized", `pattern changed from '${show(op)}' to '${show(np)}'`, ex);
    else emit("pattern-changed", `pattern changed from '${show(op)}' to '${show(np)}'`, ex);
  }

  // default / const
  for (const [kw, slug] of [
    ["default", "default-value"],
    ["const", "const"],
  ] as const) {
    if (same(o[kw], n[kw])) continue;
    const ex = at(kw);
    if (o[kw] === undefined) emit(`${slug}-added`, `${kw} ${show(n[kw])} added`, ex);
    else if (n[kw] === undefined) emit(`${slug}-removed`, `${kw} ${show(o[kw])} removed`, ex);
    else emit(`${slug}-changed`, `${kw} changed from ${show(o[kw])} to ${show(n[kw])}`, ex);
  }

  // keywords whose presence matters
  for (const [kw, slug] of EXISTENCE) {
    const a = o[kw] !== undefined;
    const b = n[kw] !== undefined;
    if (a !== b) emit(`${slug}-${b ? "added" : "removed"}`, `${kw} ${b ? "added" : "removed"}`, at(kw));
  }
  for (const [kw, slug] of [
    ["contentEncoding", "content-encoding"],
    ["contentMediaType", "content-media-type"],
  ] as const) {
    if (o[kw] !== n[kw]) emit(`${slug}-changed`, `${kw} changed from '${show(o[kw] ?? "")}' to '${show(n[kw] ?? "")}'`, at(kw));
  }
  for (const [kw, slug] of [
    ["dependentRequired", "dependent-required"],
    ["dependentSchemas", "dependent-schema"],
    ["patternProperties", "pattern-property"],
  ] as const) {
    const a = isObj(o[kw]) ? (o[kw] as Record<string, unknown>) : {};
    const b = isObj(n[kw]) ? (n[kw] as Record<string, unknown>) : {};
    for (const k of Object.keys(a)) {
      if (!(k in b)) emit(`${slug}-removed`, `${kw} '${k}' removed`, at(kw));
      else if (kw === "dependentRequired" && !same(a[k], b[k])) emit(`${slug}-changed`, `${kw} '${k}' changed`, at(kw));
    }
    for (const k of Object.keys(b)) if (!(k in a)) emit(`${slug}-added`, `${kw} '${k}' added`, at(kw));
  }
  const opi = Array.isArray(o.prefixItems) ? o.prefixItems.length : 0;
  const npi = Array.isArray(n.prefixItems) ? n.prefixItems.length : 0;
  if (opi !== npi) emit(`prefix-items-${npi > opi ? "added" : "removed"}`, `prefixItems ${npi > opi ? "added" : "removed"}`, at("prefixItems"));

  discriminator(o, n, emit, at);
  composition(cx, scope, oN, nN, out, emit, skip);

  // nested schemas
  const inner = scope.header ? "header-property" : nested(flavour);
  if (isObj(o.items) && isObj(n.items)) {
    // Items of an array parameter are still the parameter's values (request-parameter-max-items-…).
    const fl = flavour === "parameter" && !scope.header ? "parameter" : inner;
    nest(out, diffSchema(cx, below(scope, fl), child(oN, "items"), child(nN, "items")), "/items", "[]");
  }
  for (const kw of ["not", "if", "then", "else", "contains", "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contentSchema"]) {
    if (isObj(o[kw]) && isObj(n[kw])) nest(out, diffSchema(cx, below(scope, inner), child(oN, kw), child(nN, kw)), `/${kw}`, "");
  }
  for (const kw of ["patternProperties", "dependentSchemas"]) {
    const a = o[kw];
    const b = n[kw];
    if (!isObj(a) || !isObj(b)) continue;
    for (const k of Object.keys(a)) {
      if (isObj(a[k]) && isObj(b[k])) nest(out, diffSchema(cx, below(scope, inner), child(child(oN, kw), k), child(child(nN, kw), k)), `/${kw}/${escapeSegment(k)}`, "");
    }
  }
  if (Array.isArray(o.prefixItems) && Array.isArray(n.prefixItems)) {
    const len = Math.min(o.prefixItems.length, n.prefixItems.length);
    for (let i = 0; i < len; i++) nest(out, diffSchema(cx, below(scope, inner), child(child(oN, "prefixItems"), i), child(child(nN, "prefixItems"), i)), `/prefixItems/${i}`, "");
  }
  if (isObj(o.additionalProperties) && isObj(n.additionalProperties)) {
    nest(
      out,
      diffSchema(cx, below(scope, inner), child(oN, "additionalProperties"), child(nN, "additionalProperties")),
      "/additionalProperties",
      "{}",
    );
  }
  if (flavour !== "response-header" && !scope.allOfBranch) properties(cx, scope, oN, nN, out);
}

/**
 * A response rewritten as alternatives promises a property it required only if every alternative
 * requires it: one missing from any alternative may now be absent, as if it became optional.
 */
function requiredDropped(cx: DiffContext, oN: N, nN: N, out: SchemaChange[]): void {
  const before = propsOf(cx, "before", oN);
  const promised = [...before.required].filter((r) => before.props.has(r));
  const base = child(nN, "oneOf");
  const list = (nN.v as { oneOf: unknown[] }).oneOf;
  for (let i = 0; i < list.length; i++) {
    const branch = propsOf(cx, "after", cx.after.spec.deref(child(base, i)));
    const lacking = promised.filter((r) => !branch.required.has(r));
    if (!lacking.length) continue;
    const names = lacking.length > 5 ? `${lacking.slice(0, 5).join(", ")} and ${lacking.length - 5} more` : lacking.join(", ");
    out.push({
      id: "response-property-became-optional",
      suffix: `/oneOf/${escapeSegment(refName(list[i]) ?? titleOf(list[i])?.slice(6) ?? String(i))}`,
      prop: "",
      detail: `does not require ${lacking.length > 1 ? "properties" : "property"} ${names}, required before the oneOf`,
      old: before.props.get(lacking[0]!),
      new: child(base, i),
    });
  }
}

function relabelReadOnly(out: SchemaChange[]): void {
  for (const c of out) {
    if (c.id.startsWith("request-property-") && /-((max|min|max-length|exclusive-max|exclusive-min)-(de|in)creased|enum-value-removed)$/.test(c.id)) {
      c.id = c.id.replace("request-property-", "request-read-only-property-");
    }
  }
}

type Emit = (suffix: string, detail: string, extra?: Partial<SchemaChange>) => void;

function discriminator(o: Record<string, unknown>, n: Record<string, unknown>, emit: Emit, at: (k: string) => Partial<SchemaChange>): void {
  const od = isObj(o.discriminator) ? o.discriminator : undefined;
  const nd = isObj(n.discriminator) ? n.discriminator : undefined;
  if (!od && !nd) return;
  if (!od || !nd) {
    emit(`discriminator-${nd ? "added" : "removed"}`, `discriminator ${nd ? "added" : "removed"}`, at("discriminator"));
    return;
  }
  if (od.propertyName !== nd.propertyName) {
    emit("discriminator-property-name-changed", `discriminator property name changed from '${show(od.propertyName)}' to '${show(nd.propertyName)}'`, at("discriminator"));
  }
  const om = isObj(od.mapping) ? od.mapping : {};
  const nm = isObj(nd.mapping) ? nd.mapping : {};
  const added = Object.keys(nm).filter((k) => !(k in om));
  const removed = Object.keys(om).filter((k) => !(k in nm));
  const changed = Object.keys(om).filter((k) => k in nm && om[k] !== nm[k]);
  if (added.length) emit("discriminator-mapping-added", `discriminator mapping keys added: ${added.join(", ")}`, at("discriminator"));
  if (removed.length) emit("discriminator-mapping-deleted", `discriminator mapping keys deleted: ${removed.join(", ")}`, at("discriminator"));
  if (changed.length) emit("discriminator-mapping-changed", `discriminator mapping changed for: ${changed.join(", ")}`, at("discriminator"));
}

/** Matches `allOf`/`oneOf`/`anyOf` branches by their `$ref` (or position) and compares matched ones. */
function composition(cx: DiffContext, scope: SchemaScope, oN: N, nN: N, out: SchemaChange[], emit: Emit, skip: Set<string>): void {
  const o = oN.v as Record<string, unknown>;
  const n = nN.v as Record<string, unknown>;
  for (const [kw, slug] of [
    ["allOf", "all-of"],
    ["oneOf", "one-of"],
    ["anyOf", "any-of"],
  ] as const) {
    const a = Array.isArray(o[kw]) ? (o[kw] as unknown[]) : [];
    const b = Array.isArray(n[kw]) ? (n[kw] as unknown[]) : [];
    if ((!a.length && !b.length) || skip.has(kw)) continue;
    const keyOf = (x: unknown, i: number): string => {
      if (isObj(x) && typeof x.$ref === "string") return `ref:${x.$ref.slice(x.$ref.lastIndexOf("/") + 1)}`;
      if (isNullSchema(x)) return "null";
      const title = isObj(x) && typeof x.title === "string" ? x.title : undefined;
      return title ? `title:${title}` : `#${i}`;
    };
    const ka = a.map(keyOf);
    const kb = b.map(keyOf);
    const oBase = child(oN, kw);
    const nBase = child(nN, kw);
    // Inline branches without titles are matched by content first, then by the values they accept,
    // then by position.
    const used = new Set<number>();
    const match = new Map<number, number>();
    const pair = (i: number, j: number) => {
      used.add(j);
      match.set(i, j);
    };
    for (let i = 0; i < a.length; i++) {
      let j = kb.indexOf(ka[i]!);
      if (ka[i]!.startsWith("#")) j = b.findIndex((x, jj) => !used.has(jj) && kb[jj]!.startsWith("#") && same(x, a[i]));
      if (j !== -1 && !used.has(j)) pair(i, j);
    }
    // A branch whose component was renamed (its old name is gone) still matches the new name by
    // content; a branch that now points to another existing component is a real change.
    for (let i = 0; i < a.length; i++) {
      const ref = isObj(a[i]) ? (a[i] as Record<string, unknown>).$ref : undefined;
      if (match.has(i) || typeof ref !== "string" || !ref.startsWith("#/") || resolves(cx, nN.f, ref)) continue;
      const body = JSON.stringify(cx.before.spec.deref(child(oBase, i)).v);
      const j = b.findIndex((_, jj) => !used.has(jj) && JSON.stringify(cx.after.spec.deref(child(nBase, jj)).v) === body);
      if (j !== -1) pair(i, j);
    }
    // A branch moved between inline and a component (or to a renamed one) accepts what it did: it is
    // paired by the title it resolves to, then by the constants that tag it (`type: {enum: [x]}`) or
    // the components it combines, each unique among the unpaired branches of both sides.
    if (match.size < a.length && used.size < b.length) {
      const resolvedA = a.map((_, i) => cx.before.spec.deref(child(oBase, i)).v);
      const resolvedB = b.map((_, j) => cx.after.spec.deref(child(nBase, j)).v);
      for (const sig of [titleOf, tagOf]) {
        const sa = resolvedA.map((x, i) => (match.has(i) ? undefined : sig(x)));
        const sb = resolvedB.map((x, j) => (used.has(j) ? undefined : sig(x)));
        const once = (xs: Array<string | undefined>, k: string) => xs.indexOf(k) === xs.lastIndexOf(k);
        for (let i = 0; i < a.length; i++) {
          const k = sa[i];
          if (k === undefined || match.has(i) || !once(sa, k) || !once(sb, k)) continue;
          const j = sb.indexOf(k);
          if (j !== -1 && !used.has(j)) pair(i, j);
        }
      }
    }
    // An inline branch that grew (requests) or shrank (responses) into another is that branch.
    const oldSide = (n: N): Side => ({ spec: cx.before.spec, n });
    const newSide = (n: N): Side => ({ spec: cx.after.spec, n });
    for (let i = 0; i < a.length; i++) {
      if (match.has(i) || !ka[i]!.startsWith("#") || kw === "allOf") continue;
      const j = b.findIndex((_, jj) => {
        if (used.has(jj) || !kb[jj]!.startsWith("#")) return false;
        const o = oldSide(child(oBase, i));
        const nw = newSide(child(nBase, jj));
        return scope.dir === "request" ? accepts(nw, o, cx.subsetBudget) : accepts(o, nw, cx.subsetBudget);
      });
      if (j !== -1) pair(i, j);
    }
    // Then inline branches by what sets them apart from their siblings (type, property names), and
    // last by position.
    const namesA = inlineNames(a, ka);
    const namesB = inlineNames(b, kb);
    for (let i = 0; i < a.length; i++) {
      if (match.has(i) || namesA[i] === undefined) continue;
      const j = namesB.findIndex((k, jj) => !used.has(jj) && k === namesA[i]);
      if (j !== -1) pair(i, j);
    }
    for (let i = 0; i < a.length; i++) {
      if (match.has(i) || !ka[i]!.startsWith("#")) continue;
      const j = kb.findIndex((k, jj) => !used.has(jj) && k === ka[i] && !a.some((x) => same(x, b[jj])));
      if (j !== -1) pair(i, j);
    }
    // Where a branch lives in finding paths: its component name or title, else its distinguishing
    // name, else its position; so inserting a branch before it leaves its findings (and accepts) as they were.
    const ident = (k: string, i: number, names: Array<string | undefined>) => `/${kw}/${escapeSegment(k.startsWith("#") ? (names[i] ?? String(i)) : k.slice(k.indexOf(":") + 1))}`;
    for (let i = 0; i < a.length; i++) {
      const j = match.get(i);
      if (j === undefined) {
        // Requests: alternatives merged into one that still accepts the old values remove nothing.
        if (kw !== "allOf" && scope.dir === "request" && accepts(newSide(nN), oldSide(child(oBase, i)), cx.subsetBudget)) continue;
        const ann = kw === "allOf" && annotationOnly(cx.before.spec.deref(child(oBase, i)).v);
        emit(`${slug}-removed${ann ? "-annotation-only" : ""}`, `${kw} subschema ${describe(a[i], i)} removed`, { old: child(oBase, i), new: nBase, suffix: ident(ka[i]!, i, namesA) });
      } else {
        // Branches are compared like nested schemas (oasdiff reports their changes with property ids).
        const fl = scope.flavour === "body" ? "property" : scope.flavour;
        nest(out, diffSchema(cx, { ...below(scope, fl), allOfBranch: kw === "allOf" }, child(oBase, i), child(nBase, j)), ident(kb[j]!, j, namesB), "");
      }
    }
    for (let j = 0; j < b.length; j++) {
      if (used.has(j)) continue;
      // Responses: a new alternative whose values the old schema already allowed is nothing new to clients.
      if (kw === "oneOf" && scope.dir === "response" && accepts(oldSide(oN), newSide(child(nBase, j)), cx.subsetBudget)) continue;
      const ann = kw === "allOf" && annotationOnly(cx.after.spec.deref(child(nBase, j)).v);
      emit(`${slug}-added${ann ? "-annotation-only" : ""}`, `${kw} subschema ${describe(b[j], j)} added`, { old: oBase, new: child(nBase, j), suffix: ident(kb[j]!, j, namesB) });
    }
  }
}

/**
 * Names of inline branches without a title (keys starting with `#`): their type when no other inline
 * branch has it, else their property names (`{bark}`) when unique, else the components they combine
 * with allOf; undefined when none tells them apart (they are then named by position).
 */
function inlineNames(list: unknown[], keys: string[]): Array<string | undefined> {
  const inline = list.map((x, i) => (keys[i]!.startsWith("#") && isObj(x) ? x : undefined));
  const typeName = (x: Record<string, unknown>) => (typeof x.type === "string" ? x.type : Array.isArray(x.type) ? x.type.join("|") : undefined);
  const propertyNames = (x: Record<string, unknown>) => (isObj(x.properties) ? `{${Object.keys(x.properties).sort().join(",")}}` : undefined);
  const unique = (sig: (x: Record<string, unknown>) => string | undefined) => {
    const count = new Map<string, number>();
    for (const x of inline) {
      const k = x && sig(x);
      if (k !== undefined) count.set(k, (count.get(k) ?? 0) + 1);
    }
    return (x: Record<string, unknown>) => {
      const k = sig(x);
      return k !== undefined && count.get(k) === 1 ? k : undefined;
    };
  };
  const byType = unique(typeName);
  const byProperties = unique(propertyNames);
  const byComponents = unique(combined);
  return inline.map((x) => x && (byType(x) ?? byProperties(x) ?? byComponents(x)));
}

const titleOf = (v: unknown): string | undefined => (isObj(v) && typeof v.title === "string" && v.title ? `title:${v.title}` : undefined);

const refName = (v: unknown): string | undefined => (isObj(v) && typeof v.$ref === "string" ? v.$ref.slice(v.$ref.lastIndexOf("/") + 1) : undefined);

/**
 * What tags a branch among its siblings: the properties it fixes to one value (`type: {enum:
 * [file_path_restriction]}`, `kind: {const: card}`), else the components it combines with allOf.
 */
function tagOf(v: unknown): string | undefined {
  if (!isObj(v)) return undefined;
  const tags: string[] = [];
  if (isObj(v.properties)) {
    for (const [k, p] of Object.entries(v.properties)) {
      if (!isObj(p)) continue;
      if (p.const !== undefined) tags.push(`${k}=${JSON.stringify(p.const)}`);
      else if (Array.isArray(p.enum) && p.enum.length === 1) tags.push(`${k}=${JSON.stringify(p.enum[0])}`);
    }
  }
  if (tags.length) return `tag:${tags.sort().join(",")}`;
  return combined(v);
}

/** `allOf` of components only, named by them: `repository-rule-creation+repository-rule-ruleset-info`. */
function combined(v: Record<string, unknown>): string | undefined {
  if (!Array.isArray(v.allOf) || !v.allOf.length) return undefined;
  const names = v.allOf.map(refName);
  return names.every((x) => x !== undefined) ? names.join("+") : undefined;
}

/** Whether a local pointer exists in a file of the new version. */
function resolves(cx: DiffContext, file: string, ref: string): boolean {
  const f = cx.after.spec.files.get(file);
  return f !== undefined && lookup(f.value, splitPointer(ref.slice(1))) !== undefined;
}

function describe(x: unknown, i: number): string {
  if (isObj(x) && typeof x.$ref === "string") return `'${x.$ref.slice(x.$ref.lastIndexOf("/") + 1)}'`;
  return `#${i + 1}`;
}

function annotationOnly(v: unknown): boolean {
  return isObj(v) && Object.keys(v).every((k) => ANNOTATIONS.has(k) || k.startsWith("x-"));
}

/** Compares properties (with `allOf` flattened): additions, removals, requiredness and access modes. */
function properties(cx: DiffContext, scope: SchemaScope, oN: N, nN: N, out: SchemaChange[]): void {
  const { dir } = scope;
  const a = propsOf(cx, "before", oN);
  const b = propsOf(cx, "after", nN);
  if (!a.props.size && !b.props.size && !a.required.size && !b.required.size) return;
  const header = scope.flavour === "header-property" || scope.header === true;
  const sub: Flavour = header ? "header-property" : nested(scope.flavour);
  // Paths follow the new version's layout, or the old one's for removals.
  const rel = (name: string): string => b.suffix.get(name) ?? a.suffix.get(name) ?? `/properties/${escapeSegment(name)}`;
  // A property written in a shared schema (reached here through allOf, say) is reported where it is
  // written, when that schema is shared by both versions; a property of a schema that a use now
  // points to instead (another component) changed at the use.
  const shared = sharedAnchor(cx, oN, oN, nN, nN) !== undefined;
  const anchors = (side: "before" | "after", ns: N[]) => new Set(ns.map((x) => anchorOf(cx, x, side)).filter((x) => x !== undefined));
  let heldBefore: Set<string> | undefined;
  let heldAfter: Set<string> | undefined;
  const placed = (name: string, o?: N, n?: N): string | undefined => {
    const at = n ? anchorOf(cx, n) : o ? anchorOf(cx, o, "before") : undefined;
    if (at === undefined || shared || (o && n && anchorOf(cx, o, "before") === at)) return at;
    const holder = n ? b.holder.get(name) : a.holder.get(name);
    const where = holder && anchorOf(cx, holder, n ? "after" : "before");
    const other = n ? (heldBefore ??= anchors("before", a.holders)) : (heldAfter ??= anchors("after", b.holders));
    return where !== undefined && other.has(where) ? at : undefined;
  };
  const push = (id: string, name: string, detail: string, o?: N, n?: N, extra: Partial<SchemaChange> = {}) => {
    const at = placed(name, o, n);
    out.push({ id, suffix: rel(name), prop: name, detail, old: o, new: n, ...extra, ...(at !== undefined ? { at } : {}) });
  };
  const obj = (side: "before" | "after", n: N): Record<string, unknown> => {
    const v = cx.spec(side).deref(n).v;
    return isObj(v) ? v : {};
  };
  for (const [name, on] of a.props) {
    const ov = obj("before", on);
    const nn = b.props.get(name);
    if (!nn) {
      const lc = lifecycleOf(ov);
      const dep = lc.deprecated ? { deprecated: { ...(lc.sunset ? { sunset: lc.sunset } : {}) } } : {};
      if (dir === "request") {
        if (ov.readOnly === true) continue;
        push(header ? "request-header-property-removed" : "request-property-removed", name, "removed", on, undefined, { ...dep, new: nN });
      } else {
        const req = a.required.has(name);
        const id = ov.writeOnly === true
          ? `response-${req ? "required" : "optional"}-write-only-property-removed`
          : `response-${req ? "required" : "optional"}-property-removed`;
        push(id, name, "removed", on, undefined, { ...dep, new: nN });
      }
      continue;
    }
    const nv = obj("after", nn);
    nest(out, diffSchema(cx, below(scope, sub), on, nn), rel(name), name);
    const wasReq = a.required.has(name);
    const isReq = b.required.has(name);
    if (dir === "request") {
      if (!wasReq && isReq && nv.readOnly !== true) {
        const id = header ? "request-header-property-became-required" : nv.default !== undefined ? "request-property-became-required-with-default" : "request-property-became-required";
        push(id, name, "became required", on, nn);
      } else if (wasReq && !isReq) push("request-property-became-optional", name, "became optional", on, nn);
    } else {
      if (wasReq && !isReq) push(nv.writeOnly === true ? "response-write-only-property-became-optional" : "response-property-became-optional", name, "became optional", on, nn);
      else if (!wasReq && isReq) push(nv.writeOnly === true ? "response-write-only-property-became-required" : "response-property-became-required", name, "became required", on, nn);
    }
    for (const [kw, slug] of [
      ["readOnly", "read-only"],
      ["writeOnly", "write-only"],
    ] as const) {
      const x = ov[kw] === true;
      const y = nv[kw] === true;
      if (x === y) continue;
      const req = isReq ? "required" : "optional";
      push(`${dir}-${req}-property-became-${y ? "" : "not-"}${slug}`, name, `became ${y ? "" : "not "}${kw}`, on, nn);
    }
    lifecycleChanges(cx, dir, name, ov, nv, on, nn, push);
  }
  const always = requiredInEveryBranch(cx, oN);
  for (const [name, nn] of b.props) {
    if (a.props.has(name)) continue;
    const nv = obj("after", nn);
    const req = b.required.has(name);
    // Alternatives merged into one object: a property every old alternative required is not new.
    if (req && always.has(name)) continue;
    if (dir === "request") {
      if (nv.readOnly === true) continue;
      if (header) push(req ? "new-required-request-header-property" : "new-optional-request-header-property", name, "added", undefined, nn);
      else if (req) push(nv.default !== undefined ? "new-required-request-property-with-default" : "new-required-request-property", name, "added as required", undefined, nn);
      else push("new-optional-request-property", name, "added", undefined, nn);
    } else {
      const id = nv.writeOnly === true
        ? `response-${req ? "required" : "optional"}-write-only-property-added`
        : `response-${req ? "required" : "optional"}-property-added`;
      push(id, name, "added", undefined, nn);
    }
  }
}

/** Properties that every `oneOf`/`anyOf` alternative of a schema declares and requires. */
function requiredInEveryBranch(cx: DiffContext, n: N): Set<string> {
  const s = n.v;
  if (!isObj(s)) return new Set();
  for (const k of ["oneOf", "anyOf"] as const) {
    const xs = s[k];
    if (!Array.isArray(xs) || !xs.length) continue;
    let out: Set<string> | undefined;
    for (let i = 0; i < xs.length; i++) {
      const p = propsOf(cx, "before", cx.before.spec.deref(child(child(n, k), i)));
      const mine = new Set([...p.required].filter((r) => p.props.has(r)));
      out = out ? new Set([...out].filter((r) => mine.has(r))) : mine;
    }
    return out ?? new Set();
  }
  return new Set();
}

type Push = (id: string, name: string, detail: string, o?: N, n?: N, extra?: Partial<SchemaChange>) => void;

function lifecycleChanges(cx: DiffContext, dir: Direction, name: string, ov: Record<string, unknown>, nv: Record<string, unknown>, on: N, nn: N, push: Push): void {
  const a = lifecycleOf(ov);
  const b = lifecycleOf(nv);
  if (!a.deprecated && b.deprecated) {
    if (b.sunsetRaw !== undefined && !b.sunset) push(`${dir}-property-deprecated-sunset-invalid`, name, `deprecated with an invalid sunset date '${show(b.sunsetRaw)}'`, on, nn);
    else if (!b.sunset && cx.deprecationDays > 0) push(`${dir}-property-deprecated-sunset-missing`, name, "deprecated without a sunset date", on, nn);
    else if (b.sunset && daysUntil(b.sunset, cx.now) < cx.deprecationDays) push(`${dir}-property-sunset-date-too-small`, name, `sunset date ${b.sunset} is less than ${cx.deprecationDays} days away`, on, nn);
    else if (b.sunset) push(`${dir}-property-deprecated-with-sunset`, name, `deprecated with sunset ${b.sunset}`, on, nn);
    else push(`${dir}-property-deprecated`, name, "deprecated", on, nn);
  } else if (a.deprecated && !b.deprecated) push(`${dir}-property-reactivated`, name, "reactivated", on, nn);
  if (a.stability !== b.stability) {
    const ra = stabilityRank(a.stability);
    const rb = stabilityRank(b.stability);
    if (ra === undefined || rb === undefined) push("api-invalid-stability-level", name, `invalid x-stability-level '${show(ra === undefined ? a.stability : b.stability)}'`, on, nn);
    else if (rb < ra) push(`${dir}-property-stability-decreased`, name, `stability decreased from '${a.stability ?? "stable"}' to '${b.stability ?? "stable"}'`, on, nn);
    else if (rb > ra) push(`${dir}-property-stability-increased`, name, `stability increased from '${a.stability ?? "stable"}' to '${b.stability ?? "stable"}'`, on, nn);
  }
}
