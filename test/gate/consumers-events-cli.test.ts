import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "../e2e/gate-helpers.ts";

// Event consumers through `comms check`: an AsyncAPI receiver and a message pact naming an AsyncAPI
// producer, both directions, with both locations.
setDefaultTimeout(60_000);
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const producer = (fields: string) => `asyncapi: 3.0.0
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
            fields: [${fields}]
operations:
  publicar:
    action: send
    channel: {$ref: '#/channels/creados'}
`;
const receiver = `asyncapi: 3.0.0
info: { title: Facturacion, version: 1.0.0 }
channels:
  entrada:
    address: pedidos.creados.v1
    messages:
      PedidoCreado:
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema:
            type: record
            name: PedidoCreado
            fields: [{name: id, type: string}, {name: total, type: long}]
operations:
  leer:
    action: receive
    channel: {$ref: '#/channels/entrada'}
`;
const pact = `{
  "consumer": { "name": "avisos" },
  "provider": { "name": "pedidos" },
  "interactions": [
    { "type": "Asynchronous/Messages", "description": "an order was created",
      "contents": { "content": { "id": "p-1", "total": 3 }, "contentType": "application/json" },
      "metadata": { "topic": "pedidos.creados.v1" } }
  ],
  "metadata": { "pactSpecification": { "version": "4.0" } }
}`;

describe("event consumers of an AsyncAPI producer through comms check", () => {
  test("a producer change that drops a field both consumers read fails with both locations; the receiver's own check says the same against the release", () => {
    repo.write("comms.yaml", `version: 1
contracts:
  pedidos: { kind: asyncapi, path: events/pedidos.yaml }
  facturacion: { kind: asyncapi, path: consumers/facturacion.yaml, provider: pedidos }
  avisos: { kind: pact, path: consumers/avisos.json, provider: pedidos }
`);
    repo.write("events/pedidos.yaml", producer("{name: id, type: string}, {name: total, type: long}"));
    repo.write("consumers/facturacion.yaml", receiver);
    repo.write("consumers/avisos.json", pact);
    expect(repo.comms("check").code).toBe(0);
    expect(repo.comms("release", "pedidos", "--version", "1.0.0").code).toBe(0);

    repo.write("events/pedidos.yaml", producer("{name: id, type: string}"));
    const r = repo.json("check", "pedidos");
    expect(r.code).toBe(1);
    const found = r.out.results[0].findings
      .filter((f: any) => f.consumer)
      .map((f: any) => [f.rule, f.consumer.contract, `${f.new.file}:${f.new.line}`, `${f.consumer.location.file}:${f.consumer.location.line}`]);
    expect(found).toEqual([
      ["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "facturacion", "events/pedidos.yaml:12", "consumers/facturacion.yaml:13"],
      ["consumer-response-field-unknown", "avisos", "events/pedidos.yaml:12", "consumers/avisos.json:6"],
    ]);
    expect(r.out.results[0].notes.join("\n")).toContain("judged against its consumers: facturacion, avisos");

    // The released producer still has total: the receiver's own check passes against it.
    const own = repo.json("check", "facturacion");
    expect(own.code).toBe(0);
    expect(own.out.results[0].notes.join("\n")).toContain("judged against its provider's latest release pedidos@1.0.0");
  });

  test("a JSON Schema reader follows the producer's compatibility from comms.yaml, and --mode over it", () => {
    const config = (mode: string) => `version: 1
${mode ? `policy: { compatibility: ${mode} }\n` : ""}contracts:
  pagos: { kind: jsonschema, path: events/pago.json }
  cobros: { kind: jsonschema, path: consumers/pago.json, provider: pagos }
`;
    repo.write("events/pago.json", `{ "type": "object", "properties": { "id": { "type": "string" }, "importe": { "type": "number" } } }`);
    // The reader requires id, which the writer may omit: a backward break, not a forward one.
    repo.write("consumers/pago.json", `{ "type": "object", "properties": { "id": { "type": "string" }, "importe": { "type": "number" } },\n  "required": ["id"] }`);
    const rules = (r: any) => r.out.results[0].findings.filter((f: any) => f.consumer).map((f: any) => [f.rule, f.consumer.location.file]);
    repo.write("comms.yaml", config(""));
    const backward = repo.json("check", "pagos");
    expect(backward.code).toBe(1);
    expect(rules(backward)).toEqual([["consumer-REQUIRED_ATTRIBUTE_ADDED", "consumers/pago.json"]]);
    repo.write("comms.yaml", config("forward"));
    const forward = repo.json("check", "pagos");
    expect(rules(forward)).toEqual([]);
    expect(forward.code).toBe(0);
    expect(rules(repo.json("check", "pagos", "--mode", "full"))).toEqual([["consumer-REQUIRED_ATTRIBUTE_ADDED", "consumers/pago.json"]]);
    // The consumer's own check uses the producer's mode too (the producer's latest release).
    expect(repo.comms("release", "pagos", "--version", "1.0.0").code).toBe(0);
    expect(rules(repo.json("check", "cobros"))).toEqual([]);
    repo.write("comms.yaml", config("backward"));
    expect(rules(repo.json("check", "cobros"))).toEqual([["consumer-REQUIRED_ATTRIBUTE_ADDED", "consumers/pago.json"]]);
  });
});
