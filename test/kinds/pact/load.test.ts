import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ContractError } from "../../../src/core/errors.ts";
import { DiskReader, MemoryReader } from "../../../src/core/source.ts";
import { diffPact } from "../../../src/kinds/pact/diff.ts";
import { loadPact, matchersAt, parseRulePath } from "../../../src/kinds/pact/load.ts";
import { generatedPacts } from "../../helpers/pact.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/pact");
const fixture = (f: string) => loadPact({ reader: new DiskReader(FIXTURES), path: f });
const mem = (text: string) => loadPact({ reader: new MemoryReader(new Map([["p.json", text]]), "test"), path: "p.json" });

describe("pact files as pact tools write them", () => {
  const generated = generatedPacts();
  afterAll(() => rmSync(generated, { recursive: true, force: true }));
  const real = (f: string) => loadPact({ reader: new DiskReader(generated), path: f });

  test("v3 from the consumer DSL: HTTP interaction with provider state, query, matching rules", async () => {
    const { model } = await real("web-pedidos-api.json");
    const [pact] = model.pacts;
    expect(pact!.spec).toBe(3);
    expect(pact!.consumer).toBe("web");
    const [i] = pact!.interactions;
    expect(i!.key).toBe("get order [given order 1 exists]");
    expect(i!.request!.method).toBe("get");
    expect(i!.request!.query.get("expand")).toEqual(["lines"]);
    expect(i!.response!.status).toBe(200);
    expect(matchersAt(i!.response!.rules.body, ["lines", 0, "qty"])).toEqual([{ match: "integer" }]);
    expect(matchersAt(i!.response!.rules.body, ["lines"])).toEqual([{ match: "type", min: 1 }]);
    expect(matchersAt(i!.response!.rules.body, ["status"])).toEqual([{ match: "regex", regex: "open|closed" }]);
    expect(i!.response!.bodyLocs(["lines", 0, "qty"])?.line).toBeGreaterThan(1);
  });

  test("v4 from the consumer DSL: HTTP with a v4 body and an asynchronous message", async () => {
    const { model } = await real("web4-pedidos-api.json");
    const [pact] = model.pacts;
    expect(pact!.spec).toBe(4);
    expect(pact!.interactions.map((i) => [i.type, i.key])).toEqual([
      ["http", "create order [given no orders]"],
      ["message", "order created [given an order]"],
    ]);
    const [http, message] = pact!.interactions;
    expect(http!.request!.body).toEqual({ sku: "A1", qty: 1 });
    expect(http!.request!.contentType).toBe("application/json");
    expect(message!.message!.contents).toEqual({ id: 1, total: 2.5 });
    expect(matchersAt(message!.message!.rules.body, ["total"])).toEqual([{ match: "decimal" }]);
  });

  test("v2 by hand: query string, providerState, $.body rule paths", async () => {
    const { model } = await fixture("v2-tienda.json");
    const [pact] = model.pacts;
    expect(pact!.spec).toBe(2);
    const [get, post] = pact!.interactions;
    expect(get!.key).toBe("a product by id [given product 7 exists]");
    expect(get!.request!.query.get("fields")).toEqual(["name", "price"]);
    expect(get!.response!.contentType).toBe("application/json; charset=utf-8");
    expect(matchersAt(get!.response!.rules.body, ["tags"])).toEqual([{ match: "type", min: 1 }]);
    expect(matchersAt(get!.response!.rules.body, ["price"])).toEqual([{ match: "decimal" }]);
    expect(post!.request!.body).toEqual({ name: "Bombilla", price: 3 });
    expect(post!.response!.hasBody).toBe(false);
  });

  test("v3 messages by hand", async () => {
    const { model } = await fixture("v3-messages.json");
    const [m] = model.pacts[0]!.interactions;
    expect(m!.type).toBe("message");
    expect(m!.key).toBe("an order was created [given an open order]");
    expect(m!.message!.contentType).toBe("application/json");
    expect(m!.loc).toEqual({ file: "v3-messages.json", line: 5, column: 5 });
  });

  test("v4 by hand: JSON-encoded message contents, query lists", async () => {
    const { model } = await fixture("v4-mixed.json");
    const [http, msg] = model.pacts[0]!.interactions;
    expect(http!.request!.query.get("limit")).toEqual(["10"]);
    expect(http!.response!.body).toEqual({ items: [{ id: 1 }] });
    expect(msg!.message!.contents).toEqual({ id: 1 });
  });
});

describe("matching rule paths", () => {
  test.each([
    ["$.items[*].id", ["items", "*", "id"]],
    ["$['a-b'].c", ["a-b", "c"]],
    ["$.body", ["body"]],
    ["$", []],
    ["$.a[0]", ["a", "0"]],
    ["items", undefined],
    ["$..x", undefined],
  ])("%s", (text, want) => {
    expect(parseRulePath(text)).toEqual(want as string[] | undefined);
  });

  test("a rule on an array governs its elements; a named segment beats *", () => {
    const rules = new Map([
      [JSON.stringify(["items"]), [{ match: "type", min: 1 }]],
      [JSON.stringify(["items", "*", "id"]), [{ match: "integer" }]],
      [JSON.stringify(["items", "0", "id"]), [{ match: "regex", regex: "\\d+" }]],
    ]);
    expect(matchersAt(rules, ["items", 3, "name"])).toEqual([{ match: "type", min: 1 }]);
    expect(matchersAt(rules, ["items", 3, "id"])).toEqual([{ match: "integer" }]);
    expect(matchersAt(rules, ["items", 0, "id"])).toEqual([{ match: "regex", regex: "\\d+" }]);
    expect(matchersAt(rules, ["other"])).toBeUndefined();
  });
});

describe("malformed pacts are contract errors at file:line:col", () => {
  const base = (interaction: string, extra = "") => `{
  "consumer": { "name": "c" },
  "provider": { "name": "p" },
  "interactions": [
    ${interaction}
  ]${extra}
}`;
  const ok = `{ "description": "d", "request": { "method": "GET", "path": "/x" }, "response": { "status": 200 } }`;
  test.each([
    ["not JSON", `{ "consumer": `, "p.json:1:15", "invalid JSON"],
    ["not an object", `[]`, "p.json:1:1", "not a pact file"],
    ["no consumer", `{ "provider": { "name": "p" }, "interactions": [] }`, "p.json:1:1", "'consumer' must be"],
    ["no interactions", `{ "consumer": { "name": "c" }, "provider": { "name": "p" } }`, "p.json:1:1", "no 'interactions' or 'messages'"],
    ["interaction not an object", base(`42`), "p.json:5:5", "an interaction must be an object"],
    ["no request", base(`{ "description": "d", "response": { "status": 200 } }`), "p.json:5:5", "'request' must be"],
    ["bad status", base(`{ "description": "d", "request": { "method": "GET", "path": "/x" }, "response": { "status": 99 } }`), "p.json:5:87", "'status' must be an HTTP status code"],
    ["path without slash", base(`{ "description": "d", "request": { "method": "GET", "path": "x" }, "response": { "status": 200 } }`), "p.json:5:57", "starts with '/'"],
    ["twice", base(`${ok},\n    ${ok}`), "p.json:6:5", "written twice"],
    ["bad matcher", base(`{ "description": "d", "request": { "method": "GET", "path": "/x" }, "response": { "status": 200, "matchingRules": { "$.body.a": { "match": "nope" } } } }`), "p.json:5:135", "unknown matcher 'nope'"],
    ["bad rule path", base(`{ "description": "d", "request": { "method": "GET", "path": "/x" }, "response": { "status": 200, "matchingRules": { "body.a": { "match": "type" } } } }`), "p.json:5:121", "not a matching rule path"],
    ["unknown version", base(ok, `,\n  "metadata": { "pactSpecification": { "version": "9.0.0" } }`), "p.json:7:40", "unsupported Pact specification version '9.0.0'"],
    ["v4 unknown type", base(`{ "type": "Carrier/Pigeon", "description": "d" }`, `,\n  "metadata": { "pactSpecification": { "version": "4.0" } }`), "p.json:5:7", "unknown interaction type"],
  ])("%s", async (_name, text, where, message) => {
    let err: unknown;
    try {
      await mem(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ContractError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message.slice(0, where.length + 1)).toBe(`${where}:`);
  });
});

describe("a pact's own history", () => {
  const pact = (interactions: string[]) => `{ "consumer": { "name": "c" }, "provider": { "name": "p" }, "interactions": [${interactions.join(",")}] }`;
  const get = (status: number) => `{ "description": "get", "request": { "method": "GET", "path": "/x" }, "response": { "status": ${status} } }`;
  const post = `{ "description": "post", "request": { "method": "POST", "path": "/x" }, "response": { "status": 201 } }`;
  test.each([
    ["added", [get(200)], [get(200), post], [["pact-interaction-added", "c → p: post"]]],
    ["removed", [get(200), post], [get(200)], [["pact-interaction-removed", "c → p: post"]]],
    ["changed", [get(200)], [get(204)], [["pact-interaction-changed", "c → p: get"]]],
    ["same", [get(200), post], [post, get(200)], []],
  ])("%s", async (_n, a, b, want) => {
    const found = await diffPact(await mem(pact(a)), await mem(pact(b)));
    expect(found.map((f) => [f.rule, f.path])).toEqual(want);
    expect(found.every((f) => f.severity === "safe")).toBe(true);
  });
});
