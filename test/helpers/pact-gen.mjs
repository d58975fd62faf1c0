// Writes real pact files with the Pact consumer DSL (its mock server runs on 127.0.0.1 for each test).
// Usage: node pact-gen.mjs <dir>
import { MatchersV3, PactV3, PactV4 } from "@pact-foundation/pact";

const { like, eachLike, integer, regex, decimal } = MatchersV3;
const dir = process.argv[2];
if (!dir) throw new Error("usage: pact-gen.mjs <dir>");

const v3 = new PactV3({ consumer: "web", provider: "pedidos-api", dir, logLevel: "error" });
v3.given("order 1 exists")
  .uponReceiving("get order")
  .withRequest({ method: "GET", path: "/orders/1", query: { expand: "lines" }, headers: { Accept: "application/json" } })
  .willRespondWith({
    status: 200,
    headers: { "Content-Type": "application/json" },
    body: { id: integer(1), status: regex("open|closed", "open"), lines: eachLike({ sku: like("A1"), qty: integer(2) }), total: decimal(9.5) },
  });
await v3.executeTest(async (server) => {
  const r = await fetch(`${server.url}/orders/1?expand=lines`, { headers: { Accept: "application/json" } });
  await r.json();
});

const v4 = new PactV4({ consumer: "web4", provider: "pedidos-api", dir, logLevel: "error" });
await v4
  .addInteraction()
  .given("no orders")
  .uponReceiving("create order")
  .withRequest("POST", "/orders", (b) => b.jsonBody({ sku: like("A1"), qty: integer(1) }))
  .willRespondWith(201, (b) => b.jsonBody({ id: integer(3) }))
  .executeTest(async (server) => {
    await fetch(`${server.url}/orders`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sku: "A1", qty: 1 }) });
  });
await v4
  .addAsynchronousInteraction()
  .given("an order")
  .expectsToReceive("order created", (b) => b.withJSONContent({ id: integer(1), total: decimal(2.5) }))
  .executeTest(async () => {});
