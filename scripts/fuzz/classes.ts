/**
 * Hostile classes of input, each built whole rather than by mutation: identifiers placed where a naive
 * resolver would find them, YAML merge keys, regular-expression bombs, very large enums and records,
 * and combinations that pair every branch with every other. A class case may carry the exits a right
 * answer allows (`expectExit`): a breaking change hidden by the construction is a failure of its own.
 */
import type { FuzzCase, Rng } from "./lib.ts";

const DRAFTS = [
  { uri: "http://json-schema.org/draft-04/schema#", defs: "definitions", ids: ["id"] },
  { uri: "http://json-schema.org/draft-07/schema#", defs: "definitions", ids: ["$id"] },
  { uri: "https://json-schema.org/draft/2020-12/schema", defs: "$defs", ids: ["$id", "$anchor"] },
];

const LOOSE = { type: "object", properties: { id: { type: ["string", "integer"] } } };
const STRICT = { type: "object", required: ["name"], additionalProperties: false, properties: { id: { type: "string" }, name: { type: "string" } } };

/** A decoy claiming the pointer's text as an identifier, in a place no validator reads identifiers from. */
function decoy(rng: Rng, idKey: string, pointer: string): Record<string, unknown> {
  const value = idKey === "$anchor" ? "User" : pointer;
  const shape = { [idKey]: value, ...LOOSE };
  switch (rng.int(5)) {
    case 0:
      return { "x-docs": shape };
    case 1:
      return { examples: [shape] };
    case 2:
      return { default: shape };
    case 3:
      return { "x-meta": { nested: [{ deeper: shape }] } };
    default:
      return { "x-docs": { properties: { user: shape } } };
  }
}

/** JSON Schema: the referenced definition tightened, with a decoy holding its old shape. */
export function identifierInjection(rng: Rng): FuzzCase {
  const d = rng.pick(DRAFTS);
  const idKey = rng.pick(d.ids);
  const pointer = `#/${d.defs}/User`;
  const ref = idKey === "$anchor" && rng.chance(0.5) ? "#User" : pointer;
  const doc = (user: unknown, extra: Record<string, unknown>) => JSON.stringify({ $schema: d.uri, ...extra, [d.defs]: { User: ref === "#User" ? { $anchor: "User", ...(user as object) } : user }, properties: { user: { $ref: ref } } }, null, 2);
  return { files: { "old.schema.json": doc(LOOSE, {}), "new.schema.json": doc(STRICT, decoy(rng, idKey, pointer)) }, args: ["diff", "old.schema.json", "new.schema.json"], expectExit: [1] };
}

/** JSON Schema: a backtracking-hostile pattern against many long property names that almost match it. */
export function patternBomb(rng: Rng): FuzzCase {
  const pattern = rng.pick(["^(a+)+$", "^(a|aa)+$", "^(a*)*b$", "^(\\w+\\s?)*$", "(x+x+)+y"]);
  const count = 20 + rng.int(80);
  const len = 25 + rng.int(20);
  const names = Array.from({ length: count }, (_, i) => `${"a".repeat(len)}${String.fromCharCode(0x21 + (i % 60))}${i >= 60 ? i : ""}`);
  const schema = (props: string[]) => JSON.stringify({ type: "object", additionalProperties: false, patternProperties: { [pattern]: { type: "string" } }, properties: Object.fromEntries(props.map((p) => [p, { type: "string" }])) });
  return { files: { "old.schema.json": schema([]), "new.schema.json": schema(names) }, args: ["diff", "old.schema.json", "new.schema.json", "--kind", "jsonschema"], expectExit: [0, 1] };
}

/** JSON Schema: one large enum, a value added or removed. */
export function largeJsonEnum(rng: Rng): FuzzCase {
  const n = 1000 + rng.int(10_000);
  const values = Array.from({ length: n }, (_, i) => (rng.chance(0.1) ? i : `v${i}`));
  const removed = rng.chance(0.5);
  const schema = (v: unknown[]) => JSON.stringify({ type: "object", properties: { code: { enum: v } } });
  return { files: { "old.schema.json": schema(values), "new.schema.json": schema(removed ? values.slice(1) : [...values, "new"]) }, args: ["diff", "old.schema.json", "new.schema.json", "--kind", "jsonschema"], expectExit: removed ? [1] : [0] };
}

/** JSON Schema: anyOf of many branches, each a large enum: every branch is paired with every other. */
export function combinatorialAnyOf(rng: Rng): FuzzCase {
  const branches = 10 + rng.int(150);
  const size = 50 + rng.int(600);
  const schema = (extra: string[]) => JSON.stringify({ anyOf: Array.from({ length: branches }, (_, b) => ({ enum: [...Array.from({ length: size }, (_, i) => `v${b}_${i}`), ...extra] })) });
  // Exit 2 is right when the work limit is reached.
  return { files: { "old.schema.json": schema([]), "new.schema.json": schema(["x"]) }, args: ["diff", "old.schema.json", "new.schema.json", "--kind", "jsonschema"], expectExit: [0, 2] };
}

/** Avro: an enum of tens of thousands of symbols, one added (readers know more: safe under backward). */
export function largeAvroEnum(rng: Rng): FuzzCase {
  const symbols = Array.from({ length: 2000 + rng.int(48_000) }, (_, i) => `S${i}`);
  const e = (s: string[]) => JSON.stringify({ type: "enum", name: "Big", symbols: s });
  return { files: { "old.avsc": e(symbols), "new.avsc": e([...symbols, "ADDED"]) }, args: ["diff", "old.avsc", "new.avsc"], expectExit: [0] };
}

/** Avro: a record of tens of thousands of fields, one added with a default (safe under backward). */
export function largeAvroRecord(rng: Rng): FuzzCase {
  const fields = Array.from({ length: 2000 + rng.int(28_000) }, (_, i) => ({ name: `f${i}`, type: rng.chance(0.9) ? "int" : ["null", "string"], ...(rng.chance(0.2) ? { aliases: [`a${i}`] } : {}) }));
  const r = (f: unknown[]) => JSON.stringify({ type: "record", name: "Big", fields: f });
  return { files: { "old.avsc": r(fields), "new.avsc": r([...fields, { name: "added", type: "long", default: 0 }]) }, args: ["diff", "old.avsc", "new.avsc"], expectExit: [0] };
}

/** AsyncAPI: a received payload closed and given required properties through a merge key, or an identifier decoy. */
export function asyncapiClass(rng: Rng, which: "merge" | "identifier"): FuzzCase {
  const doc = (payload: string, schemas = "") => `asyncapi: 3.0.0
info: { title: users, version: 1.0.0 }
x-shapes:
  strict: &strict
    required: [id, name]
    additionalProperties: false
channels:
  users:
    address: users
    messages:
      created: { $ref: "#/components/messages/Created" }
operations:
  onCreated:
    action: receive
    channel: { $ref: "#/channels/users" }
    messages: [{ $ref: "#/channels/users/messages/created" }]
components:
  messages:
    Created:
      payload:
${payload}${schemas}`;
  const props = `        type: object\n        properties:\n          id: { type: string }\n          name: { type: string }\n`;
  if (which === "merge") {
    const merge = rng.pick(["        <<: *strict\n", "        <<: [*strict]\n", "        <<: [*strict, { description: d }]\n"]);
    return { files: { "old.yaml": doc(props), "new.yaml": doc(merge + props) }, args: ["diff", "old.yaml", "new.yaml", "--kind", "asyncapi"], expectExit: [1] };
  }
  const user = (s: string) => `  schemas:\n    User: ${s}\n`;
  const ref = `        type: object\n        properties:\n          user: { $ref: "#/components/schemas/User" }\n`;
  const key = rng.pick(["$id", "id", "$anchor"]);
  const decoyLine = `        x-docs: { ${key}: "${key === "$anchor" ? "User" : "#/components/schemas/User"}", type: object, properties: { id: { type: [string, integer] } } }\n`;
  return {
    files: { "old.yaml": doc(ref, `${user("{ type: object, properties: { id: { type: [string, integer] } } }")}`), "new.yaml": doc(decoyLine + ref, user("{ type: object, required: [name], additionalProperties: false, properties: { id: { type: string }, name: { type: string } } }")) },
    args: ["diff", "old.yaml", "new.yaml", "--kind", "asyncapi"],
    expectExit: [1],
  };
}

/** OpenAPI: a request body schema made to require a property through a merge key. */
export function openapiMerge(rng: Rng): FuzzCase {
  const doc = (merge: boolean) => `openapi: 3.0.3
info: { title: t, version: "1.0.0" }
x-shapes:
  strict: &strict
    required: [${rng.chance(0.5) ? "name" : "id, name"}]
paths:
  /users:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
${merge ? "              <<: *strict\n" : ""}              type: object
              properties:
                id: { type: string }
                name: { type: string }
      responses:
        "201": { description: created }
`;
  return { files: { "old.yaml": doc(false), "new.yaml": doc(true) }, args: ["diff", "old.yaml", "new.yaml"], expectExit: [1] };
}

/**
 * YAML: a mapping key that is a collection holding keys that are collections, 24 to 40 levels deep, in
 * 150 bytes: the YAML library's rendering of such a key doubles at each level.
 */
function nestedComplexKey(rng: Rng): string {
  const depth = 24 + rng.int(17);
  switch (rng.int(3)) {
    case 0:
      return `${"{ ".repeat(depth)}x: 1${" }: 1".repeat(depth - 1)} }`;
    case 1:
      return `${"{ [ ".repeat(depth)}x${" ]: 1 }".repeat(depth)}`;
    default:
      // Left open: the parser recovers, and the key is still rendered on the way to the error.
      return `${"{ ".repeat(depth)} kind: graphql, path: schema.graphql }`;
  }
}

/** Every YAML reader: a deeply nested complex key where an extension or an unknown key may stand. */
export function nestedComplexKeys(rng: Rng, kind: "openapi" | "asyncapi" | "config" | "protobuf"): FuzzCase {
  const key = nestedComplexKey(rng);
  const entry = rng.chance(0.5) ? `x-a: ${key}\n` : `? ${key}\n: 1\n`;
  if (kind === "config") return { files: { "comms.yaml": `contracts: {}\n${entry}` }, args: ["check"], expectExit: [2] };
  if (kind === "protobuf") {
    const proto = 'syntax = "proto3";\npackage a.v1;\nmessage M { string id = 1; }\n';
    return { files: { "old/a/v1/m.proto": proto, "new/a/v1/m.proto": proto, "new/buf.yaml": `version: v1\n${entry}` }, args: ["diff", "old", "new", "--kind", "protobuf"], expectExit: [0, 2] };
  }
  const head = kind === "openapi" ? "openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths: {}\n" : "asyncapi: 3.0.0\ninfo: { title: t, version: 1.0.0 }\n";
  return { files: { "old.yaml": head, "new.yaml": head + entry }, args: ["diff", "old.yaml", "new.yaml", "--kind", kind], expectExit: [0, 2] };
}
