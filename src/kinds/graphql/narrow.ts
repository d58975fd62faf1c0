import { buildASTSchema, Kind, type DefinitionNode, type DocumentNode, type GraphQLSchema, type TypeNode } from "graphql";
import { mergeExtensions } from "./limits.ts";

/**
 * Schemas for the diff that leave out what cannot have changed. An object or interface type whose
 * SDL text (definition and extensions) is the same in both versions yields no change, and no other
 * type's comparison looks inside it (only its name is compared), so it is replaced by an empty
 * type of the same kind on both sides. The exception is an argument default: the inspector compares
 * defaults as values coerced through the argument's input type, so `orderBy: Order = {field: AT}`
 * changes when `input Order` loses `field` or an enum loses `AT`, with the text unchanged. A type
 * keeps its fields when an argument's type is a changed type or an input type that reaches one.
 * Input types, enums and scalars stay whole because default values elsewhere are read through them.
 * On GitHub's schema this skips most of the build and diff work; the findings are the same as for
 * the full schemas (checked against the unnarrowed diff in the tests).
 */
export function narrowedSchemas(before: DocumentNode, after: DocumentNode): [GraphQLSchema, GraphQLSchema] {
  const oldGroups = groups(before);
  const newGroups = groups(after);
  const changed = new Set<string>();
  for (const [name, g] of oldGroups) if (newGroups.get(name)?.text !== g.text) changed.add(name);
  for (const name of newGroups.keys()) if (!oldGroups.has(name)) changed.add(name);
  const affected = reachingChanged(changed, [before, after]);
  const same = new Set<string>();
  for (const [name, g] of oldGroups) {
    if (!changed.has(name) && g.stubbable && !g.argumentTypes.some((t) => affected.has(t))) same.add(name);
  }
  return [build(before, same), build(after, same)];
}

/**
 * Changed types plus the input types that reach one through their fields, in either version:
 * the types through which a default value can read differently.
 */
function reachingChanged(changed: Set<string>, docs: DocumentNode[]): Set<string> {
  const users = new Map<string, string[]>();
  for (const doc of docs) {
    for (const d of doc.definitions) {
      if (d.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION && d.kind !== Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
      for (const f of d.fields ?? []) {
        const used = namedType(f.type);
        let list = users.get(used);
        if (!list) users.set(used, (list = []));
        list.push(d.name.value);
      }
    }
  }
  const out = new Set(changed);
  const queue = [...changed];
  while (queue.length) {
    for (const user of users.get(queue.pop()!) ?? []) {
      if (out.has(user)) continue;
      out.add(user);
      queue.push(user);
    }
  }
  return out;
}

function namedType(t: TypeNode): string {
  while (t.kind !== Kind.NAMED_TYPE) t = t.type;
  return t.name.value;
}

interface Group {
  text: string;
  stubbable: boolean;
  /** Named types of the arguments of its fields. */
  argumentTypes: string[];
}

function groups(doc: DocumentNode): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const d of doc.definitions) {
    if (!("name" in d) || !d.name || d.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const text = d.loc ? d.loc.source.body.slice(d.loc.start, d.loc.end) : "";
    const stubbable =
      d.kind === Kind.OBJECT_TYPE_DEFINITION ||
      d.kind === Kind.OBJECT_TYPE_EXTENSION ||
      d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      d.kind === Kind.INTERFACE_TYPE_EXTENSION;
    const argumentTypes: string[] = [];
    if ("fields" in d) for (const f of d.fields ?? []) if ("arguments" in f) for (const a of f.arguments ?? []) argumentTypes.push(namedType(a.type));
    const g = out.get(d.name.value);
    if (g) {
      g.text += `\n${text}`;
      g.stubbable &&= stubbable;
      g.argumentTypes.push(...argumentTypes);
    } else out.set(d.name.value, { text, stubbable, argumentTypes });
  }
  return out;
}

function build(doc: DocumentNode, same: Set<string>): GraphQLSchema {
  const definitions: DefinitionNode[] = [];
  const stubbed = new Set<string>();
  for (const d of doc.definitions) {
    const name = "name" in d && d.name ? d.name.value : undefined;
    if (name === undefined || d.kind === Kind.DIRECTIVE_DEFINITION || !same.has(name)) {
      definitions.push(d);
      continue;
    }
    if (stubbed.has(name)) continue;
    stubbed.add(name);
    const kind = d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION ? Kind.INTERFACE_TYPE_DEFINITION : Kind.OBJECT_TYPE_DEFINITION;
    definitions.push({ kind, name: { kind: Kind.NAME, value: name }, fields: [], interfaces: [], directives: [] } as DefinitionNode);
  }
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions: mergeExtensions(definitions) }, { assumeValidSDL: true, assumeValid: true });
}
