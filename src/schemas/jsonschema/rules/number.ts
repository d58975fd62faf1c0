import type { NumberSchema } from "../model.ts";
import { allBoundRules, boundRules, compareBound } from "./bounds.ts";
import { type DiffContext, jsRule } from "./define.ts";
import { TYPE_EXTENDED, TYPE_NARROWED } from "./type.ts";

export const MAXIMUM = boundRules("maximum", "MAXIMUM", true, "upper");
export const MINIMUM = boundRules("minimum", "MINIMUM", false, "lower");
export const EXCLUSIVE_MAXIMUM = boundRules("exclusiveMaximum", "EXCLUSIVE_MAXIMUM", true, "exclusive upper");
export const EXCLUSIVE_MINIMUM = boundRules("exclusiveMinimum", "EXCLUSIVE_MINIMUM", false, "exclusive lower");
export const MULTIPLE_OF_ADDED = jsRule("MULTIPLE_OF_ADDED", false, "A `multipleOf` was added.", "Numbers written before need not be multiples of it: consumers on the new schema reject them.");
export const MULTIPLE_OF_REMOVED = jsRule("MULTIPLE_OF_REMOVED", true, "A `multipleOf` was removed.", "Every number valid before is still valid.");
export const MULTIPLE_OF_REDUCED = jsRule("MULTIPLE_OF_REDUCED", true, "`multipleOf` became a divisor of the old one (10 to 2).", "Every multiple of the old value is a multiple of the new one.");
export const MULTIPLE_OF_EXPANDED = jsRule("MULTIPLE_OF_EXPANDED", false, "`multipleOf` became a multiple of the old one (2 to 10).", "Numbers valid before (4 for 2 → 10) are rejected by consumers on the new schema.");
export const MULTIPLE_OF_CHANGED = jsRule("MULTIPLE_OF_CHANGED", false, "`multipleOf` changed to an unrelated value.", "Numbers valid before need not be multiples of the new value: consumers on the new schema reject them.");

function divides(a: number, b: number): boolean {
  const q = b / a;
  return Number.isFinite(q) && Math.abs(q - Math.round(q)) < 1e-9;
}

export function compareNumber(ctx: DiffContext): void {
  const o = ctx.original as NumberSchema;
  const u = ctx.update as NumberSchema;
  compareBound(ctx, MAXIMUM, o.maximum, u.maximum);
  compareBound(ctx, MINIMUM, o.minimum, u.minimum);
  compareBound(ctx, EXCLUSIVE_MAXIMUM, o.exclusiveMaximum, u.exclusiveMaximum);
  compareBound(ctx, EXCLUSIVE_MINIMUM, o.exclusiveMinimum, u.exclusiveMinimum);
  if (o.multipleOf !== u.multipleOf) {
    const key = { key: ["multipleOf"] };
    if (o.multipleOf === undefined) ctx.add(MULTIPLE_OF_ADDED, `multipleOf ${u.multipleOf} added`, { ...key, side: "new" });
    else if (u.multipleOf === undefined) ctx.add(MULTIPLE_OF_REMOVED, `multipleOf ${o.multipleOf} removed`, key);
    else if (divides(u.multipleOf, o.multipleOf)) ctx.add(MULTIPLE_OF_REDUCED, `multipleOf reduced from ${o.multipleOf} to ${u.multipleOf}`, key);
    else if (divides(o.multipleOf, u.multipleOf)) ctx.add(MULTIPLE_OF_EXPANDED, `multipleOf expanded from ${o.multipleOf} to ${u.multipleOf}`, key);
    else ctx.add(MULTIPLE_OF_CHANGED, `multipleOf changed from ${o.multipleOf} to ${u.multipleOf}`, key);
  }
  if (!o.integer && u.integer) ctx.add(TYPE_NARROWED, "type narrowed from number to integer", { key: ["type"], registry: [] });
  if (o.integer && !u.integer) ctx.add(TYPE_EXTENDED, "type extended from integer to number", { key: ["type"], registry: [] });
}

export const NUMBER_RULES = [
  ...allBoundRules(MAXIMUM),
  ...allBoundRules(MINIMUM),
  ...allBoundRules(EXCLUSIVE_MAXIMUM),
  ...allBoundRules(EXCLUSIVE_MINIMUM),
  MULTIPLE_OF_ADDED,
  MULTIPLE_OF_REMOVED,
  MULTIPLE_OF_REDUCED,
  MULTIPLE_OF_EXPANDED,
  MULTIPLE_OF_CHANGED,
];
