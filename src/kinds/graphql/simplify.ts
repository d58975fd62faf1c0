import type { Change } from "@graphql-inspector/core";

/**
 * Additions of a whole element. Adding one also adds everything inside it (a new type's fields, a
 * new field's arguments and directives, a new enum's values), and the inspector reports each of
 * those parts too; they describe the same change, so the element's own finding stands for them.
 * The path of these changes is the element itself.
 */
const ELEMENT_ADDITIONS = new Set([
  "TYPE_ADDED",
  "FIELD_ADDED",
  "FIELD_ARGUMENT_ADDED",
  "INPUT_FIELD_ADDED",
  "ENUM_VALUE_ADDED",
  "DIRECTIVE_ADDED",
  "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_ENUM_ADDED",
  "DIRECTIVE_USAGE_ENUM_VALUE_ADDED",
  "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED",
  "DIRECTIVE_USAGE_INTERFACE_ADDED",
  "DIRECTIVE_USAGE_OBJECT_ADDED",
  "DIRECTIVE_USAGE_SCALAR_ADDED",
  "DIRECTIVE_USAGE_SCHEMA_ADDED",
  "DIRECTIVE_USAGE_UNION_MEMBER_ADDED",
]);

/**
 * Deprecation changes, whose path is the `@deprecated` usage (`User.email.@deprecated`): the
 * inspector also reports that same usage and its `reason` argument as directive-usage changes.
 */
const DEPRECATION_CHANGES = new Set([
  "FIELD_DEPRECATION_ADDED",
  "FIELD_DEPRECATION_REMOVED",
  "FIELD_DEPRECATION_REASON_ADDED",
  "FIELD_DEPRECATION_REASON_REMOVED",
  "FIELD_DEPRECATION_REASON_CHANGED",
  "ENUM_VALUE_DEPRECATION_REASON_ADDED",
  "ENUM_VALUE_DEPRECATION_REASON_REMOVED",
  "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
]);

/** The element a change stands for as a whole, if it groups the changes inside that element. */
function groupOf(c: Pick<Change, "type" | "path">): string | undefined {
  const path = c.path;
  if (!path) return undefined;
  if (ELEMENT_ADDITIONS.has(c.type)) return path;
  if (DEPRECATION_CHANGES.has(c.type) && path.endsWith(".@deprecated")) return path;
  return undefined;
}

/**
 * Merges the changes that only restate a larger change into it: the parts of an added element and
 * the directive-usage view of a deprecation. A change is merged only when it is safe and lies
 * inside (or at) the grouped element; breaking and dangerous changes are never merged, and nor is
 * anything under a change that does not describe a whole element (an interface added to a type or
 * a description added to a field say nothing about that type's other fields or that field's
 * type). This differs on purpose from the inspector's `simplifyChanges`, which hides every change
 * under a parent path carrying one of 32 change types, real removals included. Linear time: each
 * change looks up its own path prefixes in a map.
 */
export function simplifyChanges<C extends Pick<Change, "type" | "path" | "criticality">>(changes: readonly C[]): C[] {
  // The change that stands for each grouped element: the first one, but the dedicated deprecation
  // change rather than the directive usage that restates it.
  const groups = new Map<string, C>();
  for (const c of changes) {
    const g = groupOf(c);
    if (g === undefined) continue;
    const held = groups.get(g);
    if (!held || (DEPRECATION_CHANGES.has(c.type) && !DEPRECATION_CHANGES.has(held.type))) groups.set(g, c);
  }
  if (!groups.size) return [...changes];
  return changes.filter((c) => {
    if (!c.path || c.criticality.level !== "NON_BREAKING") return true;
    for (let end = c.path.length; end > 0; end = c.path.lastIndexOf(".", end - 1)) {
      const group = groups.get(c.path.slice(0, end));
      if (group && group !== c) return false;
    }
    return true;
  });
}
