import { describe, expect, test } from "bun:test";
import { findingsWithOps, nonSafe, yaml, type Case } from "../helpers.ts";

/** OpenAPI 3: `GET /pets` returns `Pet`; the other component schemas follow from line 13. */
const spec = (schemas: string) => yaml`
  openapi: 3.0.3
  info: { title: pets, version: "1.0.0" }
  paths:
    /pets:
      get:
        responses:
          "200":
            description: ok
            content: { application/json: { schema: { $ref: "#/components/schemas/Pet" } } }
  components:
    schemas:
      Pet: { type: object, properties: { name: { type: string } } }
${schemas}
`;

/** Swagger 2.0: the same with `definitions`, other definitions from line 13. */
const swagger = (definitions: string) => yaml`
  swagger: "2.0"
  info: { title: pets, version: "1.0.0" }
  paths:
    /pets:
      get:
        produces: [application/json]
        responses:
          "200":
            description: ok
            schema: { $ref: "#/definitions/Pet" }
  definitions:
    Pet: { type: object, properties: { name: { type: string } } }
${definitions}
`;

const ERROR = "    Error: { type: object, properties: { code: { type: integer } } }";

export const cases: Case[] = [
  {
    name: "a removed component schema is informational (what matters is what operations use)",
    before: spec(ERROR),
    after: spec(""),
    ids: /schema/,
    expected: [
      { rule: "api-schema-removed", path: "/components/schemas/Error", old: "old.yaml:13:5", severity: "safe" },
    ],
  },
  {
    name: "a removed Swagger 2.0 definition",
    before: swagger(ERROR.slice(2)),
    after: swagger(""),
    ids: /schema/,
    expected: [
      { rule: "api-schema-removed", path: "/definitions/Error", old: "old.yaml:13:3", severity: "safe" },
    ],
  },
  {
    name: "valid: a component no operation uses changed type, which reaches no client",
    before: spec(ERROR),
    after: spec("    Error: { type: string }"),
    ids: /./,
    expected: [],
  },
  {
    name: "valid: a new component schema",
    before: spec(""),
    after: spec(ERROR),
    ids: /./,
    expected: [],
  },
];

describe("openapi component rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
