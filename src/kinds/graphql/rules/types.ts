import { rule } from "./define.ts";

const DOCS = { why: "Descriptions are documentation only; reported as cosmetic and hidden from text output by default." };
const ROOT = (op: string) => ({
  why: `Every ${op} operation is executed against the ${op} root type; replacing or removing it invalidates all of them. Setting a root where none existed is safe.`,
  fix: `Keep the existing ${op} root type name and add fields to it instead.`,
});

export const typeRules = [
  rule("TYPE_ADDED", "safe", ["type"], "A type was added.", {
    why: "Nothing existing changes: operations only reach the new type through new fields, so no client is affected until it opts in.",
  }),
  rule("TYPE_REMOVED", "breaking", ["type"], "A type was removed.", {
    why: "Operations that select fields returning it, spread fragments on it or declare variables of it no longer validate.",
    fix: "Deprecate the fields that use the type, wait until clients stop using them, then remove it.",
    example: { old: "type Avatar { url: String }", new: "" },
  }),
  rule("TYPE_KIND_CHANGED", "breaking", ["type"], "A type changed kind (e.g. object to interface, or enum to scalar).", {
    why: "Selections, fragments and input values written for the old kind are no longer valid for the new one.",
    fix: "Introduce a new type of the new kind next to the old one and migrate clients.",
  }),
  rule("TYPE_DESCRIPTION_ADDED", "safe", ["type", "description"], "A type description was added.", DOCS),
  rule("TYPE_DESCRIPTION_REMOVED", "safe", ["type", "description"], "A type description was removed.", DOCS),
  rule("TYPE_DESCRIPTION_CHANGED", "safe", ["type", "description"], "A type description changed.", DOCS),
  rule("SCHEMA_QUERY_TYPE_CHANGED", "breaking", ["schema"], "The query root type changed.", ROOT("query")),
  rule("SCHEMA_MUTATION_TYPE_CHANGED", "breaking", ["schema"], "The mutation root type changed.", ROOT("mutation")),
  rule("SCHEMA_SUBSCRIPTION_TYPE_CHANGED", "breaking", ["schema"], "The subscription root type changed.", ROOT("subscription")),
];
