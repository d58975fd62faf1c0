import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "../e2e/gate-helpers.ts";

// A consumer contract must name a provider of comms.yaml of a kind its expectation can be judged against.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

repo.write("api/openapi.yaml", "openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths: {}\n");
repo.write("events/e.avsc", `{"type": "record", "name": "E", "fields": []}`);
repo.write("pacts/web.json", `{ "consumer": { "name": "web" }, "provider": { "name": "api" }, "interactions": [] }`);

describe("consumer contracts in comms.yaml", () => {
  test.each([
    ["unknown provider", "  web: { kind: pact, path: pacts/web.json, provider: pedidos }", "comms.yaml:5:54", "no contract named 'pedidos'"],
    ["provider of another kind", "  reader: { kind: avro, path: events/e.avsc, provider: api }", "comms.yaml:5:56", "'api' is an openapi contract, but an Avro reader schema is judged against an avro producer"],
    ["an AsyncAPI receiver naming an HTTP provider", "  recv: { kind: asyncapi, path: events/a.yaml, provider: api }", "comms.yaml:5:58", "'api' is an openapi contract, but an AsyncAPI document's receive operations are judged against an avro, jsonschema or asyncapi producer"],
    ["its own provider", "  web: { kind: pact, path: pacts/web.json, provider: web }", "comms.yaml:5:54", "cannot be its own provider"],
    ["a consumer as provider", "  web: { kind: pact, path: pacts/web.json, provider: api }\n  web2: { kind: pact, path: pacts/web.json, provider: web }", "comms.yaml:6:55", "is itself a consumer contract"],
  ])("%s: exit 2 at the comms.yaml line", (_n, line, where, message) => {
    repo.write("comms.yaml", `version: 1\ncontracts:\n  api: { kind: openapi, path: api/openapi.yaml }\n  events: { kind: avro, path: events/e.avsc }\n${line}\n`);
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${where}: contracts.`);
    expect(r.stderr).toContain(message);
  });

  test("a malformed pact: exit 2 at its file:line:col", () => {
    repo.write("comms.yaml", "version: 1\ncontracts:\n  api: { kind: openapi, path: api/openapi.yaml }\n  web: { kind: pact, path: pacts/bad.json, provider: api }\n");
    repo.write("pacts/bad.json", `{ "consumer": { "name": "web" }, "provider": { "name": "api" },\n  "interactions": [ { "description": "d", "request": { "method": "GET" }, "response": { "status": 200 } } ] }`);
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pacts/bad.json:2:54: 'path' must be a path");
  });
});
