import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/asyncapi/index.ts";

const options = { settings: {}, warn: () => {} };

/** The pedidos service in AsyncAPI 3.0: sends PedidoCreado (Avro), receives PagoAutorizado (JSON Schema). */
function v3(o: { avroFields?: string; extraSent?: boolean; dropSent?: boolean; pagoRequired?: string } = {}) {
  const fields = o.avroFields ?? `{"name": "id", "type": "string"}, {"name": "total", "type": "long"}`;
  return `asyncapi: 3.0.0
info:
  title: Pedidos
  version: 1.0.0
channels:
  creados:
    address: pedidos.creados.v1
    messages:
${o.dropSent ? "" : `      PedidoCreado:
        $ref: '#/components/messages/PedidoCreado'
`}${o.extraSent ? `      PedidoRevisado:
        payload: {type: object}
` : ""}  pagos:
    address: pagos.autorizados.v1
    messages:
      PagoAutorizado:
        $ref: '#/components/messages/PagoAutorizado'
operations:
  publicarPedido:
    action: send
    channel:
      $ref: '#/channels/creados'
  recibirPago:
    action: receive
    channel:
      $ref: '#/channels/pagos'
components:
  messages:
    PedidoCreado:
      payload:
        schemaFormat: application/vnd.apache.avro+json;version=1.9.0
        schema:
          type: record
          name: PedidoCreado
          fields: [${fields}]
    PagoAutorizado:
      payload:
        type: object
        properties:
          pedido: {type: string}
          moneda: {type: string}
        required: [${o.pagoRequired ?? "pedido"}]
`;
}

/** The same application in AsyncAPI 2.6: `subscribe` is what it sends, `publish` what it receives. */
const V26 = `asyncapi: 2.6.0
info:
  title: Pedidos
  version: 1.0.0
channels:
  pedidos.creados.v1:
    subscribe:
      message:
        $ref: '#/components/messages/PedidoCreado'
  pagos.autorizados.v1:
    publish:
      message:
        $ref: '#/components/messages/PagoAutorizado'
components:
  messages:
    PedidoCreado:
      schemaFormat: application/vnd.apache.avro+json;version=1.9.0
      payload:
        type: record
        name: PedidoCreado
        fields: [{"name": "id", "type": "string"}, {"name": "total", "type": "long"}]
    PagoAutorizado:
      payload:
        type: object
        properties:
          pedido: {type: string}
          moneda: {type: string}
        required: [pedido]
`;

async function diff(a: string, b: string) {
  const reader = new MemoryReader({ "old/asyncapi.yaml": a, "new/asyncapi.yaml": b });
  const before = await engine.load({ reader, path: "old/asyncapi.yaml" }, options);
  const after = await engine.load({ reader, path: "new/asyncapi.yaml" }, options);
  return (await engine.diff(before, after, options)).map((f) => ({ rule: f.rule, severity: f.severity, path: f.path, new: f.new && `${f.new.line}:${f.new.column}` }));
}

describe("asyncapi: the application's view of its channels", () => {
  test("no change, no finding", async () => {
    expect(await diff(v3(), v3())).toEqual([]);
  });

  test("a field removed from a sent Avro payload passes the registry's backward check and asks for consumers to be deployed first", async () => {
    const got = await diff(v3(), v3({ avroFields: `{"name": "id", "type": "string"}` }));
    expect(got.map((f) => [f.rule, f.severity, f.path])).toEqual([
      ["FIELD_NOT_READ", "safe", "pedidos.creados.v1/PedidoCreado#PedidoCreado.total"],
      ["DEPLOY_CONSUMERS_FIRST", "dangerous", "pedidos.creados.v1/PedidoCreado#PedidoCreado.total"],
    ]);
  });

  test("a field added without default to a sent Avro payload is refused as the registry refuses it (backward: new readers, old data)", async () => {
    const got = await diff(v3(), v3({ avroFields: `{"name": "id", "type": "string"}, {"name": "total", "type": "long"}, {"name": "canal", "type": "string"}` }));
    expect(got.map((f) => [f.rule, f.severity, f.path])).toEqual([["READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "pedidos.creados.v1/PedidoCreado#PedidoCreado.canal"]]);
  });

  test("a property made required in a received JSON Schema payload breaks existing producers (backward)", async () => {
    const got = await diff(v3(), v3({ pagoRequired: "pedido, moneda" }));
    expect(got).toEqual([{ rule: "REQUIRED_ATTRIBUTE_ADDED", severity: "breaking", path: "pagos.autorizados.v1/PagoAutorizado#/properties/moneda", new: "39:11" }]);
  });

  test("a message no longer sent, and a new message on a sent channel, are breaking", async () => {
    expect(await diff(v3(), v3({ dropSent: true }))).toContainEqual(expect.objectContaining({ rule: "MESSAGE_NO_LONGER_SENT", severity: "breaking", path: "pedidos.creados.v1/PedidoCreado" }));
    expect(await diff(v3(), v3({ extraSent: true }))).toContainEqual(expect.objectContaining({ rule: "MESSAGE_ADDED_TO_SENT_CHANNEL", severity: "breaking", path: "pedidos.creados.v1/PedidoRevisado" }));
  });

  test("a channel removed is breaking; a new channel is not", async () => {
    const renamed = v3().replace("address: pedidos.creados.v1", "address: pedidos.creados.v2");
    const got = await diff(v3(), renamed);
    expect(got).toContainEqual(expect.objectContaining({ rule: "CHANNEL_REMOVED", severity: "breaking", path: "pedidos.creados.v1" }));
    expect(got).toContainEqual(expect.objectContaining({ rule: "CHANNEL_ADDED", severity: "safe", path: "pedidos.creados.v2" }));
  });

  test("servers, descriptions and info.version edits are not findings", async () => {
    const edited = v3().replace("version: 1.0.0", "version: 1.1.0\n  description: otra").replace("servers:", "servers:");
    expect(await diff(v3(), edited)).toEqual([]);
  });

  test("migrating the same application from 2.6 to 3.0 changes nothing", async () => {
    expect(await diff(V26, v3())).toEqual([]);
    expect(await diff(v3(), V26)).toEqual([]);
  });

  test("2.6 verbs are the application's inverse: a required property added to what it publishes... is what it receives", async () => {
    const got = await diff(V26, V26.replace("required: [pedido]", "required: [pedido, moneda]"));
    expect(got.map((f) => [f.rule, f.severity, f.path])).toEqual([["REQUIRED_ATTRIBUTE_ADDED", "breaking", "pagos.autorizados.v1/PagoAutorizado#/properties/moneda"]]);
  });

  test("payloads in other files are read through relative $refs, and refused outside the root", async () => {
    const doc = (ref: string) => V26.replace(/payload:\n {8}type: record[\s\S]*?"long"}\]\n/, `payload:\n        $ref: '${ref}'\n`);
    const reader = new MemoryReader({
      "api/asyncapi.yaml": doc("esquemas/pedido.avsc"),
      "api/esquemas/pedido.avsc": `{"type": "record", "name": "PedidoCreado", "fields": [{"name": "id", "type": "string"}]}`,
      "bad/asyncapi.yaml": doc("../../secreto.avsc"),
    });
    const loaded = await engine.load({ reader, path: "api/asyncapi.yaml" }, options);
    expect(loaded.files).toEqual(["api/asyncapi.yaml", "api/esquemas/pedido.avsc"]);
    await expect(engine.load({ reader, path: "bad/asyncapi.yaml" }, options)).rejects.toThrow("points outside the project root");
  });

  test("an unknown AsyncAPI version is bad input at its location", async () => {
    const reader = new MemoryReader({ "a.yaml": "asyncapi: 4.0.0\ninfo: {title: x, version: 1.0.0}\n" });
    await expect(engine.load({ reader, path: "a.yaml" }, options)).rejects.toThrow("a.yaml:1:11: unsupported AsyncAPI version '4.0.0'");
  });
});

describe("asyncapi: payload schemas appearing and disappearing", () => {
  const noPayload = (doc: string, message: string) => doc.replace(new RegExp(`(    ${message}:\\n)      payload:[\\s\\S]*?(?=\\n    [A-Z]|\\n?$)`), "$1      name: sin-esquema");
  test("a schema added to what it receives is breaking; removed from what it sends is breaking", async () => {
    const withoutPago = noPayload(v3(), "PagoAutorizado");
    expect(await diff(withoutPago, v3())).toContainEqual(expect.objectContaining({ rule: "PAYLOAD_SCHEMA_ADDED", severity: "breaking", path: "pagos.autorizados.v1/PagoAutorizado" }));
    expect(await diff(v3(), withoutPago)).toContainEqual(expect.objectContaining({ rule: "PAYLOAD_SCHEMA_REMOVED", severity: "safe" }));
    const withoutPedido = noPayload(v3(), "PedidoCreado");
    expect(await diff(v3(), withoutPedido)).toContainEqual(expect.objectContaining({ rule: "PAYLOAD_SCHEMA_REMOVED", severity: "breaking", path: "pedidos.creados.v1/PedidoCreado" }));
  });
});

describe("asyncapi 2.x: several messages under oneOf", () => {
  const doc = (messages: string[]) => `asyncapi: 2.6.0
info: {title: x, version: 1.0.0}
channels:
  pedidos:
    subscribe:
      message:
        oneOf:
${messages.map((m) => `          - $ref: '#/components/messages/${m}'`).join("\n")}
components:
  messages:
    Creado: {payload: {type: object}}
    Cancelado: {messageId: PedidoCancelado, payload: {type: object}}
`;
  test("each message is matched by its id or component name", async () => {
    expect(await diff(doc(["Creado", "Cancelado"]), doc(["Creado", "Cancelado"]))).toEqual([]);
    expect(await diff(doc(["Creado", "Cancelado"]), doc(["Creado"]))).toEqual([expect.objectContaining({ rule: "MESSAGE_NO_LONGER_SENT", path: "pedidos/PedidoCancelado" })]);
    expect(await diff(doc(["Creado"]), doc(["Creado", "Cancelado"]))).toEqual([expect.objectContaining({ rule: "MESSAGE_ADDED_TO_SENT_CHANNEL", path: "pedidos/PedidoCancelado" })]);
  });
});

describe("asyncapi: a payload shared by several messages", () => {
  const doc = (t: string) => `asyncapi: 3.0.0
info: {title: x, version: 1.0.0}
channels:
  a:
    address: a.v1
    messages:
      Evento: {$ref: '#/components/messages/Evento'}
  b:
    address: b.v1
    messages:
      Evento: {$ref: '#/components/messages/Evento'}
operations:
  enviarA: {action: send, channel: {$ref: '#/channels/a'}}
  enviarB: {action: send, channel: {$ref: '#/channels/b'}}
components:
  messages:
    Evento:
      payload: {$ref: '#/components/schemas/Evento'}
  schemas:
    Evento:
      type: object
      properties:
        total: {type: ${t}}
`;
  test("changes once, listing the messages it affects", async () => {
    const reader = new MemoryReader({ "o.yaml": doc("integer"), "n.yaml": doc("number") });
    const before = await engine.load({ reader, path: "o.yaml" }, options);
    const after = await engine.load({ reader, path: "n.yaml" }, options);
    const got = await engine.diff(before, after, options);
    expect(got.map((f) => [f.rule, f.path, f.operations])).toEqual([
      ["TYPE_EXTENDED", "a.v1/Evento#/properties/total/type", ["a.v1/Evento", "b.v1/Evento"]],
      ["DEPLOY_CONSUMERS_FIRST", "a.v1/Evento#/properties/total/type", ["a.v1/Evento", "b.v1/Evento"]],
    ]);
    expect(got[1]!.message).toContain("deploy every consumer of a.v1, b.v1 before this producer");
  });
});

describe("asyncapi: Avro named types shared across payloads", () => {
  // PedidoCreado defines Direccion; PedidoEnviado uses it by full name, as a registry schema reference would.
  const doc = (cp: string, opts: { redefine?: boolean } = {}) => `asyncapi: 3.0.0
info: {title: x, version: 1.0.0}
channels:
  creados:
    address: pedidos.creados.v1
    messages:
      PedidoCreado: {$ref: '#/components/messages/PedidoCreado'}
  enviados:
    address: pedidos.enviados.v1
    messages:
      PedidoEnviado: {$ref: '#/components/messages/PedidoEnviado'}
operations:
  crear: {action: send, channel: {$ref: '#/channels/creados'}}
  enviar: {action: send, channel: {$ref: '#/channels/enviados'}}
components:
  messages:
    PedidoCreado:
      payload:
        schemaFormat: application/vnd.apache.avro+json;version=1.9.0
        schema:
          type: record
          name: PedidoCreado
          namespace: com.acme.pedidos
          fields:
            - name: direccion
              type: {type: record, name: Direccion, fields: [{name: calle, type: string}, {name: codigoPostal, type: ${cp}}]}
    PedidoEnviado:
      payload:
        schemaFormat: application/vnd.apache.avro+json;version=1.9.0
        schema:
          type: record
          name: PedidoEnviado
          namespace: com.acme.pedidos
          fields:
            - {name: destino, type: ${opts.redefine ? "{type: record, name: Direccion, fields: [{name: calle, type: string}]}" : "com.acme.pedidos.Direccion"}}
`;

  test("a payload uses a named type another payload defines; a change to it is judged at each use", async () => {
    expect(await diff(doc("string"), doc("string"))).toEqual([]);
    const got = await diff(doc("string"), doc("int"));
    expect(got.map((f) => [f.rule, f.path])).toEqual([
      ["TYPE_MISMATCH", "pedidos.creados.v1/PedidoCreado#PedidoCreado.direccion.codigoPostal"],
      ["TYPE_MISMATCH", "pedidos.enviados.v1/PedidoEnviado#PedidoEnviado.destino.codigoPostal"],
    ]);
  });

  test("each payload is a schema of its own: it may define a name another payload defines too", async () => {
    expect(await diff(doc("string", { redefine: true }), doc("string", { redefine: true }))).toEqual([]);
    // Its own definition is the one it uses: the other payload's change does not reach it.
    const got = await diff(doc("string", { redefine: true }), doc("int", { redefine: true }));
    expect(got.map((f) => f.path)).toEqual(["pedidos.creados.v1/PedidoCreado#PedidoCreado.direccion.codigoPostal"]);
  });

  test("a name no payload defines is bad input at its use", async () => {
    const bad = doc("string").replace("type: com.acme.pedidos.Direccion", "type: com.acme.pedidos.Domicilio");
    await expect(diff(bad, bad)).rejects.toThrow(/unknown type 'com.acme.pedidos.Domicilio'/);
  });
});
