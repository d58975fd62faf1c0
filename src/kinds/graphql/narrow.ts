import { buildASTSchema, Kind, type DefinitionNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema, type TypeNode } from "graphql";
import { mergeExtensions } from "./limits.ts";

/**
 * Schemas for the diff that leave out what cannot have changed. An object or interface type whose
 * SDL text (definition and extensions) is the same in both versions yields no change, and no other
 * type's comparison looks inside it (only its name is compared), so it is replaced by an empty
 * type of the same kind on both sides. The exception is an argument default: the inspector compares
 * defaults as values coerced through the argument's input type, so `orderBy: Order = {field: AT}`
 * changes when `input Order` loses `field` or an enum loses `AT`, with the text unchanged. So a stub
 * keeps the fields with an argument default that may read differently (see `mayReadDifferently`).
 * Input types, enums and scalars stay whole because default values elsewhere are read through them.
 * On GitHub's schema this skips most of the build and diff work; the findings are the same as for
 * the full schemas (checked against the unnarrowed diff in the tests).
 */
export function narrowedSchemas(before: DocumentNode, after: DocumentNode): [GraphQLSchema, GraphQLSchema] {
  const oldGroups = groups(before);
  const newGroups = groups(after);
  const same = new Set<string>();
  for (const [name, g] of oldGroups) if (newGroups.get(name)?.text === g.text && g.stubbable) same.add(name);
  const keep = mayReadDifferently(oldGroups, newGroups, [before, after]);
  return [build(before, same, keep), build(after, same, keep)];
}

/**
 * Whether an argument default (of the named type, with this literal text) may be read differently
 * in the new version. A type reads differently when its value shape changed (a value or input field
 * removed, an input field's type or default changed, @oneOf added, the kind changed), directly or
 * through the input types that reach it. A type that only gained enum values or nullable input
 * fields without default reads an old literal the same way, unless the literal names what was
 * added (it was invalid before and is not now), so only then.
 */
function mayReadDifferently(
  oldGroups: Map<string, Group>,
  newGroups: Map<string, Group>,
  docs: DocumentNode[],
): (type: string, literal: string) => boolean {
  const changed = new Set<string>();
  const gained = new Set<string>();
  const addedNames = new Set<string>();
  for (const [name, g] of newGroups) {
    const old = oldGroups.get(name);
    if (!old) {
      changed.add(name);
      continue;
    }
    if (old.shape.join("\n") === g.shape.join("\n")) continue;
    const before = new Set(old.shape);
    const after = new Set(g.shape);
    const added = g.shape.filter((p) => !before.has(p));
    if (old.shape.every((p) => after.has(p)) && added.every(isHarmlessAddition)) {
      gained.add(name);
      for (const p of added) addedNames.add(/^\w+/.exec(p)![0]);
    } else changed.add(name);
  }
  for (const name of oldGroups.keys()) if (!newGroups.has(name)) changed.add(name);
  const readsDifferently = reachingChanged(changed, docs);
  const readsMore = reachingChanged(gained, docs);
  return (type, literal) => readsDifferently.has(type) || (readsMore.has(type) && (literal.match(/\w+/g) ?? []).some((w) => addedNames.has(w)));
}

/** An enum value, or a nullable input field without default (`name:Type=`): old literals read the same. */
const isHarmlessAddition = (part: string) => /^\w+$/.test(part) || /^\w+:[^=]*[^!=]=$/.test(part);

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
  /** What decides how a literal of this type is read, sorted; see `valueShape`. */
  shape: string[];
}

/**
 * What a literal of a type is coerced through: the kind, for an enum its value names, for an input
 * type its fields with their types and defaults (`name:Type=default`) and whether it is @oneOf.
 * Descriptions, deprecations and other directives do not change how a value reads.
 */
function valueShape(d: DefinitionNode): string[] {
  const kind = `kind:${d.kind.replace(/Extension$/, "Definition")}`;
  if ("values" in d) return [kind, ...(d.values ?? []).map((v) => v.name.value)];
  if (d.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION && d.kind !== Kind.INPUT_OBJECT_TYPE_EXTENSION) return [kind];
  const parts = [kind, ...(d.fields ?? []).map((f) => `${f.name.value}:${sourceOf(f.type)}=${sourceOf(f.defaultValue)}`)];
  if (d.directives?.some((x) => x.name.value === "oneOf")) parts.push("@oneOf");
  return parts;
}

const sourceOf = (n: { loc?: { start: number; end: number; source: { body: string } } } | undefined) =>
  n?.loc ? n.loc.source.body.slice(n.loc.start, n.loc.end) : "";

function groups(doc: DocumentNode): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const d of doc.definitions) {
    if (!("name" in d) || !d.name || d.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const text = sourceOf(d);
    const stubbable =
      d.kind === Kind.OBJECT_TYPE_DEFINITION ||
      d.kind === Kind.OBJECT_TYPE_EXTENSION ||
      d.kind === Kind.INTERFACE_TYPE_DEFINITION ||
      d.kind === Kind.INTERFACE_TYPE_EXTENSION;
    const g = out.get(d.name.value);
    if (g) {
      g.text += `\n${text}`;
      g.stubbable &&= stubbable;
      g.shape.push(...valueShape(d));
    } else out.set(d.name.value, { text, stubbable, shape: valueShape(d) });
  }
  for (const g of out.values()) g.shape = [...new Set(g.shape)].sort();
  return out;
}

/**
 * The document with each type in `same` replaced by one stub of its kind. A stub keeps the fields
 * with an argument default that may read differently (identical on both sides, so only their
 * defaults can differ); they are usually a handful, where the type may have hundreds.
 */
function build(doc: DocumentNode, same: Set<string>, keep: (type: string, literal: string) => boolean): GraphQLSchema {
  const definitions: DefinitionNode[] = [];
  const stubs = new Map<string, FieldDefinitionNode[]>();
  for (const d of doc.definitions) {
    const name = "name" in d && d.name ? d.name.value : undefined;
    if (name === undefined || d.kind === Kind.DIRECTIVE_DEFINITION || !same.has(name)) {
      definitions.push(d);
      continue;
    }
    let fields = stubs.get(name);
    if (!fields) {
      stubs.set(name, (fields = []));
      const kind = d.kind === Kind.INTERFACE_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_EXTENSION ? Kind.INTERFACE_TYPE_DEFINITION : Kind.OBJECT_TYPE_DEFINITION;
      definitions.push({ kind, name: { kind: Kind.NAME, value: name }, fields, interfaces: [], directives: [] } as DefinitionNode);
    }
    if (!("fields" in d)) continue;
    for (const f of d.fields ?? []) {
      if ("arguments" in f && f.arguments?.some((a) => a.defaultValue && keep(namedType(a.type), sourceOf(a.defaultValue)))) fields.push(f);
    }
  }
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions: mergeExtensions(definitions) }, { assumeValidSDL: true, assumeValid: true });
}
