import { jsRule } from "./define.ts";

export const TYPE_CHANGED = jsRule(
  "TYPE_CHANGED",
  false,
  "A schema's type changed to an unrelated one (string to number, object to array...).",
  "Documents of the old type are invalid under the new schema: consumers validating with it reject everything written before.",
);
export const TYPE_NARROWED = jsRule(
  "TYPE_NARROWED",
  false,
  "A schema's type was narrowed (number to integer).",
  "Values valid before (1.5 for a number now integer) are rejected by consumers on the new schema.",
);
export const TYPE_EXTENDED = jsRule("TYPE_EXTENDED", true, "A schema's type was widened (integer to number).", "Every value valid before is still valid.");
export const SCHEMA_ADDED = jsRule(
  "SCHEMA_ADDED",
  false,
  "A subschema was added where there was none (an `items` schema for an array that had none).",
  "The new subschema constrains values that were unconstrained: data written before may not satisfy it.",
);
export const SCHEMA_REMOVED = jsRule("SCHEMA_REMOVED", true, "A subschema was removed (an `items` schema).", "Values it constrained are now unconstrained; everything valid before stays valid.");

export const TYPE_RULES = [TYPE_CHANGED, TYPE_NARROWED, TYPE_EXTENDED, SCHEMA_ADDED, SCHEMA_REMOVED];
