import { describe, expect, test } from "bun:test";
import { findingsWithOps, nonSafe, yaml, type Case } from "../helpers.ts";

/** `POST /items/{id}` with an `id` path parameter schema (line 8) and a JSON body schema (from line 14). */
const spec = (idSchema: string, body: string) => yaml`
  openapi: 3.0.3
  info: { title: items, version: "1.0.0" }
  paths:
    /items/{id}:
      post:
        parameters:
          - name: id
            in: path
            required: true
            schema: ${idSchema}
        requestBody:
          content:
            application/json:
              schema:
${body
  .split("\n")
  .map((l) => `                ${l}`)
  .join("\n")}
        responses: { "201": { description: ok } }
`;

const INT = "{ type: integer }";
const OBJ = "type: object\nproperties:\n  quantity: { type: integer }";
const OP = "/paths/~1items~1{id}/post";
const BODY = `${OP}/requestBody/content/application~1json/schema`;

const cases: Case[] = [
  {
    name: "format int64 added to an integer parameter is a narrowing to review (dangerous), not a type change",
    before: spec(INT, OBJ),
    after: spec("{ type: integer, format: int64 }", OBJ),
    ids: /format|type/,
    expected: [{ rule: "request-parameter-format-added", path: `${OP}/parameters/path/id/schema`, old: "old.yaml:10:11", new: "new.yaml:10:36", severity: "dangerous", operations: ["POST /items/{id}"] }],
  },
  {
    name: "format int32 added to an integer request property is dangerous",
    before: spec(INT, OBJ),
    after: spec(INT, "type: object\nproperties:\n  quantity: { type: integer, format: int32 }"),
    ids: /format|type/,
    expected: [{ rule: "request-property-format-added", path: `${BODY}/properties/quantity`, old: "old.yaml:17:19", new: "new.yaml:17:46", severity: "dangerous", operations: ["POST /items/{id}"] }],
  },
  {
    name: "a changed format is still a type change",
    before: spec("{ type: integer, format: int64 }", OBJ),
    after: spec("{ type: integer, format: int32 }", OBJ),
    ids: /format|type/,
    expected: [{ rule: "request-parameter-type-changed", path: `${OP}/parameters/path/id/schema`, old: "old.yaml:10:36", new: "new.yaml:10:36", severity: "breaking", operations: ["POST /items/{id}"] }],
  },
  {
    name: "valid: two request alternatives merged into one that accepts both old shapes remove nothing",
    before: spec(
      INT,
      "oneOf:\n  - { type: object, required: [name], properties: { name: { type: string } } }\n  - { type: object, required: [id], properties: { id: { type: integer } } }",
    ),
    after: spec(INT, "oneOf:\n  - { type: object, properties: { name: { type: string }, id: { type: integer } } }"),
    ids: /one-of/,
    expected: [],
  },
  {
    name: "valid: alternatives merged into a list of types accept both old values",
    before: spec(INT, "oneOf:\n  - { type: string }\n  - { type: integer }"),
    after: spec(INT, "anyOf:\n  - { type: string }\n  - { type: integer }\n  - { type: boolean }"),
    ids: /one-of-removed|any-of-removed/,
    expected: [],
  },
  {
    name: "a removed alternative whose values the new schema rejects is still breaking",
    before: spec(INT, "oneOf:\n  - { type: object, required: [a], properties: { a: { type: string } } }\n  - { type: array, items: { type: string } }"),
    after: spec(INT, "oneOf:\n  - { type: object, required: [a], properties: { a: { type: string } } }"),
    ids: /one-of/,
    expected: [{ rule: "request-body-one-of-removed", path: `${BODY}/oneOf/array`, old: "old.yaml:17:21", new: "new.yaml:15:17", severity: "breaking", operations: ["POST /items/{id}"] }],
  },
  {
    name: "a merged alternative that drops a value the old one accepted is breaking",
    before: spec(INT, "oneOf:\n  - { type: object, properties: { name: { type: string } } }\n  - { type: object, properties: { id: { type: integer } } }"),
    after: spec(INT, "oneOf:\n  - { type: object, properties: { name: { type: string }, id: { type: integer, maximum: 10 } } }"),
    ids: /one-of/,
    expected: [{ rule: "request-body-one-of-removed", path: `${BODY}/oneOf/{id}`, old: "old.yaml:17:21", new: "new.yaml:15:17", severity: "breaking", operations: ["POST /items/{id}"] }],
  },
];

describe("openapi narrowing judged by values: formats and merged alternatives", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
