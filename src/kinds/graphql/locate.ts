import type {
  ASTNode,
  DirectiveDefinitionNode,
  DocumentNode,
  NamedTypeNode,
  NameNode,
  SchemaDefinitionNode,
  SchemaExtensionNode,
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
    const nodes: readonly ASTNode[] | undefined = directive ? [directive] : this.types.get(path);
    if (!nodes) return undefined;
    const found = refsOf(nodes).get(ref);
    return found ? this.position(found) : undefined;
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
    let best: ASTNode = childrenOf(current).head;
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
    const start = description?.loc ? afterIgnored(loc.source.body, description.loc.end, loc.end) : loc.start;
    return lines.location(file, start, loc.end);
  }

  /** Every type and directive definition node, for loader checks. */
  typeNodes(): IterableIterator<[string, TypeNode[]]> {
    return this.types.entries();
  }
}

/**
 * The offset of the first token at or after `from` (before `end`): what GraphQL ignores between
 * tokens is skipped, that is white space, line breaks, commas, comments and a byte order mark.
 */
export function afterIgnored(body: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = body.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0xfeff) i++;
    else if (c === 0x23) {
      // A comment runs to the end of its line.
      while (i < end && body.charCodeAt(i) !== 0x0a && body.charCodeAt(i) !== 0x0d) i++;
    } else break;
  }
  return i;
}

function isExtension(def: TypeNode): def is TypeExtensionNode {
  return def.kind.endsWith("Extension");
}

interface Children {
  /** The node that stands for the list: its last definition (extensions only when there is none). */
  head: ASTNode;
  /** Fields, enum values, arguments and root operations by name; the last one wins. */
  named: Map<string, ASTNode>;
  /** Applied directives by name; the first one wins. */
  directives: Map<string, ASTNode>;
}

/**
 * Children of a node list (a type with its extensions), indexed once per list: findings look up
 * one child each, and a scan per lookup would make a type with many changed fields quadratic.
 */
const childCache = new WeakMap<object, Children>();
const refCache = new WeakMap<object, Map<string, ASTNode>>();

/** The cache key of a node list: the list a type is stored with, or its only node. */
const keyOf = (nodes: readonly ASTNode[]): object => (nodes.length === 1 ? nodes[0]! : nodes);

function childrenOf(nodes: readonly ASTNode[]): Children {
  const key = keyOf(nodes);
  let out = childCache.get(key);
  if (out) return out;
  out = { head: nodes[0]!, named: new Map(), directives: new Map() };
  for (const n of nodes) {
    if (!n.kind.endsWith("Extension")) out.head = n;
    for (const d of ("directives" in n ? n.directives : undefined) ?? []) if (!out.directives.has(d.name.value)) out.directives.set(d.name.value, d);
    const lists: (readonly ASTNode[] | undefined)[] = [];
    if ("fields" in n) lists.push(n.fields);
    if ("values" in n) lists.push(n.values);
    if ("arguments" in n) lists.push(n.arguments);
    for (const list of lists) for (const c of list ?? []) if ("name" in c) out.named.set((c.name as NameNode).value, c);
    if (n.kind === Kind.SCHEMA_DEFINITION || n.kind === Kind.SCHEMA_EXTENSION) for (const op of n.operationTypes ?? []) out.named.set(op.operation, op);
  }
  childCache.set(key, out);
  return out;
}

/** The child of any of `nodes` named `seg`; the last one wins, as it does when graphql-js builds the schema. */
function child(nodes: readonly ASTNode[], seg: string): ASTNode | undefined {
  const children = childrenOf(nodes);
  return seg.startsWith("@") ? children.directives.get(seg.slice(1)) : children.named.get(seg);
}

/** Union members, implemented interfaces and directive locations of a node list, by name (first wins). */
function refsOf(nodes: readonly ASTNode[]): Map<string, ASTNode> {
  const key = keyOf(nodes);
  let out = refCache.get(key);
  if (out) return out;
  out = new Map();
  for (const n of nodes) {
    const refs: readonly (NamedTypeNode | NameNode)[] =
      n.kind === Kind.DIRECTIVE_DEFINITION
        ? n.locations
        : [...("interfaces" in n ? (n.interfaces ?? []) : []), ...("types" in n ? (n.types ?? []) : [])];
    for (const r of refs) {
      const name = r.kind === Kind.NAME ? r.value : r.name.value;
      if (!out.has(name)) out.set(name, r);
    }
  }
  refCache.set(key, out);
  return out;
}

/**
 * Locations in an introspection result (JSON): each coordinate segment is looked up as the next
 * `"name": "<segment>"` after the previous one, which follows the nesting of `__schema.types`. The
 * positions of every name are collected in one pass, so each lookup is a binary search rather than
 * a scan of the file (a large result with many findings would otherwise be quadratic).
 */
export class JsonIndex {
  private lines?: LineIndex;
  private names?: Map<string, number[]>;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  locate(path: string, exact: boolean): Location | undefined {
    const names = (this.names ??= nameOffsets(this.text));
    const segs = path.split(".");
    let from = this.text.indexOf('"types"');
    if (from < 0) from = 0;
    let at = -1;
    let matched = 0;
    for (const raw of segs) {
      const seg = raw.startsWith("@") ? raw.slice(1) : raw;
      if (!seg) break;
      const start = raw.startsWith("@") && matched === 0 ? this.text.indexOf('"directives"') : from;
      const next = firstAfter(names.get(seg), start);
      if (next === undefined) break;
      at = next;
      from = next + 1;
      matched++;
    }
    if (at < 0 || (exact && matched < segs.length)) return undefined;
    this.lines ??= new LineIndex(this.text);
    return this.lines.location(this.file, at);
  }
}

/** Offsets of every `"name": "<value>"` that names an element (not a type reference, which has `ofType` next). */
function nameOffsets(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const re = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"(?!\s*,\s*"ofType")/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let list = out.get(m[1]!);
    if (!list) out.set(m[1]!, (list = []));
    list.push(m.index);
  }
  return out;
}

/** The first offset in an ascending list at or after `from`. */
function firstAfter(list: number[] | undefined, from: number): number | undefined {
  if (!list) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}
