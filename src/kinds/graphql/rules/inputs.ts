import { rule } from "./define.ts";

const DOCS = { why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default." };

export const inputRules = [
  rule("INPUT_FIELD_ADDED", "breaking", ["input"], "A field was added to an input type: breaking when required (non-null without default), dangerous with a default, safe when nullable or on a new input type.", {
    why: "Clients that build the input object do not send the new field; a required one makes their requests invalid.",
    fix: "Make the new input field nullable or give it a default value.",
    example: { old: "input NewUser { name: String! }", new: "input NewUser { name: String! email: String! }" },
  }),
  rule("INPUT_FIELD_REMOVED", "breaking", ["input"], "A field was removed from an input type.", {
    why: "Clients that send the field get a validation error.",
    fix: "Deprecate the input field and ignore its value before removing it.",
  }),
  rule("INPUT_FIELD_TYPE_CHANGED", "breaking", ["input"], "The type of an input field changed; safe only when it drops non-null.", {
    why: "Values clients send were typed for the old input field type.",
    fix: "Add a new input field with the new type and deprecate the old one.",
  }),
  rule("INPUT_FIELD_DEFAULT_VALUE_CHANGED", "dangerous", ["input"], "The default value of an input field changed.", {
    why: "Clients that omit the field get a different behaviour without any change on their side.",
  }),
  rule("INPUT_FIELD_DESCRIPTION_ADDED", "safe", ["input", "description"], "An input field description was added.", DOCS),
  rule("INPUT_FIELD_DESCRIPTION_REMOVED", "safe", ["input", "description"], "An input field description was removed.", DOCS),
  rule("INPUT_FIELD_DESCRIPTION_CHANGED", "safe", ["input", "description"], "An input field description changed.", DOCS),
];
