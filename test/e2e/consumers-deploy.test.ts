import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN } from "../helpers/cli.ts";
import { generatedPacts } from "../helpers/pact.ts";
import { TempRepo } from "./gate-helpers.ts";
import { event, ID, IMPORTE, IMPORTE_DEFAULT, OPENAPI, OPS, SDL } from "../helpers/consumer-scenario.ts";

// One provider team (pedidos: an OpenAPI API, a GraphQL schema, an Avro event) and three consumers: web
// through a pact written by the Pact DSL, mobile through GraphQL operations, billing through an Avro
// reader schema. Two environments. A provider change that only billing's reader cannot read.
setDefaultTimeout(120_000);
const repo = new TempRepo();
const pacts = generatedPacts();
afterAll(() => {
  rmSync(repo.dir, { recursive: true, force: true });
  rmSync(pacts, { recursive: true, force: true });
});


const CONFIG = `version: 1
contracts:
  pedidos-api: { kind: openapi, path: api/openapi.yaml }
  pedidos-graph: { kind: graphql, path: graph/schema.graphql, version: 1.0.0 }
  pedidos-events: { kind: avro, path: events/pedido-creado.avsc, version: 1.0.0 }
  web: { kind: pact, path: consumers/web/pedidos-api.json, provider: pedidos-api, version: 1.0.0 }
  mobile: { kind: graphql, path: consumers/mobile/ops.graphql, provider: pedidos-graph, version: 1.0.0 }
  billing: { kind: avro, path: consumers/billing/pedido-creado.avsc, provider: pedidos-events, version: 1.0.0 }
`;

const ok = (r: { code: number; stdout: string; stderr: string }) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};

describe("consumers and can-i-deploy, end to end", () => {
  test("everything released at 1.0.0 and deployed to staging and prod", () => {
    repo.write("api/openapi.yaml", OPENAPI);
    repo.write("graph/schema.graphql", SDL);
    repo.write("events/pedido-creado.avsc", event([ID, IMPORTE]));
    repo.write("consumers/web/pedidos-api.json", readFileSync(join(pacts, "web-pedidos-api.json"), "utf8"));
    repo.write("consumers/mobile/ops.graphql", OPS);
    repo.write("consumers/billing/pedido-creado.avsc", event([ID, IMPORTE]));
    repo.write("comms.yaml", CONFIG);
    ok(repo.comms("check"));
    for (const c of ["pedidos-api", "pedidos-graph", "pedidos-events", "web", "mobile", "billing"]) ok(repo.comms("release", c, "--version", "1.0.0"));
    for (const env of ["staging", "prod"]) for (const c of ["pedidos-api", "pedidos-graph", "pedidos-events", "web", "mobile", "billing"]) ok(repo.comms("deploy", `${c}@1.0.0`, "--env", env));
    repo.git("add", "-A");
    repo.git("commit", "-qm", "1.0.0 everywhere");
    const records = repo.read(".comms/_deployments/prod.jsonl").trim().split("\n").map((l) => JSON.parse(l));
    expect(records.map((r) => [r.seq, r.contract, r.version, r.by])).toEqual(
      ["pedidos-api", "pedidos-graph", "pedidos-events", "web", "mobile", "billing"].map((c, i) => [i + 1, c, "1.0.0", "Dev"]),
    );
    const r = repo.json("can-i-deploy", "pedidos-api@1.0.0", "pedidos-graph@1.0.0", "pedidos-events@1.0.0", "--env", "prod");
    expect(r.code).toBe(0);
    expect(r.out.pairs.map((p: any) => [p.consumer.contract, p.provider.contract, p.status])).toEqual([
      ["web", "pedidos-api", "compatible"],
      ["mobile", "pedidos-graph", "compatible"],
      ["billing", "pedidos-events", "compatible"],
    ]);
  });

  test("the provider drops a field only billing's reader needs: its history passes, billing's reader does not", () => {
    repo.write("events/pedido-creado.avsc", event([ID]));
    const r = repo.json("check", "pedidos-events");
    expect(r.code).toBe(1);
    const findings = r.out.results[0].findings;
    // The provider's own history: the field is no longer written, which its BACKWARD mode allows.
    expect(findings.filter((f: any) => !f.consumer).every((f: any) => f.severity !== "breaking")).toBe(true);
    const consumer = findings.filter((f: any) => f.consumer);
    expect(consumer.map((f: any) => [f.rule, f.severity, f.consumer.contract])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "billing"]]);
    expect(consumer[0].consumer.location.file).toBe("consumers/billing/pedido-creado.avsc");
    expect(consumer[0].new.file).toBe("events/pedido-creado.avsc");
    ok(repo.comms("release", "pedidos-events", "--version", "2.0.0"));
  });

  test("refused for prod while billing's old reader runs there", () => {
    const text = repo.comms("can-i-deploy", "pedidos-api@1.0.0", "pedidos-graph@1.0.0", "pedidos-events@2.0.0", "--env", "prod");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("can-i-deploy pedidos-api@1.0.0, pedidos-graph@1.0.0, pedidos-events@2.0.0 to prod: no");
    expect(text.stdout).toMatch(/web@1\.0\.0\s+pedidos-api@1\.0\.0\s+ok/);
    expect(text.stdout).toMatch(/mobile@1\.0\.0\s+pedidos-graph@1\.0\.0\s+ok/);
    expect(text.stdout).toMatch(/billing@1\.0\.0\s+pedidos-events@2\.0\.0\s+BREAKS/);
    expect(text.stdout).toContain("READER_FIELD_MISSING_DEFAULT_VALUE");
    // No released billing reads the new event yet.
    expect(text.stderr).toContain("no released version of billing works with pedidos-events@2.0.0");
  });

  test("billing releases a reader with a default; deployed to staging only, the answer differs per environment", () => {
    repo.write("consumers/billing/pedido-creado.avsc", event([ID, IMPORTE_DEFAULT]));
    repo.write("comms.yaml", CONFIG.replace("pedido-creado.avsc, provider: pedidos-events, version: 1.0.0", "pedido-creado.avsc, provider: pedidos-events, version: 1.1.0"));
    // The consumer side: billing's new reader judged against the provider's latest release.
    const check = repo.json("check", "billing");
    expect(check.out.results[0].notes).toContain("judged against its provider's latest release pedidos-events@2.0.0");
    expect(check.out.results[0].findings.filter((f: any) => f.consumer)).toEqual([]);
    ok(repo.comms("release", "billing", "--version", "1.1.0"));
    // Released and logged like any contract.
    const log = ok(repo.comms("log", "billing"));
    expect(log.stdout).toMatch(/1\.0\.0 .*first release/);
    expect(log.stdout).toMatch(/1\.1\.0 /);
    const first = repo.json("can-i-deploy", "billing@1.1.0", "--env", "prod");
    expect(first.code).toBe(0);
    expect(first.out.pairs.map((p: any) => [p.consumer.version, p.provider.version, p.status])).toEqual([["1.1.0", "1.0.0", "compatible"]]);
    ok(repo.comms("deploy", "billing@1.1.0", "--env", "staging"));
    expect(repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "staging").code).toBe(0);
    const prod = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(prod.code).toBe(1);
    expect(prod.stderr).toContain("deploy billing@1.1.0 to prod first");
  });

  test("allowed for prod after billing deploys its new reader there; every format", () => {
    ok(repo.comms("deploy", "billing@1.1.0", "--env", "prod"));
    const text = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^can-i-deploy pedidos-events@2\.0\.0 to prod: yes\n/);
    expect(text.stdout).toMatch(/billing@1\.1\.0\s+pedidos-events@2\.0\.0\s+ok/);
    const json = repo.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(json.out).toEqual({
      version: 1,
      env: "prod",
      targets: [{ contract: "pedidos-events", version: "2.0.0" }],
      pairs: [{ consumer: { contract: "billing", version: "1.1.0" }, provider: { contract: "pedidos-events", version: "2.0.0" }, status: "compatible", deploying: "provider", findings: [] }],
      verdict: "pass",
      next: [],
    });
    const md = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod", "--format", "markdown");
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("### can-i-deploy to prod: yes");
    expect(md.stdout).toContain("| `billing@1.1.0` | `pedidos-events@2.0.0` | ok |");
    const mdNo = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "staging", "--format", "markdown");
    expect(mdNo.code).toBe(0);
    expect(repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod", "--format", "sarif").code).toBe(2);
  });

  test("a failing matrix in markdown and JSON names the break and the next step", () => {
    const md = repo.comms("can-i-deploy", "billing@1.0.0", "pedidos-events@2.0.0", "--env", "prod", "--format", "markdown");
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("### can-i-deploy to prod: **no**");
    expect(md.stdout).toContain("| `billing@1.0.0` | `pedidos-events@2.0.0` | BREAKS | `consumer-READER_FIELD_MISSING_DEFAULT_VALUE`");
    expect(md.stdout).toContain("**Next step**");
    const json = repo.json("can-i-deploy", "billing@1.0.0", "pedidos-events@2.0.0", "--env", "prod");
    expect(json.code).toBe(1);
    expect(json.out.pairs[0].deploying).toBe("both");
    expect(json.out.pairs[0].findings[0].consumer.location.file).toBe(".comms/billing/1.0.0/consumers/billing/pedido-creado.avsc");
    expect(json.out.next).toEqual(["billing@1.0.0 and pedidos-events@2.0.0 do not work together: deploy neither until one of them changes"]);
  });

  test("a rewritten deployment record is exit 2, before and after it is committed", () => {
    const file = ".comms/_deployments/prod.jsonl";
    const original = repo.read(file);
    repo.write(file, original.replace('"billing","version":"1.0.0"', '"billing","version":"1.1.0"'));
    const edited = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain(".comms/_deployments/prod.jsonl:6:1: deployment record #6 is damaged or was rewritten (its content no longer matches its hash)");
    repo.write(file, original);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "billing 1.1.0 in prod");
    // Dropping the last record keeps a valid chain, but not the committed history.
    repo.write(file, original.trim().split("\n").slice(0, -1).join("\n") + "\n");
    const dropped = repo.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toContain("the deployment records differ from the committed ones");
    repo.write(file, original);
    expect(repo.comms("deploy", "billing@9.9.9", "--env", "prod").code).toBe(2);
    expect(repo.comms("deploy", "billing@1.1.0", "--env", "../x").code).toBe(2);
    expect(repo.read(file)).toBe(original);
  });
});

describe("deployment records stay inside the project", () => {
  test("a records directory symlinked outside the project is refused, and nothing is written there", () => {
    const other = new TempRepo();
    try {
      other.write("comms.yaml", "version: 1\ncontracts:\n  e: { kind: avro, path: e.avsc, version: 1.0.0 }\n");
      other.write("e.avsc", `{"type": "record", "name": "E", "fields": []}`);
      expect(other.comms("release", "e", "--version", "1.0.0").code).toBe(0);
      const outside = mkdtempSync(join(tmpdir(), "comms-outside-"));
      symlinkSync(outside, `${other.dir}/.comms/_deployments`);
      const r = other.comms("deploy", "e@1.0.0", "--env", "prod");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("resolves outside the project root");
      expect(readdirSync(outside)).toEqual([]);
      rmSync(outside, { recursive: true, force: true });
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  });
});

describe("deployments recorded at the same time", () => {
  test("six processes recording at once leave six chained records", async () => {
    const other = new TempRepo();
    try {
      other.write("comms.yaml", "version: 1\ncontracts:\n  e: { kind: avro, path: e.avsc, version: 1.0.0 }\n");
      other.write("e.avsc", `{"type": "record", "name": "E", "fields": []}`);
      expect(other.comms("release", "e", "--version", "1.0.0").code).toBe(0);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", GIT_DIR: undefined, GIT_INDEX_FILE: undefined })) if (v !== undefined) env[k] = v;
      const runs = Array.from({ length: 6 }, () => Bun.spawn([process.execPath, MAIN, "deploy", "e@1.0.0", "--env", "prod", "--quiet"], { cwd: other.dir, env, stdout: "pipe", stderr: "pipe" }));
      const codes = await Promise.all(runs.map((p) => p.exited));
      expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
      const records = other.read(".comms/_deployments/prod.jsonl").trim().split("\n").map((l) => JSON.parse(l));
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(other.comms("can-i-deploy", "e@1.0.0", "--env", "prod").code).toBe(0);
      expect(readdirSync(join(other.dir, ".comms/_deployments")).sort()).toEqual(["prod.jsonl"]);
    } finally {
      rmSync(other.dir, { recursive: true, force: true });
    }
  });
});
