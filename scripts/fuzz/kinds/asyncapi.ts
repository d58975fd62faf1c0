/** AsyncAPI documents (2.6 and 3.0): tree mutations of channels, operations, messages and payloads, and bytes. */
import { editCase, type FuzzCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Vocabulary } from "../lib.ts";
import { asyncapiClass, nestedComplexKeys } from "../classes.ts";
import { corpusSeeds, pair, repoFile, varyArgs } from "../seeds.ts";

const V3 = `asyncapi: 3.0.0
info: { title: orders, version: 1.0.0 }
channels:
  orderPlaced:
    address: orders.placed
    messages:
      placed: { $ref: "#/components/messages/OrderPlaced" }
operations:
  publishPlaced:
    action: send
    channel: { $ref: "#/channels/orderPlaced" }
    messages: [{ $ref: "#/channels/orderPlaced/messages/placed" }]
components:
  messages:
    OrderPlaced:
      name: OrderPlaced
      contentType: application/json
      payload:
        type: object
        required: [id]
        properties:
          id: { type: string }
          total: { type: number, minimum: 0 }
          status: { type: string, enum: [new, paid] }
`;
const V2 = `asyncapi: 2.6.0
info: { title: users, version: 1.0.0 }
channels:
  users/created:
    subscribe:
      message:
        name: UserCreated
        payload: { type: object, properties: { id: { type: string }, email: { type: string, format: email } } }
  users/deleted:
    publish:
      message:
        schemaFormat: application/vnd.apache.avro+json;version=1.9.0
        payload: { type: record, name: UserDeleted, fields: [{ name: id, type: string }] }
`;

const VOCAB: Vocabulary = {
  keys: [
    "asyncapi", "info", "channels", "operations", "components", "messages", "message", "payload", "address", "action", "channel", "subscribe",
    "publish", "schemaFormat", "contentType", "headers", "name", "type", "properties", "required", "enum", "oneOf", "$ref", "servers", "bindings",
  ],
  values: [
    "3.0.0", "2.6.0", "send", "receive", "orders.placed", "users/{id}", "#/components/messages/OrderPlaced", "#/channels/orderPlaced",
    "#/channels/orderPlaced/messages/placed", "#/components/schemas/Missing", "application/vnd.apache.avro+json;version=1.9.0",
    "application/schema+json;version=draft-07", "application/json", { type: "string" }, { type: "record", name: "R", fields: [] }, "string", "object",
  ],
};

const kind: FuzzKind = {
  name: "asyncapi",
  classes: { "merge-keys": (rng) => asyncapiClass(rng, "merge"), "identifier-injection": (rng) => asyncapiClass(rng, "identifier"), "nested-complex-keys": (rng) => nestedComplexKeys(rng, "asyncapi") },
  async seeds() {
    const own = repoFile("contracts/pedidos/eventos/asyncapi.yaml");
    const seeds: FuzzCase[] = [
      { files: { "old.yaml": V3, "new.yaml": V3 }, args: ["diff", "old.yaml", "new.yaml", "--kind", "asyncapi"] },
      { files: { "old.yaml": V2, "new.yaml": V2 }, args: ["diff", "old.yaml", "new.yaml", "--kind", "asyncapi"] },
      ...pair(own, own, ".yaml", ["--kind", "asyncapi"]),
      ...corpusSeeds("asyncapi"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const docs = Object.keys(c.files).filter((p) => /\.(ya?ml|json|avsc)$/.test(p));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.65 && docs.length) c = editCase(c, rng, docs, (t) => mutateTree(t, rng, VOCAB, donors));
      else if (r < 0.88 && docs.length) c = editCase(c, rng, docs, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.94) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
