import { distinctSubschemas } from "../diff.ts";
import type { CombinedSchema, Criterion, Lazy } from "../model.ts";
import { type DiffContext, type Difference, jsRule } from "./define.ts";

export const COMBINED_TYPE_EXTENDED = jsRule("COMBINED_TYPE_EXTENDED", true, "A combination became more permissive (allOf or oneOf to anyOf...).", "Every value valid under the old combination is valid under the new one.");
export const COMBINED_TYPE_CHANGED = jsRule("COMBINED_TYPE_CHANGED", false, "A combination changed kind in a way that accepts other values (anyOf to allOf...).", "Values that satisfied the old combination may not satisfy the new one.");
export const PRODUCT_TYPE_EXTENDED = jsRule("PRODUCT_TYPE_EXTENDED", false, "An `allOf` gained subschemas.", "Every value must now also satisfy the new subschemas: data written before may not.");
export const PRODUCT_TYPE_NARROWED = jsRule("PRODUCT_TYPE_NARROWED", true, "An `allOf` lost subschemas.", "Fewer constraints apply, so everything valid before is still valid.");
export const SUM_TYPE_EXTENDED = jsRule("SUM_TYPE_EXTENDED", true, "A `oneOf`/`anyOf` gained alternatives.", "Every value valid before still matches one of the alternatives.");
export const SUM_TYPE_NARROWED = jsRule("SUM_TYPE_NARROWED", false, "A `oneOf`/`anyOf` lost alternatives.", "Data written with a removed alternative is rejected by consumers on the new schema.");
export const COMBINED_TYPE_SUBSCHEMAS_CHANGED = jsRule(
  "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
  false,
  "The subschemas of a combination changed so that they no longer pair up compatibly with the old ones.",
  "Some alternative or constraint of the old combination has no compatible counterpart: data written with it may be rejected.",
);

/** How the kind of combination changed, as the registry classifies it. */
function criteria(o: Criterion, u: Criterion, oSize: number, uSize: number): "same" | "extended" | "changed" {
  if (o === u) return "same";
  if (u === "anyOf") return "extended";
  if (u === "oneOf") return o === "allOf" || oSize === 1 ? "extended" : "changed";
  return oSize === 1 && uSize === 1 ? "extended" : "changed";
}

/**
 * allOf/anyOf/oneOf: compare the kinds, the number of distinct subschemas, then pair every old
 * subschema with a compatible new one (a maximum matching); unmatched ones change the subschemas.
 */
export function compareCombined(ctx: DiffContext): void {
  const o = ctx.original as CombinedSchema;
  const u = ctx.update as CombinedSchema;
  const os = distinctSubschemas(o.subschemas);
  const us = distinctSubschemas(u.subschemas);
  const kind = criteria(o.criterion, u.criterion, os.length, us.length);
  if (kind === "changed") return ctx.add(COMBINED_TYPE_CHANGED, `${o.criterion} changed to ${u.criterion}`);
  if (kind === "extended") ctx.add(COMBINED_TYPE_EXTENDED, `${o.criterion} changed to ${u.criterion}`);
  if (os.length < us.length) {
    if (u.criterion === "allOf") ctx.add(PRODUCT_TYPE_EXTENDED, `allOf has ${us.length - os.length} more subschema(s)`);
    else ctx.add(SUM_TYPE_EXTENDED, `${u.criterion} has ${us.length - os.length} more alternative(s)`);
  } else if (os.length > us.length) {
    if (o.criterion === "allOf") ctx.add(PRODUCT_TYPE_NARROWED, `allOf has ${os.length - us.length} fewer subschema(s)`);
    else ctx.add(SUM_TYPE_NARROWED, `${o.criterion} has ${os.length - us.length} fewer alternative(s)`);
  }
  // Compatible pairs, cheapest first, then a maximum matching by augmenting paths.
  const edges: Array<Array<{ j: number; differences: Difference[] }>> = os.map((oi, i) => {
    const list: Array<{ j: number; differences: Difference[] }> = [];
    us.forEach((uj, j) => {
      const t = ctx.trial(oi, uj, [o.criterion, String(i)]);
      if (t.compatible) list.push({ j, differences: t.differences });
    });
    return list.sort((a, b) => a.differences.length - b.differences.length);
  });
  const owner = new Array<number>(us.length).fill(-1);
  const augment = (i: number, seen: Set<number>): boolean => {
    for (const e of edges[i]!) {
      if (seen.has(e.j)) continue;
      seen.add(e.j);
      if (owner[e.j] === -1 || augment(owner[e.j]!, seen)) {
        owner[e.j] = i;
        return true;
      }
    }
    return false;
  };
  let matched = 0;
  for (let i = 0; i < os.length; i++) if (augment(i, new Set())) matched++;
  if (matched < Math.min(os.length, us.length)) {
    if (o.synthetic && u.synthetic) return keywordsChanged(ctx, os, us, owner);
    ctx.add(COMBINED_TYPE_SUBSCHEMAS_CHANGED, `the subschemas of ${o.criterion} changed`);
    return;
  }
  owner.forEach((i, j) => {
    if (i >= 0) ctx.merge(edges[i]!.find((e) => e.j === j)!.differences);
  });
}

/** The name a schema goes by in messages: the property (or definition) it is, else its pointer. */
function nameOf(pointer: string): string {
  const last = pointer.split("/").pop() ?? "";
  return last ? last.replace(/~1/g, "/").replace(/~0/g, "~") : "the schema";
}

/**
 * A combination comms built from keywords of one object (`type` beside `enum`...) is not what the user
 * wrote: the registry's id stays, but the message and location name the keyword that changed, from the
 * comparison of the unmatched old part with the new part of its kind.
 */
function keywordsChanged(ctx: DiffContext, os: Lazy[], us: Lazy[], owner: number[]): void {
  const name = nameOf(ctx.original.at.pointer);
  let said = false;
  os.forEach((ol, i) => {
    if (owner.includes(i)) return;
    const oi = ol();
    const uj = us.map((l) => l()).find((x) => x.k === oi.k);
    if (!uj) return;
    if (oi.k === "enum" && uj.k === "enum") {
      const key = (v: unknown) => JSON.stringify(v);
      const kept = new Set(uj.values.map(key));
      const was = new Set(oi.values.map(key));
      const removed = oi.values.filter((v) => !kept.has(key(v))).map((v) => (typeof v === "string" ? `'${v}'` : key(v)));
      const added = uj.values.filter((v) => !was.has(key(v))).map((v) => (typeof v === "string" ? `'${v}'` : key(v)));
      const what = added.length ? `changed: ${removed.join(", ")} removed, ${added.join(", ")} added` : `narrowed: ${removed.join(", ")} removed`;
      ctx.add(COMBINED_TYPE_SUBSCHEMAS_CHANGED, `enum of ${name} ${what}`, { key: ["enum"] });
      said = true;
      return;
    }
    const inner = ctx.trial(() => oi, () => uj, []).differences.filter((d) => !d.rule.compatible);
    for (const d of inner.length ? inner : []) {
      const base = ctx.original.at.pointer;
      const key = d.pointer.startsWith(`${base}/`) ? d.pointer.slice(base.length + 1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~")) : [];
      ctx.add(COMBINED_TYPE_SUBSCHEMAS_CHANGED, `${name}: ${d.message}`, { key });
      said = true;
    }
  });
  if (!said) ctx.add(COMBINED_TYPE_SUBSCHEMAS_CHANGED, `the keywords of ${name} changed`);
}

export const COMBINED_RULES = [COMBINED_TYPE_EXTENDED, COMBINED_TYPE_CHANGED, PRODUCT_TYPE_EXTENDED, PRODUCT_TYPE_NARROWED, SUM_TYPE_EXTENDED, SUM_TYPE_NARROWED, COMBINED_TYPE_SUBSCHEMAS_CHANGED];
