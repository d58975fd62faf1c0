import { rule } from "./define.ts";

export const directiveRules = [
  rule("DIRECTIVE_ADDED", "safe", ["directive"], "A directive was defined.", {
    why: "A new definition changes nothing for existing operations or schema documents; it only becomes usable.",
  }),
  rule("DIRECTIVE_REMOVED", "breaking", ["directive"], "A directive definition was removed.", {
    why: "Operations (for executable directives) or schema documents that apply it no longer validate.",
    fix: "Stop applying the directive everywhere first, then remove its definition.",
  }),
  rule("DIRECTIVE_DESCRIPTION_CHANGED", "safe", ["directive", "description"], "A directive description changed.", {
    why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default.",
  }),
  rule("DIRECTIVE_LOCATION_ADDED", "safe", ["directive"], "A directive may be used in one more location.", {
    why: "Every existing use of the directive stays valid; it is only allowed in more places.",
  }),
  rule("DIRECTIVE_LOCATION_REMOVED", "breaking", ["directive"], "A location was removed from a directive.", {
    why: "Uses of the directive at that location no longer validate.",
    fix: "Remove the uses at that location first, then the location.",
  }),
  rule("DIRECTIVE_REPEATABLE_ADDED", "safe", ["directive"], "A directive became repeatable.", {
    why: "Every existing single use stays valid; the directive may now also be applied more than once.",
  }),
  rule("DIRECTIVE_REPEATABLE_REMOVED", "dangerous", ["directive"], "A directive is no longer repeatable.", {
    why: "Places that apply the directive more than once no longer validate (graphql-js rates this breaking; the inspector dangerous).",
  }),
  rule("DIRECTIVE_ARGUMENT_ADDED", "breaking", ["directive"], "An argument was added to a directive: breaking when non-null (even with a default), safe otherwise or on a new directive.", {
    why: "Existing uses of the directive do not pass the new argument.",
    fix: "Make the new argument nullable.",
  }),
  rule("DIRECTIVE_ARGUMENT_REMOVED", "breaking", ["directive"], "An argument was removed from a directive.", {
    why: "Uses of the directive that pass the argument no longer validate.",
    fix: "Stop passing the argument everywhere first, then remove it.",
  }),
  rule("DIRECTIVE_ARGUMENT_TYPE_CHANGED", "breaking", ["directive"], "The type of a directive argument changed; safe only when it drops non-null.", {
    why: "Values passed to the directive were typed for the old argument type.",
    fix: "Add a new argument with the new type and deprecate the old one.",
  }),
  rule("DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED", "dangerous", ["directive"], "The default value of a directive argument changed.", {
    why: "Places in the schema or in operations that apply the directive without the argument now get the new value, so its behaviour changes without any edit on their side.",
  }),
  rule("DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED", "safe", ["directive", "description"], "A directive argument description changed.", {
    why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default.",
  }),
];

const LOCATIONS: Array<[string, string]> = [
  ["SCHEMA", "the schema"],
  ["SCALAR", "a scalar"],
  ["OBJECT", "an object type"],
  ["INTERFACE", "an interface"],
  ["UNION_MEMBER", "a union"],
  ["ENUM", "an enum"],
  ["ENUM_VALUE", "an enum value"],
  ["INPUT_OBJECT", "an input type"],
  ["FIELD_DEFINITION", "a field"],
  ["ARGUMENT_DEFINITION", "an argument"],
  ["INPUT_FIELD_DEFINITION", "an input field"],
  ["FIELD", "a field (executable location)"],
];

const USAGE_WHY =
  "Applied directives can change runtime behaviour (authorization, caching, federation keys), so adding or removing one is dangerous. @deprecated is safe; adding @oneOf is breaking (inputs must then set exactly one field). Changes on a new element are safe.";

export const directiveUsageRules = [
  ...LOCATIONS.flatMap(([loc, what]) => [
    rule(`DIRECTIVE_USAGE_${loc}_ADDED`, "dangerous", ["directive-usage"], `A directive was applied to ${what}.`, { why: USAGE_WHY }),
    rule(`DIRECTIVE_USAGE_${loc}_REMOVED`, "dangerous", ["directive-usage"], `A directive was removed from ${what}.`, { why: USAGE_WHY }),
  ]),
  rule("DIRECTIVE_USAGE_ARGUMENT_ADDED", "safe", ["directive-usage"], "An argument was added to an applied directive.", {
    why: "The schema now passes a value the directive could already take; clients see no change in what they may send or receive (a changed value is reported as a removal plus this addition).",
  }),
  rule("DIRECTIVE_USAGE_ARGUMENT_REMOVED", "dangerous", ["directive-usage"], "An argument was removed from an applied directive (a changed value is reported as removed plus added).", {
    why: "The element now gets the directive's default for that argument (or none), so what the directive does there (authorization, caching, federation keys) may change for clients.",
  }),
];
