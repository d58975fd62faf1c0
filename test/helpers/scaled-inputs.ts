/**
 * Inputs that grow with n, per kind, for the scaling test: every part of the contract changes
 * between the old and new files, so findings grow with the input and the comparison is exercised
 * throughout, not only loaded.
 */
import type { KindId } from "../../src/core/engine.ts";

export interface Scaled {
  kind: KindId;
  path: string;
  /** The smaller size measured; the larger is ten times it. */
  n: number;
  /** Old and new files of an input of size n. */
  make(n: number): [Record<string, string>, Record<string, string>];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const SCALED: Scaled[] = [
  {
    kind: "openapi",
    path: "o.yaml",
    n: 150,
    make: (n) => {
      const doc = (t: string) => `openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n${range(n).map((i) => `  /r${i}:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [id]\n                properties:\n                  id: {type: ${t}}\n                  name: {type: string, enum: [a, b, c]}\n`).join("")}`;
      return [{ "o.yaml": doc("string") }, { "o.yaml": doc("integer") }];
    },
  },
  {
    kind: "jsonschema",
    path: "s.json",
    n: 300,
    make: (n) => {
      const doc = (t: string, extra: string[]) =>
        JSON.stringify({ type: "object", properties: Object.fromEntries(range(n).map((i) => [`p${i}`, { anyOf: [{ type: t }, { enum: ["a", "b", ...extra] }], pattern: "^(a+)+$" }])), patternProperties: { "^x(a+)+$": { type: "string" } } });
      return [{ "s.json": doc("string", []) }, { "s.json": doc("integer", ["c"]) }];
    },
  },
  {
    kind: "avro",
    path: "a.avsc",
    n: 1500,
    make: (n) => {
      const doc = (extra: string[]) => JSON.stringify({ type: "record", name: "R", fields: range(n).map((i) => ({ name: `f${i}`, type: i % 2 ? "int" : { type: "enum", name: `E${i}`, symbols: ["A", "B", ...extra] } })) });
      return [{ "a.avsc": doc([]) }, { "a.avsc": doc(["C"]) }];
    },
  },
  {
    kind: "asyncapi",
    path: "a.yaml",
    n: 150,
    make: (n) => {
      const doc = (req: string) => `asyncapi: 3.0.0\ninfo: {title: t, version: 1.0.0}\nchannels:\n${range(n).map((i) => `  c${i}:\n    address: c${i}\n    messages:\n      m: {payload: {required: [${req}], type: object, properties: {id: {type: string}, n: {type: integer}}}}\n`).join("")}operations:\n${range(n).map((i) => `  o${i}:\n    action: receive\n    channel: {$ref: "#/channels/c${i}"}\n    messages: [{$ref: "#/channels/c${i}/messages/m"}]\n`).join("")}`;
      return [{ "a.yaml": doc("id") }, { "a.yaml": doc("id, n") }];
    },
  },
  {
    kind: "graphql",
    path: "s.graphql",
    n: 1000,
    make: (n) => {
      const doc = (t: string) => `${range(n).map((i) => `type T${i} { id: ID!\n name: ${t}\n next: T${i % 50} }\nenum E${i} { A B }\n`).join("")}type Query { ${range(n).map((i) => `t${i}: T${i}`).join("\n")} }\n`;
      return [{ "s.graphql": doc("String") }, { "s.graphql": doc("Int") }];
    },
  },
  {
    kind: "protobuf",
    path: "p.proto",
    n: 6000,
    make: (n) => {
      const doc = (t: string) => `syntax = "proto3";\npackage p;\n${range(n).map((i) => `message M${i} { ${t} a = 1; string b = 2; M${i % 50} next = 3; }\n`).join("")}`;
      return [{ "p.proto": doc("string") }, { "p.proto": doc("int64") }];
    },
  },
];
