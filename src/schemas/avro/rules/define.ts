import type { Severity } from "../../../core/finding.ts";
import type { Location } from "../../../core/location.ts";
import type { RuleInfo } from "../../../core/rule.ts";
import type { AvroType } from "../model.ts";

/** A rule of Avro schema resolution; breaking ids are the Java `SchemaCompatibility` incompatibility types. */
export interface AvroRule extends RuleInfo {
  kind: "avro";
}

export function avroRule(
  id: string,
  severity: Severity,
  summary: string,
  why: string,
  fix: string,
  example: { old: string; new: string },
): AvroRule {
  return { id, kind: "avro", severity, categories: [severity === "breaking" ? "SchemaCompatibility" : "review"], summary, why, fix, example };
}

/** One result of judging a reader schema against a writer schema. */
export interface AvroIssue {
  rule: AvroRule;
  /** Element path: top-level name, then field names; `[]` into array items, `{}` into map values. */
  path: string;
  message: string;
  /** Where the element is in the reader's schema and in the writer's schema. */
  reader?: Location;
  writer?: Location;
  /** Documentation-only change. */
  cosmetic?: boolean;
}

/** What a rule sees while the checker walks a reader/writer pair. */
export interface CheckContext {
  path: string;
  issue(rule: AvroRule, message: string, at: { reader?: Location; writer?: Location }, cosmetic?: boolean): AvroIssue;
  /** Judges a nested pair; `step` extends the path (".field", "[]", "{}"). */
  check(reader: AvroType, writer: AvroType, step?: string): AvroIssue[];
  /** The context of a nested element (a field), for issues about the element itself. */
  at(step: string): CheckContext;
}

export function breaks(issues: AvroIssue[]): boolean {
  return issues.some((i) => i.rule.severity === "breaking");
}
