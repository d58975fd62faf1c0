/** Avro schemas (.avsc): tree mutations with Avro's types, names, defaults and aliases, and bytes. */
import { editCase, type FuzzCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Vocabulary } from "../lib.ts";
import { largeAvroEnum, largeAvroRecord } from "../classes.ts";
import { corpusSeeds, pair, repoFile, varyArgs } from "../seeds.ts";

const BASE = JSON.stringify(
  {
    type: "record",
    name: "OrderPlaced",
    namespace: "acme.orders",
    aliases: ["OrderCreated"],
    fields: [
      { name: "id", type: "string" },
      { name: "total", type: { type: "bytes", logicalType: "decimal", precision: 10, scale: 2 } },
      { name: "status", type: { type: "enum", name: "Status", symbols: ["NEW", "PAID"], default: "NEW" } },
      { name: "lines", type: { type: "array", items: { type: "record", name: "Line", fields: [{ name: "sku", type: "string" }, { name: "qty", type: "int", default: 1 }] } } },
      { name: "tags", type: { type: "map", values: "string" }, default: {} },
      { name: "note", type: ["null", "string"], default: null },
      { name: "parent", type: ["null", "OrderPlaced"], default: null },
      { name: "hash", type: { type: "fixed", name: "Hash", size: 16 } },
    ],
  },
  null,
  2,
);

const VOCAB: Vocabulary = {
  keys: ["type", "name", "namespace", "fields", "default", "aliases", "symbols", "items", "values", "size", "logicalType", "precision", "scale", "doc", "order"],
  values: [
    "record", "enum", "array", "map", "fixed", "string", "int", "long", "float", "double", "boolean", "bytes", "null", ["null", "string"],
    ["string", "null"], ["null", "OrderPlaced"], "OrderPlaced", "Line", "Status", "acme.orders.Line", "decimal", "uuid", "timestamp-millis",
    { type: "record", name: "R", fields: [] }, { name: "x", type: "int" }, { name: "y", type: "string", default: "" }, ["A", "B"], 0, -1, 16,
  ],
};

const kind: FuzzKind = {
  name: "avro",
  classes: { "large-enum": largeAvroEnum, "large-record": largeAvroRecord },
  async seeds() {
    const own = repoFile("contracts/pedidos/eventos/pedido-creado.avsc");
    const seeds: FuzzCase[] = [
      { files: { "old.avsc": BASE, "new.avsc": BASE }, args: ["diff", "old.avsc", "new.avsc"] },
      { files: { "old.avsc": BASE, "new.avsc": BASE }, args: ["diff", "old.avsc", "new.avsc", "--mode", "forward"] },
      ...pair(own, own, ".avsc"),
      ...corpusSeeds("avro"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const docs = Object.keys(c.files).filter((p) => p.endsWith(".avsc") || p.endsWith(".json"));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.7 && docs.length) c = editCase(c, rng, docs, (t) => mutateTree(t, rng, VOCAB, donors));
      else if (r < 0.9 && docs.length) c = editCase(c, rng, docs, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.95) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
