import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MemoryReader } from "../../src/core/source.ts";
import { judgePair, loadContract } from "../../src/gate/consumers.ts";
import { generatedPacts } from "../helpers/pact.ts";

// A pact's HTTP interactions against an OpenAPI provider, table-style: provider description, expected
// findings (rule, where, consumer and provider lines).

const api = (getSchema: string, extra = "", params = "") => `openapi: 3.0.3
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
${extra}`;

const order = (props: Record<string, string>) =>
  `                type: object
                properties:
${Object.entries(props)
  .map(([k, v]) => `                  ${k}: ${v}`)
  .join("\n")}`;

const GOOD: Record<string, string> = {
  id: "{ type: integer }",
  status: "{ type: string, enum: [open, closed] }",
  lines: "{ type: array, items: { type: object, properties: { sku: { type: string }, qty: { type: integer } } } }",
  total: "{ type: number }",
};

const dir = generatedPacts();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pacts = new Map([
  ["pacts/web.json", readFileSync(join(dir, "web-pedidos-api.json"), "utf8")],
  ["pacts/web4.json", readFileSync(join(dir, "web4-pedidos-api.json"), "utf8")],
]);

async function judge(openapi: string, pact = "pacts/web.json") {
  const files = new Map([...pacts, ["api/openapi.yaml", openapi]]);
  const reader = new MemoryReader(files, "test");
  const provider = await loadContract("openapi", { reader, path: "api/openapi.yaml" }, {});
  const consumer = await loadContract("pact", { reader, path: pact }, {});
  return judgePair("web", consumer, provider);
}

describe("pact (v3, from the DSL) against OpenAPI", () => {
  test.each([
    ["everything offered", api(order(GOOD)), []],
    ["field removed", api(order({ ...GOOD, total: undefined as never }).replace(/\n.*undefined/, "")), [["consumer-response-field-unknown", "response.body.total"]]],
    ["integer matcher, number schema", api(order({ ...GOOD, id: "{ type: number }" })), [["consumer-response-field-type-mismatch", "response.body.id"]]],
    ["decimal matcher, integer schema", api(order({ ...GOOD, total: "{ type: integer }" })), [["consumer-response-field-type-mismatch", "response.body.total"]]],
    ["regex matcher, enum value it rejects", api(order({ ...GOOD, status: "{ type: string, enum: [open, closed, archived] }" })), [["consumer-response-field-value-mismatch", "response.body.status"]]],
    ["type matcher inside eachLike", api(order({ ...GOOD, lines: "{ type: array, items: { type: object, properties: { sku: { type: integer }, qty: { type: integer } } } }" })), [["consumer-response-field-type-mismatch", "response.body.lines[].sku"]]],
    ["array became object", api(order({ ...GOOD, lines: "{ type: object }" })), [["consumer-response-field-type-mismatch", "response.body.lines"]]],
    ["eachLike min 1 is the DSL default", api(order({ ...GOOD, lines: "{ type: array, minItems: 0, items: { type: object, properties: { sku: { type: string }, qty: { type: integer } } } }" })), []],
    ["query value no longer allowed", api(order(GOOD)).replace("enum: [lines]", "enum: [items]"), [["consumer-request-parameter-invalid", "request.query.expand"]]],
    ["path parameter type", api(order(GOOD)).replace("name: id, in: path, required: true, schema: { type: integer }", "name: id, in: path, required: true, schema: { type: string, pattern: '^o-' }"), [["consumer-request-parameter-invalid", "request.path.id"]]],
    ["new required header", api(order(GOOD), "", "\n        - { name: X-Tenant, in: header, required: true, schema: { type: string } }"), [["consumer-request-parameter-missing", "request.header.X-Tenant"]]],
    ["status changed", api(order(GOOD)).replace('"200":', '"203":'), [["consumer-response-status-unknown", "response.status"]]],
    ["media type changed", api(order(GOOD)).replace("application/json:\n              schema:\n                type: object\n                properties:\n                  id", "application/xml:\n              schema:\n                type: object\n                properties:\n                  id"), [["consumer-response-media-type-unknown", "response.body"]]],
    ["path gone", api(order(GOOD)).replace("/orders/{id}:", "/pedidos/{id}:"), [["consumer-request-path-unknown", "request.path"]]],
    ["method gone", api(order(GOOD)).replace("    get:\n      parameters", "    put:\n      parameters"), [["consumer-request-method-unknown", "request.method"]]],
  ])("%s", async (_name, openapi, want) => {
    const v = await judge(openapi);
    expect(v.findings.map((f) => [f.rule, f.path.split("#")[2]])).toEqual(want as string[][]);
    for (const f of v.findings) {
      // Both sides located: the provider's file in `new`, the consumer's pact in `consumer`.
      expect(f.new?.file).toBe("api/openapi.yaml");
      expect(f.consumer?.location?.file).toBe("pacts/web.json");
      expect(f.consumer?.interaction).toBe("get order [given order 1 exists] (GET /orders/1)");
      expect(f.message).toContain("consumer 'web'");
    }
  });

  test("locations point at the field on both sides", async () => {
    const v = await judge(api(order({ ...GOOD, id: "{ type: number }" })));
    const [f] = v.findings;
    const pactLine = pacts.get("pacts/web.json")!.split("\n").findIndex((l) => l.includes('"id": 1')) + 1;
    expect(f!.consumer!.location!.line).toBe(pactLine);
    const apiLine = api(order({ ...GOOD, id: "{ type: number }" })).split("\n").findIndex((l) => l.includes("id: { type: number }")) + 1;
    expect(f!.new!.line).toBe(apiLine);
    expect(v.uses).toEqual(new Set(["GET /orders/{id}"]));
  });
});

describe("pact (v4, from the DSL) request bodies against OpenAPI", () => {
  test.each([
    ["accepted", api(order(GOOD)), []],
    ["a field becomes required", api(order(GOOD)).replace("required: [sku]", "required: [sku, canal]"), [["consumer-request-body-invalid", "request.body.(body)"]]],
    ["a field's type changes", api(order(GOOD)).replace("sku: { type: string }\n                qty: { type: integer, minimum: 1 }", "sku: { type: integer }\n                qty: { type: integer, minimum: 1 }"), [["consumer-request-body-invalid", "request.body.sku"]]],
    ["minimum raised", api(order(GOOD)).replace("minimum: 1", "minimum: 2"), [["consumer-request-body-invalid", "request.body.qty"]]],
    ["closed to unknown fields", api(order(GOOD)).replace("required: [sku]", "required: [sku]\n              additionalProperties: false").replace("qty: { type: integer, minimum: 1 }", "cantidad: { type: integer }"), [["consumer-request-body-invalid", "request.body.qty"]]],
    ["body media type changed", api(order(GOOD)).replace("        content:\n          application/json:\n            schema:\n              type: object\n              required", "        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              required"), [["consumer-request-media-type-unsupported", "request.body"]]],
    ["response id became a string", api(order(GOOD)).replace("schema: { type: object, properties: { id: { type: integer } } }", "schema: { type: object, properties: { id: { type: string } } }"), [["consumer-response-field-type-mismatch", "response.body.id"]]],
  ])("%s", async (_name, openapi, want) => {
    const v = await judge(openapi, "pacts/web4.json");
    expect(v.findings.map((f) => [f.rule, f.path.split("#")[2]])).toEqual(want as string[][]);
  });
});
