import { describe, expect, test } from "bun:test";
import { findings, yaml, type Brief } from "../helpers.ts";

/** `GET /items/{id}` with the given parameter list entries (one per line, from line 7). */
const spec = (...params: string[]) => yaml`
  openapi: 3.0.3
  info: { title: items, version: "1.0.0" }
  paths:
    /items/{id}:
      get:
        parameters:
${params.map((p) => `          - ${p}`).join("\n")}
        responses: { "200": { description: ok } }
`;

const ID = "{ name: id, in: path, required: true, schema: { type: string } }";
const OP = "/paths/~1items~1{id}/get";

export const cases: Array<{ name: string; before: string; after: string; ids: RegExp; expected: Brief[] }> = [
  {
    name: "a query parameter that became required breaks callers that omit it",
    before: spec(ID, "{ name: limit, in: query, schema: { type: integer } }"),
    after: spec(ID, "{ name: limit, in: query, required: true, schema: { type: integer } }"),
    ids: /required/,
    expected: [{ rule: "request-parameter-became-required", path: `${OP}/parameters/query/limit`, old: "old.yaml:8:13", new: "new.yaml:8:13", severity: "breaking" }],
  },
  {
    name: "a new required query parameter is breaking, a new optional one is safe",
    before: spec(ID),
    after: spec(ID, "{ name: q, in: query, required: true, schema: { type: string } }", "{ name: page, in: query, schema: { type: integer } }"),
    ids: /new-/,
    expected: [
      { rule: "new-required-request-parameter", path: `${OP}/parameters/query/q`, new: "new.yaml:8:13", severity: "breaking" },
      { rule: "new-optional-request-parameter", path: `${OP}/parameters/query/page`, new: "new.yaml:9:13", severity: "safe" },
    ],
  },
  {
    name: "a removed parameter is dangerous (servers may reject it now)",
    before: spec(ID, "{ name: limit, in: query, schema: { type: integer } }"),
    after: spec(ID),
    ids: /removed/,
    expected: [{ rule: "request-parameter-removed", path: `${OP}/parameters/query/limit`, old: "old.yaml:8:13", new: "new.yaml:5:5", severity: "dangerous" }],
  },
  {
    name: "header parameter names match case-insensitively",
    before: spec(ID, "{ name: X-Request-Id, in: header, schema: { type: string } }"),
    after: spec(ID, "{ name: x-request-id, in: header, schema: { type: string } }"),
    ids: /./,
    expected: [],
  },
  {
    name: "a parameter enum that lost a value is breaking",
    before: spec(ID, "{ name: sort, in: query, schema: { type: string, enum: [asc, desc] } }"),
    after: spec(ID, "{ name: sort, in: query, schema: { type: string, enum: [asc] } }"),
    ids: /enum/,
    expected: [{ rule: "request-parameter-enum-value-removed", path: `${OP}/parameters/query/sort/schema`, old: "old.yaml:8:62", new: "new.yaml:8:62", severity: "breaking" }],
  },
  {
    name: "a parameter type change is breaking",
    before: spec(ID, "{ name: limit, in: query, schema: { type: string } }"),
    after: spec(ID, "{ name: limit, in: query, schema: { type: integer } }"),
    ids: /type/,
    expected: [{ rule: "request-parameter-type-changed", path: `${OP}/parameters/query/limit/schema`, old: "old.yaml:8:49", new: "new.yaml:8:49", severity: "breaking" }],
  },
  {
    name: "a query parameter widened from integer to string still accepts every value sent as text",
    before: spec(ID, "{ name: limit, in: query, schema: { type: integer } }"),
    after: spec(ID, "{ name: limit, in: query, schema: { type: string } }"),
    ids: /type/,
    expected: [{ rule: "request-parameter-type-generalized", path: `${OP}/parameters/query/limit/schema`, old: "old.yaml:8:49", new: "new.yaml:8:49", severity: "safe" }],
  },
  {
    name: "a JSON-encoded parameter (content) from integer to string is a real type change",
    before: spec(ID, "{ name: f, in: query, content: { application/json: { schema: { type: integer } } } }"),
    after: spec(ID, "{ name: f, in: query, content: { application/json: { schema: { type: string } } } }"),
    ids: /type/,
    expected: [
      { rule: "request-parameter-type-changed", path: `${OP}/parameters/query/f/content/application~1json/schema`, old: "old.yaml:8:76", new: "new.yaml:8:76", severity: "breaking" },
    ],
  },
  {
    name: "a lowered maximum on a parameter is breaking",
    before: spec(ID, "{ name: limit, in: query, schema: { type: integer, maximum: 100 } }"),
    after: spec(ID, "{ name: limit, in: query, schema: { type: integer, maximum: 50 } }"),
    ids: /max/,
    expected: [{ rule: "request-parameter-max-decreased", path: `${OP}/parameters/query/limit/schema`, old: "old.yaml:8:64", new: "new.yaml:8:64", severity: "breaking" }],
  },
  {
    name: "a parameter that became not nullable is breaking",
    before: spec(ID, "{ name: tag, in: query, schema: { type: string, nullable: true } }"),
    after: spec(ID, "{ name: tag, in: query, schema: { type: string } }"),
    ids: /nullable/,
    expected: [{ rule: "request-parameter-became-not-nullable", path: `${OP}/parameters/query/tag/schema`, old: "old.yaml:8:37", new: "new.yaml:8:37", severity: "breaking" }],
  },
];

describe("openapi parameter rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findings(c.before, c.after, c.ids)).toEqual(c.expected);
    });
  }
});
