import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "./gate-helpers.ts";

// A subject's history is judged as the registry judges it: a break is not fixed by a major version,
// only by a new subject (a versioned topic) or by a deliberate change of the subject's mode.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const pago = (fields: string) => JSON.stringify({ type: "record", name: "PagoProcesado", namespace: "es.tienda.pagos", fields: JSON.parse(`[${fields}]`) }, null, 2);
const ID = `{"name":"id","type":"string"}`;
const IMPORTE = `{"name":"importe","type":"long"}`;
const config = (extra: string) => `version: 1\ncontracts:\n  pagos:\n    kind: avro\n    path: schemas/pago-procesado.avsc\n${extra}`;

describe("a breaking change on a registry subject", () => {
  test("first release records the subject from the topic", () => {
    repo.write("schemas/pago-procesado.avsc", pago(ID));
    repo.write("comms.yaml", config("    topic: pagos.procesados.v1\n"));
    const r = repo.comms("release", "pagos");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("registry subject pagos.procesados.v1-value");
  });

  test("a field added without a default fails check, and a major version does not make it pass", () => {
    repo.write("schemas/pago-procesado.avsc", pago(`${ID},${IMPORTE}`));
    const first = repo.comms("check");
    expect(first.code).toBe(1);
    expect(first.stdout).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
    // The next step names the new subject, not a major version.
    expect(first.stderr).toContain("start a new subject");
    expect(first.stderr).toContain("pagos.procesados.v2");
    expect(first.stderr).toContain("comms release pagos --subject <new subject>");
    expect(first.stderr).not.toContain("release a new major version");

    repo.write("comms.yaml", config("    topic: pagos.procesados.v1\n    version: 2.0.0\n"));
    const major = repo.json("check");
    expect(major.code).toBe(1);
    expect(major.out.results[0].findings.find((f: { rule: string }) => f.rule === "READER_FIELD_MISSING_DEFAULT_VALUE")).toMatchObject({ severity: "breaking" });
    expect(major.out.results[0].findings.find((f: { rule: string }) => f.rule === "READER_FIELD_MISSING_DEFAULT_VALUE").accepted).toBeUndefined();
  });

  test("release refuses to move the subject across the break (exit 1, with the findings)", () => {
    const r = repo.comms("release", "pagos");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the registry refuses this schema under pagos.procesados.v1-value");
    expect(r.stderr).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
    expect(JSON.parse(readFileSync(join(repo.dir, ".comms/index.json"), "utf8")).releases).toHaveLength(1);
  });

  test("--subject must name the subject comms.yaml gives, and comms.yaml cannot move it silently", () => {
    expect(repo.comms("release", "pagos", "--subject", "pagos.procesados.v2-value")).toMatchObject({ code: 2, stderr: expect.stringContaining("set contracts.pagos.subject (or topic)") });
    repo.write("comms.yaml", config("    topic: pagos.procesados.v2\n"));
    const silent = repo.comms("release", "pagos");
    expect(silent.code).toBe(2);
    expect(silent.stderr).toContain("run 'comms release pagos --subject pagos.procesados.v2-value'");
  });

  test("with the new subject declared, check has nothing to compare with and says how to start it", () => {
    const r = repo.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].notes.join("\n")).toContain("new subject pagos.procesados.v2-value");
  });

  test("release --subject starts it, recording the old subject as its predecessor", () => {
    const r = repo.comms("release", "pagos", "--subject", "pagos.procesados.v2-value");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("released pagos@2.0.0");
    expect(r.stdout).toContain("new registry subject pagos.procesados.v2-value (follows pagos.procesados.v1-value)");
    const latest = JSON.parse(readFileSync(join(repo.dir, ".comms/index.json"), "utf8")).releases.find((e: { version: string }) => e.version === "2.0.0");
    expect(latest).toMatchObject({ subject: "pagos.procesados.v2-value", predecessor: "pagos.procesados.v1-value" });
    expect(repo.comms("check").code).toBe(0);
  });

  test("comms log of both subjects shows the succession", () => {
    const all = repo.comms("log", "pagos");
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/2\.0\.0 .*\[new subject pagos\.procesados\.v2-value \(follows pagos\.procesados\.v1-value\)\]/);
    const old = repo.comms("log", "pagos.procesados.v1-value");
    expect(old.code).toBe(0);
    expect(old.stdout).toContain("subject pagos.procesados.v1-value");
    expect(old.stdout).toContain("followed by subject pagos.procesados.v2-value");
    expect(old.stdout).toContain("1.0.0");
    expect(old.stdout).not.toContain("2.0.0");
    const next = repo.comms("log", "pagos.procesados.v2-value");
    expect(next.stdout).toContain("follows subject pagos.procesados.v1-value");
    expect(next.stdout).toContain("2.0.0");
    expect(next.stdout).not.toMatch(/^\s+1\.0\.0/m);
  });

  test("changing the subject's mode deliberately is the other way through", () => {
    repo.write("schemas/pago-procesado.avsc", pago(`${ID}`));
    // Removing `importe` (no default) is backward-compatible: the registry accepts it under BACKWARD.
    expect(repo.comms("check").code).toBe(0);
    // Under FORWARD, consumers on 2.0.0 still need `importe`: refused, until the mode is changed back.
    repo.write("comms.yaml", config("    topic: pagos.procesados.v2\n    compatibility: forward\n"));
    expect(repo.comms("check").code).toBe(1);
    expect(repo.comms("release", "pagos").code).toBe(1);
    repo.write("comms.yaml", config("    topic: pagos.procesados.v2\n    compatibility: none\n"));
    expect(repo.comms("check").code).toBe(0);
    expect(repo.comms("release", "pagos").code).toBe(0);
  });
});
