import type { ConstSchema, EnumSchema } from "../model.ts";
import { type DiffContext, jsRule } from "./define.ts";

export const ENUM_ARRAY_EXTENDED = jsRule("ENUM_ARRAY_EXTENDED", true, "Values were added to an `enum`.", "Every value allowed before is still allowed.");
export const ENUM_ARRAY_NARROWED = jsRule("ENUM_ARRAY_NARROWED", false, "Values were removed from an `enum`.", "Data written with a removed value is rejected by consumers on the new schema.");
export const ENUM_ARRAY_CHANGED = jsRule("ENUM_ARRAY_CHANGED", false, "An `enum` (or `const`) was replaced by other values.", "Data written with a value that is no longer listed is rejected by consumers on the new schema.");

const key = (v: unknown) => JSON.stringify(v);

export function compareEnum(ctx: DiffContext): void {
  const o = (ctx.original as EnumSchema).values.map(key);
  const u = (ctx.update as EnumSchema).values.map(key);
  const os = new Set(o);
  const us = new Set(u);
  const removed = o.filter((v) => !us.has(v));
  const added = u.filter((v) => !os.has(v));
  if (!removed.length && !added.length) return;
  const where = { key: ["enum"] };
  if (!removed.length) ctx.add(ENUM_ARRAY_EXTENDED, `enum values added: ${added.join(", ")}`, where);
  else if (!added.length) ctx.add(ENUM_ARRAY_NARROWED, `enum values removed: ${removed.join(", ")}`, where);
  else ctx.add(ENUM_ARRAY_CHANGED, `enum values removed: ${removed.join(", ")}; added: ${added.join(", ")}`, where);
}

export function compareConst(ctx: DiffContext): void {
  const o = key((ctx.original as ConstSchema).value);
  const u = key((ctx.update as ConstSchema).value);
  if (o !== u) ctx.add(ENUM_ARRAY_CHANGED, `const changed from ${o} to ${u}`, { key: ["const"] });
}

export const ENUM_RULES = [ENUM_ARRAY_EXTENDED, ENUM_ARRAY_NARROWED, ENUM_ARRAY_CHANGED];
