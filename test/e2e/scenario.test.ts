import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCli, type CliResult } from "../helpers/cli.ts";

// A team's first months with comms, replayed on a three-service repository: orders (OpenAPI 3.1 with a
// $ref to another file), catalog (GraphQL) and payments (protobuf with imports). Every step edits one
// contract as a developer would, then asserts the gate's verdict, the findings, the computed bump, the
// release and, at the end, the changelog. Days are pinned with COMMS_NOW and the release dates, so
// deprecation ages are exact.

const dir = mkdtempSync(join(tmpdir(), "comms-scenario-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GIT_SCRUB = { GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, GIT_PREFIX: undefined };
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
let today = 0;

function comms(...args: string[]): CliResult {
  return runCli(args, { cwd: dir, env: { ...GIT_SCRUB, COMMS_NOW: day(today) } });
}
function git(...args: string[]): CliResult {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...GIT_SCRUB })) if (v !== undefined) env[k] = v;
  const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
function read(path: string): string {
  return readFileSync(join(dir, path), "utf8");
}
function edit(path: string, from: string, to: string): void {
  const text = read(path);
  if (!text.includes(from)) throw new Error(`${path}: '${from}' not found`);
  write(path, text.replace(from, to));
}

const ORDERS = "services/orders/api/openapi.yaml";
const MONEY_SCHEMA = "services/orders/api/schemas/money.yaml";
const CATALOG = "services/catalog/graphql/schema.graphql";
const PAYMENTS = "services/payments/proto/acme/payments/v1/payments.proto";
const MONEY_PROTO = "services/payments/proto/acme/payments/v1/money.proto";

const FILES: Record<string, string> = {
  [ORDERS]: `openapi: 3.1.0
info:
  title: Orders
  version: 1.0.0
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - name: limit
          in: query
          schema: { type: integer }
      responses:
        "200":
          description: Orders, newest first.
          content:
            application/json:
              schema:
                type: array
                items: { $ref: "#/components/schemas/Order" }
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewOrder" }
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Order" }
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: One order.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Order" }
components:
  schemas:
    Order:
      type: object
      required: [id, status, total]
      properties:
        id: { type: string }
        status: { type: string, enum: [pending, paid] }
        total: { $ref: "schemas/money.yaml" }
        note: { type: string }
    NewOrder:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items: { type: string }
`,
  [MONEY_SCHEMA]: `type: object
required: [amount, currency]
properties:
  amount: { type: integer }
  currency: { type: string }
`,
  [CATALOG]: `type Query {
  product(id: ID!): Product
  products(first: Int = 20, category: String): [Product!]!
}

type Product {
  id: ID!
  name: String!
  price: Int!
  legacyCode: String
  tags: [String!]!
}
`,
  [MONEY_PROTO]: `syntax = "proto3";

package acme.payments.v1;

message Money {
  string currency = 1;
  int64 units = 2;
}
`,
  [PAYMENTS]: `syntax = "proto3";

package acme.payments.v1;

import "acme/payments/v1/money.proto";

service PaymentService {
  rpc Authorize(AuthorizeRequest) returns (Payment);
  rpc Get(GetPaymentRequest) returns (Payment);
}

message AuthorizeRequest {
  string order_id = 1;
  Money amount = 2;
}

message GetPaymentRequest {
  string id = 1;
}

message Payment {
  string id = 1;
  string order_id = 2;
  Money amount = 3;
  Status status = 4;
  string legacy_ref = 5;
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_AUTHORIZED = 1;
  STATUS_CAPTURED = 2;
}
`,
};

/** A finding as the test reads it: accepted or its severity, rule id, path. */
function show(f: any): string {
  return `${f.accepted ? "accepted" : f.severity} ${f.rule} ${f.path}`;
}

interface Checked {
  code: number;
  findings: string[];
  bump: string;
  verdict: string;
  stderr: string;
  result: any;
}

function check(contract: string, ...extra: string[]): Checked {
  const r = comms("check", contract, "--format", "json", ...extra);
  let out: any;
  try {
    out = JSON.parse(r.stdout);
  } catch {
    throw new Error(`check ${contract}: not JSON (exit ${r.code})\n${r.stdout}\n${r.stderr}`);
  }
  const result = out.results[0];
  return { code: r.code, findings: result.findings.map(show), bump: result.suggestedBump, verdict: result.verdict, stderr: r.stderr, result };
}

/** Releases a contract on the pinned day (COMMS_NOW dates the release too) and commits it. */
function release(contract: string, ...extra: string[]): CliResult {
  const r = comms("release", contract, ...extra);
  if (r.code === 0) {
    const index = JSON.parse(read(".comms/index.json"));
    const last = index.releases.filter((e: any) => e.contract === contract).at(-1);
    expect(last.date.slice(0, 10)).toBe(day(today));
    git("add", "-A");
    git("commit", "-qm", `release ${contract}`);
  }
  return r;
}

interface Step {
  name: string;
  /** Scenario day this step happens on. */
  on: number;
  contract: "orders-api" | "catalog-graph" | "payments-grpc";
  change: () => void;
  /** `comms check <contract>`: exit code, findings, computed bump. */
  check: { code: number; findings: string[]; bump: string };
  /** Lines the failure guidance on stderr must contain. */
  next?: string[];
  /** `comms check --accept --reason ...`, then the check again. */
  accept?: { code: number; findings: string[] };
  /** A further edit after the first check (a version bump), and the check that follows. */
  then?: { change: () => void; code: number; findings: string[] };
  /** `comms check <contract> --fail-on dangerous` once the step's edits are done: its exit code. */
  failOnDangerous?: number;
  /** `comms release <contract> [args]`: exit code and what it prints. */
  release?: { args?: string[]; code: number; stdout: string };
}

const steps: Step[] = [
  // orders: OpenAPI, the version lives in info.version.
  {
    name: "an optional query parameter",
    on: 3,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 1.0.0", "  version: 1.1.0");
      edit(ORDERS, "          schema: { type: integer }\n", "          schema: { type: integer }\n        - name: status\n          in: query\n          schema: { type: string }\n");
    },
    check: { code: 0, findings: ["safe new-optional-request-parameter /paths/~1orders/get/parameters/query/status"], bump: "minor" },
    release: { code: 0, stdout: "released orders-api@1.1.0 (minor: 1 change since 1.0.0) in .comms/orders-api/1.1.0\n" },
  },
  {
    name: "a response property deprecated",
    on: 10,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 1.1.0", "  version: 1.2.0");
      edit(ORDERS, "        note: { type: string }", "        note: { type: string, deprecated: true }");
    },
    check: { code: 0, findings: ["safe response-property-deprecated /components/schemas/Order/properties/note"], bump: "minor" },
    release: { code: 0, stdout: "released orders-api@1.2.0 (minor: 1 change since 1.1.0) in .comms/orders-api/1.2.0\n" },
  },
  {
    name: "the deprecated property removed 45 days later: softened, and still a minor release",
    on: 55,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 1.2.0", "  version: 1.3.0");
      edit(ORDERS, "        note: { type: string, deprecated: true }\n", "");
    },
    check: { code: 0, findings: ["safe response-optional-property-removed /components/schemas/Order/properties/note"], bump: "minor" },
    release: { code: 0, stdout: "released orders-api@1.3.0 (minor: 1 change since 1.2.0) in .comms/orders-api/1.3.0\n" },
  },
  {
    name: "a new endpoint",
    on: 60,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 1.3.0", "  version: 1.4.0");
      edit(ORDERS, "components:\n", "  /orders/{id}/cancel:\n    post:\n      operationId: cancelOrder\n      parameters:\n        - { name: id, in: path, required: true, schema: { type: string } }\n      responses:\n        \"204\": { description: Cancelled. }\ncomponents:\n");
    },
    check: { code: 0, findings: ["safe endpoint-added /paths/~1orders~1{id}~1cancel/post"], bump: "minor" },
    release: { code: 0, stdout: "released orders-api@1.4.0 (minor: 1 change since 1.3.0) in .comms/orders-api/1.4.0\n" },
  },
  {
    name: "a parameter made required: breaking, accepted, and the version must still go to 2.0.0",
    on: 70,
    contract: "orders-api",
    change: () => edit(ORDERS, "        - name: limit\n          in: query\n", "        - name: limit\n          in: query\n          required: true\n"),
    check: {
      code: 1,
      findings: ["breaking request-parameter-became-required /paths/~1orders/get/parameters/query/limit", "breaking version-not-bumped info.version"],
      bump: "major",
    },
    next: [
      "  orders-api:\n    breaking changes need a new major version: set info.version to 2.0.0 (services/orders/api/openapi.yaml:4), then run: comms release orders-api\n",
      "      records request-parameter-became-required at /paths/~1orders/get/parameters/query/limit\n",
      "    why: comms rules request-parameter-became-required, comms rules version-not-bumped\n",
    ],
    accept: { code: 1, findings: ["accepted request-parameter-became-required /paths/~1orders/get/parameters/query/limit", "breaking version-not-bumped info.version"] },
    then: {
      change: () => edit(ORDERS, "  version: 1.4.0", "  version: 2.0.0"),
      code: 0,
      findings: ["accepted request-parameter-became-required /paths/~1orders/get/parameters/query/limit"],
    },
    release: { code: 0, stdout: "released orders-api@2.0.0 (major: 1 change since 1.4.0) in .comms/orders-api/2.0.0\nmajor because of 1 accepted breaking change:\n  - query parameter 'limit' became required in GET /orders [request-parameter-became-required] (accepted: every client sends a limit)\n" },
  },
  {
    name: "a field of the shared money schema (another file) renamed: one finding, not one per operation",
    on: 80,
    contract: "orders-api",
    change: () => {
      edit(MONEY_SCHEMA, "required: [amount, currency]", "required: [units, currency]");
      edit(MONEY_SCHEMA, "  amount: { type: integer }", "  units: { type: integer }");
    },
    check: {
      code: 1,
      findings: [
        "breaking response-required-property-removed schemas/money.yaml#/properties/amount",
        "breaking version-not-bumped info.version",
        "safe response-required-property-added schemas/money.yaml#/properties/units",
      ],
      bump: "major",
    },
    then: { change: () => edit(ORDERS, "  version: 2.0.0", "  version: 3.0.0"), code: 0, findings: ["accepted response-required-property-removed schemas/money.yaml#/properties/amount", "safe response-required-property-added schemas/money.yaml#/properties/units"] },
    release: { code: 0, stdout: "released orders-api@3.0.0 (major: 2 changes since 2.0.0) in .comms/orders-api/3.0.0\n" },
  },
  {
    name: "a description edited: a patch",
    on: 81,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 3.0.0", "  version: 3.0.1");
      edit(ORDERS, "          description: One order.", "          description: One order, by id.");
    },
    check: { code: 0, findings: [], bump: "none" },
    release: { code: 0, stdout: "released orders-api@3.0.1 (patch: no contract change since 3.0.0) in .comms/orders-api/3.0.1\n" },
  },
  {
    name: "a status value added to a response enum: dangerous, minor",
    on: 90,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 3.0.1", "  version: 3.1.0");
      edit(ORDERS, "enum: [pending, paid]", "enum: [pending, paid, refunded]");
    },
    check: { code: 0, findings: ["dangerous response-property-enum-value-added /components/schemas/Order/properties/status"], bump: "minor" },
    failOnDangerous: 1,
    release: { code: 0, stdout: "released orders-api@3.1.0 (minor: 1 change since 3.0.1) in .comms/orders-api/3.1.0\n" },
  },
  {
    name: "an optional parameter removed without a version bump: dangerous, passes, and a removal is never a patch",
    on: 95,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 3.1.0", "  version: 3.2.0");
      edit(ORDERS, "        - name: status\n          in: query\n          schema: { type: string }\n", "");
    },
    check: { code: 0, findings: ["dangerous request-parameter-removed /paths/~1orders/get/parameters/query/status"], bump: "minor" },
    release: { code: 0, stdout: "released orders-api@3.2.0 (minor: 1 change since 3.1.0) in .comms/orders-api/3.2.0\n" },
  },
  {
    name: "a request body property made required without a new major version",
    on: 100,
    contract: "orders-api",
    change: () => {
      edit(ORDERS, "  version: 3.2.0", "  version: 3.3.0");
      edit(ORDERS, "      required: [items]\n      properties:\n        items:", "      required: [items, customer]\n      properties:\n        customer: { type: string }\n        items:");
    },
    check: { code: 1, findings: ["breaking new-required-request-property /components/schemas/NewOrder/properties/customer", "breaking version-not-bumped info.version"], bump: "major" },
    release: { code: 1, stdout: "" },
  },

  // catalog: GraphQL, versions computed by comms release.
  {
    name: "a field added",
    on: 5,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "  tags: [String!]!\n", "  tags: [String!]!\n  description: String\n"),
    check: { code: 0, findings: ["safe FIELD_ADDED Product.description"], bump: "minor" },
    release: { code: 0, stdout: "released catalog-graph@1.1.0 (minor: 1 change since 1.0.0) in .comms/catalog-graph/1.1.0\n" },
  },
  {
    name: "a field deprecated",
    on: 12,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "  legacyCode: String\n", '  legacyCode: String @deprecated(reason: "use id")\n'),
    check: { code: 0, findings: ["safe FIELD_DEPRECATION_ADDED Product.legacyCode.@deprecated"], bump: "minor" },
    release: { code: 0, stdout: "released catalog-graph@1.2.0 (minor: 1 change since 1.1.0) in .comms/catalog-graph/1.2.0\n" },
  },
  {
    name: "the deprecated field removed 8 days later: too soon, breaking",
    on: 20,
    contract: "catalog-graph",
    change: () => edit(CATALOG, '  legacyCode: String @deprecated(reason: "use id")\n', ""),
    check: { code: 1, findings: ["breaking FIELD_REMOVED Product.legacyCode"], bump: "major" },
    next: ['    if the break is intended, release a new major version: comms release catalog-graph --version 2.0.0\n', "    why: comms rules FIELD_REMOVED\n"],
  },
  {
    name: "the same removal once the deprecation is 30 days old: safe, a minor release",
    on: 42,
    contract: "catalog-graph",
    change: () => {},
    check: { code: 0, findings: ["safe FIELD_REMOVED Product.legacyCode"], bump: "minor" },
    release: { code: 0, stdout: "released catalog-graph@1.3.0 (minor: 1 change since 1.2.0) in .comms/catalog-graph/1.3.0\n" },
  },
  {
    name: "an optional argument added",
    on: 44,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "products(first: Int = 20, category: String)", "products(first: Int = 20, after: String, category: String)"),
    check: { code: 0, findings: ["dangerous FIELD_ARGUMENT_ADDED Query.products.after"], bump: "minor" },
    failOnDangerous: 1,
    release: { code: 0, stdout: "released catalog-graph@1.4.0 (minor: 1 change since 1.3.0) in .comms/catalog-graph/1.4.0\n" },
  },
  {
    name: "a type changed: breaking; accepted, the gate passes, and the release is still major",
    on: 50,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "  price: Int!\n", "  price: Float!\n"),
    check: { code: 1, findings: ["breaking FIELD_TYPE_CHANGED Product.price"], bump: "major" },
    accept: { code: 0, findings: ["accepted FIELD_TYPE_CHANGED Product.price"] },
    release: {
      code: 0,
      stdout: "released catalog-graph@2.0.0 (major: 1 change since 1.4.0) in .comms/catalog-graph/2.0.0\nmajor because of 1 accepted breaking change:\n  - Field 'Product.price' changed type from 'Int!' to 'Float!' [FIELD_TYPE_CHANGED] (accepted: prices are decimal now)\n",
    },
  },
  {
    name: "a field renamed: removal plus addition, released as a chosen major version",
    on: 60,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "  tags: [String!]!\n", "  labels: [String!]!\n"),
    check: { code: 1, findings: ["breaking FIELD_REMOVED Product.tags", "safe FIELD_ADDED Product.labels"], bump: "major" },
    release: { args: ["--version", "3.0.0"], code: 0, stdout: "released catalog-graph@3.0.0 (major: 2 changes since 2.0.0) in .comms/catalog-graph/3.0.0\n" },
  },
  {
    name: "a type and a query added",
    on: 65,
    contract: "catalog-graph",
    change: () => {
      edit(CATALOG, "  product(id: ID!): Product\n", "  product(id: ID!): Product\n  categories: [Category!]!\n");
      write(CATALOG, `${read(CATALOG)}\ntype Category {\n  id: ID!\n  name: String!\n}\n`);
    },
    check: { code: 0, findings: ["safe FIELD_ADDED Query.categories", "safe TYPE_ADDED Category"], bump: "minor" },
    release: { code: 0, stdout: "released catalog-graph@3.1.0 (minor: 2 changes since 3.0.0) in .comms/catalog-graph/3.1.0\n" },
  },
  {
    name: "an argument default changed: dangerous",
    on: 70,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "first: Int = 20", "first: Int = 50"),
    // Dangerous is at least minor: consumers that rely on the default see another behaviour.
    check: { code: 0, findings: ["dangerous FIELD_ARGUMENT_DEFAULT_CHANGED Query.products.first"], bump: "minor" },
    release: { code: 0, stdout: "released catalog-graph@3.2.0 (minor: 1 change since 3.1.0) in .comms/catalog-graph/3.2.0\n" },
  },
  {
    name: "a nullable field made non-null in an input-free type: safe",
    on: 75,
    contract: "catalog-graph",
    change: () => edit(CATALOG, "  description: String\n", "  description: String!\n"),
    check: { code: 0, findings: ["safe FIELD_TYPE_CHANGED Product.description"], bump: "patch" },
  },

  // payments: protobuf with imports; buf's FILE rules, the version declared in comms.yaml from the break on.
  {
    name: "a field added",
    on: 4,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "  string legacy_ref = 5;\n", "  string legacy_ref = 5;\n  string captured_at = 6;\n"),
    check: { code: 0, findings: ["safe FIELD_ADDED acme.payments.v1.Payment.captured_at"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.1.0 (minor: 1 change since 1.0.0) in .comms/payments-grpc/1.1.0\n" },
  },
  {
    name: "an rpc added",
    on: 6,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "  rpc Get(GetPaymentRequest) returns (Payment);\n", "  rpc Get(GetPaymentRequest) returns (Payment);\n  rpc Capture(GetPaymentRequest) returns (Payment);\n"),
    check: { code: 0, findings: ["safe RPC_ADDED acme.payments.v1.PaymentService.Capture"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.2.0 (minor: 1 change since 1.1.0) in .comms/payments-grpc/1.2.0\n" },
  },
  {
    name: "a field deprecated",
    on: 8,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "  string legacy_ref = 5;\n", "  string legacy_ref = 5 [deprecated = true];\n"),
    check: { code: 0, findings: ["safe FIELD_DEPRECATED acme.payments.v1.Payment.legacy_ref"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.3.0 (minor: 1 change since 1.2.0) in .comms/payments-grpc/1.3.0\n" },
  },
  {
    name: "the deprecated field deleted 40 days later, its number and name reserved: safe, minor",
    on: 48,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "  string legacy_ref = 5 [deprecated = true];\n", '  reserved 5;\n  reserved "legacy_ref";\n'),
    check: { code: 0, findings: ["safe FIELD_NO_DELETE acme.payments.v1.Payment.legacy_ref"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.4.0 (minor: 1 change since 1.3.0) in .comms/payments-grpc/1.4.0\n" },
  },
  {
    name: "an enum value added",
    on: 50,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "  STATUS_CAPTURED = 2;\n", "  STATUS_CAPTURED = 2;\n  STATUS_REFUNDED = 3;\n"),
    check: { code: 0, findings: ["safe ENUM_VALUE_ADDED acme.payments.v1.Status.STATUS_REFUNDED"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.5.0 (minor: 1 change since 1.4.0) in .comms/payments-grpc/1.5.0\n" },
  },
  {
    name: "a message added in the imported file",
    on: 52,
    contract: "payments-grpc",
    change: () => write(MONEY_PROTO, `${read(MONEY_PROTO)}\nmessage ExchangeRate {\n  string from = 1;\n  string to = 2;\n  double rate = 3;\n}\n`),
    check: { code: 0, findings: ["safe MESSAGE_ADDED acme.payments.v1.ExchangeRate"], bump: "minor" },
    release: { code: 0, stdout: "released payments-grpc@1.6.0 (minor: 1 change since 1.5.0) in .comms/payments-grpc/1.6.0\n" },
  },
  {
    name: "a field type changed, with the version declared in comms.yaml: fails until it is a new major",
    on: 60,
    contract: "payments-grpc",
    change: () => {
      edit("comms.yaml", "payments-grpc: { kind: protobuf, path: services/payments/proto }", "payments-grpc: { kind: protobuf, path: services/payments/proto, version: 1.6.0 }");
      edit(MONEY_PROTO, "  int64 units = 2;", "  string units = 2;");
    },
    check: { code: 1, findings: ["breaking FIELD_SAME_TYPE acme.payments.v1.Money.units", "breaking version-not-bumped contracts.payments-grpc.version"], bump: "major" },
    next: ["    breaking changes need a new major version: set contracts.payments-grpc.version to 2.0.0 (comms.yaml:"],
    then: {
      change: () => edit("comms.yaml", "version: 1.6.0 }", "version: 2.0.0 }"),
      code: 0,
      findings: ["accepted FIELD_SAME_TYPE acme.payments.v1.Money.units"],
    },
    release: { code: 0, stdout: "released payments-grpc@2.0.0 (major: 1 change since 1.6.0) in .comms/payments-grpc/2.0.0\n" },
  },
  {
    name: "a field renamed: accepted, and still a new major version",
    on: 70,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "message Payment {\n  string id = 1;\n  string order_id = 2;", "message Payment {\n  string id = 1;\n  string order_ref = 2;"),
    check: {
      code: 1,
      findings: [
        "breaking FIELD_SAME_JSON_NAME acme.payments.v1.Payment.order_ref",
        "breaking FIELD_SAME_NAME acme.payments.v1.Payment.order_ref",
        "breaking version-not-bumped contracts.payments-grpc.version",
        "safe FIELD_RENAMED_HINT acme.payments.v1.Payment.order_ref",
      ],
      bump: "major",
    },
    next: [
      "      records FIELD_SAME_JSON_NAME at acme.payments.v1.Payment.order_ref\n      records FIELD_SAME_NAME at acme.payments.v1.Payment.order_ref\n",
      "    why: comms rules FIELD_SAME_JSON_NAME, comms rules FIELD_SAME_NAME, comms rules version-not-bumped\n",
    ],
    accept: {
      code: 1,
      findings: [
        "accepted FIELD_SAME_JSON_NAME acme.payments.v1.Payment.order_ref",
        "accepted FIELD_SAME_NAME acme.payments.v1.Payment.order_ref",
        "breaking version-not-bumped contracts.payments-grpc.version",
        "safe FIELD_RENAMED_HINT acme.payments.v1.Payment.order_ref",
      ],
    },
    then: {
      change: () => edit("comms.yaml", "version: 2.0.0 }", "version: 3.0.0 }"),
      code: 0,
      findings: ["accepted FIELD_SAME_JSON_NAME acme.payments.v1.Payment.order_ref", "accepted FIELD_SAME_NAME acme.payments.v1.Payment.order_ref", "safe FIELD_RENAMED_HINT acme.payments.v1.Payment.order_ref"],
    },
    // The rename hint only explains the accepted breaks: it fails nothing, not even --fail-on dangerous.
    failOnDangerous: 0,
    release: {
      code: 0,
      stdout: "released payments-grpc@3.0.0 (major: 3 changes since 2.0.0) in .comms/payments-grpc/3.0.0\nmajor because of 2 accepted breaking changes:\n",
    },
  },
  {
    name: "comments only: no finding, a patch release",
    on: 72,
    contract: "payments-grpc",
    change: () => edit(PAYMENTS, "message GetPaymentRequest {\n", "// Looks a payment up by its id.\nmessage GetPaymentRequest {\n"),
    check: { code: 0, findings: [], bump: "none" },
    release: { args: ["--version", "3.0.1"], code: 0, stdout: "released payments-grpc@3.0.1 (patch: no contract change since 3.0.0) in .comms/payments-grpc/3.0.1\n" },
  },
  {
    name: "an rpc deleted: breaking, released at once as 4.0.0",
    on: 80,
    contract: "payments-grpc",
    change: () => {
      edit("comms.yaml", "version: 3.0.0 }", "version: 4.0.0 }");
      edit(PAYMENTS, "  rpc Get(GetPaymentRequest) returns (Payment);\n", "");
    },
    check: { code: 0, findings: ["accepted RPC_NO_DELETE acme.payments.v1.PaymentService.Get"], bump: "major" },
    release: { code: 0, stdout: "released payments-grpc@4.0.0 (major: 1 change since 3.0.1) in .comms/payments-grpc/4.0.0\n" },
  },
];

describe("a three-service repository over three months", () => {
  test("init finds the three contracts and names them after their services", () => {
    for (const [p, t] of Object.entries(FILES)) write(p, t);
    expect(git("init", "-q", "-b", "main").code).toBe(0);
    git("config", "user.email", "dev@example.com");
    git("config", "user.name", "Dev");
    git("config", "commit.gpgsign", "false");
    const r = comms("init");
    expect(r.code).toBe(0);
    expect(read("comms.yaml")).toBe(
      "version: 1\ncontracts:\n" +
        "  catalog-graph: { kind: graphql, path: services/catalog/graphql/schema.graphql }\n" +
        "  orders-api: { kind: openapi, path: services/orders/api/openapi.yaml }\n" +
        "  payments-grpc: { kind: protobuf, path: services/payments/proto }\n" +
        "policy:\n  compatibility: backward\n  deprecation: { min-days: 30 }\nregistry: .comms\n",
    );
    git("add", "-A");
    expect(git("commit", "-qm", "three services").code).toBe(0);
  });

  test("before any release, check passes with a note per contract", () => {
    const r = comms("check", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: any) => x.notes[0])).toEqual([
      "no release yet, so nothing to compare with: run 'comms release catalog-graph' to record a baseline",
      "no release yet, so nothing to compare with: run 'comms release orders-api' to record a baseline",
      "no release yet, so nothing to compare with: run 'comms release payments-grpc' to record a baseline",
    ]);
  });

  test("the first releases are 1.0.0", () => {
    for (const c of ["orders-api", "catalog-graph", "payments-grpc"]) {
      const r = release(c);
      expect([r.code, r.stdout]).toEqual([0, `released ${c}@1.0.0 (first release) in .comms/${c}/1.0.0\n`]);
    }
    const all = comms("check");
    expect(all.code).toBe(0);
  });

  // Steps of the three contracts interleave by day, as they would in one repository.
  const ordered = [...steps].sort((a, b) => a.on - b.on);
  for (const s of ordered) {
    test(`day ${s.on}, ${s.contract}: ${s.name}`, () => {
      today = s.on;
      s.change();
      const c = check(s.contract);
      if (process.env.SCENARIO_DEBUG) console.log(s.name, JSON.stringify(c.result, null, 1), c.stderr);
      expect({ code: c.code, findings: [...c.findings].sort(), bump: c.bump }).toEqual({ code: s.check.code, findings: [...s.check.findings].sort(), bump: s.check.bump });
      expect(c.verdict).toBe(s.check.code === 0 ? "pass" : "fail");
      // A failing check says what to do next; a passing one says nothing of the kind.
      if (c.code === 1) expect(c.stderr).toContain("comms: what to do next:\n");
      else expect(c.stderr).not.toContain("what to do next");
      for (const line of s.next ?? []) expect(c.stderr).toContain(line);
      if (s.accept) {
        const reason = s.contract === "orders-api" ? "every client sends a limit" : s.contract === "catalog-graph" ? "prices are decimal now" : "clients use the JSON name order_ref already";
        const accepting = comms("check", s.contract, "--accept", "--reason", reason);
        expect(accepting.code).toBe(s.accept.code);
        expect(read("comms.yaml")).toContain(`reason: ${reason} }`);
        const a = check(s.contract);
        expect({ code: a.code, findings: [...a.findings].sort() }).toEqual({ code: s.accept.code, findings: [...s.accept.findings].sort() });
        // Accepting a break stops the gate from failing; it does not make the change compatible.
        expect(a.bump).toBe(s.check.bump);
      }
      if (s.then) {
        s.then.change();
        const t = check(s.contract);
        expect({ code: t.code, findings: [...t.findings].sort() }).toEqual({ code: s.then.code, findings: [...s.then.findings].sort() });
        // The bump follows the findings, not the version declared for them.
        expect(t.bump).toBe(s.check.bump);
      }
      if (s.failOnDangerous !== undefined) expect(comms("check", s.contract, "--fail-on", "dangerous").code).toBe(s.failOnDangerous);
      if (s.release) {
        const r = release(s.contract, ...(s.release.args ?? []));
        expect(r.code).toBe(s.release.code);
        if (s.release.stdout.endsWith(":\n")) expect(r.stdout).toStartWith(s.release.stdout);
        else expect(r.stdout).toBe(s.release.stdout);
      }
      git("add", "-A");
      git("commit", "-qm", s.name);
    });
  }

  test("comms log: every version, its date and what changed, in the words of the findings", () => {
    const r = comms("log");
    expect(r.code).toBe(0);
    // The commit column (the commit that added each release) is the one part that is not fixed.
    const lines = r.stdout.replace(/ {2}[0-9a-f]{7} {2}/g, "  ").trimEnd().split("\n");
    expect(lines).toEqual([
      "catalog-graph (graphql)",
      `  3.2.0  ${day(70)}  1 dangerous: Default value for argument 'first' on field 'Query.products' changed from '20' to '50'`,
      `  3.1.0  ${day(65)}  2 safe: Field 'categories' was added to object type 'Query' (+1 more)`,
      `  3.0.0  ${day(60)}  1 breaking, 1 safe: Field 'tags' was removed from object type 'Product' (+1 more)`,
      `  2.0.0  ${day(50)}  1 breaking: Field 'Product.price' changed type from 'Int!' to 'Float!'`,
      `  1.4.0  ${day(44)}  1 dangerous: Argument 'after: String' added to field 'Query.products'`,
      `  1.3.0  ${day(42)}  1 safe: Field 'legacyCode' (deprecated) was removed from object type 'Product'`,
      `  1.2.0  ${day(12)}  1 safe: Field 'Product.legacyCode' is deprecated`,
      `  1.1.0  ${day(5)}  1 safe: Field 'description' was added to object type 'Product'`,
      `  1.0.0  ${day(0)}  first release`,
      "",
      "orders-api (openapi)",
      `  3.2.0  ${day(95)}  1 dangerous: query parameter 'status' removed in GET /orders`,
      `  3.1.0  ${day(90)}  1 dangerous: response property 'Order.status' enum value 'refunded' added`,
      `  3.0.1  ${day(81)}  no contract change (formatting or comments only)`,
      `  3.0.0  ${day(80)}  1 breaking, 1 safe: response property 'schemas/money.yaml#amount' removed (+1 more)`,
      `  2.0.0  ${day(70)}  1 breaking: query parameter 'limit' became required in GET /orders`,
      `  1.4.0  ${day(60)}  1 safe: endpoint added in POST /orders/{id}/cancel`,
      `  1.3.0  ${day(55)}  1 safe: response property 'Order.note' removed`,
      `  1.2.0  ${day(10)}  1 safe: response property 'Order.note' deprecated`,
      `  1.1.0  ${day(3)}  1 safe: new optional query parameter 'status' in GET /orders`,
      `  1.0.0  ${day(0)}  first release`,
      "",
      "payments-grpc (protobuf)",
      `  4.0.0  ${day(80)}  1 breaking: Previously present RPC "Get" on service "PaymentService" was deleted.`,
      `  3.0.1  ${day(72)}  no contract change (formatting or comments only)`,
      `  3.0.0  ${day(70)}  2 breaking, 1 safe: Field "2" with name "order_ref" on message "Payment" changed option "json_name" from "orderId" to "orderRef". (+2 more)`,
      `  2.0.0  ${day(60)}  1 breaking: Field "2" with name "units" on message "Money" changed type from "int64" to "string".`,
      `  1.6.0  ${day(52)}  1 safe: Message "ExchangeRate" was added to package "acme.payments.v1".`,
      `  1.5.0  ${day(50)}  1 safe: Enum value "3" with name "STATUS_REFUNDED" on enum "Status" was added.`,
      `  1.4.0  ${day(48)}  1 safe: Previously present field "5" with name "legacy_ref" on message "Payment" was deleted.`,
      `  1.3.0  ${day(8)}  1 safe: Field "5" with name "legacy_ref" on message "Payment" was deprecated.`,
      `  1.2.0  ${day(6)}  1 safe: RPC "Capture" on service "PaymentService" was added.`,
      `  1.1.0  ${day(4)}  1 safe: Field "6" with name "captured_at" on message "Payment" was added.`,
      `  1.0.0  ${day(0)}  first release`,
    ]);
  });

  test("the markdown changelog, every line: accepted breaks behind major versions are breaking changes", () => {
    const r = comms("log", "--format", "markdown");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CHANGELOG);
  });

  test("the changelog names the accepted breaks behind major versions as breaking changes", () => {
    const md = comms("log", "catalog-graph", "--format", "markdown").stdout;
    expect(md).toContain(`### 2.0.0 (${day(50)})\n\n**Breaking changes**\n\n- Field 'Product.price' changed type from 'Int!' to 'Float!' \`FIELD_TYPE_CHANGED\`\n`);
    expect(md).toContain(`### 1.3.0 (${day(42)})\n\n**Other changes**\n\n- Field 'legacyCode' (deprecated) was removed from object type 'Product' \`FIELD_REMOVED\``);
  });

  test("diff between two releases judges as on the newer release's day, with the releases before it", () => {
    const r = comms("diff", "catalog-graph@1.2.0", "catalog-graph@1.3.0", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].findings.map((f: any) => `${show(f)} (${f.note})`)).toEqual([
      `safe FIELD_REMOVED Product.legacyCode (deprecated since 1.2.0 (${day(12)}, 30 days ago))`,
    ]);
  });

  test("diff between two releases locates each side in its own snapshot, with that snapshot's lines", () => {
    const r = comms("diff", "payments-grpc@1.6.0", "payments-grpc@2.0.0", "--format", "json");
    expect(r.code).toBe(1);
    const [f] = JSON.parse(r.stdout).results[0].findings;
    expect(f).toMatchObject({
      rule: "FIELD_SAME_TYPE",
      old: { file: ".comms/payments-grpc/1.6.0/services/payments/proto/acme/payments/v1/money.proto", line: 7, column: 3 },
      new: { file: ".comms/payments-grpc/2.0.0/services/payments/proto/acme/payments/v1/money.proto", line: 7, column: 3 },
    });
    // Every release of every contract at once: `comms diff 1.0.0 1.1.0` compares the contracts released at both.
    const all = comms("diff", "1.0.0", "1.1.0", "--format", "json");
    expect(all.code).toBe(0);
    const files = JSON.parse(all.stdout).results.flatMap((x: any) => x.findings.map((y: any) => `${x.contract} ${y.new?.file}`));
    expect(files).toEqual([
      "catalog-graph .comms/catalog-graph/1.1.0/services/catalog/graphql/schema.graphql",
      "orders-api .comms/orders-api/1.1.0/services/orders/api/openapi.yaml",
      "payments-grpc .comms/payments-grpc/1.1.0/services/payments/proto/acme/payments/v1/payments.proto",
    ]);
  });

  test("at the end, the one unreleased break fails the whole gate, counted once", () => {
    today = 100;
    const r = comms("check", "--format", "json");
    // orders' last change (a required request property) was never released: it still fails; its
    // version-not-bumped finding is not counted as a second breaking change.
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: any) => `${x.contract} ${x.verdict}`)).toEqual(["catalog-graph pass", "orders-api fail", "payments-grpc pass"]);
    expect(out.summary.breaking).toBe(1);
  });
});

/** The changelog the three services' history gives (`comms log --format markdown`), in full. */
const CHANGELOG = `# Changelog

## catalog-graph

### 3.2.0 (2026-03-12)

**Dangerous changes**

- Default value for argument 'first' on field 'Query.products' changed from '20' to '50' \`FIELD_ARGUMENT_DEFAULT_CHANGED\`

### 3.1.0 (2026-03-07)

**Other changes**

- Field 'categories' was added to object type 'Query' \`FIELD_ADDED\`
- Type 'Category' was added \`TYPE_ADDED\`

### 3.0.0 (2026-03-02)

**Breaking changes**

- Field 'tags' was removed from object type 'Product' \`FIELD_REMOVED\`

**Other changes**

- Field 'labels' was added to object type 'Product' \`FIELD_ADDED\`

### 2.0.0 (2026-02-20)

**Breaking changes**

- Field 'Product.price' changed type from 'Int!' to 'Float!' \`FIELD_TYPE_CHANGED\`

### 1.4.0 (2026-02-14)

**Dangerous changes**

- Argument 'after: String' added to field 'Query.products' \`FIELD_ARGUMENT_ADDED\`

### 1.3.0 (2026-02-12)

**Other changes**

- Field 'legacyCode' (deprecated) was removed from object type 'Product' \`FIELD_REMOVED\` (deprecated since 1.2.0 (2026-01-13, 30 days ago))

### 1.2.0 (2026-01-13)

**Other changes**

- Field 'Product.legacyCode' is deprecated \`FIELD_DEPRECATION_ADDED\`

### 1.1.0 (2026-01-06)

**Other changes**

- Field 'description' was added to object type 'Product' \`FIELD_ADDED\`

### 1.0.0 (2026-01-01)

First release.

## orders-api

### 3.2.0 (2026-04-06)

**Dangerous changes**

- query parameter 'status' removed in GET /orders \`request-parameter-removed\`

### 3.1.0 (2026-04-01)

**Dangerous changes**

- response property 'Order.status' enum value 'refunded' added \`response-property-enum-value-added\`

### 3.0.1 (2026-03-23)

No contract change (formatting or comments only).

### 3.0.0 (2026-03-22)

**Breaking changes**

- response property 'schemas/money.yaml\\#amount' removed \`response-required-property-removed\`

**Other changes**

- response property 'schemas/money.yaml\\#units' added \`response-required-property-added\`

### 2.0.0 (2026-03-12)

**Breaking changes**

- query parameter 'limit' became required in GET /orders \`request-parameter-became-required\`

### 1.4.0 (2026-03-02)

**Other changes**

- endpoint added in POST /orders/{id}/cancel \`endpoint-added\`

### 1.3.0 (2026-02-25)

**Other changes**

- response property 'Order.note' removed \`response-optional-property-removed\` (deprecated since 1.2.0 (2026-01-11, 45 days ago))

### 1.2.0 (2026-01-11)

**Other changes**

- response property 'Order.note' deprecated \`response-property-deprecated\`

### 1.1.0 (2026-01-04)

**Other changes**

- new optional query parameter 'status' in GET /orders \`new-optional-request-parameter\`

### 1.0.0 (2026-01-01)

First release.

## payments-grpc

### 4.0.0 (2026-03-22)

**Breaking changes**

- Previously present RPC "Get" on service "PaymentService" was deleted. \`RPC_NO_DELETE\`

### 3.0.1 (2026-03-14)

No contract change (formatting or comments only).

### 3.0.0 (2026-03-12)

**Breaking changes**

- Field "2" with name "order\\_ref" on message "Payment" changed option "json\\_name" from "orderId" to "orderRef". \`FIELD_SAME_JSON_NAME\`
- Field "2" on message "Payment" changed name from "order\\_id" to "order\\_ref". \`FIELD_SAME_NAME\`

**Other changes**

- Field "2" on message "Payment" was renamed from "order\\_id" to "order\\_ref": breaks FILE, PACKAGE, WIRE\\_JSON; wire-compatible (WIRE). \`FIELD_RENAMED_HINT\`

### 2.0.0 (2026-03-02)

**Breaking changes**

- Field "2" with name "units" on message "Money" changed type from "int64" to "string". \`FIELD_SAME_TYPE\`

### 1.6.0 (2026-02-22)

**Other changes**

- Message "ExchangeRate" was added to package "acme.payments.v1". \`MESSAGE_ADDED\`

### 1.5.0 (2026-02-20)

**Other changes**

- Enum value "3" with name "STATUS\\_REFUNDED" on enum "Status" was added. \`ENUM_VALUE_ADDED\`

### 1.4.0 (2026-02-18)

**Other changes**

- Previously present field "5" with name "legacy\\_ref" on message "Payment" was deleted. \`FIELD_NO_DELETE\` (deprecated since 1.3.0 (2026-01-09, 40 days ago))

### 1.3.0 (2026-01-09)

**Other changes**

- Field "5" with name "legacy\\_ref" on message "Payment" was deprecated. \`FIELD_DEPRECATED\`

### 1.2.0 (2026-01-07)

**Other changes**

- RPC "Capture" on service "PaymentService" was added. \`RPC_ADDED\`

### 1.1.0 (2026-01-05)

**Other changes**

- Field "6" with name "captured\\_at" on message "Payment" was added. \`FIELD_ADDED\`

### 1.0.0 (2026-01-01)

First release.
`;
