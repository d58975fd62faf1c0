import { ContractError } from "../../core/errors.ts";
import type { Location } from "../../core/location.ts";
import { isObject, member } from "../json/parse.ts";
import { escapePointer } from "./load.ts";
import type { At, CombinedSchema, Lazy, Schema } from "./model.ts";
import { compareArray } from "./rules/array.ts";
import { canonicalFinding } from "./rules/canonical.ts";
import { compareCombined } from "./rules/combined.ts";
import type { DiffContext, Difference, JsonSchemaRule, Where } from "./rules/define.ts";
import { compareConst, compareEnum } from "./rules/enum.ts";
import { compareMeta } from "./rules/meta.ts";
import { compareNot } from "./rules/not.ts";
import { compareNumber } from "./rules/number.ts";
import { compareObject } from "./rules/object.ts";
import { compareString } from "./rules/string.ts";
import { SCHEMA_ADDED, SCHEMA_REMOVED, TYPE_CHANGED } from "./rules/type.ts";

/** Pairs compared in one run; beyond this the inputs are hostile, not schemas. */
const MAX_STEPS = 200_000;

/**
 * Work in one comparison, counted in what a pair really costs: every enum value and every property,
 * required name and subschema of both sides of every pair compared (a pair of 2,000-value enums costs
 * 4,000, not 1). Well under a second on a quiet machine; a combination of hundreds of such branches exceeds it,
 * while the largest real schemas stay far below (their pairs cost thousands).
 */
export const MAX_WORK = 5_000_000;

/** Cost of one side of a compared pair (cached per schema: combinations pair each subschema many times). */
const weights = new WeakMap<Schema, number>();

function weight(s: Schema): number {
  let w = weights.get(s);
  if (w !== undefined) return w;
  switch (s.k) {
    case "enum":
      // Each value is serialised to be compared: long values cost their length.
      w = s.values.length + Math.ceil(s.values.reduce<number>((n, v) => n + (typeof v === "string" ? v.length : typeof v === "object" && v !== null ? JSON.stringify(v).length : 8), 0) / 64);
      break;
    case "const":
      w = 1 + Math.ceil((JSON.stringify(s.value)?.length ?? 0) / 64);
      break;
    case "object":
      w = 1 + s.properties.size + s.patternProperties.size + s.required.length + s.propertyDependencies.size + s.schemaDependencies.size;
      break;
    case "combined":
      w = 1 + s.subschemas.length;
      break;
    default:
      w = 1;
  }
  weights.set(s, w);
  return w;
}

interface State {
  steps: number;
  /** Work done so far (see MAX_WORK). */
  work: number;
  /** Pairs being compared on the current path: a recursive schema meets itself and stops. */
  stack: Set<string>;
  ids: WeakMap<object, number>;
  nextId: number;
  lenient: boolean;
  /** Nested pairs on the current path: `$ref` chains can nest deeper than any document. */
  depth: number;
}

/** Deeper comparisons are refused (exit 2) rather than left to overflow the stack. */
const MAX_DEPTH = 1000;

/** Where a key path under a node is written: the key itself if present, else the deepest enclosing object. */
export function locate(at: At, key: string[] = []): Location {
  let container: unknown = at.raw;
  for (let i = 0; i < key.length; i++) {
    const k = key[i]!;
    const next = Array.isArray(container) ? container[Number(k)] : isObject(container) ? member(container, k) : undefined;
    const exists = Array.isArray(container) ? Number(k) < container.length : isObject(container) && Object.hasOwn(container, k);
    if (!exists) return at.doc.loc(container);
    if (i === key.length - 1) return at.doc.loc(container, Array.isArray(container) ? Number(k) : k, "key");
    container = next;
  }
  return at.doc.loc(container);
}

function pointerOf(at: At, key: string[] = []): string {
  return at.pointer + key.map((k) => `/${escapePointer(k)}`).join("");
}

class Context implements DiffContext {
  constructor(
    readonly original: Schema,
    readonly update: Schema,
    private readonly path: string[],
    readonly out: Difference[],
    private readonly state: State,
  ) {}

  add(rule: JsonSchemaRule, message: string, where: Where = {}): void {
    const key = where.key ?? [];
    const side = where.side ?? "old";
    const at = side === "old" ? this.original.at : this.update.at;
    this.out.push({
      rule,
      registryPath: `#/${[...this.path, ...(where.registry ?? key)].join("/")}`,
      pointer: pointerOf(at, key),
      message,
      old: locate(this.original.at, key),
      new: locate(this.update.at, key),
    });
  }

  node(at: At, key?: string[]) {
    return { pointer: pointerOf(at, key), loc: locate(at, key) };
  }

  compare(original: Lazy | undefined, update: Lazy | undefined, path: string[]): void {
    walk(original?.(), update?.(), [...this.path, ...path], this.out, this.state);
  }

  trial(original: Lazy | undefined, update: Lazy | undefined, path: string[]) {
    const out: Difference[] = [];
    walk(original?.(), update?.(), [...this.path, ...path], out, this.state);
    return { compatible: compatibleWith(out, this.state.lenient), differences: out };
  }

  merge(differences: Difference[]): void {
    this.out.push(...differences);
  }

}

export function compatibleWith(differences: Difference[], lenient: boolean): boolean {
  return differences.every((d) => (lenient ? d.rule.lenient : d.rule.compatible));
}

/** A one-subschema combination (after duplicates collapse) stands for that subschema. */
function distinct(c: CombinedSchema): Lazy[] {
  return distinctSubschemas(c.subschemas);
}

let canonicalCache = new WeakMap<object, string>();
/** Structure → small id: equal structures share an id, and shared (aliased) values cost one visit. */
let interned = new Map<string, string>();

/** Structural identity of a schema, as the registry's set of subschemas compares them. */
export function canonical(s: Schema): string {
  return `${s.k}:${stable(s.at.raw, 0)}`;
}

function stable(v: unknown, depth: number): string {
  if (typeof v !== "object" || v === null) return JSON.stringify(v) ?? "null";
  const cached = canonicalCache.get(v);
  if (cached !== undefined) return cached;
  if (depth > 600) return "…";
  const text = Array.isArray(v)
    ? `[${v.map((x) => stable(x, depth + 1)).join(",")}]`
    : `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k], depth + 1)}`)
        .join(",")}}`;
  let id = interned.get(text);
  if (id === undefined) interned.set(text, (id = `#${interned.size}`));
  canonicalCache.set(v, id);
  return id;
}

export function distinctSubschemas(list: Lazy[]): Lazy[] {
  const seen = new Set<string>();
  const out: Lazy[] = [];
  for (const l of list) {
    const key = canonical(l());
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(l);
  }
  return out;
}

function wrap(criterion: CombinedSchema["criterion"], s: Schema): CombinedSchema {
  return { k: "combined", at: s.at, criterion, subschemas: [() => s], synthetic: true };
}

function idOf(state: State, o: object): number {
  let id = state.ids.get(o);
  if (id === undefined) state.ids.set(o, (id = ++state.nextId));
  return id;
}

/** The registry's `SchemaDiff.compare`: one pair of schemas, recursively. */
function walk(original: Schema | undefined, update: Schema | undefined, path: string[], out: Difference[], state: State): void {
  if (!original && !update) return;
  if (++state.steps > MAX_STEPS) {
    const at = (original ?? update)!.at;
    throw new ContractError(`schemas too large to compare: more than ${MAX_STEPS} schema pairs`, at.doc.loc(at.raw));
  }
  if (!original || !update) {
    const ctx = new Context(original ?? update!, update ?? original!, path, out, state);
    if (!original) ctx.add(SCHEMA_ADDED, `schema added at ${pointerOf(update!.at) || "/"}`, { side: "new" });
    else ctx.add(SCHEMA_REMOVED, `schema removed at ${pointerOf(original.at) || "/"}`);
    return;
  }
  let o = original;
  let u = update;
  // A single schema against a combination is compared as a one-element combination, as the registry does.
  if (o.k !== "combined" && u.k === "combined") {
    const subs = distinct(u);
    if (subs.length === 1) u = subs[0]!();
    else if (u.criterion !== "allOf") o = wrap(u.criterion, o);
  } else if (o.k === "combined" && u.k !== "combined") {
    u = wrap(o.criterion, u);
  }
  const ctx = new Context(o, u, path, out, state);
  // Anything can change to the empty schema: it accepts every document.
  if (u.k === "empty" && o.k !== "empty") return;
  if (o.k !== u.k) {
    ctx.add(TYPE_CHANGED, `type changed from ${describe(o)} to ${describe(u)}`);
    return;
  }
  const key = `${idOf(state, o)}:${idOf(state, u)}`;
  if (state.stack.has(key)) return;
  if (state.depth >= MAX_DEPTH) throw new ContractError(`schemas nested more than ${MAX_DEPTH} levels deep (through $refs)`, o.at.doc.loc(o.at.raw));
  state.work += weight(o) + weight(u);
  if (state.work > MAX_WORK)
    throw new ContractError(
      `schemas too costly to compare: more than ${MAX_WORK} units of work (enum values, properties and subschemas of every pair of schemas compared); a combination (anyOf/oneOf/allOf) of many large branches pairs each with each: split it or name the branches`,
      o.at.doc.loc(o.at.raw),
    );
  state.stack.add(key);
  state.depth++;
  try {
    compareMeta(ctx);
    switch (o.k) {
      case "string":
        return compareString(ctx);
      case "number":
        return compareNumber(ctx);
      case "object":
        return compareObject(ctx);
      case "array":
        return compareArray(ctx);
      case "enum":
        return compareEnum(ctx);
      case "const":
        return compareConst(ctx);
      case "not":
        return compareNot(ctx);
      case "combined":
        return compareCombined(ctx);
      case "conditional": {
        const uc = u as typeof o;
        ctx.compare(o.if, uc.if, ["if"]);
        ctx.compare(o.then, uc.then, ["then"]);
        ctx.compare(o.else, uc.else, ["else"]);
        return;
      }
      default:
        return;
    }
  } finally {
    state.stack.delete(key);
    state.depth--;
  }
}

export function describe(s: Schema): string {
  switch (s.k) {
    case "number":
      return s.integer ? "integer" : "number";
    case "combined":
      return s.criterion;
    case "empty":
      return "any";
    case "false":
      return "nothing (false)";
    default:
      return s.k;
  }
}

/**
 * Every difference between `original` (the old schema) and `update` (the new one), as the schema
 * registry's JSON Schema diff records them. BACKWARD compatibility holds when all are compatible.
 */
export function diffSchemas(original: Lazy, update: Lazy, options: { lenient?: boolean } = {}): Difference[] {
  // Structural ids live for one comparison, so a long-running process does not accumulate them.
  if (interned.size > 100_000) {
    interned = new Map();
    canonicalCache = new WeakMap();
  }
  const out: Difference[] = [];
  const [o, u] = [original(), update()];
  walk(o, u, [], out, { steps: 0, work: 0, stack: new Set(), ids: new WeakMap(), nextId: 0, depth: 0, lenient: !!options.lenient });
  // Every change of the canonical form is a finding, even one the registry's diff does not name.
  if (!out.length) {
    const backstop = canonicalFinding(o, u);
    if (backstop) out.push(backstop);
  }
  return out;
}
