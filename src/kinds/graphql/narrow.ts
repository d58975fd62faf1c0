import { buildASTSchema, Kind, type DefinitionNode, type DocumentNode, type GraphQLSchema } from "graphql";

/**
 * Schemas for the diff that leave out what cannot have changed. An object or interface type whose
 * SDL text (definition and extensions) is the same in both versions yields no change, and no other
 * type's comparison looks inside it (only its name is compared), so it is replaced by an empty
 * type of the same kind on both sides. Input types, enums and scalars stay whole because default
 * values elsewhere are read through them. On GitHub's schema this skips most of the build and
 * diff work; the findings are the same as for the full schemas (checked by the conformance test).
 */
export function narrowedSchemas(before: DocumentNode, after: DocumentNode): [GraphQLSchema, GraphQLSchema] {
  const oldGroups = groups(before);
  const newGroups = groups(after);
  const same = new Set<string>();
  for (const [name, g] of oldGroups) {
    const other = newGroups.get(name);
    if (other && other.text === g.text && g.stubbable) same.add(name);
  }
  return [build(before, same), build(after, same)];
}

interface Group {
  text: string;
  stubbable: boolean;
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
    const g = out.get(d.name.value);
    if (g) {
      g.text += `\n${text}`;
      g.stubbable &&= stubbable;
    } else out.set(d.name.value, { text, stubbable });
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
  return buildASTSchema({ kind: Kind.DOCUMENT, definitions }, { assumeValidSDL: true, assumeValid: true });
}
