import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "./gate-helpers.ts";

// `release` bumps by the same comparisons `check` makes: in a *-transitive mode every earlier release.
const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => rmSync(r.dir, { recursive: true, force: true })));

const pedido = (fields: string) => JSON.stringify({ type: "record", name: "PedidoCreado", namespace: "es.tienda.pedidos", fields: JSON.parse(`[${fields}]`) });
const ID = `{"name":"id","type":"string"}`;
const versions = (r: TempRepo) => JSON.parse(readFileSync(join(r.dir, ".comms/index.json"), "utf8")).releases.map((e: { version: string }) => e.version).sort();

function setup(mode: string, extra = ""): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  r.write("comms.yaml", `version: 1\ncontracts:\n  pedidos:\n    kind: avro\n    path: schemas/pedido.avsc\n    compatibility: ${mode}\n${extra}`);
  return r;
}

describe("backward-transitive", () => {
  // 1.0.0 has no `canal`; 1.1.0 adds it with a default; then the default is removed. Against 1.1.0 that is
  // only a changed default; against 1.0.0 a reader field without a default: the registry refuses it.
  const r = setup("backward-transitive");

  test("the break against 1.0.0 fails check, and the suggested bump is major, not a patch", () => {
    r.write("schemas/pedido.avsc", pedido(ID));
    expect(r.comms("release", "pedidos").code).toBe(0);
    r.write("schemas/pedido.avsc", pedido(`${ID},{"name":"canal","type":"string","default":"web"}`));
    expect(r.comms("release", "pedidos").stdout).toContain("released pedidos@1.1.0");
    r.write("schemas/pedido.avsc", pedido(`${ID},{"name":"canal","type":"string"}`));
    const check = r.json("check");
    expect(check.code).toBe(1);
    expect(check.out.results[0].findings.find((f: { rule: string }) => f.rule === "READER_FIELD_MISSING_DEFAULT_VALUE")).toMatchObject({ severity: "breaking", note: expect.stringContaining("against pedidos@1.0.0") });
    expect(check.out.results[0].suggestedBump).toBe("major");
  });

  test("release refuses a patch or minor version, and records the break as a major one", () => {
    const patch = r.comms("release", "pedidos", "--version", "1.1.1");
    expect(patch.code).toBe(1);
    expect(patch.stderr).toContain("must be a new major version (2.0.0 or later)");
    const rel = r.comms("release", "pedidos");
    expect(rel.code).toBe(0);
    expect(rel.stdout).toContain("released pedidos@2.0.0 (major:");
    expect(versions(r)).toEqual(["1.0.0", "1.1.0", "2.0.0"]);
  });
});

describe("forward-transitive, under a registry subject", () => {
  // 1.0.0 has `canal` without a default; 1.1.0 gives it one; then `canal` is dropped. Consumers on 1.1.0 fill
  // it with the default; consumers still on 1.0.0 cannot read the new data.
  const r = setup("forward-transitive", "    topic: pedidos.creados.v1\n");

  test("check fails against 1.0.0, and release refuses with the findings where check fails", () => {
    r.write("schemas/pedido.avsc", pedido(`${ID},{"name":"canal","type":"string"}`));
    expect(r.comms("release", "pedidos").code).toBe(0);
    r.write("schemas/pedido.avsc", pedido(`${ID},{"name":"canal","type":"string","default":"web"}`));
    expect(r.comms("release", "pedidos").code).toBe(0);
    r.write("schemas/pedido.avsc", pedido(ID));
    const check = r.json("check");
    expect(check.code).toBe(1);
    expect(check.out.results[0].findings.find((f: { rule: string }) => f.rule === "READER_FIELD_MISSING_DEFAULT_VALUE")).toMatchObject({ severity: "breaking", note: expect.stringContaining("against pedidos@1.0.0") });
    const rel = r.comms("release", "pedidos");
    expect(rel.code).toBe(1);
    expect(rel.stderr).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
    expect(rel.stderr).toContain("pedidos.creados.v1-value");
    expect(versions(r)).toEqual(["1.0.0", "1.1.0"]);
  });

  test("an accepted break (the accept ledger) is released, as a major version", () => {
    expect(r.comms("check", "--accept", "--reason", "no consumer runs 1.0.0 any more").code).toBe(0);
    const rel = r.comms("release", "pedidos");
    expect(rel.code).toBe(0);
    expect(rel.stdout).toContain("released pedidos@2.0.0");
  });
});
