import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

/** OpenAPI 3 `GET /items/{id}` with the given parameters, one a line from line 7. */
const oas3 = (params: string) => yaml`
  openapi: 3.0.3
  info: { title: items, version: "1.0.0" }
  paths:
    /items/{id}:
      get:
        parameters:
${indent(params, 10)}
        responses: { "200": { description: ok } }
`;

/** The same in Swagger 2.0, parameters from line 7. */
const swagger = (params: string) => yaml`
  swagger: "2.0"
  info: { title: items, version: "1.0.0" }
  paths:
    /items/{id}:
      get:
        parameters:
${indent(params, 10)}
        responses: { "200": { description: ok } }
`;

const OP = "/paths/~1items~1{id}/get/parameters";
const ID = "- { name: id, in: path, required: true, schema: { type: string } }";
const ID2 = "- { name: id, in: path, required: true, type: string }";

export const cases: Case[] = [
  {
    name: "an array query parameter no longer exploded: ?ids=1&ids=2 became ?ids=1,2",
    before: oas3(`${ID}\n- { name: ids, in: query, schema: { type: array, items: { type: integer } } }`),
    after: oas3(`${ID}\n- { name: ids, in: query, explode: false, schema: { type: array, items: { type: integer } } }`),
    ids: /style/,
    expected: [
      { rule: "request-parameter-style-changed", path: `${OP}/query/ids`, old: "old.yaml:8:13", new: "new.yaml:8:37", severity: "breaking", operations: ["GET /items/{id}"] },
    ],
  },
  {
    name: "a path parameter moved to label style: /items/5 became /items/.5",
    before: oas3(ID),
    after: oas3("- { name: id, in: path, required: true, style: label, schema: { type: string } }"),
    ids: /style/,
    expected: [
      { rule: "request-parameter-style-changed", path: `${OP}/path/id`, old: "old.yaml:7:13", new: "new.yaml:7:51", severity: "breaking", operations: ["GET /items/{id}"] },
    ],
  },
  {
    name: "valid: a scalar query parameter's explode changes nothing on the wire",
    before: oas3(`${ID}\n- { name: q, in: query, schema: { type: string } }`),
    after: oas3(`${ID}\n- { name: q, in: query, explode: false, schema: { type: string } }`),
    ids: /style/,
    expected: [],
  },
  {
    name: "valid: writing out the default style and explode changes nothing",
    before: oas3(`${ID}\n- { name: ids, in: query, schema: { type: array, items: { type: string } } }`),
    after: oas3(`${ID}\n- { name: ids, in: query, style: form, explode: true, schema: { type: array, items: { type: string } } }`),
    ids: /style/,
    expected: [],
  },
  {
    name: "Swagger 2.0: collectionFormat multi became the default csv",
    before: swagger(`${ID2}\n- { name: ids, in: query, type: array, items: { type: string }, collectionFormat: multi }`),
    after: swagger(`${ID2}\n- { name: ids, in: query, type: array, items: { type: string } }`),
    ids: /style/,
    expected: [
      { rule: "request-parameter-style-changed", path: `${OP}/query/ids`, old: "old.yaml:8:75", new: "new.yaml:8:13", severity: "breaking", operations: ["GET /items/{id}"] },
    ],
  },
  {
    name: "Swagger 2.0 csv to OpenAPI 3 without explode: false changes the wire format",
    before: swagger(`${ID2}\n- { name: ids, in: query, type: array, items: { type: string } }`),
    after: oas3(`${ID}\n- { name: ids, in: query, schema: { type: array, items: { type: string } } }`),
    ids: /style/,
    expected: [
      { rule: "request-parameter-style-changed", path: `${OP}/query/ids`, old: "old.yaml:8:13", new: "new.yaml:8:13", severity: "breaking", operations: ["GET /items/{id}"] },
    ],
  },
  {
    name: "valid: Swagger 2.0 csv to OpenAPI 3 with explode: false",
    before: swagger(`${ID2}\n- { name: ids, in: query, type: array, items: { type: string } }`),
    after: oas3(`${ID}\n- { name: ids, in: query, explode: false, schema: { type: array, items: { type: string } } }`),
    ids: /style/,
    expected: [],
  },
];

describe("openapi parameter serialisation (style, explode, collectionFormat)", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
