import { describe, expect, test } from "bun:test";
import type { KindId } from "../../src/core/engine.ts";
import type { Finding } from "../../src/core/finding.ts";
import { MemoryReader } from "../../src/core/source.ts";
import { judgePair, loadContract } from "../../src/gate/consumers.ts";
import type { CompatibilityMode } from "../../src/policy/config.ts";

// Event consumers against every producer kind, table-style: consumer file, producer file, expected
// findings (rule id, where in the message or schema, provider line, consumer line).

async function judge(consumer: [KindId, string, string], provider: [KindId, string, string], mode?: CompatibilityMode) {
  const reader = new MemoryReader(new Map([[consumer[1], consumer[2]], [provider[1], provider[2]]]), "test");
  const c = await loadContract(consumer[0], { reader, path: consumer[1] }, {});
  const p = await loadContract(provider[0], { reader, path: provider[1] }, {});
  return judgePair("facturacion", c, p, {}, mode);
}

/** rule, where (the finding path's last part), provider file:line, consumer file:line. */
const summary = (fs: Finding[]) => fs.map((f) => [f.rule, f.path.split("#").slice(2).join("#"), `${f.new?.file}:${f.new?.line}`, `${f.consumer?.location?.file}:${f.consumer?.location?.line}`]);

const v3 = (contents: string, rules = "{}", meta = `"contentType": "application/json"`) => `{
  "consumer": { "name": "facturacion" },
  "provider": { "name": "pedidos" },
  "messages": [
    {
      "description": "an order was created",
      "contents": ${contents},
      "metadata": { ${meta} },
      "matchingRules": { "body": ${rules} }
    }
  ],
  "metadata": { "pactSpecification": { "version": "3.0.0" } }
}`;
const v4 = (contents: string, meta = `"topic": "pedidos.creados.v1"`) => `{
  "consumer": { "name": "facturacion" },
  "provider": { "name": "pedidos" },
  "interactions": [
    {
      "type": "Asynchronous/Messages",
      "description": "an order was created",
      "contents": { "content": ${contents}, "contentType": "application/json", "encoded": false },
      "metadata": { ${meta} }
    }
  ],
  "metadata": { "pactSpecification": { "version": "4.0" } }
}`;

// Line 3: the record; line 5: id; line 6: total; line 7: lines; line 8: estado.
const avsc = (total = `"long"`, estado = `["ABIERTO", "CERRADO"]`) => `{
  "type": "record", "name": "PedidoCreado", "namespace": "acme",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "total", "type": ${total}},
    {"name": "lines", "type": {"type": "array", "items": {"type": "record", "name": "Linea", "fields": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "int"}]}}},
    {"name": "estado", "type": {"type": "enum", "name": "Estado", "symbols": ${estado}}},
    {"name": "nota", "type": ["null", "string"], "default": null}
  ]
}`;

describe("message pacts against an Avro producer: the record's fields and their types", () => {
  const ORDER = `{ "id": "p-1", "total": 10, "lines": [{ "sku": "a", "qty": 2 }], "estado": "ABIERTO", "nota": null }`;
  test.each([
    ["v3: every field the consumer reads is written", v3(ORDER), avsc(), []],
    ["v3: a nullable union read as a string", v3(`{ "id": "p-1", "nota": "x" }`), avsc(), []],
    ["v3: a field the record does not have", v3(`{ "id": "p-1", "canal": "web" }`), avsc(), [["consumer-response-field-unknown", "message.contents.canal", "producer.avsc:2", "pact.json:7"]]],
    ["v3: a field inside an array of records", v3(`{ "lines": [{ "sku": "a", "precio": 1 }] }`), avsc(), [["consumer-response-field-unknown", "message.contents.lines[].precio", "producer.avsc:6", "pact.json:7"]]],
    ["v3: an integer matcher on a double", v3(`{ "total": 10 }`, `{ "$.total": { "matchers": [{ "match": "integer" }] } }`), avsc(`"double"`), [["consumer-response-field-type-mismatch", "message.contents.total", "producer.avsc:5", "pact.json:7"]]],
    ["v3: a type matcher keeps a long", v3(`{ "total": 10 }`, `{ "$.total": { "matchers": [{ "match": "type" }] } }`), avsc(), []],
    ["v3: a string read where the producer writes a long", v3(`{ "total": "10" }`), avsc(), [["consumer-response-field-type-mismatch", "message.contents.total", "producer.avsc:5", "pact.json:7"]]],
    ["v3: a regex every enum symbol must match", v3(`{ "estado": "ABIERTO" }`, `{ "$.estado": { "matchers": [{ "match": "regex", "regex": "ABIERTO|CERRADO" }] } }`), avsc(`"long"`, `["ABIERTO", "CERRADO", "ANULADO"]`), [["consumer-response-field-value-mismatch", "message.contents.estado", "producer.avsc:7", "pact.json:7"]]],
    ["v3: a prototype name is a field like any other, not an inherited member", v3(`{ "constructor": 1, "toString": "x" }`), avsc(), [["consumer-response-field-unknown", "message.contents.constructor", "producer.avsc:2", "pact.json:7"], ["consumer-response-field-unknown", "message.contents.toString", "producer.avsc:2", "pact.json:7"]]],
    ["v3: a record field named __proto__", v3(`{ "__proto__": 1 }`), `{"type": "record", "name": "R", "fields": [{"name": "__proto__", "type": "string"}]}`, [["consumer-response-field-type-mismatch", "message.contents.__proto__", "producer.avsc:1", "pact.json:7"]]],
    ["v4: every field offered", v4(ORDER), avsc(), []],
    ["v4: a field the record does not have", v4(`{ "id": "p-1", "canal": "web" }`), avsc(), [["consumer-response-field-unknown", "message.contents.canal", "producer.avsc:2", "pact.json:8"]]],
  ])("%s", async (_n, pact, producer, want) => {
    const v = await judge(["pact", "pact.json", pact], ["avro", "producer.avsc", producer]);
    expect(summary(v.findings)).toEqual(want as never);
    for (const f of v.findings) expect(f.consumer!.interaction).toBe("an order was created (message)");
  });

  test("a recursive record is judged without looping", async () => {
    const tree = `{"type": "record", "name": "Nodo", "fields": [{"name": "id", "type": "string"}, {"name": "hijos", "type": {"type": "array", "items": "Nodo"}}]}`;
    const ok = await judge(["pact", "pact.json", v3(`{ "id": "a", "hijos": [{ "id": "b", "hijos": [{ "id": "c", "hijos": [] }] }] }`)], ["avro", "producer.avsc", tree]);
    expect(ok.findings).toEqual([]);
    const bad = await judge(["pact", "pact.json", v3(`{ "id": "a", "hijos": [{ "id": "b", "x": 1 }] }`)], ["avro", "producer.avsc", tree]);
    expect(summary(bad.findings)).toEqual([["consumer-response-field-unknown", "message.contents.hijos[].x", "producer.avsc:1", "pact.json:7"]]);
  });
});

// Line 12: the Avro record; 13: its fields; 20: the JSON Schema payload's properties; 21: a channel only received on.
const producerDoc = (o: { avroFields?: string; props?: string } = {}) => `asyncapi: 3.0.0
info: { title: Pedidos, version: 1.0.0 }
channels:
  creados:
    address: pedidos.creados.v1
    messages:
      PedidoCreado:
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema:
            type: record
            name: PedidoCreado
            fields: [${o.avroFields ?? "{name: id, type: string}, {name: total, type: long}"}]
  pagos:
    address: pagos.autorizados.v1
    messages:
      PagoAutorizado:
        payload:
          type: object
          properties: {${o.props ?? "pedido: {type: string}, importe: {type: integer}"}}
  auditoria:
    address: auditoria.v1
operations:
  publicar:
    action: send
    channel: {$ref: '#/channels/creados'}
  cobrar:
    action: send
    channel: {$ref: '#/channels/pagos'}
  auditar:
    action: receive
    channel: {$ref: '#/channels/auditoria'}
`;

describe("message pacts against an AsyncAPI producer: the payload sent on the channel the pact names", () => {
  test.each([
    ["v4: the Avro payload on the named topic", v4(`{ "id": "p-1", "total": 3 }`), producerDoc(), []],
    ["v4: a field the Avro payload does not have", v4(`{ "id": "p-1", "canal": "web" }`), producerDoc(), [["consumer-response-field-unknown", "message.contents.canal", "asyncapi.yaml:12", "pact.json:8"]]],
    ["v4: a field whose type changed in the Avro payload", v4(`{ "id": "p-1", "total": 3 }`), producerDoc({ avroFields: "{name: id, type: string}, {name: total, type: string}" }), [["consumer-response-field-type-mismatch", "message.contents.total", "asyncapi.yaml:13", "pact.json:8"]]],
    ["v4: the JSON Schema payload on the named channel", v4(`{ "pedido": "p-1", "importe": 3 }`, `"channel": "pagos.autorizados.v1"`), producerDoc(), []],
    ["v4: a field the JSON Schema payload does not define", v4(`{ "pedido": "p-1", "moneda": "EUR" }`, `"channel": "pagos.autorizados.v1"`), producerDoc(), [["consumer-response-field-unknown", "message.contents.moneda", "asyncapi.yaml:20", "pact.json:8"]]],
    ["v3: the pact names no channel: the payload that fits", v3(`{ "pedido": "p-1", "importe": 3 }`), producerDoc(), []],
    ["v3: a topic the producer does not have", v3(`{ "id": "p-1" }`, "{}", `"kafka_topic": "pedidos.borrados.v1"`), producerDoc(), [["consumer-message-channel-unknown", "message.metadata", "asyncapi.yaml:3", "pact.json:5"]]],
    ["v3: a channel the producer only receives on", v3(`{ "id": "p-1" }`, "{}", `"destination": "auditoria.v1"`), producerDoc(), [["consumer-message-channel-unknown", "message.metadata", "asyncapi.yaml:21", "pact.json:5"]]],
  ])("%s", async (_n, pact, producer, want) => {
    const v = await judge(["pact", "pact.json", pact], ["asyncapi", "asyncapi.yaml", producer]);
    expect(summary(v.findings)).toEqual(want as never);
  });
});

// A consumer's AsyncAPI document: what it receives on pedidos.creados.v1 (line 8: the message; 10: JSON Schema properties; 13: Avro fields).
const receiver = (payload: string, address = "pedidos.creados.v1") => `asyncapi: 3.0.0
info: { title: Facturacion, version: 1.0.0 }
channels:
  entrada:
    address: ${address}
    messages:
      PedidoCreado:
        payload:
${payload}
operations:
  leer:
    action: receive
    channel: {$ref: '#/channels/entrada'}
`;
const avroPayload = (fields: string, namespace = "") => `          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema:
            type: record
            name: PedidoCreado
            fields: [${fields}]${namespace ? `\n            namespace: ${namespace}` : ""}`;
const jsonPayload = (props: string, required = "") => `          type: object
          properties: {${props}}${required ? `\n          required: [${required}]` : ""}`;

describe("AsyncAPI 2.x documents: subscribe is what the application sends, publish what it receives", () => {
  const v2 = (op: "subscribe" | "publish", props: string) => `asyncapi: 2.6.0
info: { title: t, version: 1.0.0 }
channels:
  pedidos.creados.v1:
    ${op}:
      message:
        name: PedidoCreado
        payload:
          type: object
          properties: {${props}}
`;
  test.each([
    ["a pact against what a 2.x producer sends", ["pact", "pact.json", v4(`{ "id": "p-1", "canal": "web" }`)], v2("subscribe", "id: {type: string}"), [["consumer-response-field-unknown", "message.contents.canal", "producer.yaml:10", "pact.json:8"]]],
    ["a 2.x receiver against a 2.x producer", ["asyncapi", "receiver.yaml", v2("publish", "id: {type: integer}")], v2("subscribe", "id: {type: string}"), [["consumer-TYPE_CHANGED", "/properties/id", "producer.yaml:10", "receiver.yaml:10"]]],
    ["a 2.x producer that only receives on the channel", ["asyncapi", "receiver.yaml", v2("publish", "id: {type: string}")], v2("publish", "id: {type: string}"), [["consumer-message-channel-unknown", "channel", "producer.yaml:4", "receiver.yaml:7"]]],
  ])("%s", async (_n, consumer, producer, want) => {
    const v = await judge(consumer as [KindId, string, string], ["asyncapi", "producer.yaml", producer as string]);
    expect(summary(v.findings)).toEqual(want as never);
  });
});

describe("AsyncAPI receive operations as readers of the producer's writer schema", () => {
  test.each([
    ["Avro subject: the reader reads what is written", receiver(avroPayload("{name: id, type: string}", "acme")), ["avro", "producer.avsc", avsc()], []],
    ["Avro subject: a reader field the writer lacks, without default", receiver(avroPayload("{name: id, type: string}, {name: canal, type: string}", "acme")), ["avro", "producer.avsc", avsc()], [["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "PedidoCreado.canal", "producer.avsc:2", "receiver.yaml:13"]]],
    ["Avro subject: a reader field the writer lacks, with a default", receiver(avroPayload("{name: id, type: string}, {name: canal, type: string, default: web}", "acme")), ["avro", "producer.avsc", avsc()], []],
    ["Avro subject, a JSON Schema reader", receiver(jsonPayload("id: {type: string}")), ["avro", "producer.avsc", avsc()], [["consumer-message-payload-format-mismatch", "payload", "producer.avsc:2", "receiver.yaml:9"]]],
    ["JSON Schema subject: the reader accepts what is written", receiver(jsonPayload("id: {type: string}")), ["jsonschema", "producer.json", `{ "type": "object", "properties": { "id": { "type": "string" } } }`], []],
    ["JSON Schema subject: the reader requires what the writer may omit", receiver(jsonPayload("id: {type: string}", "id")), ["jsonschema", "producer.json", `{ "type": "object", "properties": { "id": { "type": "string" } } }`], [["consumer-REQUIRED_ATTRIBUTE_ADDED", "/properties/id", "producer.json:1", "receiver.yaml:10"]]],
    ["AsyncAPI producer: the Avro payload sent on the channel", receiver(avroPayload("{name: id, type: string}, {name: total, type: long}")), ["asyncapi", "producer.yaml", producerDoc()], []],
    ["AsyncAPI producer: a type the reader cannot resolve", receiver(avroPayload("{name: id, type: string}, {name: total, type: int}")), ["asyncapi", "producer.yaml", producerDoc()], [["consumer-TYPE_MISMATCH", "PedidoCreado.total", "producer.yaml:13", "receiver.yaml:13"]]],
    ["AsyncAPI producer: the JSON Schema payload sent on the channel", receiver(jsonPayload("pedido: {type: string}", "pedido"), "pagos.autorizados.v1"), ["asyncapi", "producer.yaml", producerDoc()], [["consumer-REQUIRED_ATTRIBUTE_ADDED", "/properties/pedido", "producer.yaml:20", "receiver.yaml:10"]]],
    ["AsyncAPI producer: a channel it does not send on", receiver(avroPayload("{name: id, type: string}"), "auditoria.v1"), ["asyncapi", "producer.yaml", producerDoc()], [["consumer-message-channel-unknown", "channel", "producer.yaml:21", "receiver.yaml:8"]]],
    ["AsyncAPI producer: a channel it does not have", receiver(avroPayload("{name: id, type: string}"), "otro.v1"), ["asyncapi", "producer.yaml", producerDoc()], [["consumer-message-channel-unknown", "channel", "producer.yaml:3", "receiver.yaml:8"]]],
  ])("%s", async (_n, consumer, producer, want) => {
    const v = await judge(["asyncapi", "receiver.yaml", consumer], producer as [KindId, string, string]);
    expect(summary(v.findings)).toEqual(want as never);
    for (const f of v.findings) expect(f.consumer!.interaction).toMatch(/^receive \S+ PedidoCreado$/);
  });
});

describe("a JSON Schema reader judged by the producer's compatibility mode", () => {
  const writer = `{ "type": "object", "properties": { "id": { "type": "string" }, "total": { "type": "number" } } }`;
  // The reader requires id, which the writer may omit.
  const narrower = `{ "type": "object", "properties": { "id": { "type": "string" }, "total": { "type": "number" } }, "required": ["id"] }`;
  // The reader accepts everything the writer allows and more (total may also be a string).
  const wider = `{ "type": "object", "properties": { "id": { "type": "string" }, "total": { "type": ["number", "string"] } } }`;
  test.each([
    ["backward: the reader must accept every payload written", narrower, "backward", [["consumer-REQUIRED_ATTRIBUTE_ADDED", "breaking"]]],
    ["backward: a wider reader accepts everything", wider, "backward", []],
    ["backward-transitive asks the same of the pair", narrower, "backward-transitive", [["consumer-REQUIRED_ATTRIBUTE_ADDED", "breaking"]]],
    ["forward: the reader may be narrower", narrower, "forward", []],
    ["forward: the reader must describe nothing the writer does not allow", wider, "forward", [["consumer-SUM_TYPE_NARROWED", "breaking"]]],
    ["full: both", narrower, "full", [["consumer-REQUIRED_ATTRIBUTE_ADDED", "breaking"]]],
    ["full: both, the other way", wider, "full-transitive", [["consumer-SUM_TYPE_NARROWED", "breaking"]]],
    ["none: not judged", narrower, "none", []],
  ])("%s", async (_n, reader, mode, want) => {
    const v = await judge(["jsonschema", "reader.json", reader], ["jsonschema", "writer.json", writer], mode as CompatibilityMode);
    expect(v.findings.map((f) => [f.rule, f.severity])).toEqual(want as never);
    for (const f of v.findings) {
      expect(f.new!.file).toBe("writer.json");
      expect(f.consumer!.location!.file).toBe("reader.json");
    }
  });

  test("the same modes apply to an AsyncAPI receiver's JSON Schema payload", async () => {
    const producer: [KindId, string, string] = ["jsonschema", "producer.json", `{ "type": "object", "properties": { "id": { "type": "string" } } }`];
    const consumer: [KindId, string, string] = ["asyncapi", "receiver.yaml", receiver(jsonPayload("id: {type: string}", "id"))];
    expect((await judge(consumer, producer, "backward")).findings.map((f) => f.rule)).toEqual(["consumer-REQUIRED_ATTRIBUTE_ADDED"]);
    expect((await judge(consumer, producer, "forward")).findings).toEqual([]);
    expect((await judge(consumer, producer, "none")).findings).toEqual([]);
  });
});
