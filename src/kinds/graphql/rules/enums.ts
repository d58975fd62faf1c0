import { rule } from "./define.ts";

const DEPRECATION = { why: "Deprecation is advisory: it changes introspection and tooling hints, not what clients may send." };

export const enumRules = [
  rule("ENUM_VALUE_ADDED", "dangerous", ["enum"], "A value was added to an enum that fields return (safe on a new enum, or on an enum only used in arguments and input fields).", {
    why: "Clients that switch over every value of an enum they receive may not handle the new one; an enum no field returns never reaches a client, so adding to it is safe. With strict-enums, values added to returned enums are breaking.",
    fix: "Make sure clients have a default branch for unknown values before the server returns the new one.",
  }),
  rule("ENUM_VALUE_REMOVED", "breaking", ["enum"], "A value was removed from an enum.", {
    why: "Operations and variables that send the value no longer validate. Removing a deprecated value is flagged for the deprecation policy.",
    fix: "Deprecate the value first and remove it after clients stopped sending it.",
    example: { old: "enum Role { ADMIN USER GUEST }", new: "enum Role { ADMIN USER }" },
  }),
  rule("ENUM_VALUE_DESCRIPTION_CHANGED", "safe", ["enum", "description"], "An enum value description changed.", {
    why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default.",
  }),
  rule("ENUM_VALUE_DEPRECATION_REASON_ADDED", "safe", ["enum", "deprecation"], "An enum value was deprecated (deprecation reason added).", DEPRECATION),
  rule("ENUM_VALUE_DEPRECATION_REASON_REMOVED", "safe", ["enum", "deprecation"], "An enum value's deprecation was removed.", DEPRECATION),
  rule("ENUM_VALUE_DEPRECATION_REASON_CHANGED", "safe", ["enum", "deprecation"], "An enum value's deprecation reason changed.", DEPRECATION),
];

export const unionRules = [
  rule("UNION_MEMBER_ADDED", "dangerous", ["union"], "A member type was added to a union (safe on a new union).", {
    why: "Clients that handle every member with inline fragments receive objects of a type they do not expect.",
    fix: "Make sure clients ignore or handle unknown __typename values.",
  }),
  rule("UNION_MEMBER_REMOVED", "breaking", ["union"], "A member type was removed from a union.", {
    why: "Fragments on the removed member inside the union no longer validate.",
    fix: "Stop returning the member first; remove it once no client spreads fragments on it.",
  }),
  rule("OBJECT_TYPE_INTERFACE_ADDED", "dangerous", ["interface"], "A type now implements an interface (safe on a new type).", {
    why: "Clients that handle every implementation of the interface may see objects of a type they do not expect.",
  }),
  rule("OBJECT_TYPE_INTERFACE_REMOVED", "breaking", ["interface"], "A type no longer implements an interface.", {
    why: "Fragments on the type inside selections of the interface (and the reverse) no longer validate.",
    fix: "Keep the interface; deprecate its fields on the type if they should go away.",
  }),
];
