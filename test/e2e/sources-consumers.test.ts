import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedPacts } from "../helpers/pact.ts";
import { publish, serversMissing, startDaemon, type GitServer } from "../helpers/git-servers.ts";
import { TempRepo } from "./gate-helpers.ts";
import { event, ID, IMPORTE, IMPORTE_DEFAULT, OPENAPI, OPS, SDL } from "../helpers/consumer-scenario.ts";

// The consumers scenario of consumers-deploy.test.ts split across four repositories served by git daemon
// on loopback: the provider (pedidos: an OpenAPI API, a GraphQL schema, an Avro event) and web (a pact),
// mobile (GraphQL operations) and billing (an Avro reader), each reading the others through git.
setDefaultTimeout(180_000);
const missing = serversMissing();
if (missing) console.warn(missing);

const base = mkdtempSync(join(tmpdir(), "comms-served-"));
const cache = mkdtempSync(join(tmpdir(), "comms-cache-"));
process.env.COMMS_CACHE_DIR = cache;
const repos = { pedidos: new TempRepo(), web: new TempRepo(), mobile: new TempRepo(), billing: new TempRepo() };
let daemon: GitServer;
const pacts = generatedPacts();

beforeAll(async () => {
  if (!missing) daemon = await startDaemon(base);
});
afterAll(async () => {
  await daemon?.stop();
  for (const r of Object.values(repos)) rmSync(r.dir, { recursive: true, force: true });
  for (const d of [base, cache, pacts]) rmSync(d, { recursive: true, force: true });
});


const providerConfig = () => `version: 1
name: pedidos
sources:
  web: { git: "${daemon.url("web.git")}" }
  mobile: { git: "${daemon.url("mobile.git")}" }
  billing: { git: "${daemon.url("billing.git")}", ref: main }
contracts:
  pedidos-api: { kind: openapi, path: api/openapi.yaml }
  pedidos-graph: { kind: graphql, path: graph/schema.graphql, version: 1.0.0 }
  pedidos-events: { kind: avro, path: events/pedido-creado.avsc, version: 1.0.0 }
`;
const consumerConfig = (name: string, contract: string) => `version: 1
name: ${name}
sources:
  pedidos: { git: "${daemon.url("pedidos.git")}" }
contracts:
  ${contract}
`;

const ok = (r: { code: number; stdout: string; stderr: string }) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
const commitAndPublish = (name: keyof typeof repos, message: string) => {
  repos[name].git("add", "-A");
  repos[name].git("commit", "-qm", message);
  publish(repos[name].dir, base, name);
};

describe.skipIf(!!missing)("consumers in other repositories, through git daemon", () => {
  test("each repository is set up and published; the consumers' checks judge against the provider's 1.0.0", () => {
    const p = repos.pedidos;
    p.write("api/openapi.yaml", OPENAPI);
    p.write("graph/schema.graphql", SDL);
    p.write("events/pedido-creado.avsc", event([ID, IMPORTE]));
    p.write("comms.yaml", providerConfig());
    for (const c of ["pedidos-api", "pedidos-graph", "pedidos-events"]) ok(p.comms("release", c, "--version", "1.0.0"));
    commitAndPublish("pedidos", "pedidos 1.0.0");
    repos.web.write("pacts/pedidos-api.json", readFileSync(join(pacts, "web-pedidos-api.json"), "utf8"));
    repos.web.write("comms.yaml", consumerConfig("web", "web-pact: { kind: pact, path: pacts/pedidos-api.json, provider: pedidos/pedidos-api }"));
    repos.mobile.write("ops/order.graphql", OPS);
    repos.mobile.write("comms.yaml", consumerConfig("mobile", "mobile-ops: { kind: graphql, path: ops/order.graphql, provider: pedidos/pedidos-graph }"));
    repos.billing.write("readers/pedido-creado.avsc", event([ID, IMPORTE]));
    repos.billing.write("comms.yaml", consumerConfig("billing", "billing-reader: { kind: avro, path: readers/pedido-creado.avsc, provider: pedidos/pedidos-events }"));
    for (const c of ["web", "mobile", "billing"] as const) commitAndPublish(c, `${c} expectations`);
    const notes = (["web", "mobile", "billing"] as const).map((c) => {
      const r = repos[c].json("check");
      expect(r.code).toBe(0);
      return r.out.results[0].notes.find((n: string) => n.startsWith("judged against"));
    });
    expect(notes.map((n: string) => n.replace(/ at [0-9a-f]{12}\)/, " at <commit>)"))).toEqual([
      "judged against its provider's latest release pedidos/pedidos-api@1.0.0 (source 'pedidos', HEAD at <commit>)",
      "judged against its provider's latest release pedidos/pedidos-graph@1.0.0 (source 'pedidos', HEAD at <commit>)",
      "judged against its provider's latest release pedidos/pedidos-events@1.0.0 (source 'pedidos', HEAD at <commit>)",
    ]);
  });

  test("the provider's check sees its consumers in web, mobile and billing; all compatible", () => {
    const r = repos.pedidos.json("check");
    expect(r.code).toBe(0);
    const judged = r.out.results.map((x: any) => [x.contract, x.notes.find((n: string) => n.startsWith("judged against its consumers in other"))?.replace(/ at [0-9a-f]{12}/g, "")]);
    expect(judged).toEqual([
      ["pedidos-api", "judged against its consumers in other repositories: web/web-pact (HEAD)"],
      ["pedidos-graph", "judged against its consumers in other repositories: mobile/mobile-ops (HEAD)"],
      ["pedidos-events", "judged against its consumers in other repositories: billing/billing-reader (main)"],
    ]);
  });

  test("the provider drops a field only billing's reader needs: its check names the break in billing's repository", () => {
    repos.pedidos.write("events/pedido-creado.avsc", event([ID]));
    const r = repos.pedidos.json("check", "pedidos-events");
    expect(r.code).toBe(1);
    const findings = r.out.results[0].findings;
    expect(findings.filter((f: any) => !f.consumer).every((f: any) => f.severity !== "breaking")).toBe(true);
    const consumer = findings.filter((f: any) => f.consumer);
    expect(consumer.map((f: any) => [f.rule, f.severity, f.consumer.contract])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "billing/billing-reader"]]);
    expect(consumer[0].consumer.location.file).toBe("billing:readers/pedido-creado.avsc");
    expect(consumer[0].new.file).toBe("events/pedido-creado.avsc");
    const text = repos.pedidos.comms("check", "pedidos-events");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("consumer 'billing/billing-reader'");
    ok(repos.pedidos.comms("release", "pedidos-events", "--version", "2.0.0"));
    commitAndPublish("pedidos", "pedidos-events 2.0.0");
  });

  test("billing's check judges its reader against the provider's latest release, 2.0.0, and fails", () => {
    const r = repos.billing.json("check");
    expect(r.code).toBe(1);
    const res = r.out.results[0];
    expect(res.notes.some((n: string) => n.startsWith("judged against its provider's latest release pedidos/pedidos-events@2.0.0"))).toBe(true);
    expect(res.findings.map((f: any) => [f.rule, f.severity, f.consumer.contract])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "billing-reader"]]);
    // The provider's side of the finding is the released snapshot in the provider's repository.
    expect(res.findings[0].new.file).toBe("pedidos:.comms/pedidos-events/2.0.0/events/pedido-creado.avsc");
  });

  test("billing's reader gains a default: its check passes, and so does the provider's against the new reader", () => {
    repos.billing.write("readers/pedido-creado.avsc", event([ID, IMPORTE_DEFAULT]));
    const r = repos.billing.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].findings).toEqual([]);
    commitAndPublish("billing", "reader with a default");
    const provider = repos.pedidos.json("check", "pedidos-events");
    expect(provider.code).toBe(0);
    expect(provider.out.results[0].findings.filter((f: any) => f.consumer)).toEqual([]);
  });

  test("comms fetch lists every source with its commit and releases", () => {
    const r = repos.pedidos.json("fetch");
    expect(r.code).toBe(0);
    expect(r.out.sources.map((s: any) => [s.source, s.ref, s.contracts, s.releases, /^[0-9a-f]{40}$/.test(s.commit)])).toEqual([
      ["web", "HEAD", 1, 0, true],
      ["mobile", "HEAD", 1, 0, true],
      ["billing", "main", 1, 0, true],
    ]);
  });
});
