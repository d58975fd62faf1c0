import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/graphql/index.ts";

// Documents of operations only are a contract of consumer operations, with a history of its own.
const load = (text: string) => engine.load({ reader: new MemoryReader(new Map([["ops.graphql", text]]), "test"), path: "ops.graphql" }, { settings: {}, warn: () => {} });
const opts = { settings: {}, warn: () => {} };

describe("a contract of GraphQL operations", () => {
  const A = "query Order($id: ID!) { order(id: $id) { id total } }";
  const B = "query Orders { orders { id } }";
  test.each([
    ["added", [A], [A, B], [["OPERATION_ADDED", "Orders"]]],
    ["removed", [A, B], [A], [["OPERATION_REMOVED", "Orders"]]],
    ["changed", [A], [A.replace("total", "status")], [["OPERATION_CHANGED", "Order"]]],
    ["reformatted only", [A], [A.replace("{ id total }", "{\n  id\n  total\n}")], []],
  ])("%s", async (_n, a, b, want) => {
    const found = await engine.diff(await load(a.join("\n")), await load(b.join("\n")), opts);
    expect(found.map((f) => [f.rule, f.path])).toEqual(want);
  });

  test("operations and a schema do not compare", async () => {
    const ops = await load(A);
    const schema = await load("type Query { a: Int }");
    await expect(engine.diff(schema, ops, opts)).rejects.toThrow("one side holds consumer operations and the other a schema");
  });
});
