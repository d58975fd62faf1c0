/** GraphQL SDL: edits on the parsed document (types, fields, arguments, wrappers, defaults), deep nesting, and bytes. */
import { parse, print, type DocumentNode } from "graphql";
import { editCase, type FuzzCase, type FuzzKind, HOSTILE_STRINGS, mutateBytes, mutateLayout, type Rng } from "../lib.ts";
import { corpusSeeds, pair, repoFile, varyArgs } from "../seeds.ts";

const BASE = `"""The shop."""
schema { query: Query mutation: Mutation }
directive @auth(role: Role = ADMIN) on FIELD_DEFINITION | OBJECT
scalar DateTime
interface Node { id: ID! }
interface Named { name: String! }
type Query {
  node(id: ID!): Node
  orders(first: Int = 10, filter: OrderFilter = { status: [NEW], range: { from: 1 } }): [Order!]!
  search(term: String!): [SearchResult!]! @deprecated(reason: "use orders")
}
type Mutation { placeOrder(input: PlaceOrderInput!): Order @auth }
type Order implements Node & Named {
  id: ID!
  name: String!
  status: Status!
  lines: [Line!]!
  placedAt: DateTime
  total(currency: String = "EUR"): Float
}
type Line { sku: String! qty: Int! }
union SearchResult = Order | Line
enum Status { NEW PAID SENT @deprecated }
enum Role { ADMIN USER }
input OrderFilter { status: [Status!] range: Range }
input Range { from: Int to: Int }
input PlaceOrderInput { lines: [LineInput!]! note: String = "" }
input LineInput { sku: String! qty: Int! = 1 }
extend type Line { price: Float }
`;

type Node = Record<string, unknown> & { kind: string };

/** Every AST node with the list it sits in, for picking and editing. */
function nodes(doc: DocumentNode): Array<{ node: Node; list?: unknown[] }> {
  const out: Array<{ node: Node; list?: unknown[] }> = [];
  const stack: Array<{ node: Node; list?: unknown[] }> = [{ node: doc as unknown as Node }];
  while (stack.length && out.length < 20000) {
    const cur = stack.pop()!;
    out.push(cur);
    for (const v of Object.values(cur.node)) {
      if (Array.isArray(v)) for (const x of v) if (x && typeof x === "object" && "kind" in x) stack.push({ node: x as Node, list: v });
      if (v && typeof v === "object" && !Array.isArray(v) && "kind" in v) stack.push({ node: v as Node });
    }
  }
  return out;
}

const NAMES = ["Query", "Order", "Line", "Node", "Named", "Status", "String", "Int", "ID", "Float", "Boolean", "DateTime", "Range", "SearchResult", "Missing", "__proto__", "constructor", "toString", "hasOwnProperty", "__typename", "__Schema"];

function nameNode(value: string) {
  return { kind: "Name", value };
}

/** One change to the parsed SDL, printed back. */
function mutateSdl(text: string, rng: Rng): string {
  let doc: DocumentNode;
  try {
    doc = parse(text, { noLocation: true, maxTokens: 200000 });
  } catch {
    return mutateBytes(text, rng);
  }
  const all = nodes(doc);
  const pick = (kinds: string[]) => {
    const c = all.filter((n) => kinds.includes(n.node.kind));
    return c.length ? rng.pick(c) : undefined;
  };
  let deep: string | undefined;
  switch (rng.int(9)) {
    case 0: {
      // Remove a definition, field, argument, value, interface or directive.
      const n = pick(["FieldDefinition", "InputValueDefinition", "EnumValueDefinition", "NamedType", "Directive", "ObjectTypeDefinition", "InputObjectTypeDefinition", "EnumTypeDefinition", "UnionTypeDefinition", "InterfaceTypeDefinition"]);
      if (n?.list) n.list.splice(n.list.indexOf(n.node), 1);
      break;
    }
    case 1: {
      // Wrap or unwrap a type.
      const n = pick(["NamedType", "ListType", "NonNullType"]);
      if (n) {
        const inner = { ...n.node };
        for (const k of Object.keys(n.node)) delete n.node[k];
        if (inner.kind === "NonNullType" && rng.chance(0.5)) Object.assign(n.node, inner.type as Node);
        else Object.assign(n.node, rng.chance(0.5) || inner.kind === "NonNullType" ? { kind: "ListType", type: inner } : { kind: "NonNullType", type: inner });
      }
      break;
    }
    case 2: {
      // Point a reference or a name at another (or an Object.prototype property).
      const n = pick(["Name"]);
      if (n) n.node.value = rng.chance(0.7) ? rng.pick(NAMES) : String(rng.pick(HOSTILE_STRINGS)).replace(/[^_A-Za-z0-9]/g, "_") || "_";
      break;
    }
    case 3: {
      // Duplicate a node in its list (duplicate fields, types, values).
      const n = pick(["FieldDefinition", "ObjectTypeDefinition", "EnumValueDefinition", "InputValueDefinition", "NamedType", "Directive"]);
      if (n?.list) n.list.splice(n.list.indexOf(n.node), 0, structuredClone(n.node));
      break;
    }
    case 4: {
      // A default value, sometimes deeply nested.
      const n = pick(["InputValueDefinition"]);
      if (n) {
        n.node.defaultValue = { kind: "EnumValue", value: "__FUZZ_DEEP__" };
        const d = rng.pick([1, 10, 1000, 20000, 50000]);
        deep = rng.chance(0.5) ? "{a: ".repeat(d) + "1" + "}".repeat(d) : "[".repeat(d) + "1" + "]".repeat(d);
      }
      break;
    }
    case 5: {
      // Deep list wrappers on a field type.
      const n = pick(["FieldDefinition", "InputValueDefinition"]);
      if (n) {
        const d = rng.pick([2, 50, 1000, 5000, 20000]);
        n.node.type = { kind: "NamedType", name: nameNode("__FUZZ_DEEP__") };
        deep = "[".repeat(d) + "String" + "]".repeat(d);
      }
      break;
    }
    case 6: {
      // Add a field or enum value with a chosen name.
      const n = pick(["ObjectTypeDefinition", "InterfaceTypeDefinition", "InputObjectTypeDefinition", "EnumTypeDefinition"]);
      if (n) {
        const name = nameNode(rng.pick(NAMES));
        if (n.node.kind === "EnumTypeDefinition") (n.node.values as unknown[] | undefined)?.push({ kind: "EnumValueDefinition", name, directives: [] });
        else
          (n.node.fields as unknown[] | undefined)?.push({
            kind: n.node.kind === "InputObjectTypeDefinition" ? "InputValueDefinition" : "FieldDefinition",
            name,
            arguments: [],
            directives: [],
            type: { kind: "NamedType", name: nameNode(rng.pick(NAMES)) },
          });
      }
      break;
    }
    case 7: {
      // Deprecate something (or give it a hostile reason).
      const n = pick(["FieldDefinition", "EnumValueDefinition", "InputValueDefinition"]);
      if (n) {
        const reason = String(rng.pick(HOSTILE_STRINGS));
        (n.node.directives as unknown[] | undefined)?.push({ kind: "Directive", name: nameNode("deprecated"), arguments: [{ kind: "Argument", name: nameNode("reason"), value: { kind: "StringValue", value: reason } }] });
      }
      break;
    }
    default: {
      // An executable definition in the SDL, sometimes a deep selection.
      const d = rng.pick([1, 100, 5000, 20000]);
      return `${text}\nquery Q ${"{ a ".repeat(d)}${"}".repeat(d)}\n`;
    }
  }
  let out: string;
  try {
    out = print(doc);
  } catch {
    return mutateBytes(text, rng);
  }
  return deep ? out.replace("__FUZZ_DEEP__", deep) : out;
}

const kind: FuzzKind = {
  name: "graphql",
  async seeds() {
    const seeds: FuzzCase[] = [
      { files: { "old.graphql": BASE, "new.graphql": BASE }, args: ["diff", "old.graphql", "new.graphql"] },
      { files: { "old/a.graphql": BASE.slice(0, BASE.indexOf("type Line")), "old/b.graphql": BASE.slice(BASE.indexOf("type Line")), "new/a.graphql": BASE }, args: ["diff", "old", "new", "--kind", "graphql"] },
      ...pair(repoFile(".comms/usuarios-graph/1.0.0/contracts/usuarios/schema.graphql"), repoFile("contracts/usuarios/schema.graphql"), ".graphql"),
      ...pair(repoFile("test/fixtures/e2e/users-v1.graphql"), repoFile("test/fixtures/e2e/users-v2.graphql"), ".graphql"),
      ...corpusSeeds("graphql"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const docs = Object.keys(c.files).filter((p) => /\.(graphql|gql|graphqls)$/.test(p));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.65 && docs.length) c = editCase(c, rng, docs, (t) => mutateSdl(t, rng));
      else if (r < 0.9 && docs.length) c = editCase(c, rng, docs, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.95) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
