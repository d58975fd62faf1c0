import type { StringSchema } from "../model.ts";
import { allBoundRules, boundRules, compareBound } from "./bounds.ts";
import { type DiffContext, jsRule } from "./define.ts";

export const MAX_LENGTH = boundRules("maxLength", "MAX_LENGTH", true, "length");
export const MIN_LENGTH = boundRules("minLength", "MIN_LENGTH", false, "length");
export const PATTERN_ADDED = jsRule("PATTERN_ADDED", false, "A `pattern` was added to a string.", "Strings written before need not match it: consumers on the new schema reject them.");
export const PATTERN_REMOVED = jsRule("PATTERN_REMOVED", true, "A string's `pattern` was removed.", "Every string valid before is still valid.");
export const PATTERN_CHANGED = jsRule("PATTERN_CHANGED", false, "A string's `pattern` changed.", "Strings that matched the old pattern may not match the new one: consumers on the new schema reject them.");
export const FORMAT_CHANGED = jsRule(
  "FORMAT_CHANGED",
  true,
  "A string's `format` was added, removed or changed.",
  "The registry ignores `format`, but validators that assert formats (and code generated from the schema, such as date parsing) treat the same string differently.",
  { dangerous: true, fix: "Check that producers already write values in the new format, or keep the format." },
);

export function compareString(ctx: DiffContext): void {
  const o = ctx.original as StringSchema;
  const u = ctx.update as StringSchema;
  compareBound(ctx, MAX_LENGTH, o.maxLength, u.maxLength);
  compareBound(ctx, MIN_LENGTH, o.minLength, u.minLength);
  if (o.pattern !== u.pattern) {
    if (o.pattern === undefined) ctx.add(PATTERN_ADDED, `pattern ${u.pattern} added`, { key: ["pattern"], side: "new" });
    else if (u.pattern === undefined) ctx.add(PATTERN_REMOVED, `pattern ${o.pattern} removed`, { key: ["pattern"] });
    else ctx.add(PATTERN_CHANGED, `pattern changed from ${o.pattern} to ${u.pattern}`, { key: ["pattern"] });
  }
  if (o.format !== u.format) ctx.add(FORMAT_CHANGED, `format changed from ${o.format ?? "none"} to ${u.format ?? "none"}`, { key: ["format"], side: u.format ? "new" : "old" });
}

export const STRING_RULES = [...allBoundRules(MAX_LENGTH), ...allBoundRules(MIN_LENGTH), PATTERN_ADDED, PATTERN_REMOVED, PATTERN_CHANGED, FORMAT_CHANGED];
