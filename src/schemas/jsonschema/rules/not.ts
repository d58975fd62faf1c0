import type { NotSchema } from "../model.ts";
import { type DiffContext, jsRule } from "./define.ts";

export const NOT_TYPE_NARROWED = jsRule("NOT_TYPE_NARROWED", true, "The schema under `not` now matches fewer values.", "Fewer values are excluded, so everything valid before is still valid.");
export const NOT_TYPE_EXTENDED = jsRule("NOT_TYPE_EXTENDED", false, "The schema under `not` now matches more values.", "Values valid before can now be excluded: consumers on the new schema reject them.");

/** A `not` inverts its subschema: a subschema that accepts more makes the schema accept less. */
export function compareNot(ctx: DiffContext): void {
  const sub = ctx.trial((ctx.original as NotSchema).schema, (ctx.update as NotSchema).schema, ["not"]);
  if (!sub.differences.length) return;
  if (sub.compatible) ctx.add(NOT_TYPE_EXTENDED, "the schema under 'not' was widened", { key: ["not"] });
  else ctx.add(NOT_TYPE_NARROWED, "the schema under 'not' was narrowed", { key: ["not"] });
}

export const NOT_RULES = [NOT_TYPE_NARROWED, NOT_TYPE_EXTENDED];
