import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "../e2e/gate-helpers.ts";

// The two directions of the consumer check through `comms check`, and `usage: required`.
setDefaultTimeout(60_000);
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const api = (orderProps: string, extraPath = "") => `openapi: 3.0.3
info: { title: pedidos, version: 1.0.0 }
paths:
  /orders/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: integer } }]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, properties: { ${orderProps} } }
  /health:
    get:
      parameters: [{ name: verbose, in: query, schema: { type: boolean } }${extraPath}]
      responses: { "200": { description: ok } }
`;
const pact = (body: string) => `{
  "consumer": { "name": "web" },
  "provider": { "name": "pedidos-api" },
  "interactions": [
    {
      "description": "get order",
      "request": { "method": "GET", "path": "/orders/1" },
      "response": { "status": 200, "headers": { "Content-Type": "application/json" }, "body": ${body} }
    }
  ],
  "metadata": { "pactSpecification": { "version": "2.0.0" } }
}
`;
const config = (usage = "") => `version: 1
contracts:
  pedidos-api: { kind: openapi, path: api.yaml${usage} }
  web: { kind: pact, path: pacts/web.json, provider: pedidos-api, version: 1.0.0 }
`;

describe("both directions", () => {
  test("released baseline", () => {
    repo.write("api.yaml", api("id: { type: integer }, total: { type: number }"));
    repo.write("pacts/web.json", pact(`{ "id": 1, "total": 2.5 }`));
    repo.write("comms.yaml", config());
    expect(repo.comms("check").code).toBe(0);
    expect(repo.comms("release", "pedidos-api", "--version", "1.0.0").code).toBe(0);
    expect(repo.comms("release", "web", "--version", "1.0.0").code).toBe(0);
  });

  test("consumer side: a pact expecting a field the provider's latest release lacks fails the consumer's check", () => {
    repo.write("pacts/web.json", pact(`{ "id": 1, "total": 2.5, "moneda": "EUR" }`));
    const r = repo.json("check", "web");
    expect(r.code).toBe(1);
    const [f] = r.out.results[0].findings.filter((x: any) => x.consumer);
    expect(f.rule).toBe("consumer-response-field-unknown");
    expect(f.path).toBe("web#get order (GET /orders/1)#response.body.moneda");
    // The provider side is located in the released snapshot the consumer was judged against.
    expect(f.new.file).toBe(".comms/pedidos-api/1.0.0/api.yaml");
    expect(f.consumer.location).toEqual({ file: "pacts/web.json", line: 8, column: 120 });
    expect(r.out.results[0].notes).toContain("judged against its provider's latest release pedidos-api@1.0.0");
    repo.write("pacts/web.json", pact(`{ "id": 1, "total": 2.5 }`));
  });

  test("provider side: a change the pact notices fails the provider's check, beside its history", () => {
    repo.write("api.yaml", api("id: { type: integer }, total: { type: string }"));
    const r = repo.json("check", "pedidos-api");
    expect(r.code).toBe(1);
    const rules = r.out.results[0].findings.map((f: any) => [f.rule, f.consumer?.contract ?? "history"]);
    expect(rules).toContainEqual(["consumer-response-field-type-mismatch", "web"]);
    expect(rules).toContainEqual(["response-property-type-changed", "history"]);
  });

  test("an accept entry for a consumer finding works like any other", () => {
    repo.write("comms.yaml", `${config()}policy:
  accept:
    - { contract: pedidos-api, rule: consumer-response-field-type-mismatch, path: "web#get order (GET /orders/1)#response.body.total", reason: web reads total as text from 2.0 }
`);
    const r = repo.json("check", "pedidos-api");
    const consumer = r.out.results[0].findings.find((f: any) => f.consumer);
    expect(consumer.accepted).toEqual({ reason: "web reads total as text from 2.0" });
    expect(r.out.results[0].notes.join("\n")).not.toContain("stale accept entry");
    expect(r.out.results[0].findings.filter((f: any) => f.consumer && !f.accepted)).toEqual([]);
    repo.write("comms.yaml", config());
  });
});

describe("usage: required", () => {
  test("a break no declared consumer touches is dangerous, naming the consumers checked; a touched one stays breaking", () => {
    repo.write("api.yaml", api("id: { type: integer }, total: { type: number }", ", { name: level, in: query, required: true, schema: { type: string } }"));
    const without = repo.json("check", "pedidos-api");
    expect(without.out.results[0].findings.find((f: any) => f.rule === "new-required-request-parameter").severity).toBe("breaking");
    repo.write("comms.yaml", config(", usage: required"));
    const r = repo.json("check", "pedidos-api");
    const f = r.out.results[0].findings.find((x: any) => x.rule === "new-required-request-parameter");
    expect(f.severity).toBe("dangerous");
    expect(f.note).toContain("no declared consumer uses it (checked: web)");
    // A break in the operation the pact uses stays breaking.
    repo.write("api.yaml", api("id: { type: integer }, total: { type: string }"));
    const used = repo.json("check", "pedidos-api");
    const changed = used.out.results[0].findings.find((x: any) => x.rule === "response-property-type-changed");
    expect(changed.severity).toBe("breaking");
    expect(changed.note).toBeUndefined();
    expect(used.code).toBe(1);
  });
});

describe("the pre-commit path", () => {
  test("check --staged judges the staged provider against its consumers", () => {
    repo.write("comms.yaml", config());
    repo.write("api.yaml", api("id: { type: integer }, total: { type: number }"));
    repo.write("pacts/web.json", pact(`{ "id": 1, "total": 2.5 }`));
    repo.git("add", "-A");
    repo.git("commit", "-qm", "baseline", "--no-verify");
    repo.write("api.yaml", api("id: { type: string }, total: { type: number }"));
    repo.git("add", "api.yaml");
    // The working tree goes back: only what is staged counts.
    repo.write("api.yaml", api("id: { type: integer }, total: { type: number }"));
    const r = repo.json("check", "--staged");
    expect(r.code).toBe(1);
    expect(r.out.results.map((x: any) => x.contract)).toEqual(["pedidos-api"]);
    const f = r.out.results[0].findings.find((x: any) => x.consumer);
    expect([f.rule, f.consumer.contract, f.new.file]).toEqual(["consumer-response-field-type-mismatch", "web", "api.yaml"]);
    expect(repo.json("check").code).toBe(0);
  });

  test("check --staged reads a consumer never added to git from the working tree, and says so", () => {
    repo.write("comms.yaml", config() + "  mobile: { kind: pact, path: pacts/mobile.json, provider: pedidos-api }\n");
    repo.write("pacts/mobile.json", pact(`{ "id": 1, "total": 2.5 }`).replace('"name": "web"', '"name": "mobile"'));
    repo.git("add", "comms.yaml");
    repo.write("api.yaml", api("id: { type: integer }, total: { type: string }"));
    repo.git("add", "api.yaml");
    const r = repo.json("check", "--staged", "pedidos-api");
    expect(r.code).toBe(1);
    const found = r.out.results[0].findings.filter((x: any) => x.consumer).map((x: any) => [x.rule, x.consumer.contract, x.consumer.location.file]);
    expect(found).toEqual([
      ["consumer-response-field-type-mismatch", "mobile", "pacts/mobile.json"],
      ["consumer-response-field-type-mismatch", "web", "pacts/web.json"],
    ]);
    expect(r.out.results[0].notes.join("\n")).toContain("consumer 'mobile' is not in the git index");
  });
});
