import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "./gate-helpers.ts";

// A buf workspace released and checked again: the snapshot keeps buf.work.yaml and the modules'
// buf.yaml, so it resolves the same module roots as the working tree.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

test("a released buf workspace compares with itself as no change, and a removed field as breaking", () => {
  repo.write("proto/buf.work.yaml", "version: v1\ndirectories:\n  - a\n  - b\n");
  repo.write("proto/a/buf.yaml", "version: v1\nbreaking:\n  use: [FILE]\n");
  repo.write("proto/a/acme/orders/v1/orders.proto", 'syntax = "proto3";\npackage acme.orders.v1;\nimport "acme/common/v1/money.proto";\nmessage Order {\n  string id = 1;\n  acme.common.v1.Money total = 2;\n}\n');
  repo.write("proto/b/acme/common/v1/money.proto", 'syntax = "proto3";\npackage acme.common.v1;\nmessage Money {\n  int64 units = 1;\n  string currency = 2;\n}\n');
  repo.write("comms.yaml", "version: 1\ncontracts:\n  orders: { kind: protobuf, path: proto, version: 1.0.0 }\n");
  expect(repo.comms("release", "orders", "--version", "1.0.0").code).toBe(0);
  repo.git("add", "-A");
  repo.git("commit", "-qm", "orders 1.0.0");
  const same = repo.json("check");
  expect(same.code).toBe(0);
  expect(same.out.results[0].findings.map((f: { rule: string }) => f.rule)).toEqual([]);
  repo.write("proto/b/acme/common/v1/money.proto", 'syntax = "proto3";\npackage acme.common.v1;\nmessage Money {\n  int64 units = 1;\n  reserved 2;\n}\n');
  const broken = repo.json("check");
  expect(broken.code).toBe(1);
  expect(broken.out.results[0].findings.filter((f: { severity: string }) => f.severity === "breaking").map((f: { rule: string }) => f.rule).sort()).toEqual(["FIELD_NO_DELETE", "version-not-bumped"]);
});
