import type { ArraySchema, Lazy } from "../model.ts";
import { allBoundRules, boundRules, compareBound } from "./bounds.ts";
import { type DiffContext, jsRule } from "./define.ts";

export const MAX_ITEMS = boundRules("maxItems", "MAX_ITEMS", true, "item count");
export const MIN_ITEMS = boundRules("minItems", "MIN_ITEMS", false, "item count");
export const MAX_CONTAINS = boundRules("maxContains", "MAX_CONTAINS", true, "matching item count");
export const MIN_CONTAINS = boundRules("minContains", "MIN_CONTAINS", false, "matching item count");
export const UNIQUE_ITEMS_ADDED = jsRule("UNIQUE_ITEMS_ADDED", false, "`uniqueItems: true` was added.", "Arrays written with repeated items are rejected by consumers on the new schema.");
export const UNIQUE_ITEMS_REMOVED = jsRule("UNIQUE_ITEMS_REMOVED", true, "`uniqueItems` was removed.", "Every array valid before is still valid.");

const all = "Every array valid before is still valid";
export const ADDITIONAL_ITEMS = {
  added: jsRule("ADDITIONAL_ITEMS_ADDED", true, "Items beyond the tuple, forbidden before, are now allowed.", `${all}.`),
  removed: jsRule("ADDITIONAL_ITEMS_REMOVED", false, "Items beyond the tuple are now forbidden.", "Arrays written with more items than the tuple lists are rejected by consumers on the new schema."),
  narrowed: jsRule("ADDITIONAL_ITEMS_NARROWED", false, "Items beyond the tuple, allowed with any value, must now match a schema.", "Arrays written with other extra items are rejected."),
  extended: jsRule("ADDITIONAL_ITEMS_EXTENDED", true, "The schema for items beyond the tuple was dropped.", `${all}.`),
};
export const UNEVALUATED_ITEMS = {
  added: jsRule("UNEVALUATED_ITEMS_ADDED", true, "`unevaluatedItems: false` was lifted.", `${all}.`),
  removed: jsRule("UNEVALUATED_ITEMS_REMOVED", false, "`unevaluatedItems: false` was added.", "Arrays written with items no subschema evaluates are rejected."),
  narrowed: jsRule("UNEVALUATED_ITEMS_NARROWED", false, "Unevaluated items must now match a schema.", "Arrays written with other unevaluated items are rejected."),
  extended: jsRule("UNEVALUATED_ITEMS_EXTENDED", true, "The schema for unevaluated items was dropped.", `${all}.`),
};
export const ITEM_ADDED_TO_OPEN_CONTENT_MODEL = jsRule("ITEM_ADDED_TO_OPEN_CONTENT_MODEL", false, "A tuple position was added where any item was allowed.", "Old arrays may hold any value at that position; the new schema constrains it.");
export const ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = jsRule("ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", true, "A tuple position that accepts anything was added.", `${all}.`);
export const ITEM_ADDED_TO_CLOSED_CONTENT_MODEL = jsRule("ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", true, "A tuple position was added where no item was allowed.", "Old arrays could not reach that position, so they are still valid.");
export const ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL = jsRule("ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", true, "A tuple position was removed; extra items are allowed.", `${all}.`);
export const ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL = jsRule("ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", false, "A tuple position was removed and extra items are forbidden.", "Arrays written with an item at that position are rejected.");
export const ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = jsRule("ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", true, "A tuple position declared `false` was removed.", "No array could use it, so nothing changes.");
export const ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, "A removed tuple position is covered by a compatible schema for extra items.", `${all}.`);
export const ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, "A removed tuple position falls under an incompatible schema for extra items.", "Old items at that position may not satisfy it.");
export const ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, "An added tuple position accepts what the schema for extra items accepted.", `${all}.`);
export const ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, "An added tuple position rejects items the schema for extra items accepted.", "Old arrays may hold such items at that position.");

function isOpen(s: ArraySchema): boolean {
  return s.additional && !s.additionalSchema && s.unevaluated && !s.unevaluatedSchema;
}

/** The schema extra items must match: additionalItems, else unevaluatedItems. */
function extra(s: ArraySchema): Lazy | undefined {
  if (!s.additional) return undefined;
  return s.additionalSchema ?? (s.unevaluated ? s.unevaluatedSchema : undefined);
}

function permits(ctx: DiffContext, rules: typeof ADDITIONAL_ITEMS, keys: [string, string], path: string, o: [boolean, Lazy | undefined], u: [boolean, Lazy | undefined]): void {
  const where = { key: [keys[0]] };
  if (o[0] !== u[0]) ctx.add(o[0] ? rules.removed : rules.added, `${keys[0]} ${o[0] ? "forbidden" : "allowed"}`, where);
  else if (!o[1] && u[1]) ctx.add(rules.narrowed, `${keys[0]} narrowed to a schema`, where);
  else if (o[1] && !u[1]) ctx.add(rules.extended, `${keys[0]} schema removed`, where);
  else if (o[1] && u[1]) ctx.compare(o[1], u[1], [path]);
}

export function compareArray(ctx: DiffContext): void {
  const o = ctx.original as ArraySchema;
  const u = ctx.update as ArraySchema;
  compareBound(ctx, MAX_ITEMS, o.maxItems, u.maxItems);
  compareBound(ctx, MIN_ITEMS, o.minItems, u.minItems);
  compareBound(ctx, MAX_CONTAINS, o.maxContains, u.maxContains);
  compareBound(ctx, MIN_CONTAINS, o.minContains, u.minContains);
  if (!o.uniqueItems && u.uniqueItems) ctx.add(UNIQUE_ITEMS_ADDED, "uniqueItems added", { key: ["uniqueItems"], side: "new" });
  if (o.uniqueItems && !u.uniqueItems) ctx.add(UNIQUE_ITEMS_REMOVED, "uniqueItems removed", { key: ["uniqueItems"] });
  if (o.allItems || u.allItems) ctx.compare(o.allItems, u.allItems, ["items"]);
  if (o.contains || u.contains) ctx.compare(o.contains, u.contains, ["contains"]);
  permits(ctx, ADDITIONAL_ITEMS, [o.keys.additional, u.keys.additional], "additionalItems", [o.additional, o.additionalSchema], [u.additional, u.additionalSchema]);
  permits(ctx, UNEVALUATED_ITEMS, ["unevaluatedItems", "unevaluatedItems"], "unevaluatedItems", [o.unevaluated, o.unevaluatedSchema], [u.unevaluated, u.unevaluatedSchema]);

  const ot = o.tuple ?? [];
  const ut = u.tuple ?? [];
  for (let i = 0; i < Math.max(ot.length, ut.length); i++) {
    const path = ["items", String(i)];
    if (i < ot.length && i < ut.length) {
      ctx.compare(ot[i], ut[i], path);
      continue;
    }
    if (i < ot.length) {
      const where = { key: [o.keys.tuple, String(i)] };
      if (isOpen(u)) ctx.add(ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL, `tuple item ${i} removed`, where);
      else if (ot[i]!().k === "false") ctx.add(ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, `tuple item ${i} (false) removed`, where);
      else if (extra(u)) {
        const t = ctx.trial(ot[i], extra(u), path);
        ctx.merge(t.differences);
        ctx.add(t.compatible ? ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL : ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, `tuple item ${i} removed`, where);
      } else ctx.add(ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL, `tuple item ${i} removed from a closed tuple`, where);
      continue;
    }
    const where = { key: [u.keys.tuple, String(i)], side: "new" as const };
    if (isOpen(o)) {
      if (ut[i]!().k === "empty") ctx.add(ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL, `tuple item ${i} added`, where);
      else ctx.add(ITEM_ADDED_TO_OPEN_CONTENT_MODEL, `tuple item ${i} added where any item was allowed`, where);
    } else if (extra(o)) {
      const t = ctx.trial(extra(o), ut[i], path);
      ctx.merge(t.differences);
      ctx.add(t.compatible ? ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL : ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, `tuple item ${i} added`, where);
    } else ctx.add(ITEM_ADDED_TO_CLOSED_CONTENT_MODEL, `tuple item ${i} added to a closed tuple`, where);
  }
}

export const ARRAY_RULES = [
  ...allBoundRules(MAX_ITEMS),
  ...allBoundRules(MIN_ITEMS),
  ...allBoundRules(MAX_CONTAINS),
  ...allBoundRules(MIN_CONTAINS),
  UNIQUE_ITEMS_ADDED,
  UNIQUE_ITEMS_REMOVED,
  ...Object.values(ADDITIONAL_ITEMS),
  ...Object.values(UNEVALUATED_ITEMS),
  ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
  ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
  ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
  ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
  ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
  ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
  ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
];
