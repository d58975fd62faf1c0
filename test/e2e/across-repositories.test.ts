import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatedPacts } from "../helpers/pact.ts";
import { git, publish, serversMissing, startDaemon, type GitServer } from "../helpers/git-servers.ts";
import { TempRepo } from "./gate-helpers.ts";
import { event, ID, IMPORTE, IMPORTE_DEFAULT, OPENAPI, OPS, SDL } from "../helpers/consumer-scenario.ts";

// The consumers scenario of consumers-deploy.test.ts across four repositories (the provider pedidos, and
// web, mobile and billing) and a fifth holding the shared deployment records, all served by one git
// daemon on loopback that accepts pushes. can-i-deploy judges each pair with the other side's release
// recorded as deployed, read from the other repository.
setDefaultTimeout(300_000);
const missing = serversMissing();
if (missing) console.warn(missing);

const base = mkdtempSync(join(tmpdir(), "comms-across-"));
const cache = mkdtempSync(join(tmpdir(), "comms-across-cache-"));
process.env.COMMS_CACHE_DIR = cache;
const repos = { pedidos: new TempRepo(), web: new TempRepo(), mobile: new TempRepo(), billing: new TempRepo() };
let daemon: GitServer | undefined;
const pacts = generatedPacts();

beforeAll(async () => {
  if (missing) return;
  git(base, "init", "-q", "--bare", "-b", "main", "deployments.git");
  daemon = await startDaemon(base, { push: true });
});
afterAll(async () => {
  await daemon?.stop();
  for (const r of Object.values(repos)) rmSync(r.dir, { recursive: true, force: true });
  for (const d of [base, cache, pacts]) rmSync(d, { recursive: true, force: true });
});


const url = (repo: string) => daemon!.url(repo);
const deployments = () => `deployments: { git: "${url("deployments.git")}", ref: main }`;
const providerConfig = () => `version: 1
name: pedidos
${deployments()}
sources:
  web: { git: "${url("web.git")}" }
  mobile: { git: "${url("mobile.git")}" }
  billing: { git: "${url("billing.git")}", ref: main }
contracts:
  pedidos-api: { kind: openapi, path: api/openapi.yaml }
  pedidos-graph: { kind: graphql, path: graph/schema.graphql }
  pedidos-events: { kind: avro, path: events/pedido-creado.avsc }
`;
const consumerConfig = (name: string, contract: string) => `version: 1
name: ${name}
${deployments()}
sources:
  pedidos: { git: "${url("pedidos.git")}" }
contracts:
  ${contract}
`;

type Result = { code: number; stdout: string; stderr: string };
const ok = (r: Result) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
const commitAndPublish = (name: keyof typeof repos, message: string) => {
  repos[name].git("add", "-A");
  repos[name].git("commit", "-qm", message);
  publish(repos[name].dir, base, name);
};
/** The shared records of an environment, as pushed to the deployments repository. */
const records = (env: string) =>
  git(join(base, "deployments.git"), "show", `main:${env}.jsonl`)
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const pairsOf = (out: any) => out.pairs.map((p: any) => [`${p.consumer.contract}@${p.consumer.version}`, `${p.provider.contract}@${p.provider.version}`, p.status]);
const PROVIDER = ["pedidos-api", "pedidos-graph", "pedidos-events"];
const CONSUMERS = [
  ["web", "web-pact"],
  ["mobile", "mobile-ops"],
  ["billing", "billing-reader"],
] as const;

describe.skipIf(!!missing)("can-i-deploy across repositories, through git daemon", () => {
  test("everyone releases 1.0.0 and deploys it to staging and prod; the records are pushed to the shared repository", () => {
    const p = repos.pedidos;
    p.write("api/openapi.yaml", OPENAPI);
    p.write("graph/schema.graphql", SDL);
    p.write("events/pedido-creado.avsc", event([ID, IMPORTE]));
    p.write("comms.yaml", providerConfig());
    for (const c of PROVIDER) ok(p.comms("release", c, "--version", "1.0.0"));
    commitAndPublish("pedidos", "pedidos 1.0.0");
    repos.web.write("pacts/pedidos-api.json", readFileSync(join(pacts, "web-pedidos-api.json"), "utf8"));
    repos.web.write("comms.yaml", consumerConfig("web", "web-pact: { kind: pact, path: pacts/pedidos-api.json, provider: pedidos/pedidos-api }"));
    repos.mobile.write("ops/order.graphql", OPS);
    repos.mobile.write("comms.yaml", consumerConfig("mobile", "mobile-ops: { kind: graphql, path: ops/order.graphql, provider: pedidos/pedidos-graph }"));
    repos.billing.write("readers/pedido-creado.avsc", event([ID, IMPORTE]));
    repos.billing.write("comms.yaml", consumerConfig("billing", "billing-reader: { kind: avro, path: readers/pedido-creado.avsc, provider: pedidos/pedidos-events }"));
    for (const [repo, contract] of CONSUMERS) {
      ok(repos[repo].comms("release", contract, "--version", "1.0.0"));
      commitAndPublish(repo, `${contract} 1.0.0`);
    }
    for (const env of ["staging", "prod"]) {
      for (const c of PROVIDER) ok(p.comms("deploy", `${c}@1.0.0`, "--env", env));
      // A consumer names its own contract either way: plain, or qualified with its repository's name.
      for (const [repo, contract] of CONSUMERS) ok(repos[repo].comms("deploy", env === "prod" ? `${repo}/${contract}@1.0.0` : `${contract}@1.0.0`, "--env", env));
    }
    const expected = [...PROVIDER.map((c) => `pedidos/${c}`), "web/web-pact", "mobile/mobile-ops", "billing/billing-reader"];
    for (const env of ["staging", "prod"]) expect(records(env).map((r) => [r.seq, r.contract, r.version])).toEqual(expected.map((c, i) => [i + 1, c, "1.0.0"]));
    // Nothing is written into the repositories: the records live in the shared one.
    expect(git(p.dir, "status", "--porcelain")).toBe("");
  });

  test("the provider's can-i-deploy judges its consumers in web, mobile and billing at their deployed releases", () => {
    const r = repos.pedidos.json("can-i-deploy", ...PROVIDER.map((c) => `${c}@1.0.0`), "--env", "prod");
    expect(r.code).toBe(0);
    expect(r.out.verdict).toBe("pass");
    expect(pairsOf(r.out)).toEqual([
      ["web/web-pact@1.0.0", "pedidos-api@1.0.0", "compatible"],
      ["mobile/mobile-ops@1.0.0", "pedidos-graph@1.0.0", "compatible"],
      ["billing/billing-reader@1.0.0", "pedidos-events@1.0.0", "compatible"],
    ]);
  });

  test("a consumer's can-i-deploy judges it against the provider's release deployed there", () => {
    const cases = [
      ["web", "web-pact@1.0.0", "pedidos/pedidos-api@1.0.0"],
      ["mobile", "mobile/mobile-ops@1.0.0", "pedidos/pedidos-graph@1.0.0"],
      ["billing", "billing-reader@1.0.0", "pedidos/pedidos-events@1.0.0"],
    ] as const;
    for (const [repo, target, provider] of cases) {
      const r = repos[repo].json("can-i-deploy", target, "--env", "prod");
      expect(r.code).toBe(0);
      expect(r.out.pairs.map((p: any) => [`${p.provider.contract}@${p.provider.version}`, p.status, p.deploying])).toEqual([[provider, "compatible", "consumer"]]);
    }
    // Another repository's name is not this one's.
    const foreign = repos.web.comms("can-i-deploy", "billing/billing-reader@1.0.0", "--env", "prod");
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("unknown contract 'billing/billing-reader'");
  });

  test("the provider drops a field only billing's reader needs: its check names the break in billing's repository", () => {
    repos.pedidos.write("events/pedido-creado.avsc", event([ID]));
    const r = repos.pedidos.json("check", "pedidos-events");
    expect(r.code).toBe(1);
    const consumer = r.out.results[0].findings.filter((f: any) => f.consumer);
    expect(consumer.map((f: any) => [f.rule, f.severity, f.consumer.contract])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "billing/billing-reader"]]);
    expect(consumer[0].consumer.location.file).toBe("billing:readers/pedido-creado.avsc");
    expect(consumer[0].new.file).toBe("events/pedido-creado.avsc");
    ok(repos.pedidos.comms("release", "pedidos-events", "--version", "2.0.0"));
    commitAndPublish("pedidos", "pedidos-events 2.0.0");
  });

  test("can-i-deploy pedidos-events@2.0.0 to prod: no, naming billing's reader deployed there and the break's file:line", () => {
    const r = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(r.code).toBe(1);
    expect(r.out.verdict).toBe("fail");
    expect(pairsOf(r.out)).toEqual([["billing/billing-reader@1.0.0", "pedidos-events@2.0.0", "breaks"]]);
    const findings = r.out.pairs[0].findings;
    expect(findings.map((f: any) => [f.rule, f.severity, f.consumer.contract])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", "breaking", "billing/billing-reader"]]);
    // The consumer's side is billing's released 1.0.0 snapshot, read from billing's repository.
    const loc = findings[0].consumer.location;
    expect(`${loc.file}:${loc.line}`).toBe("billing:.comms/billing-reader/1.0.0/readers/pedido-creado.avsc:5");
    expect(findings[0].new.file).toBe(".comms/pedidos-events/2.0.0/events/pedido-creado.avsc");
    expect(r.out.next).toEqual(["no released version of billing/billing-reader works with pedidos-events@2.0.0: release a billing/billing-reader that does and deploy it to prod first, or keep pedidos-events compatible with billing/billing-reader@1.0.0"]);
    // Qualified with the provider's own name, in text.
    const text = repos.pedidos.comms("can-i-deploy", "pedidos/pedidos-events@2.0.0", "--env", "prod");
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("can-i-deploy pedidos-events@2.0.0 to prod: no");
    expect(text.stdout).toMatch(/billing\/billing-reader@1\.0\.0\s+pedidos-events@2\.0\.0\s+BREAKS/);
    expect(text.stdout).toContain("billing:.comms/billing-reader/1.0.0/readers/pedido-creado.avsc:5:");
  });

  test("where billing's reader is not deployed, its pair is `not deployed`", () => {
    ok(repos.pedidos.comms("deploy", "pedidos-events@1.0.0", "--env", "qa"));
    const r = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "qa");
    expect(r.code).toBe(0);
    expect(r.out.pairs.map((p: any) => [p.consumer.contract, p.consumer.version, p.status, p.note])).toEqual([["billing/billing-reader", "-", "not deployed", "billing/billing-reader is not deployed to qa"]]);
  });

  test("billing releases a tolerant reader: the provider is told to wait for it, then allowed once it runs in prod", () => {
    repos.billing.write("readers/pedido-creado.avsc", event([ID, IMPORTE_DEFAULT]));
    ok(repos.billing.comms("check"));
    ok(repos.billing.comms("release", "billing-reader", "--version", "1.1.0"));
    commitAndPublish("billing", "billing-reader 1.1.0");
    const before = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(before.code).toBe(1);
    expect(before.out.next).toEqual(["deploy billing/billing-reader@1.1.0 to prod first (it works with pedidos-events@2.0.0): deploy it, then run 'comms deploy billing/billing-reader@1.1.0 --env prod'"]);
    // The step as written, run in billing's repository.
    ok(repos.billing.comms("deploy", "billing/billing-reader@1.1.0", "--env", "prod"));
    expect(records("prod").map((r) => [r.seq, r.contract, r.version]).slice(-1)).toEqual([[7, "billing/billing-reader", "1.1.0"]]);
    const after = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(after.code).toBe(0);
    expect(after.out).toEqual({
      version: 1,
      env: "prod",
      targets: [{ contract: "pedidos-events", version: "2.0.0" }],
      pairs: [{ consumer: { contract: "billing/billing-reader", version: "1.1.0" }, provider: { contract: "pedidos-events", version: "2.0.0" }, status: "compatible", deploying: "provider", findings: [] }],
      verdict: "pass",
      next: [],
    });
    ok(repos.pedidos.comms("deploy", "pedidos-events@2.0.0", "--env", "prod"));
  });

  test("billing rolling back to its old reader is refused against the provider's 2.0.0 now in prod", () => {
    const r = repos.billing.json("can-i-deploy", "billing-reader@1.0.0", "--env", "prod");
    expect(r.code).toBe(1);
    expect(pairsOf(r.out)).toEqual([["billing-reader@1.0.0", "pedidos/pedidos-events@2.0.0", "breaks"]]);
    expect(r.out.pairs[0].findings.map((f: any) => [f.rule, f.consumer.location.file, f.consumer.location.line])).toEqual([["consumer-READER_FIELD_MISSING_DEFAULT_VALUE", ".comms/billing-reader/1.0.0/readers/pedido-creado.avsc", 5]]);
    expect(r.out.pairs[0].findings[0].new.file).toBe("pedidos:.comms/pedidos-events/2.0.0/events/pedido-creado.avsc");
    expect(r.out.next).toEqual(["no released version of pedidos/pedidos-events offers what billing-reader@1.0.0 expects: change the expectation or release a pedidos/pedidos-events that offers it"]);
    expect(repos.billing.json("can-i-deploy", "billing-reader@1.1.0", "--env", "prod").code).toBe(0);
  });

  test("a deployed release its repository does not serve (released on a branch) is `not judged`, saying why", () => {
    const b = repos.billing;
    b.git("checkout", "-q", "-b", "canary");
    b.write("readers/pedido-creado.avsc", event([ID, IMPORTE_DEFAULT, `{ "name": "moneda", "type": "string", "default": "EUR" }`]));
    ok(b.comms("release", "billing-reader", "--version", "1.2.0"));
    b.git("add", "-A");
    b.git("commit", "-qm", "billing-reader 1.2.0 on a branch");
    ok(b.comms("deploy", "billing-reader@1.2.0", "--env", "canary"));
    ok(repos.pedidos.comms("deploy", "pedidos-events@1.0.0", "--env", "canary"));
    const r = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "canary");
    // Nothing breaks that could be judged: the answer is yes, the pair says what was not judged.
    expect(r.code).toBe(0);
    expect(pairsOf(r.out)).toEqual([["billing/billing-reader@1.2.0", "pedidos-events@2.0.0", "not judged"]]);
    expect(r.out.pairs[0].note).toMatch(/^billing\/billing-reader@1\.2\.0 is recorded as deployed, but its repository has no such release \(source 'billing', main at [0-9a-f]{12}; released: 1\.1\.0, 1\.0\.0\)$/);
    b.git("checkout", "-q", "main");
  });

  test("--offline once the daemon stops: the same answers from the cache", async () => {
    const online = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    const rollback = repos.billing.json("can-i-deploy", "billing-reader@1.0.0", "--env", "prod");
    await daemon!.stop();
    const gone = repos.pedidos.comms("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod");
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("cannot fetch the shared deployment records");
    const offline = repos.pedidos.json("can-i-deploy", "pedidos-events@2.0.0", "--env", "prod", "--offline");
    expect(offline.code).toBe(0);
    expect(offline.out).toEqual(online.out);
    expect(offline.stderr).toContain("they may be stale");
    const offlineRollback = repos.billing.json("can-i-deploy", "billing-reader@1.0.0", "--env", "prod", "--offline");
    expect(offlineRollback.code).toBe(1);
    expect(offlineRollback.out).toEqual(rollback.out);
    // Without shared records nothing says what runs elsewhere: nothing is fetched (the daemon is gone), the provider is not deployed.
    const config = repos.web.read("comms.yaml");
    repos.web.write("comms.yaml", config.replace(/^deployments: .*\n/m, ""));
    const local = repos.web.json("can-i-deploy", "web-pact@1.0.0", "--env", "prod");
    expect(local.code).toBe(0);
    expect(pairsOf(local.out)).toEqual([["web-pact@1.0.0", "pedidos/pedidos-api@-", "not deployed"]]);
    repos.web.write("comms.yaml", config);
  });
});

describe("pairs no judge covers, across repositories (file:// remotes)", () => {
  test("a JSON Schema reader of an Avro event in another repository is `not judged`, saying why, from both sides", () => {
    const root = mkdtempSync(join(base, "kinds-"));
    git(root, "init", "-q", "--bare", "-b", "main", "records.git");
    const shared = `deployments: { git: "file://${root}/records.git" }`;
    const ventas = new TempRepo();
    const caja = new TempRepo();
    try {
      ventas.write("e.avsc", event([ID]));
      ventas.write("comms.yaml", `version: 1\nname: ventas\n${shared}\nsources:\n  caja: { git: "file://${root}/caja.git" }\ncontracts:\n  ventas-events: { kind: avro, path: e.avsc }\n`);
      caja.write("s.json", `{ "type": "object", "properties": { "id": { "type": "string" } } }\n`);
      caja.write("comms.yaml", `version: 1\nname: caja\n${shared}\nsources:\n  ventas: { git: "file://${root}/ventas.git" }\ncontracts:\n  caja-schema: { kind: jsonschema, path: s.json, provider: ventas/ventas-events }\n`);
      for (const [repo, name, contract] of [[ventas, "ventas", "ventas-events"], [caja, "caja", "caja-schema"]] as const) {
        ok(repo.comms("release", contract, "--version", "1.0.0"));
        repo.git("add", "-A");
        repo.git("commit", "-qm", `${contract} 1.0.0`);
        publish(repo.dir, root, name);
        ok(repo.comms("deploy", `${contract}@1.0.0`, "--env", "prod"));
      }
      const provider = ventas.json("can-i-deploy", "ventas-events@1.0.0", "--env", "prod");
      expect(provider.code).toBe(0);
      expect(provider.out.pairs.map((p: any) => [`${p.consumer.contract}@${p.consumer.version}`, `${p.provider.contract}@${p.provider.version}`, p.status, p.note])).toEqual([
        ["caja/caja-schema@1.0.0", "ventas-events@1.0.0", "not judged", "a jsonschema expectation cannot be judged against an avro provider"],
      ]);
      const consumer = caja.json("can-i-deploy", "caja-schema@1.0.0", "--env", "prod");
      expect(consumer.code).toBe(0);
      expect(consumer.out.pairs.map((p: any) => [`${p.provider.contract}@${p.provider.version}`, p.status, p.note])).toEqual([["ventas/ventas-events@1.0.0", "not judged", "a jsonschema expectation cannot be judged against an avro provider"]]);
    } finally {
      rmSync(ventas.dir, { recursive: true, force: true });
      rmSync(caja.dir, { recursive: true, force: true });
    }
  });
});
