import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "./gate-helpers.ts";

// A Spanish e-commerce monorepo adopting comms for its events: pedidos sends PedidoCreado (Avro, topic
// pedidos.creados.v1) and receives PagoProcesado (JSON Schema, topic pagos.procesados.v1), both described
// by one AsyncAPI 3.0 document; every contract comes from `comms init`. Each change below must get the
// schema registry's verdict under the subject's mode (BACKWARD, its default: consumers on the new schema
// read data written with the old one) in every contract that sees the payload, plus the deploy-order
// finding of the application's role. The expectations were written from the Avro specification's schema
// resolution and the registry's documented JSON Schema rules before the run.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const AVSC = "schemas/pedidos/pedido-creado.avsc";
const JSON_SCHEMA = "services/pagos/schemas/pago-procesado.schema.json";
const ASYNCAPI = "services/pedidos/asyncapi.yaml";

const BASE_FIELDS = [
  { name: "id", type: "string" },
  { name: "total", type: "long" },
  { name: "cantidad", type: "int" },
  { name: "telefono", type: "string" },
  { name: "canal", type: "string", default: "web" },
  { name: "estado", type: { type: "enum", name: "Estado", symbols: ["NUEVO", "PAGADO"] } },
];
const avsc = (fields: unknown[]) => `${JSON.stringify({ type: "record", name: "PedidoCreado", namespace: "es.tienda.pedidos", fields }, null, 2)}\n`;
const pago = (o: { required?: string[]; closed?: boolean } = {}) =>
  `${JSON.stringify(
    {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { pedido: { type: "string" }, importe: { type: "integer" }, metodo: { type: "string", enum: ["tarjeta", "bizum"] } },
      required: o.required ?? ["pedido"],
      ...(o.closed ? { additionalProperties: false } : {}),
    },
    null,
    2,
  )}\n`;
const asyncapi = (topic = "pedidos.creados.v1") => `asyncapi: 3.0.0
info: {title: pedidos, version: 1.0.0}
channels:
  creados:
    address: ${topic}
    messages:
      PedidoCreado:
        payload:
          schemaFormat: application/vnd.apache.avro+json;version=1.9.0
          schema: {$ref: '../../${AVSC}'}
  pagos:
    address: pagos.procesados.v1
    messages:
      PagoProcesado:
        payload: {$ref: '../pagos/schemas/pago-procesado.schema.json'}
operations:
  publicarPedido: {action: send, channel: {$ref: '#/channels/creados'}}
  recibirPago: {action: receive, channel: {$ref: '#/channels/pagos'}}
`;

interface F {
  rule: string;
  severity: string;
  path: string;
  message: string;
}
type Results = Record<string, { findings: F[]; verdict: string }>;

function check(...args: string[]): { code: number; by: Results } {
  const r = repo.json("check", ...args);
  const by: Results = {};
  for (const res of r.out.results) by[res.contract] = res;
  return { code: r.code, by };
}

/** rule/severity/payload path of the registry's findings (deploy-order findings apart). */
const registryView = (fs: F[], prefix = "") =>
  fs
    .filter((f) => !f.rule.startsWith("DEPLOY_") && f.path.startsWith(prefix))
    .map((f) => `${f.severity} ${f.rule} ${f.path.slice(prefix.length)}`)
    .sort();
const deploy = (fs: F[]) => fs.filter((f) => f.rule.startsWith("DEPLOY_"));

const AVRO = "pedidos.creados.v1";
const JS = "pagos.procesados.v1";
const DOC = "pedidos-events";
const AVRO_PREFIX = "pedidos.creados.v1/PedidoCreado#";
const JS_PREFIX = "pagos.procesados.v1/PagoProcesado#";

function withAvro(fields: unknown[], fn: () => void) {
  repo.write(AVSC, avsc(fields));
  try {
    fn();
  } finally {
    repo.write(AVSC, avsc(BASE_FIELDS));
  }
}
function withPago(text: string, fn: () => void) {
  repo.write(JSON_SCHEMA, text);
  try {
    fn();
  } finally {
    repo.write(JSON_SCHEMA, pago());
  }
}

describe("the adopter's events, from comms init to a new subject", () => {
  test("init makes one contract per subject and the AsyncAPI document, topics from the channel addresses", () => {
    repo.write(AVSC, avsc(BASE_FIELDS));
    repo.write(JSON_SCHEMA, pago());
    repo.write(ASYNCAPI, asyncapi());
    expect(repo.comms("init").code).toBe(0);
    const text = readFileSync(join(repo.dir, "comms.yaml"), "utf8");
    expect(text).toContain(`${AVRO}: { kind: avro, path: ${AVSC}, topic: ${AVRO} }`);
    expect(text).toContain(`${JS}: { kind: jsonschema, path: ${JSON_SCHEMA}, topic: ${JS} }`);
    expect(text).toContain(`${DOC}: { kind: asyncapi, path: ${ASYNCAPI} }`);
    expect(text.match(/kind:/g)).toHaveLength(3);
    for (const name of [AVRO, JS, DOC]) expect(repo.comms("release", name).code).toBe(0);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "contracts");
    expect(check().code).toBe(0);
  });

  // Avro, BACKWARD: the new schema is the reader, the last registered one the writer.
  test("field added without a default: refused (a new reader field needs a default), in both contracts", () => {
    withAvro([...BASE_FIELDS, { name: "cupon", type: "string" }], () => {
      const { code, by } = check();
      expect(code).toBe(1);
      expect(registryView(by[AVRO]!.findings)).toEqual(["breaking READER_FIELD_MISSING_DEFAULT_VALUE PedidoCreado.cupon"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      // Old consumers skip a field they do not know: no deploy order to respect.
      expect(deploy(by[DOC]!.findings)).toEqual([]);
    });
  });

  test("field removed without a default: allowed (the new reader skips it), consumers first for the producer", () => {
    withAvro(BASE_FIELDS.filter((f) => f.name !== "total"), () => {
      const { code, by } = check();
      expect(code).toBe(0);
      expect(registryView(by[AVRO]!.findings)).toEqual(["safe FIELD_NOT_READ PedidoCreado.total"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      expect(deploy(by[DOC]!.findings)).toEqual([
        expect.objectContaining({ rule: "DEPLOY_CONSUMERS_FIRST", severity: "dangerous", path: `${AVRO_PREFIX}PedidoCreado.total`, message: expect.stringContaining("deploy every consumer of pedidos.creados.v1 before this producer") }),
      ]);
    });
  });

  test("default removed: allowed, a changed default to review, no deploy order (both sides have the field)", () => {
    withAvro(BASE_FIELDS.map((f) => (f.name === "canal" ? { name: "canal", type: "string" } : f)), () => {
      const { code, by } = check();
      expect(code).toBe(0);
      expect(registryView(by[AVRO]!.findings)).toEqual(["dangerous DEFAULT_CHANGED PedidoCreado.canal"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      expect(deploy(by[DOC]!.findings)).toEqual([]);
    });
  });

  test("union widened (string to [string, null]): allowed for new readers, old consumers cannot read null", () => {
    withAvro(BASE_FIELDS.map((f) => (f.name === "telefono" ? { name: "telefono", type: ["string", "null"] } : f)), () => {
      const { code, by } = check();
      expect(code).toBe(0);
      expect(registryView(by[AVRO]!.findings)).toEqual(["safe UNION_BRANCH_ADDED PedidoCreado.telefono"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      expect(deploy(by[DOC]!.findings).map((f) => [f.rule, f.path, f.message.includes("TYPE_MISMATCH")])).toEqual([["DEPLOY_CONSUMERS_FIRST", `${AVRO_PREFIX}PedidoCreado.telefono`, true]]);
    });
  });

  test("enum symbol added: allowed for new readers, old consumers without an enum default cannot read it", () => {
    withAvro(BASE_FIELDS.map((f) => (f.name === "estado" ? { name: "estado", type: { type: "enum", name: "Estado", symbols: ["NUEVO", "PAGADO", "ENVIADO"] } } : f)), () => {
      const { code, by } = check();
      expect(code).toBe(0);
      expect(registryView(by[AVRO]!.findings)).toEqual(["safe ENUM_SYMBOL_ADDED PedidoCreado.estado"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      expect(deploy(by[DOC]!.findings).map((f) => [f.rule, f.message.includes("MISSING_ENUM_SYMBOLS")])).toEqual([["DEPLOY_CONSUMERS_FIRST", true]]);
    });
  });

  test("type promoted (int to long): allowed (long reads int), old consumers cannot read a long as an int", () => {
    withAvro(BASE_FIELDS.map((f) => (f.name === "cantidad" ? { name: "cantidad", type: "long" } : f)), () => {
      const { code, by } = check();
      expect(code).toBe(0);
      expect(registryView(by[AVRO]!.findings)).toEqual(["safe TYPE_PROMOTED PedidoCreado.cantidad"]);
      expect(registryView(by[DOC]!.findings, AVRO_PREFIX)).toEqual(registryView(by[AVRO]!.findings));
      expect(deploy(by[DOC]!.findings).map((f) => [f.rule, f.message.includes("TYPE_MISMATCH")])).toEqual([["DEPLOY_CONSUMERS_FIRST", true]]);
    });
  });

  // JSON Schema, BACKWARD: every document valid under the old schema must be valid under the new one.
  test("required property added: refused (old documents may lack it), in both contracts; no deploy order for a receiver under backward", () => {
    withPago(pago({ required: ["pedido", "importe"] }), () => {
      const { code, by } = check();
      expect(code).toBe(1);
      expect(registryView(by[JS]!.findings)).toEqual(["breaking REQUIRED_ATTRIBUTE_ADDED /properties/importe"]);
      expect(registryView(by[DOC]!.findings, JS_PREFIX)).toEqual(registryView(by[JS]!.findings));
      expect(deploy(by[DOC]!.findings)).toEqual([]);
    });
  });

  test("required property added under forward: allowed by the registry, producers first for the receiver", () => {
    withPago(pago({ required: ["pedido", "importe"] }), () => {
      const { code, by } = check("--mode", "forward");
      expect(code).toBe(0);
      expect(registryView(by[JS]!.findings)).toEqual(["safe REQUIRED_ATTRIBUTE_REMOVED /properties/importe"]);
      expect(registryView(by[DOC]!.findings, JS_PREFIX)).toEqual(registryView(by[JS]!.findings));
      expect(deploy(by[DOC]!.findings)).toEqual([
        expect.objectContaining({ rule: "DEPLOY_PRODUCERS_FIRST", severity: "dangerous", message: expect.stringContaining("deploy every producer of pagos.procesados.v1 before this consumer") }),
      ]);
    });
  });

  test("model closed (additionalProperties: false): refused (old documents may carry other properties), in both contracts", () => {
    withPago(pago({ closed: true }), () => {
      const { code, by } = check();
      expect(code).toBe(1);
      expect(registryView(by[JS]!.findings)).toEqual(["breaking ADDITIONAL_PROPERTIES_REMOVED /additionalProperties"]);
      expect(registryView(by[DOC]!.findings, JS_PREFIX)).toEqual(registryView(by[JS]!.findings));
    });
  });

  test("a breaking change fails check, even with a major version, until a new subject is started; comms log shows the succession", () => {
    repo.write(AVSC, avsc([...BASE_FIELDS, { name: "cupon", type: "string" }]));
    expect(check().code).toBe(1);
    const config = readFileSync(join(repo.dir, "comms.yaml"), "utf8");
    repo.write("comms.yaml", config.replace(`topic: ${AVRO} }`, `topic: ${AVRO}, version: 2.0.0 }`));
    const major = check();
    expect(major.code).toBe(1);
    expect(major.by[AVRO]!.verdict).toBe("fail");
    expect(repo.comms("release", AVRO).code).toBe(1);
    // The team publishes to pedidos.creados.v2 (beside v1 while consumers move) and starts the subject.
    repo.write("comms.yaml", config.replace(`topic: ${AVRO} }`, "topic: pedidos.creados.v2 }"));
    repo.write(ASYNCAPI, asyncapi("pedidos.creados.v2"));
    const started = repo.comms("release", AVRO, "--subject", "pedidos.creados.v2-value");
    expect(started.code).toBe(0);
    expect(started.stdout).toContain("new registry subject pedidos.creados.v2-value (follows pedidos.creados.v1-value)");
    expect(check(AVRO).code).toBe(0);
    expect(repo.comms("log", "pedidos.creados.v1-value").stdout).toContain("followed by subject pedidos.creados.v2-value");
    expect(repo.comms("log", "pedidos.creados.v2-value").stdout).toContain("follows subject pedidos.creados.v1-value");
  });
});
