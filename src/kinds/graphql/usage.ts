import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  Source,
  TypeInfo,
  typeFromAST,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { EngineOptions } from "../../core/engine.ts";
import { ContractError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import { formatLocation, LineIndex, type Location } from "../../core/location.ts";
import type { GraphqlModel } from "./model.ts";

/** One consumer operation with everything it needs to validate (the fragments it spreads). */
export interface Operation {
  name: string | undefined;
  /** `GetUser (ops/user.graphql:3:1)`, as listed in findings. */
  label: string;
  loc: Location;
  document: DocumentNode;
}

/** Rule id for operations that validate against the old schema but not against the new one. */
export const OPERATION_INVALID = "OPERATION_INVALID";

const lineIndexes = new WeakMap<object, LineIndex>();

function nodeLocation(node: ASTNode | undefined): Location | undefined {
  const loc = node?.loc;
  if (!loc) return undefined;
  let lines = lineIndexes.get(loc.source);
  if (!lines) {
    lines = new LineIndex(loc.source.body);
    lineIndexes.set(loc.source, lines);
  }
  return lines.location(loc.source.name, loc.start);
}

/** Parses operation documents; fragments may live in any of the files. */
export function parseOperations(docs: Array<{ file: string; content: string }>): Operation[] {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { file, content } of docs) {
    if (!content.trim()) continue;
    let doc: DocumentNode;
    try {
      doc = parse(new Source(content, file));
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      const at = e.locations?.[0];
      throw new ContractError(e.message, { file, line: at?.line ?? 1, column: at?.column ?? 1 });
    }
    for (const d of doc.definitions) {
      if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
      else if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    }
  }
  return operations.map((op) => {
    const loc = nodeLocation(op) ?? { file: "", line: 1, column: 1 };
    const name = op.name?.value;
    return {
      name,
      label: `${name ?? `anonymous ${op.operation}`} (${formatLocation(loc)})`,
      loc,
      document: { kind: Kind.DOCUMENT, definitions: [op, ...fragmentsOf(op, fragments)] },
    };
  });
}

/** The fragments an operation spreads, transitively. */
function fragmentsOf(op: OperationDefinitionNode, all: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const walk = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(s) {
        const name = s.name.value;
        const def = all.get(name);
        if (!def || found.has(name)) return;
        found.set(name, def);
        walk(def);
      },
    });
  walk(op);
  return [...found.values()];
}

/**
 * Schema coordinates an operation touches in `schema`: types, fields, arguments, input fields and
 * enum values written in the document, and for variables everything the variable's input type can
 * carry (its value is only known at run time).
 */
export function coordinatesOf(op: Operation, schema: GraphQLSchema): Set<string> {
  const uses = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const expandInput = (type: GraphQLNamedType) => {
    if (uses.has(type.name)) return;
    uses.add(type.name);
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        uses.add(`${type.name}.${field.name}`);
        expandInput(getNamedType(field.type));
      }
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) uses.add(`${type.name}.${v.name}`);
    }
  };
  visit(
    op.document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        uses.add(`.${node.operation}`);
      },
      Field() {
        const parent = typeInfo.getParentType();
        const def = typeInfo.getFieldDef();
        if (!parent || !def) return;
        uses.add(parent.name);
        uses.add(`${parent.name}.${def.name}`);
        uses.add(getNamedType(def.type).name);
      },
      Argument(node) {
        const directive = typeInfo.getDirective();
        if (directive) {
          uses.add(`@${directive.name}.${node.name.value}`);
          return;
        }
        const parent = typeInfo.getParentType();
        const def = typeInfo.getFieldDef();
        if (parent && def) uses.add(`${parent.name}.${def.name}.${node.name.value}`);
        const arg = typeInfo.getArgument();
        if (arg) uses.add(getNamedType(arg.type).name);
      },
      Directive(node) {
        uses.add(`@${node.name.value}`);
      },
      ObjectField(node) {
        const parent = typeInfo.getParentInputType();
        const named = parent ? getNamedType(parent) : undefined;
        if (named) uses.add(`${named.name}.${node.name.value}`);
      },
      EnumValue(node) {
        const type = typeInfo.getInputType();
        const named = type ? getNamedType(type) : undefined;
        if (named) uses.add(`${named.name}.${node.value}`);
      },
      VariableDefinition(node) {
        const type = typeFromAST(schema, node.type as never);
        if (type) expandInput(getNamedType(type));
      },
      NamedType(node) {
        if (schema.getType(node.name.value)) uses.add(node.name.value);
      },
    }),
  );
  return uses;
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf(".")));

/** Whether the argument or input field at `path` must be given in `schema` (non-null, no default). */
function requiredIn(schema: GraphQLSchema, path: string): boolean {
  const [typeName, fieldName, argName] = path.split(".");
  if (!typeName || !fieldName) return false;
  if (typeName.startsWith("@")) {
    const arg = schema.getDirective(typeName.slice(1))?.args.find((a) => a.name === fieldName);
    return !!arg && isNonNullType(arg.type) && arg.defaultValue === undefined;
  }
  const type = schema.getType(typeName);
  if (isInputObjectType(type)) {
    const f = type.getFields()[fieldName];
    return !!f && isNonNullType(f.type) && f.defaultValue === undefined;
  }
  if ((isObjectType(type) || isInterfaceType(type)) && argName) {
    const arg = type.getFields()[fieldName]?.args.find((a) => a.name === argName);
    return !!arg && isNonNullType(arg.type) && arg.defaultValue === undefined;
  }
  return false;
}

/**
 * Coordinates an operation must touch to be affected by a finding. Matching is by whole
 * coordinate, so `Query.user` never matches an operation that only uses `Query.users`.
 */
export function targetsOf(f: Finding, after: GraphQLSchema): string[] {
  const path = f.path;
  switch (f.rule) {
    // A new required argument or input field affects every use of the element that now needs it.
    case "FIELD_ARGUMENT_ADDED":
    case "INPUT_FIELD_ADDED":
      return [parentOf(path)];
    // Paths that name a reference inside an element (`Union.Member`, `Type.Interface`, `@dir.arg`,
    // `@dir.LOCATION`): operations use the enclosing element.
    case "DIRECTIVE_ARGUMENT_ADDED":
    case "UNION_MEMBER_ADDED":
    case "UNION_MEMBER_REMOVED":
    case "OBJECT_TYPE_INTERFACE_ADDED":
    case "OBJECT_TYPE_INTERFACE_REMOVED":
    case "DIRECTIVE_LOCATION_ADDED":
    case "DIRECTIVE_LOCATION_REMOVED":
      return [parentOf(path)];
    case "FIELD_ARGUMENT_TYPE_CHANGED":
    case "INPUT_FIELD_TYPE_CHANGED":
    case "DIRECTIVE_ARGUMENT_TYPE_CHANGED":
      return requiredIn(after, path) ? [path, parentOf(path)] : [path];
    case "ENUM_VALUE_ADDED":
      return [path.split(".")[0]!];
  }
  // Applied directives (`Input.@oneOf`) affect users of the element that carries them.
  const segs = path.split(".");
  const at = segs.findIndex((s, i) => i > 0 && s.startsWith("@"));
  return [at > 0 ? segs.slice(0, at).join(".") : path];
}

/**
 * Usage-aware checks: lists the consumer operations each breaking or dangerous finding affects,
 * reports operations that stop validating, and with `usage: required` lowers breaking findings no
 * operation touches to dangerous.
 */
export function applyUsage(
  findings: Finding[],
  docs: Array<{ file: string; content: string }>,
  before: GraphqlModel,
  after: GraphqlModel,
  options: EngineOptions,
): void {
  const operations = parseOperations(docs);
  const required = options.settings.usage === "required";
  if (!operations.length) {
    if (required) options.warn("usage is required but no consumer operations were found; breaking changes stay breaking");
    return;
  }
  const uses = operations.map((op) => coordinatesOf(op, before.schema));
  for (const f of findings) {
    if (f.severity === "safe") continue;
    const targets = targetsOf(f, after.schema);
    const hit = operations.filter((_, i) => targets.some((t) => uses[i]!.has(t))).map((op) => op.label);
    if (hit.length) f.operations = hit;
    else if (required && f.severity === "breaking") {
      f.severity = "dangerous";
      f.note = `none of the ${operations.length} consumer operations uses ${targets.join(", ")}; reported as dangerous because usage is required`;
    }
  }
  for (const op of operations) findings.push(...invalidations(op, before.schema, after.schema));
}

/** Validation errors an operation has against the new schema and did not have against the old one. */
function invalidations(op: Operation, oldSchema: GraphQLSchema, newSchema: GraphQLSchema): Finding[] {
  const known = new Set(validate(oldSchema, op.document).map((e) => e.message));
  const out: Finding[] = [];
  for (const e of validate(newSchema, op.document)) {
    if (known.has(e.message)) continue;
    const loc = nodeLocation(e.nodes?.[0]) ?? op.loc;
    out.push({
      rule: OPERATION_INVALID,
      severity: "breaking",
      path: op.name ?? `anonymous@${formatLocation(op.loc)}`,
      message: `operation ${op.label} no longer validates: ${e.message}`,
      new: loc,
      operations: [op.label],
    });
  }
  return out;
}
