import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "./gate-helpers.ts";

// An accepted change must survive the next, unrelated edit: `check --accept` keys entries by finding
// path, and paths name elements by identity, so inserting an element before the accepted one changes
// nothing. One case per kind: the release, the break, the accept, then an unrelated insertion.
interface Case {
  kind: "openapi" | "graphql" | "protobuf";
  file: string;
  v1: string;
  /** The break to accept. */
  broken: string;
  /** The same break, with an unrelated element inserted before the broken one. */
  inserted: string;
  rule: string;
}

const ORDERS = `openapi: 3.1.0
info: { title: Orders, version: 1.0.0 }
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
        - { name: status, in: query, schema: { type: string } }
      responses:
        "200": { description: ok }
`;
const STATUS = "        - { name: status, in: query, schema: { type: string } }\n";
const REQUIRED_STATUS = "        - { name: status, in: query, required: true, schema: { type: string } }\n";
const CURSOR = "        - { name: cursor, in: query, schema: { type: string } }\n";

const CATALOG = `type Query {
  products(first: Int, category: String): [Product!]!
}

type Product {
  id: ID!
  name: String!
}
`;

const PAYMENTS = `syntax = "proto3";

package acme.payments.v1;

message Payment {
  string id = 1;
  int64 amount = 2;
  string currency = 3;
}
`;

const cases: Case[] = [
  {
    kind: "openapi",
    file: "orders/openapi.yaml",
    v1: ORDERS,
    broken: ORDERS.replace(STATUS, REQUIRED_STATUS),
    // A parameter inserted before the accepted one shifts every array index after it.
    inserted: ORDERS.replace(STATUS, REQUIRED_STATUS).replace("        - { name: limit", `${CURSOR}        - { name: limit`),
    rule: "request-parameter-became-required",
  },
  {
    kind: "graphql",
    file: "catalog/schema.graphql",
    v1: CATALOG,
    broken: CATALOG.replace("category: String)", "category: String!)"),
    inserted: CATALOG.replace("(first: Int, category: String)", "(after: String, first: Int, category: String!)").replace("  id: ID!\n", "  sku: String\n  id: ID!\n"),
    rule: "FIELD_ARGUMENT_TYPE_CHANGED",
  },
  {
    kind: "protobuf",
    file: "payments/proto/acme/payments/v1/payments.proto",
    v1: PAYMENTS,
    broken: PAYMENTS.replace("int64 amount = 2;", "string amount = 2;"),
    inserted: PAYMENTS.replace("int64 amount = 2;", "string amount = 2;").replace("  string id = 1;\n", "  string id = 1;\n  string reference = 4;\n"),
    rule: "FIELD_SAME_TYPE",
  },
];

for (const c of cases) {
  describe(`an accepted ${c.kind} change survives an unrelated insertion`, () => {
    const repo = new TempRepo();
    afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));
    const path = c.kind === "protobuf" ? "payments/proto" : c.file;
    const finding = () => {
      const { out } = repo.json("check");
      return { result: out.results[0], f: out.results[0].findings.find((x: any) => x.rule === c.rule) };
    };

    test("release, break, accept", () => {
      repo.write("comms.yaml", `contracts:\n  svc: { kind: ${c.kind}, path: ${path} }\n`);
      repo.write(c.file, c.v1);
      expect(repo.comms("release", "svc", "--version", "1.0.0").code).toBe(0);
      repo.write(c.file, c.broken);
      const before = finding();
      expect(before.f).toMatchObject({ rule: c.rule, severity: "breaking" });
      expect(before.f.accepted).toBeUndefined();
      // Identity, never position: no array index in the path.
      expect(before.f.path).not.toMatch(/\/\d+(\/|$)|\[\d+\]/);
      repo.comms("check", "--accept", "--reason", "clients were migrated");
      expect(repo.read("comms.yaml")).toContain(`rule: ${c.rule}`);
      expect(finding().f.accepted).toEqual({ reason: "clients were migrated" });
    });

    test("after inserting an unrelated element before it, the entry still matches", () => {
      repo.write(c.file, c.inserted);
      const { result, f } = finding();
      expect(f.accepted).toEqual({ reason: "clients were migrated" });
      expect((result.notes ?? []).filter((n: string) => n.includes("stale"))).toEqual([]);
      // Only the accepted break (and, where the contract declares a version, the version it calls for) remains.
      expect(result.findings.filter((x: any) => x.severity === "breaking" && !x.accepted && x.rule !== "version-not-bumped")).toEqual([]);
    });
  });
}
