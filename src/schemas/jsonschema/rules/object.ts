import { type Pattern, regex } from "../load.ts";
import type { Lazy, ObjectSchema } from "../model.ts";
import { allBoundRules, boundRules, compareBound } from "./bounds.ts";
import { type DiffContext, jsRule, type JsonSchemaRule } from "./define.ts";

export const MAX_PROPERTIES = boundRules("maxProperties", "MAX_PROPERTIES", true, "property count");
export const MIN_PROPERTIES = boundRules("minProperties", "MIN_PROPERTIES", false, "property count");

const open = "Every document valid before is still valid";
export const REQUIRED_ATTRIBUTE_ADDED = jsRule("REQUIRED_ATTRIBUTE_ADDED", false, "An existing property became required.", "Documents written without the property are rejected by consumers on the new schema.", {
  fix: "Keep the property optional, or give it a `default` (the registry then accepts the change).",
});
export const REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED = jsRule("REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", true, "An existing property with a default became required.", "Consumers fill in the default for documents written without it.");
export const REQUIRED_ATTRIBUTE_REMOVED = jsRule("REQUIRED_ATTRIBUTE_REMOVED", true, "A property is no longer required.", `${open}; consumers must now cope with documents that omit it.`);

export const ADDITIONAL_PROPERTIES = {
  added: jsRule("ADDITIONAL_PROPERTIES_ADDED", true, "`additionalProperties: false` was lifted.", `${open}: the content model opened up.`),
  removed: jsRule("ADDITIONAL_PROPERTIES_REMOVED", false, "The content model was closed (`additionalProperties: false`).", "Documents written with properties the schema does not list are now rejected.", { lenient: true }),
  narrowed: jsRule("ADDITIONAL_PROPERTIES_NARROWED", false, "Unlisted properties, allowed with any value, must now match a schema.", "Documents written with other values in unlisted properties are now rejected.", { lenient: true }),
  extended: jsRule("ADDITIONAL_PROPERTIES_EXTENDED", true, "The schema for unlisted properties was dropped: any value is allowed.", `${open}.`),
};
export const UNEVALUATED_PROPERTIES = {
  added: jsRule("UNEVALUATED_PROPERTIES_ADDED", true, "`unevaluatedProperties: false` was lifted.", `${open}.`),
  removed: jsRule("UNEVALUATED_PROPERTIES_REMOVED", false, "`unevaluatedProperties: false` was added.", "Documents written with properties no subschema evaluates are now rejected.", { lenient: true }),
  narrowed: jsRule("UNEVALUATED_PROPERTIES_NARROWED", false, "Unevaluated properties must now match a schema.", "Documents written with other unevaluated properties are now rejected.", { lenient: true }),
  extended: jsRule("UNEVALUATED_PROPERTIES_EXTENDED", true, "The schema for unevaluated properties was dropped.", `${open}.`),
};

export const DEPENDENCY_ARRAY_ADDED = jsRule("DEPENDENCY_ARRAY_ADDED", false, "A property dependency was added (if A is present, B must be).", "Documents written with A but without B are now rejected.");
export const DEPENDENCY_ARRAY_REMOVED = jsRule("DEPENDENCY_ARRAY_REMOVED", true, "A property dependency was removed.", `${open}.`);
export const DEPENDENCY_ARRAY_EXTENDED = jsRule("DEPENDENCY_ARRAY_EXTENDED", false, "A property dependency requires more properties.", "Documents written with only the old dependent properties are now rejected.");
export const DEPENDENCY_ARRAY_NARROWED = jsRule("DEPENDENCY_ARRAY_NARROWED", true, "A property dependency requires fewer properties.", `${open}.`);
export const DEPENDENCY_ARRAY_CHANGED = jsRule("DEPENDENCY_ARRAY_CHANGED", false, "A property dependency requires other properties.", "Documents that satisfied the old dependency may not satisfy the new one.");
export const DEPENDENCY_SCHEMA_ADDED = jsRule("DEPENDENCY_SCHEMA_ADDED", false, "A schema dependency was added.", "Documents with the property must now also satisfy the new schema.");
export const DEPENDENCY_SCHEMA_REMOVED = jsRule("DEPENDENCY_SCHEMA_REMOVED", true, "A schema dependency was removed.", `${open}.`);

export const PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = jsRule(
  "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
  false,
  "A property was added to an open content model.",
  "Old documents may already carry a property of that name with any value; the new schema constrains it.",
);
export const REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = jsRule("REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", false, "A required property was added to an open content model.", "Documents written without it are rejected by consumers on the new schema.", {
  fix: "Add it as optional (and close the content model), or give it a default.",
});
export const REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL = jsRule(
  "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL",
  false,
  "A required property with a default was added to an open content model.",
  "Old documents may carry a property of that name with a value the new schema rejects.",
  { lenient: true },
);
export const OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = jsRule(
  "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
  false,
  "An optional property was added to an open content model (no `additionalProperties: false`).",
  "The open model allowed any value under that name before, so old documents may carry values the new property schema rejects.",
  { lenient: true, fix: "Close the content model (`additionalProperties: false`) before adding properties, or use the lenient policy." },
);
export const PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = jsRule("PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", true, "A property that accepts anything was added to an open content model.", `${open}.`);
export const REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = jsRule("REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", false, "A required property was added to a closed content model.", "Documents written without it are rejected by consumers on the new schema.");
export const REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL = jsRule("REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", true, "A required property with a default was added to a closed content model.", "Consumers fill in the default for documents written without it.");
export const OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = jsRule("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", true, "An optional property was added to a closed content model.", "Old documents could not carry it, so they are still valid.");
export const PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL = jsRule("PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", true, "A property was removed from an open content model.", `${open}: the property is now allowed with any value.`);
export const PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL = jsRule(
  "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
  false,
  "A property was removed from a closed content model.",
  "Documents written with the property are rejected by consumers on the new schema, which no longer allows it.",
  { lenient: true },
);
export const PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = jsRule("PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", true, "A property declared `false` was removed from a closed content model.", "No document could carry it, so nothing changes.");
export const PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, "A removed property is still allowed by `patternProperties` or `additionalProperties`, with a compatible schema.", `${open}.`);
export const PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule(
  "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  false,
  "A removed property falls under `patternProperties` or `additionalProperties` with an incompatible schema.",
  "Old values of the property may not satisfy the schema that now covers it.",
  { lenient: true },
);
export const PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule("PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, "An added property was already allowed by `patternProperties` or `additionalProperties` with a schema the new one accepts.", `${open}.`);
export const PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = jsRule(
  "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL",
  false,
  "An added property was allowed by `patternProperties` or `additionalProperties` with values its new schema rejects.",
  "Old documents may carry the property with such values.",
  { lenient: true },
);
export const RESERVED_PROPERTY_REMOVED = jsRule("RESERVED_PROPERTY_REMOVED", false, "A reserved property name was released (registry metadata).", "The name may be reused with another meaning.");
export const RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY = jsRule("RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY", false, "A property uses a reserved name (registry metadata).", "Reserved names must not be reused.");

function isOpen(s: ObjectSchema): boolean {
  return s.additional && !s.additionalSchema && s.patternProperties.size === 0 && s.unevaluated && !s.unevaluatedSchema;
}

/**
 * The schema a partially open model applies to a property name: a matching pattern, else
 * additionalProperties. A pattern the linear-time engine cannot evaluate is taken the cautious way:
 * as matching where a match makes the change riskier (`unknown: "matches"`), else as covering nothing.
 */
function covering(s: ObjectSchema, name: string, unknown: "matches" | "uncovered"): Lazy | undefined {
  for (const [p, schema] of s.patternProperties) {
    let re: Pattern | undefined;
    try {
      re = regex(p, () => {
        throw new Error();
      });
    } catch {
      continue;
    }
    if (!re.exact) {
      if (unknown === "matches") return schema;
      return undefined;
    }
    if (re.test(name)) return schema;
  }
  if (!s.additional) return undefined;
  return s.additionalSchema ?? (s.unevaluated ? s.unevaluatedSchema : undefined);
}

function permits(ctx: DiffContext, rules: typeof ADDITIONAL_PROPERTIES, keyword: string, o: [boolean, Lazy | undefined], u: [boolean, Lazy | undefined]): void {
  const key = { key: [keyword] };
  if (o[0] !== u[0]) ctx.add(o[0] ? rules.removed : rules.added, `${keyword} ${o[0] ? "closed" : "opened"}`, key);
  else if (!o[1] && u[1]) ctx.add(rules.narrowed, `${keyword} narrowed to a schema`, key);
  else if (o[1] && !u[1]) ctx.add(rules.extended, `${keyword} schema removed`, key);
  else if (o[1] && u[1]) ctx.compare(o[1], u[1], [keyword]);
}

function sameSet(a: string[], b: string[]): "same" | "extended" | "narrowed" | "changed" {
  const as = new Set(a);
  const bs = new Set(b);
  const added = b.some((x) => !as.has(x));
  const removed = a.some((x) => !bs.has(x));
  return !added && !removed ? "same" : !removed ? "extended" : !added ? "narrowed" : "changed";
}

export function compareObject(ctx: DiffContext): void {
  const o = ctx.original as ObjectSchema;
  const u = ctx.update as ObjectSchema;
  const dep = (k: string) => ({ key: [o.keys.dependencies, k], registry: ["dependencies", k] });
  for (const [k, list] of o.propertyDependencies) {
    const other = u.propertyDependencies.get(k);
    if (!other) ctx.add(DEPENDENCY_ARRAY_REMOVED, `dependency of '${k}' removed`, dep(k));
    else {
      const r = sameSet(list, other);
      const rule: Record<string, JsonSchemaRule> = { extended: DEPENDENCY_ARRAY_EXTENDED, narrowed: DEPENDENCY_ARRAY_NARROWED, changed: DEPENDENCY_ARRAY_CHANGED };
      if (r !== "same") ctx.add(rule[r]!, `dependency of '${k}' ${r}`, dep(k));
    }
  }
  for (const k of u.propertyDependencies.keys()) if (!o.propertyDependencies.has(k)) ctx.add(DEPENDENCY_ARRAY_ADDED, `dependency of '${k}' added`, { key: [u.keys.dependencies, k], side: "new", registry: ["dependencies", k] });
  for (const [k, s] of o.schemaDependencies) {
    const other = u.schemaDependencies.get(k);
    if (!other) ctx.add(DEPENDENCY_SCHEMA_REMOVED, `schema dependency of '${k}' removed`, { key: [o.keys.schemaDependencies, k], registry: ["dependencies", k] });
    else ctx.compare(s, other, ["dependencies", k]);
  }
  for (const k of u.schemaDependencies.keys()) if (!o.schemaDependencies.has(k)) ctx.add(DEPENDENCY_SCHEMA_ADDED, `schema dependency of '${k}' added`, { key: [u.keys.schemaDependencies, k], side: "new", registry: ["dependencies", k] });

  compareBound(ctx, MAX_PROPERTIES, o.maxProperties, u.maxProperties);
  compareBound(ctx, MIN_PROPERTIES, o.minProperties, u.minProperties);
  permits(ctx, ADDITIONAL_PROPERTIES, "additionalProperties", [o.additional, o.additionalSchema], [u.additional, u.additionalSchema]);
  permits(ctx, UNEVALUATED_PROPERTIES, "unevaluatedProperties", [o.unevaluated, o.unevaluatedSchema], [u.unevaluated, u.unevaluatedSchema]);

  // `required` changes point at the property itself.
  const prop = (name: string, side: "old" | "new" = "old") => ({ key: ["properties", name], side });
  const req = (name: string, side: "old" | "new" = "old") => ({ ...prop(name, side), registry: ["required", name] });
  for (const name of o.required) if (!u.required.includes(name)) ctx.add(REQUIRED_ATTRIBUTE_REMOVED, `property '${name}' is no longer required`, req(name));
  for (const name of u.required) {
    if (o.required.includes(name) || !o.properties.has(name)) continue;
    const withDefault = u.properties.get(name)?.().hasDefault;
    ctx.add(withDefault ? REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED : REQUIRED_ATTRIBUTE_ADDED, `property '${name}' became required`, req(name, "new"));
  }

  for (const [name, schema] of o.properties) {
    const other = u.properties.get(name);
    if (other) {
      ctx.compare(schema, other, ["properties", name]);
      continue;
    }
    const where = prop(name);
    if (isOpen(u)) ctx.add(PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL, `property '${name}' removed`, where);
    else if (schema().k === "false") ctx.add(PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, `property '${name}' (false) removed`, where);
    else {
      const cover = covering(u, name, "uncovered");
      if (!cover) ctx.add(PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, `property '${name}' removed from a closed content model`, where);
      else {
        const t = ctx.trial(schema, cover, ["properties", name]);
        ctx.merge(t.differences);
        ctx.add(t.compatible ? PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL : PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, `property '${name}' removed`, where);
      }
    }
  }
  for (const [name, schema] of u.properties) {
    if (o.properties.has(name)) continue;
    const where = prop(name, "new");
    const required = u.required.includes(name);
    const withDefault = !!schema().hasDefault;
    if (isOpen(o)) {
      if (schema().k === "empty") ctx.add(PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL, `property '${name}' added`, where);
      else if (required)
        ctx.add(withDefault ? REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL : REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, `required property '${name}' added`, where);
      else ctx.add(OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, `optional property '${name}' added to an open content model`, where);
      continue;
    }
    const cover = covering(o, name, "matches");
    if (cover) {
      const t = ctx.trial(cover, schema, ["properties", name]);
      ctx.merge(t.differences);
      ctx.add(t.compatible ? PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL : PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL, `property '${name}' added`, where);
    }
    if (required)
      ctx.add(withDefault ? REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL : REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, `required property '${name}' added`, where);
    else ctx.add(OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL, `optional property '${name}' added`, where);
  }
}

export const OBJECT_RULES = [
  ...allBoundRules(MAX_PROPERTIES),
  ...allBoundRules(MIN_PROPERTIES),
  REQUIRED_ATTRIBUTE_ADDED,
  REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED,
  REQUIRED_ATTRIBUTE_REMOVED,
  ...Object.values(ADDITIONAL_PROPERTIES),
  ...Object.values(UNEVALUATED_PROPERTIES),
  DEPENDENCY_ARRAY_ADDED,
  DEPENDENCY_ARRAY_REMOVED,
  DEPENDENCY_ARRAY_EXTENDED,
  DEPENDENCY_ARRAY_NARROWED,
  DEPENDENCY_ARRAY_CHANGED,
  DEPENDENCY_SCHEMA_ADDED,
  DEPENDENCY_SCHEMA_REMOVED,
  PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL,
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL,
  PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL,
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
  REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL,
  OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
  PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
  PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL,
  PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
  RESERVED_PROPERTY_REMOVED,
  RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY,
];
