import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "../../e2e/gate-helpers.ts";

// The gate on an Avro contract, as a team using a schema registry meets it: release, evolve, and the
// registry's modes (BACKWARD by default, FORWARD, FULL, and a transitive check over every release).
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const schema = (fields: string[]) =>
  `{
  "type": "record",
  "name": "PedidoCreado",
  "namespace": "com.acme.pedidos",
  "fields": [
${fields.map((f) => `    ${f}`).join(",\n")}
  ]
}
`;
const ID = `{"name": "id", "type": "string"}`;
const TOTAL = `{"name": "total", "type": "long"}`;
const CANAL_DEFAULT = `{"name": "canal", "type": "string", "default": "web"}`;
const NOTA = `{"name": "nota", "type": "string"}`;

const config = (mode?: string) => `version: 1
contracts:
  pedidos-creados:
    kind: avro
    path: events/pedido-creado.avsc
    topic: pedidos.creados.v1
${mode ? `    compatibility: ${mode}\n` : ""}`;

describe("comms check on an avro contract", () => {
  test("release 1.0.0", () => {
    repo.write("events/pedido-creado.avsc", schema([ID, TOTAL]));
    repo.write("comms.yaml", config());
    repo.git("add", "-A");
    repo.git("commit", "-qm", "init");
    const r = repo.comms("release", "pedidos-creados", "--version", "1.0.0");
    expect(r.code).toBe(0);
    // The registry's TopicNameStrategy names the subject after the topic.
    expect(r.stdout).toContain("registry subject pedidos.creados.v1-value");
    const index = JSON.parse(readFileSync(join(repo.dir, ".comms/index.json"), "utf8"));
    expect(index.releases[0]).toMatchObject({ contract: "pedidos-creados", version: "1.0.0", subject: "pedidos.creados.v1-value" });
  });

  test("a field added with a default passes (backward)", () => {
    repo.write("events/pedido-creado.avsc", schema([ID, TOTAL, CANAL_DEFAULT]));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].subject).toBe("pedidos.creados.v1-value");
    expect(out.results[0].findings.map((f: { rule: string }) => f.rule)).toEqual(["FIELD_ADDED_WITH_DEFAULT"]);
    expect(repo.comms("check").stdout).toContain("subject pedidos.creados.v1-value");
  });

  test("a field added without a default fails with its location", () => {
    repo.write("events/pedido-creado.avsc", schema([ID, TOTAL, NOTA]));
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    expect(out.results[0].findings[0]).toMatchObject({
      rule: "READER_FIELD_MISSING_DEFAULT_VALUE",
      severity: "breaking",
      path: "PedidoCreado.nota",
      new: { file: "events/pedido-creado.avsc", line: 8, column: 14 },
    });
    const text = repo.comms("check");
    expect(text.stdout).toContain("events/pedido-creado.avsc:8:14");
  });

  test("removing a field without default passes backward, fails forward and full", () => {
    repo.write("events/pedido-creado.avsc", schema([ID]));
    expect(repo.json("check").code).toBe(0);
    const fwd = repo.json("check", "--mode", "forward");
    expect(fwd.code).toBe(1);
    expect(fwd.out.results[0].findings[0]).toMatchObject({ rule: "READER_FIELD_MISSING_DEFAULT_VALUE", path: "PedidoCreado.total" });
    expect(repo.json("check", "--mode", "full").code).toBe(1);
    repo.write("comms.yaml", config("forward"));
    expect(repo.json("check").code).toBe(1);
    repo.write("comms.yaml", config());
  });

  test("a transitive mode checks every release", () => {
    // 2.0.0 drops `total`; bringing it back as a string with a default reads 2.0.0 data (which lacks it)...
    repo.write("events/pedido-creado.avsc", schema([ID, CANAL_DEFAULT]));
    expect(repo.comms("release", "pedidos-creados", "--version", "2.0.0").code).toBe(0);
    repo.write("events/pedido-creado.avsc", schema([ID, CANAL_DEFAULT, `{"name": "total", "type": "string", "default": ""}`]));
    expect(repo.json("check", "--mode", "backward").code).toBe(0);
    // ...against 1.0.0, whose data carries `total` as a long, a string reader breaks.
    const t = repo.json("check", "--mode", "backward-transitive");
    expect(t.code).toBe(1);
    expect(t.out.results[0].findings.find((f: { severity: string }) => f.severity === "breaking")).toMatchObject({ rule: "TYPE_MISMATCH", path: "PedidoCreado.total" });
  });

  test("none reports without failing", () => {
    repo.write("events/pedido-creado.avsc", schema([ID, NOTA]));
    const r = repo.json("check", "--mode", "none");
    expect(r.code).toBe(0);
    expect(r.out.results[0].findings.some((f: { rule: string }) => f.rule === "READER_FIELD_MISSING_DEFAULT_VALUE")).toBe(true);
  });
});
