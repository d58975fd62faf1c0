import { rule } from "./define.ts";

const DOCS = { why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default." };
const DEPRECATION = { why: "Deprecation is advisory: it changes introspection and tooling hints, not what operations may select." };

export const fieldRules = [
  rule("FIELD_ADDED", "safe", ["field"], "A field was added to an object or interface type.", {
    why: "Clients only receive fields they select, so existing operations get the same responses; on an interface, every implementation must now provide it.",
  }),
  rule("FIELD_REMOVED", "breaking", ["field"], "A field was removed from an object or interface type.", {
    why: "Operations selecting the field no longer validate. Removing a deprecated field is flagged so the deprecation policy can allow it once the deprecation is old enough.",
    fix: "Mark the field @deprecated(reason: \"use …\") first, and remove it after clients have migrated.",
    example: { old: "type User { email: String }", new: "type User { id: ID }" },
  }),
  rule("FIELD_TYPE_CHANGED", "breaking", ["field"], "The type of a field changed; safe only when it adds non-null (String to String!).", {
    why: "Clients decode the response by the declared type; a different named type, a list change or a nullable result they do not expect breaks them.",
    fix: "Add a new field with the new type and deprecate the old one.",
    example: { old: "type User { age: Int }", new: "type User { age: String }" },
  }),
  rule("FIELD_DESCRIPTION_ADDED", "safe", ["field", "description"], "A field description was added.", DOCS),
  rule("FIELD_DESCRIPTION_REMOVED", "safe", ["field", "description"], "A field description was removed.", DOCS),
  rule("FIELD_DESCRIPTION_CHANGED", "safe", ["field", "description"], "A field description changed.", DOCS),
  rule("FIELD_DEPRECATION_ADDED", "safe", ["field", "deprecation"], "A field was marked @deprecated.", DEPRECATION),
  rule("FIELD_DEPRECATION_REMOVED", "safe", ["field", "deprecation"], "A field is no longer @deprecated.", DEPRECATION),
  rule("FIELD_DEPRECATION_REASON_ADDED", "safe", ["field", "deprecation"], "A deprecation reason was added to a field.", DEPRECATION),
  rule("FIELD_DEPRECATION_REASON_REMOVED", "safe", ["field", "deprecation"], "A field's deprecation reason was removed.", DEPRECATION),
  rule("FIELD_DEPRECATION_REASON_CHANGED", "safe", ["field", "deprecation"], "A field's deprecation reason changed.", DEPRECATION),
];

export const argumentRules = [
  rule("FIELD_ARGUMENT_ADDED", "breaking", ["argument"], "An argument was added to a field: breaking when required (non-null without default), dangerous otherwise, safe on a new field.", {
    why: "Existing operations do not pass the new argument; a required one makes them invalid, an optional one may change results.",
    fix: "Make the argument nullable or give it a default value.",
    example: { old: "type Query { users: [User] }", new: "type Query { users(first: Int!): [User] }" },
  }),
  rule("FIELD_ARGUMENT_REMOVED", "breaking", ["argument"], "An argument was removed from a field.", {
    why: "Operations that pass the argument no longer validate.",
    fix: "Deprecate the argument and ignore it on the server before removing it.",
  }),
  rule("FIELD_ARGUMENT_TYPE_CHANGED", "breaking", ["argument"], "The type of a field argument changed; safe only when it drops non-null (Int! to Int).", {
    why: "Values and variables clients send were typed for the old argument type.",
    fix: "Add a new argument with the new type and deprecate the old one.",
  }),
  rule("FIELD_ARGUMENT_DEFAULT_CHANGED", "dangerous", ["argument"], "The default value of a field argument changed.", {
    why: "Operations that omit the argument get different results without any change on their side.",
  }),
  rule("FIELD_ARGUMENT_DESCRIPTION_CHANGED", "safe", ["argument", "description"], "A field argument description changed.", DOCS),
];
