import type { Severity } from "../../../core/finding.ts";
import type { Location } from "../../../core/location.ts";
import type { RuleInfo } from "../../../core/rule.ts";
import type { At, Lazy, Schema } from "../model.ts";

/** A JSON Schema difference type of the schema registry, with its compatibility under both policies. */
export interface JsonSchemaRule extends RuleInfo {
  kind: "jsonschema";
  /** In the registry's compatible set under the default (strict) policy. */
  compatible: boolean;
  /** Allowed under the registry's lenient policy (always true when `compatible`). */
  lenient: boolean;
}

/**
 * One catalogue entry. `compatible` and `lenient` are the registry's sets; severity follows them
 * (`dangerous` for compatible changes a reviewer should see, such as a changed default).
 */
export function jsRule(id: string, compatible: boolean, summary: string, why: string, opts: { lenient?: boolean; dangerous?: boolean; fix?: string } = {}): JsonSchemaRule {
  const severity: Severity = !compatible ? "breaking" : opts.dangerous ? "dangerous" : "safe";
  return {
    id,
    kind: "jsonschema",
    severity,
    categories: [compatible ? "compatible" : opts.lenient ? "lenient" : "incompatible"],
    summary,
    why,
    fix: opts.fix ?? (compatible ? "Nothing to do." : "Keep the old constraint, or publish the change under a new subject or topic and migrate consumers."),
    compatible,
    lenient: compatible || !!opts.lenient,
  };
}

/** One difference found between the original (old) and the update (new) schema. */
export interface Difference {
  rule: JsonSchemaRule;
  /** The registry's path (`#/properties/foo`), kept for comparison with its test suite. */
  registryPath: string;
  /** JSON pointer into the document (old for removals, new for additions), without `#`. */
  pointer: string;
  message: string;
  old?: Location;
  new?: Location;
}

/** Where a difference is: a keyword of the current pair, or explicit nodes. */
export interface Where {
  /** Keyword under the current nodes (`maxLength`), or a path under them (`properties/foo`). */
  key?: string[];
  /** Which side the pointer names: the old (default) or the new document. */
  side?: "old" | "new";
  /** The registry's path when it differs from `key` (`required/foo` for the property `foo`). */
  registry?: string[];
}

/** The comparison state the registry calls a context: a path, the current pair, and the differences. */
export interface DiffContext {
  readonly original: Schema;
  readonly update: Schema;
  add(rule: JsonSchemaRule, message: string, where?: Where): void;
  /** Compares a nested pair under `path` (registry segments) into this context. */
  compare(original: Lazy | undefined, update: Lazy | undefined, path: string[]): void;
  /** Compares a nested pair in a fresh context, and returns it without merging. */
  trial(original: Lazy | undefined, update: Lazy | undefined, path: string[]): { compatible: boolean; differences: Difference[] };
  merge(differences: Difference[]): void;
  /** Whether a nested node exists: the pointer and location of a schema node. */
  node(at: At, key?: string[]): { pointer: string; loc: Location };
}

export type Family = (ctx: DiffContext) => void;
