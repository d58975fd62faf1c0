import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Pact/OpenAPI pairs for the differential against @pactflow/openapi-pact-comparator: one provider
 * description with variants (valid and broken requests and responses, matching rules, parameters,
 * headers, bodies) and the pacts written by the Pact DSL (see pact-gen.mjs) plus a hand-written v2 pact.
 */

export const API = (getSchema: string, extra = "", params = "") => `openapi: 3.0.3
info: { title: pedidos, version: 1.0.0 }
paths:
  /orders/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: expand, in: query, schema: { type: string, enum: [lines] } }${params}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
${getSchema}
  /orders:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [sku]
              properties:
                sku: { type: string }
                qty: { type: integer, minimum: 1 }
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: { type: object, properties: { id: { type: integer } } }
  /products:
    get:
      parameters:
        - { name: category, in: query, required: true, schema: { type: string } }
        - { name: X-Tenant, in: header, schema: { type: string, pattern: "^t-" } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: array, items: { type: object, properties: { id: { type: integer }, name: { type: string } } } }
${extra}`;

export const order = (props: Record<string, string | undefined>) =>
  `                type: object
                properties:
${Object.entries(props)
  .filter(([, v]) => v !== undefined)
  .map(([k, v]) => `                  ${k}: ${v}`)
  .join("\n")}`;

export const GOOD: Record<string, string> = {
  id: "{ type: integer }",
  status: "{ type: string, enum: [open, closed] }",
  lines: "{ type: array, items: { type: object, properties: { sku: { type: string }, qty: { type: integer } } } }",
  total: "{ type: number }",
};

const REQ_BODY = "sku: { type: string }\n                qty: { type: integer, minimum: 1 }";

/** Provider variants, by name. */
export const VARIANTS: Array<[string, string]> = [
  ["all offered", API(order(GOOD))],
  ["response field removed", API(order({ ...GOOD, total: undefined }))],
  ["integer matcher, number schema", API(order({ ...GOOD, id: "{ type: number }" }))],
  ["decimal matcher, integer schema", API(order({ ...GOOD, total: "{ type: integer }" }))],
  ["regex matcher, enum gains a value it rejects", API(order({ ...GOOD, status: "{ type: string, enum: [open, closed, archived] }" }))],
  ["type matcher inside eachLike, type changed", API(order({ ...GOOD, lines: "{ type: array, items: { type: object, properties: { sku: { type: integer }, qty: { type: integer } } } }" }))],
  ["array became object", API(order({ ...GOOD, lines: "{ type: object }" }))],
  ["response field optional to nullable string", API(order({ ...GOOD, total: "{ type: string, nullable: true }" }))],
  ["query value no longer allowed", API(order(GOOD)).replace("enum: [lines]", "enum: [items]")],
  ["path parameter pattern", API(order(GOOD)).replace("name: id, in: path, required: true, schema: { type: integer }", "name: id, in: path, required: true, schema: { type: string, pattern: '^o-' }")],
  ["new required header", API(order(GOOD), "", "\n        - { name: X-Tenant, in: header, required: true, schema: { type: string } }")],
  ["new required query parameter", API(order(GOOD), "", "\n        - { name: tenant, in: query, required: true, schema: { type: string } }")],
  ["status changed", API(order(GOOD)).replace('"200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object', '"203":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object')],
  ["response media type changed", API(order(GOOD)).replace("application/json:\n              schema:\n                type: object\n                properties:\n                  id", "application/xml:\n              schema:\n                type: object\n                properties:\n                  id")],
  ["path gone", API(order(GOOD)).replace("/orders/{id}:", "/pedidos/{id}:")],
  ["method gone", API(order(GOOD)).replace("    get:\n      parameters:\n        - { name: id", "    put:\n      parameters:\n        - { name: id")],
  ["request field becomes required", API(order(GOOD)).replace("required: [sku]", "required: [sku, canal]")],
  ["request field type changed", API(order(GOOD)).replace(REQ_BODY, "sku: { type: integer }\n                qty: { type: integer, minimum: 1 }")],
  ["request minimum raised", API(order(GOOD)).replace("minimum: 1", "minimum: 2")],
  ["request closed to unknown fields", API(order(GOOD)).replace("required: [sku]", "required: [sku]\n              additionalProperties: false").replace(REQ_BODY, "sku: { type: string }\n                cantidad: { type: integer }")],
  ["request media type changed", API(order(GOOD)).replace("        content:\n          application/json:\n            schema:\n              type: object\n              required", "        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              required")],
  ["created id became a string", API(order(GOOD)).replace("schema: { type: object, properties: { id: { type: integer } } }", "schema: { type: object, properties: { id: { type: string } } }")],
  ["list item name became integer", API(order(GOOD)).replace("name: { type: string }", "name: { type: integer }")],
  ["list header pattern", API(order(GOOD)).replace('pattern: "^t-"', 'pattern: "^tenant-"')],
];

/** The hand-written v2 pact: GET /products with a required query parameter and a header. */
export const V2_PACT = JSON.stringify(
  {
    consumer: { name: "tienda" },
    provider: { name: "pedidos-api" },
    interactions: [
      {
        description: "products by category",
        request: { method: "GET", path: "/products", query: "category=mate", headers: { "X-Tenant": "t-1" } },
        response: {
          status: 200,
          headers: { "Content-Type": "application/json" },
          body: [{ id: 1, name: "Calabaza" }],
          matchingRules: { "$.body": { min: 1, match: "type" }, "$.body[*].id": { match: "integer" } },
        },
      },
    ],
    metadata: { pactSpecification: { version: "2.0.0" } },
  },
  null,
  2,
);

/** Pacts by name: the DSL's v3 and v4 files from `dir` and the v2 one. */
export function pactsFrom(dir: string): Array<[string, string]> {
  return [
    ["v3 DSL web (GET /orders/1)", readFileSync(join(dir, "web-pedidos-api.json"), "utf8")],
    ["v4 DSL web4 (POST /orders)", readFileSync(join(dir, "web4-pedidos-api.json"), "utf8")],
    ["v2 tienda (GET /products)", V2_PACT],
  ];
}
