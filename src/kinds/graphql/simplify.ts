import type { Change } from "@graphql-inspector/core";

/**
 * Change types that stand for a group of changes below them (a new type implies its new fields).
 * The same set as the inspector's `simplifyChanges` rule, the default of its CLI.
 */
const GROUPING = new Set([
  "DIRECTIVE_ADDED",
  "DIRECTIVE_ARGUMENT_ADDED",
  "DIRECTIVE_LOCATION_ADDED",
  "DIRECTIVE_USAGE_ARGUMENT_ADDED",
  "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_ENUM_ADDED",
  "DIRECTIVE_USAGE_ENUM_VALUE_ADDED",
  "DIRECTIVE_USAGE_FIELD_ADDED",
  "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED",
  "DIRECTIVE_USAGE_INTERFACE_ADDED",
  "DIRECTIVE_USAGE_OBJECT_ADDED",
  "DIRECTIVE_USAGE_SCALAR_ADDED",
  "DIRECTIVE_USAGE_SCHEMA_ADDED",
  "DIRECTIVE_USAGE_UNION_MEMBER_ADDED",
  "ENUM_VALUE_ADDED",
  "ENUM_VALUE_DEPRECATION_REASON_ADDED",
  "FIELD_ADDED",
  "FIELD_ARGUMENT_ADDED",
  "FIELD_DEPRECATION_ADDED",
  "FIELD_DEPRECATION_REMOVED",
  "FIELD_DEPRECATION_REASON_CHANGED",
  "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
  "FIELD_DEPRECATION_REASON_ADDED",
  "FIELD_DESCRIPTION_ADDED",
  "INPUT_FIELD_ADDED",
  "INPUT_FIELD_DESCRIPTION_ADDED",
  "OBJECT_TYPE_INTERFACE_ADDED",
  "TYPE_ADDED",
  "TYPE_DESCRIPTION_ADDED",
  "UNION_MEMBER_ADDED",
]);

/**
 * Drops changes whose parent path (or own path) was already reported by a grouping change, with
 * the same result as the inspector's `simplifyChanges` but in linear time: the rule compares every
 * change with every earlier path, which costs a third of a second on GitHub's schema.
 */
export function simplifyChanges(changes: readonly Change[]): Change[] {
  const grouped = new Set<string>();
  return changes.filter(({ path, type }) => {
    if (!path) return true;
    const dot = path.lastIndexOf(".");
    const parent = dot === -1 ? path : path.slice(0, dot);
    const covered = grouped.has(parent) || grouped.has(path);
    if (GROUPING.has(type)) grouped.add(path);
    return !covered;
  });
}
