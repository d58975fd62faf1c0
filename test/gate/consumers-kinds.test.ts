import { describe, expect, test } from "bun:test";
import type { KindId } from "../../src/core/engine.ts";
import { MemoryReader } from "../../src/core/source.ts";
import { judgePair, loadContract } from "../../src/gate/consumers.ts";

// Each expectation kind against its provider kind, table-style: consumer file, provider file, expected
// findings (rule, severity) with both sides located.

async function judge(kind: KindId, consumer: [string, string], provider: [string, string], settings: Record<string, unknown> = {}) {
  const reader = new MemoryReader(new Map([consumer, provider]), "test");
  const c = await loadContract(kind, { reader, path: consumer[0] }, {});
  const p = await loadContract(kind, { reader, path: provider[0] }, {});
  return judgePair("the-consumer", c, p, settings);
}

const SDL = (order: string) => `type Query { order(id: ID!): Order orders(status: Status): [Order!]! }
enum Status { OPEN CLOSED }
type Order { ${order} }
`;

describe("GraphQL operations against a GraphQL schema", () => {
  const OPS = `query OrderTotal($id: ID!) { order(id: $id) { id total } }
query Open { orders(status: OPEN) { id } }
`;
  test.each([
    ["all valid", SDL("id: ID! total: Float"), []],
    ["a field the operation reads is gone", SDL("id: ID! amount: Float"), [["consumer-operation-invalid", "OrderTotal", 1]]],
    ["an argument's type changed", SDL("id: ID! total: Float").replace("orders(status: Status)", "orders(status: String)"), [["consumer-operation-invalid", "Open", 2]]],
    ["a field nobody reads is gone", SDL("id: ID! total: Float").replace("orders(status: Status): [Order!]! ", ""), [["consumer-operation-invalid", "Open", 2]]],
  ])("%s", async (_n, sdl, want) => {
    const v = await judge("graphql", ["ops.graphql", OPS], ["schema.graphql", sdl]);
    expect(v.findings.map((f) => [f.rule, f.consumer!.interaction, f.consumer!.location!.line])).toEqual(want as never);
    for (const f of v.findings) expect(f.severity).toBe("breaking");
  });

  test("what the operations use, for usage: required", async () => {
    const v = await judge("graphql", ["ops.graphql", OPS], ["schema.graphql", SDL("id: ID! total: Float status: Status")]);
    expect([...v.uses!].sort()).toEqual(expect.arrayContaining(["Order.id", "Order.total", "Query.order", "Query.orders"]));
    expect(v.uses!.has("Order.status")).toBe(false);
  });

  test("a schema named as a consumer contract is refused", async () => {
    await expect(judge("graphql", ["ops.graphql", SDL("id: ID!")], ["schema.graphql", SDL("id: ID!")])).rejects.toThrow("a GraphQL consumer contract holds operations");
  });
});

const avro = (fields: string[]) => `{ "type": "record", "name": "PedidoCreado", "namespace": "acme", "fields": [${fields.join(", ")}] }`;

describe("an Avro reader schema against the producer's schema (Avro resolution)", () => {
  test.each([
    ["same schema", [`{"name": "id", "type": "string"}`], [`{"name": "id", "type": "string"}`], []],
    ["the producer adds a field", [`{"name": "id", "type": "string"}`], [`{"name": "id", "type": "string"}`, `{"name": "x", "type": "int"}`], []],
    ["the producer drops a field the reader has no default for", [`{"name": "id", "type": "string"}`, `{"name": "importe", "type": "double"}`], [`{"name": "id", "type": "string"}`], [["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking"]]],
    ["the producer drops a field the reader defaults", [`{"name": "id", "type": "string"}`, `{"name": "importe", "type": "double", "default": 0}`], [`{"name": "id", "type": "string"}`], []],
    ["int written, long read: promotion", [`{"name": "n", "type": "long"}`], [`{"name": "n", "type": "int"}`], []],
    ["long written, int read", [`{"name": "n", "type": "int"}`], [`{"name": "n", "type": "long"}`], [["consumer-TYPE_MISMATCH", "breaking"]]],
  ])("%s", async (_n, reader, writer, want) => {
    const v = await judge("avro", ["reader.avsc", avro(reader)], ["writer.avsc", avro(writer)]);
    expect(v.findings.map((f) => [f.rule, f.severity])).toEqual(want as never);
    for (const f of v.findings) {
      expect(f.consumer!.location!.file).toBe("reader.avsc");
      expect(f.new!.file).toBe("writer.avsc");
    }
  });
});

const js = (props: string, extra = "") => `{ "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": { ${props} }${extra} }`;

describe("a JSON Schema reader against the producer's schema", () => {
  test.each([
    ["same", js(`"id": { "type": "string" }`), js(`"id": { "type": "string" }`), []],
    ["the reader requires what the producer may omit", js(`"id": { "type": "string" }`, `, "required": ["id"]`), js(`"id": { "type": "string" }`), [["consumer-REQUIRED_ATTRIBUTE_ADDED", "breaking"]]],
    ["the producer widens a type the reader narrows", js(`"n": { "type": "integer" }`), js(`"n": { "type": "number" }`), [["consumer-TYPE_NARROWED", "breaking"]]],
  ])("%s", async (_n, reader, writer, want) => {
    const v = await judge("jsonschema", ["reader.json", reader], ["writer.json", writer]);
    expect(v.findings.map((f) => [f.rule, f.severity])).toEqual(want as never);
  });
});

const proto = (fields: string) => `syntax = "proto3";
package acme.pedidos.v1;
message Pedido {
${fields}
}
`;

describe("a vendored .proto copy against the provider's protos (wire compatibility)", () => {
  test.each([
    ["same", proto("  string id = 1;\n  int64 total = 2;"), proto("  string id = 1;\n  int64 total = 2;"), []],
    ["renamed field: same wire", proto("  string id = 1;\n  int64 total = 2;"), proto("  string id = 1;\n  int64 importe = 2;"), []],
    ["new field: same wire for old readers", proto("  string id = 1;"), proto("  string id = 1;\n  int64 total = 2;"), []],
    ["type changed on the wire", proto("  string id = 1;\n  int64 total = 2;"), proto("  string id = 1;\n  string total = 2;"), [["consumer-FIELD_WIRE_COMPATIBLE_TYPE", "breaking"]]],
  ])("%s", async (_n, vendored, provider, want) => {
    const v = await judge("protobuf", ["vendor/pedidos.proto", vendored], ["proto/pedidos.proto", provider]);
    expect(v.findings.map((f) => [f.rule, f.severity])).toEqual(want as never);
    for (const f of v.findings) expect(f.consumer!.location!.file).toBe("vendor/pedidos.proto");
  });
});

describe("message pacts (v3 messages, v4 asynchronous messages) against a JSON Schema producer", () => {
  const v3 = (contents: string, rules = "{}") => `{
  "consumer": { "name": "facturacion" },
  "provider": { "name": "pedidos-eventos" },
  "messages": [
    {
      "description": "an order was created",
      "contents": ${contents},
      "metadata": { "contentType": "application/json" },
      "matchingRules": { "body": ${rules} }
    }
  ],
  "metadata": { "pactSpecification": { "version": "3.0.0" } }
}`;
  const v4 = (contents: string) => `{
  "consumer": { "name": "facturacion" },
  "provider": { "name": "pedidos-eventos" },
  "interactions": [
    { "type": "Asynchronous/Messages", "description": "an order was created", "contents": { "content": ${contents}, "contentType": "application/json", "encoded": false } }
  ],
  "metadata": { "pactSpecification": { "version": "4.0" } }
}`;
  const schema = (props: string) => `{ "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": { ${props} }, "definitions": { "money": { "type": "number" } } }`;
  const GOOD = `"id": { "type": "string" }, "total": { "$ref": "#/definitions/money" }`;
  async function judgeMessages(pact: string, producer: string) {
    const reader = new MemoryReader(new Map([["pact.json", pact], ["schema.json", producer]]), "test");
    const c = await loadContract("pact", { reader, path: "pact.json" }, {});
    const p = await loadContract("jsonschema", { reader, path: "schema.json" }, {});
    return judgePair("facturacion", c, p);
  }
  test.each([
    ["v3: every field offered", v3(`{ "id": "p-1", "total": 10.5 }`), schema(GOOD), []],
    ["v3: a field the consumer reads is gone", v3(`{ "id": "p-1", "total": 10.5 }`), schema(`"id": { "type": "string" }`), [["consumer-response-field-unknown", "message.contents.total"]]],
    ["v3: an integer matcher on a number", v3(`{ "id": "p-1", "total": 10 }`, `{ "$.total": { "matchers": [{ "match": "integer" }] } }`), schema(GOOD), [["consumer-response-field-type-mismatch", "message.contents.total"]]],
    ["v4: a type that changed, through a $ref", v4(`{ "id": "p-1", "total": 10.5 }`), schema(GOOD).replace(`"money": { "type": "number" }`, `"money": { "type": "string" }`), [["consumer-response-field-type-mismatch", "message.contents.total"]]],
    ["v4: every field offered", v4(`{ "id": "p-1", "total": 10.5 }`), schema(GOOD), []],
  ])("%s", async (_n, pact, producer, want) => {
    const v = await judgeMessages(pact, producer);
    expect(v.findings.map((f) => [f.rule, f.path.split("#")[2]])).toEqual(want as never);
    for (const f of v.findings) {
      expect(f.new!.file).toBe("schema.json");
      expect(f.consumer!.location!.file).toBe("pact.json");
      expect(f.consumer!.interaction).toBe("an order was created (message)");
    }
  });
});
