import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { runCli } from "../helpers/cli.ts";
import { TempRepo } from "./gate-helpers.ts";

// One deprecation rule for every kind: a deprecation can only soften a removal, never harden it; the
// softening needs a release that carried the deprecation at least min-days ago; without release history
// the removal is judged as if nothing had been deprecated, with a note. Each case removes an element whose
// removal is breaking or dangerous by itself, deprecated in 1.1.0 first.
interface Case {
  kind: "openapi" | "graphql" | "protobuf";
  file: string;
  v1: string;
  deprecated: string;
  removed: string;
  rule: string;
  path: string;
  /** The removal's severity when nothing was deprecated. */
  plain: "breaking" | "dangerous";
}

const ORDERS = `openapi: 3.1.0
info: { title: Orders, version: 1.0.0 }
paths:
  /orders:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: { type: string }
                  note: { type: string }
`;

const CATALOG = "type Query {\n  product: Product\n}\n\ntype Product {\n  id: ID!\n  code: String\n}\n";
const PAYMENTS = 'syntax = "proto3";\n\npackage acme.v1;\n\nmessage Payment {\n  string id = 1;\n  string ref = 2;\n}\n';

const cases: Case[] = [
  {
    kind: "openapi",
    file: "openapi.yaml",
    v1: ORDERS,
    deprecated: ORDERS.replace("note: { type: string }", "note: { type: string, deprecated: true }").replace("version: 1.0.0", "version: 1.1.0"),
    removed: ORDERS.replace("                  note: { type: string }\n", "").replace("version: 1.0.0", "version: 1.2.0"),
    rule: "response-optional-property-removed",
    path: "/paths/~1orders/get/responses/200/content/application~1json/schema/properties/note",
    plain: "dangerous",
  },
  {
    kind: "graphql",
    file: "schema.graphql",
    v1: CATALOG,
    deprecated: CATALOG.replace("  code: String\n", '  code: String @deprecated(reason: "use id")\n'),
    removed: CATALOG.replace("  code: String\n", ""),
    rule: "FIELD_REMOVED",
    path: "Product.code",
    plain: "breaking",
  },
  {
    kind: "protobuf",
    file: "proto/acme/v1/payment.proto",
    v1: PAYMENTS,
    deprecated: PAYMENTS.replace("string ref = 2;", "string ref = 2 [deprecated = true];"),
    // Number and name reserved: only the plain deletion is left to judge.
    removed: PAYMENTS.replace("  string ref = 2;\n", '  reserved 2;\n  reserved "ref";\n'),
    rule: "FIELD_NO_DELETE",
    path: "acme.v1.Payment.ref",
    plain: "breaking",
  },
];

const repos: string[] = [];
afterAll(() => {
  for (const d of repos) rmSync(d, { recursive: true, force: true });
});

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe.each(cases.map((c) => [c.kind, c] as const))("deprecate, then remove: %s", (_, c) => {
  const repo = new TempRepo();
  repos.push(repo.dir);
  const path = c.kind === "protobuf" ? "proto" : c.file;
  const config = (minDays: number) => `contracts:\n  svc: { kind: ${c.kind}, path: ${path} }\npolicy:\n  deprecation: { min-days: ${minDays} }\n`;
  const check = (env: Record<string, string> = {}) => {
    const r = runCli(["check", "--format", "json"], { cwd: repo.dir, env });
    const result = JSON.parse(r.stdout).results[0];
    return { code: r.code, f: result.findings.find((x: any) => x.rule === c.rule && x.path === c.path), bump: result.suggestedBump };
  };

  test("setup: 1.0.0, then 1.1.0 deprecates the element", () => {
    repo.write("comms.yaml", config(30));
    repo.write(c.file, c.v1);
    expect(repo.comms("release", "svc").code).toBe(0);
    repo.write(c.file, c.deprecated);
    expect(repo.comms("release", "svc").code).toBe(0);
    repo.write(c.file, c.removed);
  });

  test("a deprecation younger than min-days keeps the removal's own severity (never harder), with a note", () => {
    const { code, f, bump } = check();
    expect(f).toMatchObject({ severity: c.plain, deprecated: {}, note: "deprecated in 1.1.0 only 0 days ago; removal needs at least 30 (policy.deprecation.min-days)" });
    expect(code).toBe(c.plain === "breaking" ? 1 : 0);
    expect(bump).toBe(c.plain === "breaking" ? "major" : "minor");
  });

  test("once the released deprecation is min-days old, the removal is safe, and still a minor release", () => {
    const { code, f, bump } = check({ COMMS_NOW: inDays(31) });
    expect(code).toBe(0);
    expect(f.severity).toBe("safe");
    expect(f.note).toMatch(/^deprecated since 1\.1\.0 \(\d{4}-\d\d-\d\d, 31 days ago\)$/);
    expect(bump).toBe("minor");
  });

  test("with min-days 0, any released deprecation softens the removal to safe, whatever the kind", () => {
    repo.write("comms.yaml", config(0));
    const { code, f, bump } = check();
    repo.write("comms.yaml", config(30));
    expect([code, f.severity, bump]).toEqual([0, "safe", "minor"]);
  });

  test("a plain diff of the deprecating and the removing version has no history: the removal keeps its severity", () => {
    const ext = c.file.slice(c.file.lastIndexOf("."));
    const old = c.kind === "protobuf" ? "old" : `old${ext}`;
    const now = c.kind === "protobuf" ? "new" : `new${ext}`;
    const inDir = (root: string) => (c.kind === "protobuf" ? `${root}/acme/v1/payment.proto` : root);
    repo.write(inDir(old), c.deprecated);
    repo.write(inDir(now), c.removed);
    const r = repo.json("diff", old, now);
    expect(r.code).toBe(c.plain === "breaking" ? 1 : 0);
    expect(r.out.results[0].findings.find((x: any) => x.rule === c.rule)).toMatchObject({
      severity: c.plain,
      note: "deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated",
    });
  });
});

describe("protobuf: a deprecation never softens the rules that stop a number or name from being reused", () => {
  const repo = new TempRepo();
  repos.push(repo.dir);

  test("a deprecated field deleted without reserving its number and name fails however old the deprecation", () => {
    repo.write("comms.yaml", "contracts:\n  svc: { kind: protobuf, path: proto }\npolicy:\n  deprecation: { min-days: 0 }\n");
    repo.write("proto/acme/v1/payment.proto", PAYMENTS);
    expect(repo.comms("release", "svc").code).toBe(0);
    repo.write("proto/acme/v1/payment.proto", PAYMENTS.replace("string ref = 2;", "string ref = 2 [deprecated = true];"));
    expect(repo.comms("release", "svc").code).toBe(0);
    repo.write("proto/acme/v1/payment.proto", PAYMENTS.replace("  string ref = 2;\n", ""));
    const r = runCli(["check", "--format", "json"], { cwd: repo.dir, env: { COMMS_NOW: inDays(400) } });
    expect(r.code).toBe(1);
    // buf's default FILE category has no reservation rule: the plain deletion itself stays breaking.
    const [f, ...rest] = JSON.parse(r.stdout).results[0].findings;
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: "FIELD_NO_DELETE",
      severity: "breaking",
      deprecated: {},
      note: "deprecated, but its number and name are not reserved, and a deprecation does not stop them from being reused; reserve both to remove it",
    });
  });

  test("under WIRE_JSON the reservation rules fail and the plain deletion is not reported", () => {
    repo.write("proto/buf.yaml", "version: v2\nbreaking:\n  use: [WIRE_JSON]\n");
    const r = runCli(["check", "--format", "json"], { cwd: repo.dir, env: { COMMS_NOW: inDays(400) } });
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).results[0].findings.map((f: any) => `${f.severity} ${f.rule}${f.deprecated ? " (deprecated)" : ""}`);
    expect(findings.sort()).toEqual(["breaking FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "breaking FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]);
  });

  test("once the number and name are reserved, the old enough deprecation softens the deletion", () => {
    repo.write("proto/buf.yaml", "version: v2\n");
    repo.write("proto/acme/v1/payment.proto", PAYMENTS.replace("  string ref = 2;\n", '  reserved 2;\n  reserved "ref";\n'));
    const r = runCli(["check", "--format", "json"], { cwd: repo.dir, env: { COMMS_NOW: inDays(400) } });
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.stdout).results[0].findings.map((f: any) => `${f.severity} ${f.rule}${f.deprecated ? " (deprecated)" : ""}`);
    expect(findings).toEqual(["safe FIELD_NO_DELETE (deprecated)"]);
  });
});
