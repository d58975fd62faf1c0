import { introspectionTypes, Kind, type ASTNode, type ConstDirectiveNode, type DefinitionNode, type NamedTypeNode, type TypeNode } from "graphql";
import { ContractError } from "../../core/errors.ts";
import { formatLocation, LineIndex, type Location } from "../../core/location.ts";

/** What a type name stands for, as far as where it may be used. */
type TypeKind = "scalar" | "object" | "interface" | "union" | "enum" | "input";

const KIND_OF: Partial<Record<string, TypeKind>> = {
  [Kind.SCALAR_TYPE_DEFINITION]: "scalar",
  [Kind.SCALAR_TYPE_EXTENSION]: "scalar",
  [Kind.OBJECT_TYPE_DEFINITION]: "object",
  [Kind.OBJECT_TYPE_EXTENSION]: "object",
  [Kind.INTERFACE_TYPE_DEFINITION]: "interface",
  [Kind.INTERFACE_TYPE_EXTENSION]: "interface",
  [Kind.UNION_TYPE_DEFINITION]: "union",
  [Kind.UNION_TYPE_EXTENSION]: "union",
  [Kind.ENUM_TYPE_DEFINITION]: "enum",
  [Kind.ENUM_TYPE_EXTENSION]: "enum",
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: "input",
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: "input",
};

const WORD: Record<TypeKind, string> = {
  scalar: "a scalar",
  object: "an object type",
  interface: "an interface",
  union: "a union",
  enum: "an enum",
  input: "an input type",
};

const INPUT: ReadonlySet<TypeKind> = new Set(["scalar", "enum", "input"]);
const OUTPUT: ReadonlySet<TypeKind> = new Set(["scalar", "enum", "object", "interface", "union"]);
const BUILT_IN_SCALARS = ["String", "Int", "Float", "Boolean", "ID"];
/** graphql-js puts its own types in place of definitions with these names, whatever their kind. */
const INTROSPECTION: ReadonlySet<string> = new Set(introspectionTypes.map((t) => t.name));
const DEFAULT_ROOTS = ["Query", "Mutation", "Subscription"];

/**
 * Checks that every type reference names a type of a kind allowed where it is used, and that the
 * built-in directives graphql-js reads while building carry values of their argument types. The
 * schema is built without graphql-js's own validation (custom and federation directives need no
 * definitions), and graphql-js assumes these hold: an argument default of an object type, for one,
 * fails an internal assertion instead of an error with a position. Runs in one pass over the
 * definitions (after orphan extensions are promoted, so every extension has its definition).
 * Type references are known to name defined types (see `checkReferences`).
 */
export function checkKinds(definitions: readonly DefinitionNode[]): void {
  const kinds = new Map<string, TypeKind>();
  for (const name of BUILT_IN_SCALARS) kinds.set(name, "scalar");
  const first = new Map<string, DefinitionNode>();
  let hasSchemaDefinition = false;
  for (const d of definitions) {
    if (d.kind === Kind.SCHEMA_DEFINITION) hasSchemaDefinition = true;
    const kind = KIND_OF[d.kind];
    if (!kind || !("name" in d) || !d.name || d.kind.endsWith("Extension")) continue;
    const name = d.name.value;
    if (INTROSPECTION.has(name)) throw new ContractError(`type name '${name}' is reserved for introspection`, locationOf(d.name));
    if (BUILT_IN_SCALARS.includes(name) && kind !== "scalar") throw new ContractError(`'${name}' is a built-in scalar and cannot be defined as ${WORD[kind]}`, locationOf(d.name));
    const earlier = first.get(name);
    const was = kinds.get(name);
    if (earlier && was !== kind) {
      throw new ContractError(`type '${name}' is defined again as ${WORD[kind]} (first as ${WORD[was!]} at ${formatAt(earlier)})`, locationOf(d.name));
    }
    if (!earlier) first.set(name, d);
    kinds.set(name, kind);
  }

  const named = (t: TypeNode): NamedTypeNode => {
    while (t.kind !== Kind.NAMED_TYPE) t = t.type;
    return t;
  };
  const expect = (ref: NamedTypeNode, position: "input" | "output", what: string) => {
    const kind = kinds.get(ref.name.value);
    if (kind !== undefined && !(position === "input" ? INPUT : OUTPUT).has(kind)) {
      const allowed = position === "input" ? "a scalar, enum or input type" : "a scalar, enum, object, interface or union";
      throw new ContractError(`${what} must be of ${allowed}, but '${ref.name.value}' is ${WORD[kind]}`, locationOf(ref));
    }
  };
  const expectKind = (ref: NamedTypeNode, wanted: TypeKind, what: string) => {
    const kind = kinds.get(ref.name.value);
    if (kind !== undefined && kind !== wanted) throw new ContractError(`${what} must be ${WORD[wanted]}, but '${ref.name.value}' is ${WORD[kind]}`, locationOf(ref));
  };
  const inputs = (owner: string, args: readonly { name: { value: string }; type: TypeNode; directives?: readonly ConstDirectiveNode[] }[] | undefined) => {
    for (const a of args ?? []) {
      expect(named(a.type), "input", `'${owner}(${a.name.value}:)'`);
      checkDeprecated(a.directives);
    }
  };

  for (const d of definitions) {
    switch (d.kind) {
      case Kind.SCHEMA_DEFINITION:
      case Kind.SCHEMA_EXTENSION:
        for (const o of d.operationTypes ?? []) expectKind(o.type, "object", `the ${o.operation} root type`);
        continue;
      case Kind.DIRECTIVE_DEFINITION:
        inputs(`@${d.name.value}`, d.arguments);
        continue;
    }
    const kind = KIND_OF[d.kind];
    if (!kind || !("name" in d) || !d.name) continue;
    const name = d.name.value;
    const defined = kinds.get(name);
    if (defined !== undefined && defined !== kind) {
      throw new ContractError(`'extend' of ${WORD[kind]} '${name}', which is ${WORD[defined]}`, locationOf(d));
    }
    if (d.kind === Kind.SCALAR_TYPE_DEFINITION) checkSpecifiedBy(d.directives);
    if ("interfaces" in d) {
      for (const i of d.interfaces ?? []) {
        expectKind(i, "interface", `a type implemented by '${name}'`);
        if (i.name.value === name) throw new ContractError(`'${name}' cannot implement itself`, locationOf(i));
      }
    }
    if ("types" in d) for (const m of d.types ?? []) expectKind(m, "object", `a member of union '${name}'`);
    if ("values" in d) for (const v of d.values ?? []) checkDeprecated(v.directives);
    if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || d.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) {
      for (const f of d.fields ?? []) {
        expect(named(f.type), "input", `input field '${name}.${f.name.value}'`);
        checkDeprecated(f.directives);
      }
    } else if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION || d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION) {
      for (const f of d.fields ?? []) {
        expect(named(f.type), "output", `field '${name}.${f.name.value}'`);
        checkDeprecated(f.directives);
        inputs(`${name}.${f.name.value}`, f.arguments);
      }
    }
  }

  // Without a schema definition graphql-js takes the types named Query, Mutation and Subscription
  // as the roots, whatever their kind.
  if (!hasSchemaDefinition) {
    for (const root of DEFAULT_ROOTS) {
      const kind = kinds.get(root);
      const d = first.get(root);
      if (kind !== undefined && kind !== "object" && d && "name" in d && d.name) {
        throw new ContractError(`'${root}' is the ${root.toLowerCase()} root type and must be an object type, but is ${WORD[kind]}`, locationOf(d.name));
      }
    }
  }
}

/**
 * graphql-js reads `@deprecated(reason:)` on fields, arguments, input fields and enum values, and
 * `@specifiedBy(url:)` on scalar definitions, while building a schema; it stops with an error of no
 * position when their values are not strings (or `url` is missing).
 */
function checkDeprecated(directives: readonly ConstDirectiveNode[] | undefined): void {
  for (const d of directives ?? []) {
    if (d.name.value !== "deprecated") continue;
    for (const a of d.arguments ?? []) {
      if (a.name.value === "reason" && a.value.kind !== Kind.STRING && a.value.kind !== Kind.NULL) {
        throw new ContractError("@deprecated(reason:) must be a string", locationOf(a.value));
      }
    }
  }
}

function checkSpecifiedBy(directives: readonly ConstDirectiveNode[] | undefined): void {
  for (const d of directives ?? []) {
    if (d.name.value !== "specifiedBy") continue;
    const urls = (d.arguments ?? []).filter((a) => a.name.value === "url");
    if (!urls.length) throw new ContractError("@specifiedBy needs a url", locationOf(d));
    for (const a of urls) if (a.value.kind !== Kind.STRING) throw new ContractError("@specifiedBy(url:) must be a string", locationOf(a.value));
  }
}

function locationOf(node: ASTNode): Location {
  const loc = node.loc;
  return loc ? new LineIndex(loc.source.body).location(loc.source.name, loc.start) : { file: "", line: 1, column: 1 };
}

const formatAt = (node: ASTNode): string => formatLocation(locationOf(node));
