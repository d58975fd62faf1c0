import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "../../e2e/gate-helpers.ts";

// The gate on an AsyncAPI contract: the application sends PedidoCreado (Avro) and receives
// PagoAutorizado (JSON Schema). Backward asks whether the new version still works with the
// counterparts built against the old one; forward the reverse; full both.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const doc = (o: { version?: string; avro?: string; pagoProps?: string; pagoRequired?: string }) => `asyncapi: 3.0.0
info:
  title: Pedidos
  version: ${o.version ?? "1.0.0"}
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
            fields: [${o.avro ?? `{name: id, type: string}, {name: total, type: long}`}]
  pagos:
    address: pagos.autorizados.v1
    messages:
      PagoAutorizado:
        payload:
          type: object
          properties: {${o.pagoProps ?? "pedido: {type: string}, importe: {type: integer}"}}
          required: [${o.pagoRequired ?? "pedido"}]
operations:
  publicar:
    action: send
    channel: {$ref: '#/channels/creados'}
  cobrar:
    action: receive
    channel: {$ref: '#/channels/pagos'}
`;

describe("comms check on an asyncapi contract", () => {
  test("release 1.0.0", () => {
    repo.write("api/asyncapi.yaml", doc({}));
    repo.write("comms.yaml", "version: 1\ncontracts:\n  pedidos:\n    kind: asyncapi\n    path: api/asyncapi.yaml\n");
    repo.git("add", "-A");
    repo.git("commit", "-qm", "init");
    expect(repo.comms("release", "pedidos", "--version", "1.0.0").code).toBe(0);
  });

  test("a field with a default added to what it sends passes, with the version bumped", () => {
    repo.write("api/asyncapi.yaml", doc({ version: "1.1.0", avro: `{name: id, type: string}, {name: total, type: long}, {name: canal, type: string, default: web}` }));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].findings.every((f: { severity: string }) => f.severity !== "breaking")).toBe(true);
  });

  test("a field dropped from what it sends passes backward (as the registry) with the deploy order, and fails forward for old consumers", () => {
    repo.write("api/asyncapi.yaml", doc({ version: "1.1.0", avro: `{name: id, type: string}` }));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].findings.find((f: { rule: string }) => f.rule === "DEPLOY_CONSUMERS_FIRST")).toMatchObject({
      severity: "dangerous",
      path: "pedidos.creados.v1/PedidoCreado#PedidoCreado.total",
      message: expect.stringContaining("deploy every consumer of pedidos.creados.v1 before this producer"),
      old: { line: 15, column: 55 },
    });
    const fwd = repo.json("check", "--mode", "forward");
    expect(fwd.code).toBe(1);
    const f = fwd.out.results[0].findings.find((x: { rule: string }) => x.rule === "READER_FIELD_MISSING_DEFAULT_VALUE");
    expect(f).toMatchObject({ severity: "breaking", path: "pedidos.creados.v1/PedidoCreado#PedidoCreado.total", old: { line: 15, column: 55 } });
    // Under forward the message says which direction was checked, never the backward wording.
    expect(f.message).toContain("consumers on the old payload read the new one");
    expect(fwd.out.results[0].findings.some((x: { rule: string }) => x.rule === "DEPLOY_CONSUMERS_FIRST")).toBe(false);
  });

  test("widening what it receives passes backward and fails forward and full", () => {
    repo.write("api/asyncapi.yaml", doc({ version: "1.1.0", pagoProps: "pedido: {type: string}, importe: {type: number}" }));
    expect(repo.json("check").code).toBe(0);
    const fwd = repo.json("check", "--mode", "forward");
    expect(fwd.code).toBe(1);
    expect(fwd.out.results[0].findings.find((f: { rule: string }) => f.rule === "TYPE_NARROWED")).toMatchObject({ path: "pagos.autorizados.v1/PagoAutorizado#/properties/importe/type" });
    expect(repo.json("check", "--mode", "full").code).toBe(1);
  });

  test("a transitive mode checks every release", () => {
    // 2.0.0 drops `total`; 2.1.0 brings it back as a string with a default. Consumers on 2.0.0 skip it,
    // consumers still on 1.0.0 read a string where they expect a long.
    repo.write("api/asyncapi.yaml", doc({ version: "2.0.0", avro: `{name: id, type: string}` }));
    expect(repo.comms("release", "pedidos").code).toBe(0);
    repo.write("api/asyncapi.yaml", doc({ version: "2.1.0", avro: `{name: id, type: string}, {name: total, type: string, default: ""}` }));
    const latest = repo.json("check");
    expect(latest.code).toBe(0);
    expect(latest.out.results[0].findings.some((f: { rule: string }) => f.rule === "TYPE_MISMATCH")).toBe(false);
    const t = repo.json("check", "--mode", "backward-transitive");
    expect(t.out.results[0].findings.find((f: { rule: string }) => f.rule === "TYPE_MISMATCH")).toMatchObject({
      severity: "breaking",
      path: "pedidos.creados.v1/PedidoCreado#PedidoCreado.total",
      note: expect.stringContaining("against pedidos@1.0.0"),
    });
    expect(repo.json("check", "--mode", "none").code).toBe(0);
  });
});
