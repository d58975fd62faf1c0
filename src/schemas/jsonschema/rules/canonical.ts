import { isObject, member } from "../../json/parse.ts";
import { escapePointer } from "../load.ts";
import type { Schema } from "../model.ts";
import type { Difference } from "./define.ts";
import { jsRule } from "./define.ts";
import { locate } from "../diff.ts";

export const CANONICAL_FORM_CHANGED = jsRule(
  "CANONICAL_FORM_CHANGED",
  true,
  "A keyword the registry does not compare changed (format, contentMediaType, an unused definition...).",
  "The registry sees no difference, but the schema says something else: validators that assert the keyword, and readers of the contract, see the change.",
  { dangerous: true, fix: "Review the change; keep the old value if some consumer asserts it." },
);

/** Keywords that only annotate: a change to them is documentation, outside the canonical form. */
const ANNOTATIONS = new Set(["title", "description", "$comment", "examples"]);
/** Members whose keys are names chosen by the author, not keywords. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"]);
const MAX_NODES = 100_000;

/**
 * The first place (a JSON pointer) where two documents differ outside annotations and formatting, or
 * undefined when their canonical forms (sorted keys, no annotations) are the same.
 */
export function canonicalDifference(a: unknown, b: unknown): string | undefined {
  let nodes = 0;
  // Up to draft-07 a `$ref` replaces its object: keywords beside it are not part of the schema.
  const draft = (d: unknown) => (isObject(d) && typeof member(d, "$schema") === "string" ? (member(d, "$schema") as string) : "");
  const refOnly = /draft-0[3-7]\b/.test(draft(a)) && /draft-0[3-7]\b/.test(draft(b));
  const walk = (x: unknown, y: unknown, path: string, names: boolean): string | undefined => {
    if (++nodes > MAX_NODES) return undefined;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return path;
      for (let i = 0; i < x.length; i++) {
        const d = walk(x[i], y[i], `${path}/${i}`, false);
        if (d !== undefined) return d;
      }
      return undefined;
    }
    if (isObject(x) || isObject(y)) {
      if (!isObject(x) || !isObject(y)) return path;
      const ref = !names && refOnly && typeof member(x, "$ref") === "string" && typeof member(y, "$ref") === "string";
      const keys = ref ? ["$ref"] : [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) {
        if (!names && ANNOTATIONS.has(k)) continue;
        const d = walk(member(x, k), member(y, k), `${path}/${escapePointer(k)}`, !names && NAME_MAPS.has(k));
        if (d !== undefined) return d;
      }
      return undefined;
    }
    return JSON.stringify(x) === JSON.stringify(y) ? undefined : path;
  };
  return walk(a, b, "", false);
}

/** The backstop of a comparison that found nothing: a change of the canonical form is still a finding. */
export function canonicalFinding(original: Schema, update: Schema): Difference | undefined {
  const at = canonicalDifference(original.at.raw, update.at.raw);
  if (at === undefined) return undefined;
  const key = at.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  return {
    rule: CANONICAL_FORM_CHANGED,
    registryPath: `#${at}`,
    pointer: original.at.pointer + at,
    message: `${at || "/"} changed (a keyword the registry does not compare)`,
    old: locate(original.at, key),
    new: locate(update.at, key),
  };
}
