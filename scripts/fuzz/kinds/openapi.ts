/** OpenAPI documents: tree mutations with OpenAPI's keys, `$ref`s to real and hostile targets, and bytes. */
import { parse as parseYaml } from "yaml";
import { editCase, type FuzzCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Rng, type Vocabulary } from "../lib.ts";
import { nestedComplexKeys, openapiMerge } from "../classes.ts";
import { corpusSeeds, pair, repoFile, varyArgs } from "../seeds.ts";

const BASE = `openapi: 3.0.3
info: { title: Shop, version: 1.0.0 }
paths:
  /orders/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getOrder
      parameters:
        - { name: expand, in: query, schema: { type: array, items: { type: string, enum: [lines, customer] } } }
        - { name: X-Trace, in: header, schema: { type: string, format: uuid } }
      responses:
        "200":
          description: ok
          content:
            application/json: { schema: { $ref: "#/components/schemas/Order" } }
        default: { $ref: "#/components/responses/Error" }
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf: [{ $ref: "#/components/schemas/Order" }, { $ref: "common.yaml#/components/schemas/Money" }]
      responses:
        "201": { description: created }
      security: [{ key: [] }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Key }
  responses:
    Error:
      description: error
      content: { application/json: { schema: { type: object, properties: { code: { type: integer } } } } }
  schemas:
    Order:
      type: object
      required: [id, lines]
      properties:
        id: { type: string, readOnly: true }
        total: { $ref: "common.yaml#/components/schemas/Money" }
        status: { type: string, enum: [new, paid, sent], deprecated: true, x-sunset: "2026-01-01" }
        lines: { type: array, items: { $ref: "#/components/schemas/Line" } }
        parent: { $ref: "#/components/schemas/Order" }
      additionalProperties: false
    Line:
      allOf:
        - { $ref: "#/components/schemas/Base" }
        - { type: object, properties: { qty: { type: integer, format: int32, minimum: 1 } } }
    Base: { type: object, discriminator: { propertyName: kind }, properties: { kind: { type: string } } }
`;
const COMMON = `openapi: 3.0.3
info: { title: common, version: 1.0.0 }
paths: {}
components:
  schemas:
    Money: { type: object, properties: { amount: { type: number }, currency: { type: string, pattern: "^[A-Z]{3}$" } } }
`;
const SWAGGER = `swagger: "2.0"
info: { title: legacy, version: "1.0" }
paths:
  /pets:
    get:
      parameters: [{ name: limit, in: query, type: integer, required: false }]
      responses: { "200": { description: ok, schema: { type: array, items: { $ref: "#/definitions/Pet" } } } }
definitions:
  Pet: { type: object, properties: { name: { type: string } } }
`;

const VOCAB: Vocabulary = {
  keys: [
    "openapi", "swagger", "info", "version", "paths", "components", "schemas", "parameters", "requestBody", "responses", "content",
    "application/json", "schema", "type", "properties", "required", "items", "enum", "oneOf", "anyOf", "allOf", "not", "$ref", "in",
    "name", "format", "nullable", "default", "minimum", "maximum", "deprecated", "x-sunset", "security", "securitySchemes",
    "discriminator", "additionalProperties", "headers", "servers", "200", "default", "get", "post", "delete", "/x/{id}", "readOnly",
    "writeOnly", "const", "$defs", "definitions", "webhooks", "callbacks", "links", "examples", "style", "explode", "x-a",
  ],
  values: [
    "string", "integer", "number", "object", "array", "boolean", "null", ["string", "null"], "int64", "int32", "uuid", "date-time",
    "query", "path", "header", "cookie", true, false, "#/components/schemas/Order", "#/components/schemas/Line",
    "#/components/schemas/Base", "#/components/responses/Error", "common.yaml#/components/schemas/Money", "common.yaml",
    "./common.yaml#/components", "#/components/schemas/Missing", "#/paths/~1orders~1{id}/get", "3.0.3", "3.1.0", "2.0",
    { type: "string" }, { type: "object", properties: { a: { type: "integer" } } }, { $ref: "#/components/schemas/Order" },
    [{ $ref: "#/components/schemas/Order" }, { type: "string" }], { name: "q", in: "query", required: true, schema: { type: "string" } },
  ],
};

const kind: FuzzKind = {
  name: "openapi",
  classes: { "merge-keys": openapiMerge, "nested-complex-keys": (rng) => nestedComplexKeys(rng, "openapi") },
  async seeds() {
    const seeds: FuzzCase[] = [
      { files: { "old.yaml": BASE, "new.yaml": BASE, "common.yaml": COMMON }, args: ["diff", "old.yaml", "new.yaml"] },
      { files: { "old.json": JSON.stringify(parseYaml(BASE), null, 2), "new.yaml": BASE, "common.yaml": COMMON }, args: ["diff", "old.json", "new.yaml", "--kind", "openapi"] },
      { files: { "old.yaml": SWAGGER, "new.yaml": SWAGGER }, args: ["diff", "old.yaml", "new.yaml"] },
      ...pair(repoFile(".comms/usuarios-api/1.0.0/contracts/usuarios/openapi.yaml"), repoFile("contracts/usuarios/openapi.yaml"), ".yaml"),
      ...pair(repoFile(".comms/pedidos-api/1.0.0/contracts/pedidos/openapi.yaml"), repoFile("contracts/pedidos/openapi.yaml"), ".yaml"),
      ...pair(repoFile("test/fixtures/e2e/users-v1.yaml"), repoFile("test/fixtures/e2e/users-v2.yaml"), ".yaml"),
      ...corpusSeeds("openapi"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const docs = Object.keys(c.files).filter((p) => /\.(ya?ml|json)$/.test(p));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.62 && docs.length) c = editCase(c, rng, docs, (t) => mutateTree(t, rng, VOCAB, donors));
      else if (r < 0.88 && docs.length) c = editCase(c, rng, docs, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.95) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
