import type {
  ASTNode,
  DirectiveDefinitionNode,
  DocumentNode,
  NamedTypeNode,
  NameNode,
  SchemaDefinitionNode,
  SchemaExtensionNode,
  Token,
  TypeDefinitionNode,
  TypeExtensionNode,
} from "graphql";
import { isTypeDefinitionNode, isTypeExtensionNode, Kind } from "graphql";
import { LineIndex, type Location } from "../../core/location.ts";

type TypeNode = TypeDefinitionNode | TypeExtensionNode;
type SchemaNode = SchemaDefinitionNode | SchemaExtensionNode;

/**
 * Schema coordinates (the inspector's dotted paths: `User.email`, `Query.user.id`, `User.@key`,
 * `@auth.role`, `.@link` for the schema itself) resolved to SDL positions. Only top-level
 * definitions are indexed up front; children are found by scanning the few nodes of one type, so
 * building the index is one pass over the definitions even for a megabyte schema.
 */
export class SdlIndex {
  private readonly types = new Map<string, TypeNode[]>();
  private readonly directives = new Map<string, DirectiveDefinitionNode>();
  private readonly schema: SchemaNode[] = [];
  private readonly lines = new Map<string, LineIndex>();

  constructor(document: DocumentNode) {
    for (const def of document.definitions) {
      switch (def.kind) {
        case Kind.SCHEMA_DEFINITION:
        case Kind.SCHEMA_EXTENSION:
          this.schema.push(def);
          break;
        case Kind.DIRECTIVE_DEFINITION:
          this.directives.set(def.name.value, def);
          break;
        default: {
          if (!isTypeDefinitionNode(def) && !isTypeExtensionNode(def)) break;
          let list = this.types.get(def.name.value);
          if (!list) this.types.set(def.name.value, (list = []));
          // Definitions go first so a type resolves to `type X` rather than to an `extend type X`.
          if (isExtension(def)) list.push(def);
          else {
            const firstExtension = list.findIndex(isExtension);
            list.splice(firstExtension < 0 ? list.length : firstExtension, 0, def);
          }
        }
      }
    }
  }

  /** Location of the element at `path`; with `exact` false, of its nearest existing ancestor. */
  locate(path: string, exact: boolean): Location | undefined {
    const segs = path.split(".");
    const found = this.resolve(segs);
    if (!found || (exact && found.matched < segs.length)) return undefined;
    return this.position(found.node);
  }

  /** Whether the element at `path` (trailing directive segments ignored) carries @deprecated. */
  deprecated(path: string): boolean {
    const segs = path.split(".");
    while (segs.length > 1 && segs[segs.length - 1]!.startsWith("@")) segs.pop();
    const found = this.resolve(segs);
    if (!found || found.matched < segs.length || segs.length < 2) return false;
    const directives = "directives" in found.node ? found.node.directives : undefined;
    return !!directives?.some((d) => d.name.value === "deprecated");
  }

  /**
   * Location of a named reference inside the element at `path`: a union member, an implemented
   * interface or a directive location (`ref`), for changes whose path is the enclosing type.
   */
  locateRef(path: string, ref: string): Location | undefined {
    const directive = path.startsWith("@") ? this.directives.get(path.slice(1)) : undefined;
    const nodes: readonly ASTNode[] = directive ? [directive] : (this.types.get(path) ?? []);
    for (const n of nodes) {
      const refs: readonly (NamedTypeNode | NameNode)[] =
        n.kind === Kind.DIRECTIVE_DEFINITION
          ? n.locations
          : [...("interfaces" in n ? (n.interfaces ?? []) : []), ...("types" in n ? (n.types ?? []) : [])];
      for (const r of refs) {
        const name = r.kind === Kind.NAME ? r.value : r.name.value;
        if (name === ref) return this.position(r);
      }
    }
    return undefined;
  }

  private resolve(segs: string[]): { node: ASTNode; matched: number } | undefined {
    const head = segs[0];
    if (head === undefined) return undefined;
    let current: readonly ASTNode[];
    if (head === "") current = this.schema;
    else if (head.startsWith("@")) {
      const d = this.directives.get(head.slice(1));
      current = d ? [d] : [];
    } else current = this.types.get(head) ?? [];
    if (!current.length) return undefined;
    // With duplicate definitions graphql-js keeps the last one; so do locations.
    const definitions = current.filter((n) => !n.kind.endsWith("Extension"));
    let best: ASTNode = definitions[definitions.length - 1] ?? current[0]!;
    let matched = 1;
    for (let i = 1; i < segs.length; i++) {
      const next = child(current, segs[i]!);
      if (!next) break;
      best = next;
      current = [next];
      matched = i + 1;
    }
    return { node: best, matched };
  }

  private position(node: ASTNode): Location | undefined {
    const loc = node.loc;
    if (!loc) return undefined;
    const file = loc.source.name;
    let lines = this.lines.get(file);
    if (!lines) {
      lines = new LineIndex(loc.source.body);
      this.lines.set(file, lines);
    }
    // Point at the element itself (`type User`, `email: String`), not at its description.
    const description = "description" in node ? node.description : undefined;
    const start: Token | null = description?.loc ? description.loc.endToken.next : loc.startToken;
    return lines.location(file, start?.start ?? loc.start, loc.end);
  }

  /** Every type and directive definition node, for loader checks. */
  typeNodes(): IterableIterator<[string, TypeNode[]]> {
    return this.types.entries();
  }
}

function isExtension(def: TypeNode): def is TypeExtensionNode {
  return def.kind.endsWith("Extension");
}

/** The child of any of `nodes` named `seg`; the last one wins, as it does when graphql-js builds the schema. */
function child(nodes: readonly ASTNode[], seg: string): ASTNode | undefined {
  if (seg.startsWith("@")) {
    const name = seg.slice(1);
    for (const n of nodes) {
      const directives = "directives" in n ? n.directives : undefined;
      const d = directives?.find((x) => x.name.value === name);
      if (d) return d;
    }
    return undefined;
  }
  let found: ASTNode | undefined;
  for (const n of nodes) {
    const lists: (readonly ASTNode[] | undefined)[] = [];
    if ("fields" in n) lists.push(n.fields);
    if ("values" in n) lists.push(n.values);
    if ("arguments" in n) lists.push(n.arguments);
    for (const list of lists) {
      for (const c of list ?? []) if ("name" in c && (c.name as NameNode).value === seg) found = c;
    }
    if (n.kind === Kind.SCHEMA_DEFINITION || n.kind === Kind.SCHEMA_EXTENSION) {
      const op = n.operationTypes?.find((o) => o.operation === seg);
      if (op) found = op;
    }
  }
  return found;
}

/**
 * Locations in an introspection result (JSON): each coordinate segment is looked up as the next
 * `"name": "<segment>"` after the previous one, which follows the nesting of `__schema.types`.
 */
export class JsonIndex {
  private lines?: LineIndex;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  locate(path: string, exact: boolean): Location | undefined {
    const segs = path.split(".");
    let from = this.text.indexOf('"types"');
    if (from < 0) from = 0;
    let at = -1;
    let matched = 0;
    for (const raw of segs) {
      const seg = raw.startsWith("@") ? raw.slice(1) : raw;
      if (!seg) break;
      // A type reference (`{"kind": "OBJECT", "name": "User", "ofType": null}`) is not the element.
      const re = new RegExp(`"name"\\s*:\\s*"${seg.replace(/[^\w]/g, "")}"(?!\\s*,\\s*"ofType")`, "g");
      re.lastIndex = raw.startsWith("@") && matched === 0 ? this.text.indexOf('"directives"') : from;
      const m = re.exec(this.text);
      if (!m) break;
      at = m.index;
      from = m.index + m[0].length;
      matched++;
    }
    if (at < 0 || (exact && matched < segs.length)) return undefined;
    this.lines ??= new LineIndex(this.text);
    return this.lines.location(this.file, at);
  }
}
