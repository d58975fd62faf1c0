import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "./gate-helpers.ts";

// What comms says when something is wrong, as a person meets it: the file it could not find, the rule to
// read about, named so that the command it suggests answers.
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
});
function repo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  return r;
}

describe("--config pointing at a comms.yaml elsewhere", () => {
  const r = repo();
  r.write("services/orders/openapi.yaml", "openapi: 3.1.0\ninfo: { title: Orders, version: 1.0.0 }\npaths: {}\n");
  r.write("ci/comms.yaml", "contracts:\n  orders: { kind: openapi, path: services/orders/openapi.yaml }\n");

  test.each([["check"], ["release", "orders"]] as string[][])("%s: a missing contract names the path as resolved, and why", (...args: string[]) => {
    const out = r.comms(...args, "--config", "ci/comms.yaml");
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      "comms: ci/comms.yaml:2:34: contract 'orders': 'ci/services/orders/openapi.yaml' does not exist (path 'services/orders/openapi.yaml' is relative to ci/comms.yaml)\n",
    );
  });
});

describe("a failing check names a rule several kinds share by kind/id", () => {
  test("avro's TYPE_MISMATCH (asyncapi has one too) is named avro/TYPE_MISMATCH, and comms rules explains that one", () => {
    const r = repo();
    r.write("comms.yaml", "contracts:\n  order-events: { kind: avro, path: order.avsc }\n");
    r.write("order.avsc", '{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"long"}]}\n');
    expect(r.comms("release", "order-events").code).toBe(0);
    r.write("order.avsc", '{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"string"}]}\n');
    const out = r.comms("check");
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("      records TYPE_MISMATCH at Order.total\n    why: comms rules avro/TYPE_MISMATCH\n");
    const rules = r.comms("rules", "avro/TYPE_MISMATCH");
    expect(rules.code).toBe(0);
    expect(rules.stdout).toStartWith("avro/TYPE_MISMATCH  (avro, breaking");
  });
});
