import {
  getNamedType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  Kind,
  print,
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
import { MAX_NESTING, MAX_TOKENS, oneLine, parseBounded } from "./limits.ts";
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
  let tokens = MAX_TOKENS;
  for (const { file, content } of docs) {
    if (!content.trim()) continue;
    let doc: DocumentNode;
    try {
      const parsed = parseBounded(content, file, tokens);
      doc = parsed.doc;
      tokens -= parsed.tokens;
    } catch (e) {
      if (!(e instanceof GraphQLError)) throw e;
      const at = e.locations?.[0];
      throw new ContractError(oneLine(e.message), { file, line: at?.line ?? 1, column: at?.column ?? 1 });
    }
    for (const d of doc.definitions) {
      if (d.kind === Kind.OPERATION_DEFINITION) operations.push(d);
      else if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    }
  }
  checkSpreadDepth(operations, fragments);
  let budget = MAX_INCLUDED_FRAGMENTS;
  return operations.map((op) => {
    const loc = nodeLocation(op) ?? { file: "", line: 1, column: 1 };
    const name = op.name?.value;
    const included = fragmentsOf(op, fragments);
    budget -= included.length;
    if (budget < 0) {
      throw new ContractError(`the consumer operations spread more than ${MAX_INCLUDED_FRAGMENTS} fragments in total; refusing to validate them`, loc);
    }
    return {
      name,
      label: `${name ?? `anonymous ${op.operation}`} (${formatLocation(loc)})`,
      loc,
      document: { kind: Kind.DOCUMENT, definitions: [op, ...included] },
    };
  });
}

/**
 * Fragments included in all operations together (each operation is validated with the fragments it
 * spreads, so a large fragment graph shared by many operations multiplies the work).
 */
const MAX_INCLUDED_FRAGMENTS = 200_000;

/** The fragments an operation spreads, transitively (an explicit stack: spread chains can be long). */
function fragmentsOf(op: OperationDefinitionNode, all: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: ASTNode[] = [op];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(s) {
        const name = s.name.value;
        const def = all.get(name);
        if (!def || found.has(name)) return;
        found.set(name, def);
        pending.push(def);
      },
    });
  }
  return [...found.values()];
}

/** Spreads in a definition with the selection depth at which each occurs, and its own deepest selection. */
function spreadsIn(def: OperationDefinitionNode | FragmentDefinitionNode): { own: number; spreads: Array<{ name: string; depth: number; node: ASTNode }> } {
  let depth = 0;
  let own = 0;
  const spreads: Array<{ name: string; depth: number; node: ASTNode }> = [];
  visit(def, {
    SelectionSet: {
      enter() {
        own = Math.max(own, ++depth);
      },
      leave() {
        depth--;
      },
    },
    FragmentSpread(s) {
      spreads.push({ name: s.name.value, depth, node: s });
    },
  });
  return { own, spreads };
}

/**
 * Selection depth with fragments expanded: graphql-js validation recurses through spreads, so a
 * chain of shallow fragments nests as deeply as one deep selection. Computed with an explicit stack
 * and memoised per fragment; a spread cycle counts as nothing here (validation reports it).
 */
function checkSpreadDepth(operations: OperationDefinitionNode[], fragments: Map<string, FragmentDefinitionNode>): void {
  const shapes = new Map<string, ReturnType<typeof spreadsIn>>();
  const shape = (name: string) => {
    let s = shapes.get(name);
    if (!s) shapes.set(name, (s = spreadsIn(fragments.get(name)!)));
    return s;
  };
  const depthOf = new Map<string, number>();
  const active = new Set<string>();
  const expanded = (name: string): number => {
    const stack: Array<{ name: string; next: number; best: number }> = [{ name, next: 0, best: shape(name).own }];
    active.add(name);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const { spreads } = shape(top.name);
      if (top.next < spreads.length) {
        const s = spreads[top.next]!;
        if (!fragments.has(s.name) || active.has(s.name)) {
          top.next++;
          continue;
        }
        const known = depthOf.get(s.name);
        if (known === undefined) {
          active.add(s.name);
          stack.push({ name: s.name, next: 0, best: shape(s.name).own });
          continue;
        }
        top.best = Math.max(top.best, s.depth + known);
        top.next++;
        continue;
      }
      stack.pop();
      active.delete(top.name);
      depthOf.set(top.name, top.best);
    }
    return depthOf.get(name)!;
  };
  for (const op of operations) {
    for (const s of spreadsIn(op).spreads) {
      if (!fragments.has(s.name)) continue;
      const depth = s.depth + (depthOf.get(s.name) ?? expanded(s.name));
      if (depth > MAX_NESTING) {
        const loc = nodeLocation(s.node) ?? nodeLocation(op) ?? { file: "", line: 1, column: 1 };
        throw new ContractError(`selections nest more than ${MAX_NESTING} levels deep through fragment '${s.name}'; refusing to validate the operation`, loc);
      }
    }
  }
}

/**
 * Schema coordinates an operation touches in `schema`: types, fields, arguments, input fields and
 * enum values written in the document, and for variables everything the variable's input type can
 * carry (its value is only known at run time).
 */
export function coordinatesOf(op: Operation, schema: GraphQLSchema): Set<string> {
  const uses = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  // An explicit stack: input types may nest through each other thousands deep.
  const expandInput = (start: GraphQLNamedType) => {
    const pending = [start];
    while (pending.length) {
      const type = pending.pop()!;
      if (uses.has(type.name)) continue;
      uses.add(type.name);
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          uses.add(`${type.name}.${field.name}`);
          pending.push(getNamedType(field.type));
        }
      } else if (isEnumType(type)) {
        for (const v of type.getValues()) uses.add(`${type.name}.${v.name}`);
      }
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
  // Own properties only: a field named `constructor` must not resolve to Object's.
  const fields = isInputObjectType(type) || isObjectType(type) || isInterfaceType(type) ? type.getFields() : undefined;
  if (!fields || !Object.hasOwn(fields, fieldName)) return false;
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
  // Coordinate → operations that use it, so each finding costs its hits rather than a scan of every operation.
  const users = new Map<string, number[]>();
  operations.forEach((op, i) => {
    for (const c of coordinatesOf(op, before.schema)) {
      let list = users.get(c);
      if (!list) users.set(c, (list = []));
      list.push(i);
    }
  });
  for (const f of findings) {
    if (f.severity === "safe") continue;
    const targets = targetsOf(f, after.schema);
    const hits = new Set<number>();
    for (const t of targets) for (const i of users.get(t) ?? []) hits.add(i);
    const hit = [...hits].sort((a, b) => a - b).map((i) => operations[i]!.label);
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

/** Rule ids of a contract of consumer operations (its own history). */
export const OPERATION_ADDED = "OPERATION_ADDED";
export const OPERATION_REMOVED = "OPERATION_REMOVED";
export const OPERATION_CHANGED = "OPERATION_CHANGED";

/** The history of a contract of consumer operations: operations added, removed or changed, by name. */
export function diffOperations(before: GraphqlModel, after: GraphqlModel): Finding[] {
  if (!before.operations || !after.operations) {
    const loc = (after.operations ?? before.operations)![0]?.loc ?? { file: "", line: 1, column: 1 };
    throw new ContractError("one side holds consumer operations and the other a schema; compare operations with operations", loc);
  }
  const key = (o: Operation) => o.name ?? o.label;
  const printed = (o: Operation) => print(o.document);
  const old = new Map(before.operations.map((o) => [key(o), o]));
  const cur = new Map(after.operations.map((o) => [key(o), o]));
  const out: Finding[] = [];
  for (const [k, o] of old) {
    const n = cur.get(k);
    if (!n) out.push({ rule: OPERATION_REMOVED, severity: "safe", path: k, message: `operation ${k} removed`, old: o.loc });
    else if (printed(n) !== printed(o)) out.push({ rule: OPERATION_CHANGED, severity: "safe", path: k, message: `operation ${k} changed`, old: o.loc, new: n.loc });
  }
  for (const [k, o] of cur) if (!old.has(k)) out.push({ rule: OPERATION_ADDED, severity: "safe", path: k, message: `operation ${k} added`, new: o.loc });
  return out;
}

/** Validation errors of consumer operations against a schema, each at the operation's element. */
export function operationErrors(operations: Operation[], schema: GraphQLSchema): Array<{ operation: Operation; message: string; loc: Location }> {
  const out: Array<{ operation: Operation; message: string; loc: Location }> = [];
  for (const op of operations) {
    for (const e of validate(schema, op.document)) out.push({ operation: op, message: e.message, loc: nodeLocation(e.nodes?.[0]) ?? op.loc });
  }
  return out;
}
