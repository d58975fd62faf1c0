import { diff as inspect, type Change } from "@graphql-inspector/core";
import { getNamedType, isInterfaceType, isObjectType, Kind, type TypeNode } from "graphql";
import type { DiffOptions, LoadedContract } from "../../core/engine.ts";
import type { Finding, Severity } from "../../core/finding.ts";
import type { Location } from "../../core/location.ts";
import type { GraphqlModel } from "./model.ts";
import { narrowedSchemas } from "./narrow.ts";
import { simplifyChanges } from "./simplify.ts";
import { applyUsage, diffOperations } from "./usage.ts";

const SEVERITY: Record<string, Severity> = { BREAKING: "breaking", DANGEROUS: "dangerous", NON_BREAKING: "safe" };

/** Changes that only touch documentation; reported as safe and hidden from text output by default. */
const DESCRIPTION_CHANGES = new Set([
  "TYPE_DESCRIPTION_ADDED",
  "TYPE_DESCRIPTION_REMOVED",
  "TYPE_DESCRIPTION_CHANGED",
  "FIELD_DESCRIPTION_ADDED",
  "FIELD_DESCRIPTION_REMOVED",
  "FIELD_DESCRIPTION_CHANGED",
  "FIELD_ARGUMENT_DESCRIPTION_CHANGED",
  "INPUT_FIELD_DESCRIPTION_ADDED",
  "INPUT_FIELD_DESCRIPTION_REMOVED",
  "INPUT_FIELD_DESCRIPTION_CHANGED",
  "ENUM_VALUE_DESCRIPTION_CHANGED",
  "DIRECTIVE_DESCRIPTION_CHANGED",
  "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED",
]);

/** Removals whose element may have carried @deprecated in the old version. */
const REMOVALS = new Set(["FIELD_REMOVED", "INPUT_FIELD_REMOVED", "ENUM_VALUE_REMOVED", "FIELD_ARGUMENT_REMOVED", "DIRECTIVE_ARGUMENT_REMOVED"]);

/** The dedicated deprecation changes; a directive-usage change of @deprecated at the same path repeats them. */
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

/** References whose change is reported on the enclosing type; the meta key naming the reference. */
const REF_KEYS: Record<string, string> = {
  UNION_MEMBER_ADDED: "addedUnionMemberTypeName",
  UNION_MEMBER_REMOVED: "removedUnionMemberTypeName",
  OBJECT_TYPE_INTERFACE_ADDED: "addedInterfaceName",
  OBJECT_TYPE_INTERFACE_REMOVED: "removedInterfaceName",
  DIRECTIVE_LOCATION_ADDED: "addedDirectiveLocation",
  DIRECTIVE_LOCATION_REMOVED: "removedDirectiveLocation",
};

/** Root operation type changes have no path in the inspector; comms names them after the schema (`.query`). */
const ROOT_PATHS: Record<string, [string, "query" | "mutation" | "subscription"]> = {
  SCHEMA_QUERY_TYPE_CHANGED: [".query", "query"],
  SCHEMA_MUTATION_TYPE_CHANGED: [".mutation", "mutation"],
  SCHEMA_SUBSCRIPTION_TYPE_CHANGED: [".subscription", "subscription"],
};

/** Element additions: the element did not exist in the old version, so there is no old location. */
function isElementAddition(type: string): boolean {
  return (
    type === "TYPE_ADDED" ||
    type === "FIELD_ADDED" ||
    type === "FIELD_ARGUMENT_ADDED" ||
    type === "INPUT_FIELD_ADDED" ||
    type === "ENUM_VALUE_ADDED" ||
    type === "DIRECTIVE_ADDED" ||
    type === "DIRECTIVE_ARGUMENT_ADDED" ||
    (type.startsWith("DIRECTIVE_USAGE_") && type.endsWith("_ADDED"))
  );
}

/**
 * Runs GraphQL Inspector on two versions and turns its changes into comms findings, with the
 * policy comms adds on top: the parts of an added element merged into it (never a breaking,
 * dangerous or unrelated change), one report per deprecation,
 * description changes marked cosmetic, deprecated removals flagged, directive ignores, enum
 * additions judged by whether clients receive the enum, then consumer operations.
 */
export async function diffGraphql(
  before: LoadedContract<GraphqlModel>,
  after: LoadedContract<GraphqlModel>,
  options: DiffOptions,
): Promise<Finding[]> {
  if (before.model.operations || after.model.operations) return diffOperations(before.model, after.model);
  const [oldSchema, newSchema] =
    before.model.document && after.model.document
      ? narrowedSchemas(before.model.document, after.model.document)
      : [before.model.schema, after.model.schema];
  const raw = await inspect(oldSchema, newSchema);
  const simplified = simplifyChanges(raw);
  const ignored = new Set(asStrings(options.settings["ignore-directives"]).map((d) => d.replace(/^@/, "")));
  const changes = dropRepeatedDeprecations(simplified).filter((c) => !ignored.size || !ignored.has(directiveOf(c) ?? ""));
  const findings = changes.map((c) => toFinding(c, before.model, after.model));
  judgeAddedEnumValues(findings, after.model, options.settings["strict-enums"] === true);
  if (options.operations) applyUsage(findings, options.operations, before.model, after.model, options);
  return findings;
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

/** The applied directive a directive-usage change is about, by exact name. */
function directiveOf(c: Change): string | undefined {
  if (!String(c.type).startsWith("DIRECTIVE_USAGE_")) return undefined;
  const m = c.meta as Record<string, unknown>;
  const name = m.addedDirectiveName ?? m.removedDirectiveName ?? m.directiveName;
  return typeof name === "string" ? name : undefined;
}

/**
 * The inspector reports a deprecation twice (FIELD_DEPRECATION_ADDED and the @deprecated directive
 * usage), and a changed or removed reason also as directive-argument changes, the removal rated
 * dangerous. Keep only the dedicated deprecation change.
 */
function dropRepeatedDeprecations(changes: Change[]): Change[] {
  const deprecated = new Set<string>();
  for (const c of changes) if (DEPRECATION_CHANGES.has(c.type) && c.path) deprecated.add(c.path.replace(/\.@deprecated$/, ""));
  if (!deprecated.size) return changes;
  return changes.filter((c) => {
    if (!c.path || !String(c.type).startsWith("DIRECTIVE_USAGE_")) return true;
    const element = /^(.*)\.@deprecated(?:\.[^.]+)?$/.exec(c.path)?.[1];
    return element === undefined || !deprecated.has(element);
  });
}

function toFinding(c: Change, before: GraphqlModel, after: GraphqlModel): Finding {
  const type = String(c.type);
  const root = ROOT_PATHS[type];
  const path = c.path ?? root?.[0] ?? "";
  const f: Finding = { rule: type, severity: SEVERITY[c.criticality.level] ?? "dangerous", path, message: c.message };
  const refKey = REF_KEYS[type];
  const ref = refKey ? (c.meta as Record<string, unknown>)[refKey] : undefined;
  let oldLoc: Location | undefined;
  let newLoc: Location | undefined;
  if (root) {
    oldLoc = locateRoot(before, root[1]);
    newLoc = locateRoot(after, root[1]);
  } else if (typeof ref === "string") {
    oldLoc = (type.endsWith("_REMOVED") ? before.locateRef(path, ref) : undefined) ?? before.locate(path, false);
    newLoc = (type.endsWith("_ADDED") ? after.locateRef(path, ref) : undefined) ?? after.locate(path, false);
  } else {
    // The inspector's path of an added directive argument is the directive; point at the argument.
    const arg = type === "DIRECTIVE_ARGUMENT_ADDED" ? (c.meta as Record<string, unknown>).addedDirectiveArgumentName : undefined;
    oldLoc = isElementAddition(type) ? undefined : before.locate(path, false);
    newLoc = (typeof arg === "string" ? after.locate(`${path}.${arg}`, true) : undefined) ?? after.locate(path, false);
  }
  if (oldLoc) f.old = oldLoc;
  if (newLoc) f.new = newLoc;
  // The inspector's path is the enclosing element; comms names the member, interface, location or
  // argument too, so that two such changes on one element are told apart (and accepted) by identity.
  const named = typeof ref === "string" ? ref : type === "DIRECTIVE_ARGUMENT_ADDED" ? (c.meta as Record<string, unknown>).addedDirectiveArgumentName : undefined;
  if (typeof named === "string" && path) f.path = `${path}.${named}`;
  if (DESCRIPTION_CHANGES.has(type)) {
    f.severity = "safe";
    f.cosmetic = true;
  }
  if (REMOVALS.has(type) && before.deprecated(path)) f.deprecated = {};
  return f;
}

function locateRoot(model: GraphqlModel, op: "query" | "mutation" | "subscription"): Location | undefined {
  const explicit = model.locate(`.${op}`, true);
  if (explicit) return explicit;
  const rootType = model.schema.getRootType(op as never);
  return rootType ? model.locate(rootType.name, true) : model.locate("", true);
}

/**
 * A value added to an enum only matters to clients that receive it. An enum that no field returns
 * (used only in arguments and input fields, or not at all) can never reach a client, so the
 * addition is safe, as request-only enums are judged for OpenAPI. For returned enums it stays
 * dangerous, and with `strict-enums` it is breaking (clients that switch over every value break).
 */
function judgeAddedEnumValues(findings: Finding[], after: GraphqlModel, strict: boolean): void {
  let outputs: Set<string> | undefined;
  for (const f of findings) {
    if (f.rule !== "ENUM_VALUE_ADDED" || f.severity !== "dangerous") continue;
    outputs ??= outputTypeNames(after);
    const enumName = f.path.split(".")[0]!;
    if (!outputs.has(enumName)) {
      f.severity = "safe";
      f.note = `no field returns '${enumName}' (it is only used in inputs), so no client receives the new value`;
    } else if (strict) {
      f.severity = "breaking";
      f.note = `'${enumName}' is returned by the API and strict-enums is on: clients that handle every value break`;
    }
  }
}

/** Named types that object or interface fields return. Read from the SDL when there is one (no schema build). */
function outputTypeNames(model: GraphqlModel): Set<string> {
  const out = new Set<string>();
  if (model.document) {
    for (const d of model.document.definitions) {
      if (d.kind !== Kind.OBJECT_TYPE_DEFINITION && d.kind !== Kind.OBJECT_TYPE_EXTENSION && d.kind !== Kind.INTERFACE_TYPE_DEFINITION && d.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
      for (const field of d.fields ?? []) {
        let t: TypeNode = field.type;
        while (t.kind !== Kind.NAMED_TYPE) t = t.type;
        out.add(t.name.value);
      }
    }
    return out;
  }
  for (const t of Object.values(model.schema.getTypeMap())) {
    if (!isObjectType(t) && !isInterfaceType(t)) continue;
    for (const field of Object.values(t.getFields())) out.add(getNamedType(field.type).name);
  }
  return out;
}
