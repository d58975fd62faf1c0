import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { findContracts, renderConfig } from "../../src/cli/commands/init.ts";
import { DEFAULT_MIN_DAYS } from "../../src/policy/steps/deprecation.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { runCli } from "../helpers/cli.ts";

let dir = "";
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "comms-init-"));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
  return dir;
}

describe("comms init", () => {
  test("finds OpenAPI roots, GraphQL schemas and protobuf trees, not operations or fragments", () => {
    const root = tree({
      "services/users/openapi.yaml": "openapi: 3.0.0\ninfo: {title: u, version: 1.0.0}\npaths: {}\n",
      "services/users/schemas/user.yaml": "type: object\n",
      "services/users/schema.graphql": "type Query { me: String }\n",
      "clients/web/queries.graphql": "query Me { me }\n",
      "proto/acme/users/v1/users.proto": 'syntax = "proto3";\npackage acme.users.v1;\n',
      "proto/acme/orders/v1/orders.proto": 'syntax = "proto3";\npackage acme.orders.v1;\n',
      "node_modules/x/openapi.yaml": "openapi: 3.0.0\n",
      "package.json": '{"name":"x"}',
    });
    expect(findContracts(root)).toEqual([
      // One tree for two packages: named after what they share.
      { name: "acme-grpc", kind: "protobuf", path: "proto" },
      { name: "users-api", kind: "openapi", path: "services/users/openapi.yaml" },
      { name: "users-graph", kind: "graphql", path: "services/users/schema.graphql" },
    ]);
  });

  test("names contracts after the service folder that holds them, never after generic folders", () => {
    const root = tree({
      "services/orders/api/openapi.yaml": "openapi: 3.1.0\ninfo: {title: o, version: 1.0.0}\npaths: {}\n",
      "services/inventory/api/v1/openapi.yaml": "openapi: 3.1.0\ninfo: {title: i, version: 1.0.0}\npaths: {}\n",
      "services/inventory/api/v2/openapi.yaml": "openapi: 3.1.0\ninfo: {title: i, version: 2.0.0}\npaths: {}\n",
      "services/catalog/graphql/schema.graphql": "type Query { a: Int }\n",
      "services/payments/proto/payments/v1/payments.proto": 'syntax = "proto3";\npackage payments.v1;\n',
      "services/shipping/grpc/v1/shipping.proto": 'syntax = "proto3";\npackage acme.shipping.v1;\n',
      "specs/billing.yaml": "openapi: 3.0.3\ninfo: {title: b, version: 1.0.0}\npaths: {}\n",
    });
    expect(findContracts(root).map((c) => `${c.name} ${c.path}`)).toEqual([
      "catalog-graph services/catalog/graphql/schema.graphql",
      "inventory-v1-api services/inventory/api/v1/openapi.yaml",
      "inventory-v2-api services/inventory/api/v2/openapi.yaml",
      "orders-api services/orders/api/openapi.yaml",
      "payments-grpc services/payments/proto",
      "shipping-grpc services/shipping/grpc/v1",
      "billing-api specs/billing.yaml",
    ]);
  });

  test("finds event schemas: Avro per folder, JSON Schema documents that no API document holds", () => {
    const root = tree({
      "services/pedidos/events/pedido-creado.avsc": '{"type":"record","name":"PedidoCreado","fields":[]}',
      "services/pagos/avro/pago.avsc": '{"type":"record","name":"Pago","fields":[]}',
      "services/pagos/avro/moneda.avsc": '{"type":"enum","name":"Moneda","symbols":["EUR"]}',
      "services/pedidos/events/pedido-cancelado.schema.json": '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}',
      "services/orders/api/openapi.yaml": "openapi: 3.1.0\ninfo: {title: o, version: 1.0.0}\npaths: {}\n",
      "services/orders/api/schemas/order.schema.json": '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}',
    });
    expect(findContracts(root).map((c) => `${c.name} ${c.kind} ${c.path}`)).toEqual([
      "orders-api openapi services/orders/api/openapi.yaml",
      "pagos-avro avro services/pagos/avro",
      "pedido-cancelado-schema jsonschema services/pedidos/events/pedido-cancelado.schema.json",
      "pedido-creado-avro avro services/pedidos/events/pedido-creado.avsc",
    ]);
  });

  test("names a contract after its service once, never with a repeated suffix", () => {
    const root = tree({
      "services/catalogo-api/openapi.yaml": "openapi: 3.0.0\ninfo: {title: c, version: 1.0.0}\npaths: {}\n",
      "services/clientes-graphql/schema.graphql": "type Query { a: Int }\n",
      "services/envios-grpc/envios.proto": 'syntax = "proto3";\npackage envios;\n',
      "services/orders/api/openapi.yaml": "openapi: 3.0.0\ninfo: {title: o, version: 1.0.0}\npaths: {}\n",
    });
    expect(findContracts(root).map((c) => c.name)).toEqual(["catalogo-api", "clientes-graphql", "envios-grpc", "orders-api"]);
  });

  test("event schemas an AsyncAPI document uses become one contract per subject, with the channel's topic", () => {
    const asyncapi = `asyncapi: 3.0.0
info: {title: pedidos, version: 1.0.0}
channels:
  creados:
    address: pedidos.creados.v1
    messages:
      PedidoCreado: {$ref: '#/components/messages/PedidoCreado'}
  pagos:
    address: pagos.procesados.v1
    messages:
      PagoProcesado:
        payload: {$ref: './schemas/pago-procesado.schema.json'}
operations:
  publicar: {action: send, channel: {$ref: '#/channels/creados'}}
  cobrar: {action: receive, channel: {$ref: '#/channels/pagos'}}
components:
  messages:
    PedidoCreado:
      payload:
        schemaFormat: application/vnd.apache.avro+json;version=1.9.0
        schema: {$ref: '../../../schemas/pedido-creado.avsc'}
`;
    const root = tree({
      "services/pedidos/asyncapi/asyncapi.yaml": asyncapi,
      "services/pedidos/asyncapi/schemas/pago-procesado.schema.json": '{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}',
      "schemas/pedido-creado.avsc": '{"type":"record","name":"PedidoCreado","namespace":"es.tienda","fields":[{"name":"direccion","type":"es.tienda.comun.Direccion"}]}',
      "schemas/direccion.avsc": '{"type":"record","name":"Direccion","namespace":"es.tienda.comun","fields":[{"name":"calle","type":"string"}]}',
      "schemas/cliente.avsc": '{"type":"record","name":"Cliente","namespace":"es.tienda","fields":[]}',
    });
    expect(findContracts(root).map((c) => [c.name, c.kind, c.path, c.topic])).toEqual([
      // The schemas no document uses keep their folder contract, minus the subjects.
      [`${basename(root).toLowerCase()}-avro`, "avro", "schemas", undefined],
      ["pedidos.creados.v1", "avro", "schemas/pedido-creado.avsc", "pedidos.creados.v1"],
      ["pedidos-events", "asyncapi", "services/pedidos/asyncapi/asyncapi.yaml", undefined],
      ["pagos.procesados.v1", "jsonschema", "services/pedidos/asyncapi/schemas/pago-procesado.schema.json", "pagos.procesados.v1"],
    ]);
    const text = renderConfig(findContracts(root));
    expect(parseConfig(text, "comms.yaml", join(root, "comms.yaml")).config.contracts["pedidos.creados.v1"]).toEqual({ kind: "avro", path: "schemas/pedido-creado.avsc", topic: "pedidos.creados.v1" } as never);
  });

  test("names are unique, valid and never reserved words", () => {
    const root = tree({
      "a/orders/openapi.yaml": "openapi: 3.0.0\ninfo: {title: a, version: 1.0.0}\npaths: {}\n",
      "b/orders/openapi.yaml": "openapi: 3.0.0\ninfo: {title: b, version: 1.0.0}\npaths: {}\n",
      "constructor/openapi.yaml": "openapi: 3.0.0\ninfo: {title: c, version: 1.0.0}\npaths: {}\n",
      "__proto__/Straße Ü/openapi.yaml": "openapi: 3.0.0\ninfo: {title: d, version: 1.0.0}\npaths: {}\n",
    });
    const names = findContracts(root).map((c) => c.name);
    expect(names).toEqual(["stra-e-api", "orders-api", "orders-api-2", "constructor-api"]);
    const text = renderConfig(findContracts(root));
    expect(Object.keys(parseConfig(text, "comms.yaml", join(root, "comms.yaml")).config.contracts)).toEqual(names);
  });
  test("writes a comms.yaml that validates, and refuses to overwrite it", () => {
    const root = tree({ "api/openapi.json": '{"openapi":"3.1.0","info":{"title":"a","version":"1.0.0"},"paths":{}}' });
    const first = runCli(["init"], { cwd: root });
    expect(first.code).toBe(0);
    const text = readFileSync(join(root, "comms.yaml"), "utf8");
    const cfg = parseConfig(text, "comms.yaml", join(root, "comms.yaml")).config;
    expect({ ...cfg.contracts }).toEqual({ [`${basename(root).toLowerCase()}-api`]: { kind: "openapi", path: "api/openapi.json" } } as never);
    const again = runCli(["init"], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(readFileSync(join(root, "comms.yaml"), "utf8")).toBe(text);
  });

  test("in a repository without contracts writes a valid comms.yaml that every command accepts", () => {
    const root = tree({ "README.md": "# nothing here\n" });
    const r = runCli(["init"], { cwd: root });
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, "comms.yaml"), "utf8");
    expect(text).toBe("version: 1\ncontracts: {}\npolicy:\n  compatibility: backward\n  deprecation: { min-days: 30 }\nregistry: .comms\n");
    expect(parseConfig(text, "comms.yaml", join(root, "comms.yaml")).config.policy).toEqual({ compatibility: "backward", deprecation: { "min-days": 30 } });
    const check = runCli(["check"], { cwd: root });
    expect(check.code).toBe(0);
  });

  test("writes the default min-days the policy uses", () => {
    const text = renderConfig([]);
    expect(parseConfig(text, "comms.yaml", "/x/comms.yaml").config.policy?.deprecation?.["min-days"]).toBe(DEFAULT_MIN_DAYS);
  });

  // Paths are data, never YAML text: whatever a folder is called, it reads back as the same path.
  const hostile = ["x #y", "a: b", "k: {kind: openapi, path: /etc/passwd}", "it's \"quoted\"", "- item", "&anchor", "*alias", "%TAG", "new\nline", "tab\tchar", "@at", "`tick`", "{flow}", "[seq]", "yes", "null", "1e3"];
  test("paths with YAML syntax in them round-trip", () => {
    const contracts = hostile.map((d, i) => ({ name: `c${i}-api`, kind: "openapi" as const, path: `${d}/openapi.yaml` }));
    const parsed = parseConfig(renderConfig(contracts), "comms.yaml", "/x/comms.yaml").config.contracts;
    expect(Object.keys(parsed)).toEqual(contracts.map((c) => c.name));
    for (const c of contracts) expect(parsed[c.name]).toEqual({ kind: "openapi", path: c.path });
  });

  test("a hostile directory name cannot inject a contract or a policy", () => {
    const evil = "x\n  injected: { kind: openapi, path: etc }\npolicy:\n  compatibility: none\n#";
    const root = tree({ [`${evil}/openapi.yaml`]: "openapi: 3.0.0\ninfo: {title: e, version: 1.0.0}\npaths: {}\n" });
    const r = runCli(["init"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("\n  injected");
    const cfg = parseConfig(readFileSync(join(root, "comms.yaml"), "utf8"), "comms.yaml", join(root, "comms.yaml")).config;
    expect(Object.keys(cfg.contracts)).toHaveLength(1);
    expect(Object.values(cfg.contracts)[0]!.path).toBe(`${evil}/openapi.yaml`);
    expect(cfg.policy?.compatibility).toBe("backward");
  });
});
