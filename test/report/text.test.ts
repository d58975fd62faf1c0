import { describe, expect, test } from "bun:test";
import { renderReport } from "../../src/report/index.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, ordersGrpc, passingReport, sampleReport, usersApi } from "../fixtures/report/sample.ts";

const ANSI = /\x1b[[\]]/;

describe("text report", () => {
  const out = renderReport(sampleReport(), "text", OPTS);
  const lines = out.split("\n");

  test("matches the snapshot", () => {
    expect(out).toMatchSnapshot();
  });

  test("has no escape codes without colour", () => {
    expect(out).not.toMatch(ANSI);
  });

  test("a header line per contract names kind, both sides, verdict and bump", () => {
    expect(lines).toContain("users-api  openapi  users-api@1.2.0 → working tree (1.3.0)  ✖ fail  bump: major");
    expect(lines).toContain("users-graph  graphql  main → working tree  ✖ fail  bump: major");
    expect(lines).toContain("orders-grpc  protobuf  orders-grpc@1.0.0 → working tree (1.0.0)  ✔ pass  bump: none");
  });

  test("findings start with a clickable file:line:col, then severity, rule and message", () => {
    expect(lines).toContain(
      "  contracts/users/openapi.yaml:38:9  breaking  response-property-removed  response property 'email' removed from GET /users/{id} (200)",
    );
    // a removal is placed where the element was
    expect(lines).toContain("  contracts/users graph/schema.graphql:7:3  breaking  FIELD_REMOVED  Field 'email' was removed from object type 'User'");
    // an absolute path becomes relative to the working directory
    expect(out).toContain("\n  contracts/billing/invoice.proto:5:3  safe  FIELD_SAME_NAME  ");
    expect(out).toContain("\n  (no location)  breaking  FILE_NO_DELETE  ");
    expect(out).toContain("      path: acme/billing/v1/legacy.proto\n");
  });

  test("orders each contract's findings breaking, dangerous, safe, then accepted", () => {
    const block = out.slice(0, out.indexOf("\n\n"));
    const order = ["response-property-removed", "response-property-enum-value-added", "endpoint-added", "request-parameter-became-required"];
    const positions = order.map((rule) => block.indexOf(`  ${rule}  `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test("shows affected operations, deprecation, notes and the accept reason under the finding", () => {
    expect(out).toContain("      affects: GET /users/{id}\n");
    expect(out).toContain("      deprecated: yes, sunset 2026-01-01\n");
    expect(out).toContain("      note: dangerous: clients with exhaustive switches may fail\n");
    expect(out).toContain(
      "  contracts/users/openapi.yaml:12:13  accepted  request-parameter-became-required  query parameter 'limit' became required in GET /users\n      affects: GET /users\n      accepted breaking change: clients were migrated in Q3 (until 2027-01-31)\n",
    );
  });

  test("names the old location too when the two versions are different files", () => {
    const [removed] = usersApi.findings;
    const moved = { ...removed!, old: { file: "contracts/users/v1.yaml", line: 41, column: 11 } };
    const text = renderReport(buildReport([{ ...usersApi, findings: [moved] }]), "text", OPTS);
    expect(text).toContain(
      "  contracts/users/openapi.yaml:38:9  breaking  response-property-removed  response property 'email' removed from GET /users/{id} (200)\n      before: contracts/users/v1.yaml:41:11\n",
    );
    // same file at two versions: the old position is not repeated
    expect(out).not.toContain("before:");
  });

  test("keeps a multi-line message on its finding's line, the line break shown", () => {
    expect(out).toContain("100% new, a,b\\nsecond line\n");
  });

  test("a change that affects several operations is one finding with one affects line", () => {
    const [removed] = usersApi.findings;
    const shared = { ...removed!, operations: ["GET /users/{id}", "POST /users", "PUT /users/{id}"] };
    const text = renderReport(buildReport([{ ...usersApi, findings: [shared] }]), "text", OPTS);
    expect(text.match(/response property 'email' removed/g)).toHaveLength(1);
    expect(text).toContain("\n      affects: GET /users/{id}, POST /users, PUT /users/{id}\n");
    expect(text).not.toContain("operation:");
    const many = { ...removed!, operations: Array.from({ length: 14 }, (_, i) => `GET /r${i}`) };
    const long = renderReport(buildReport([{ ...usersApi, findings: [many] }]), "text", OPTS);
    expect(long).toContain("      affects: GET /r0, GET /r1, GET /r2, GET /r3, GET /r4, GET /r5, GET /r6, GET /r7, GET /r8, GET /r9 and 4 more\n");
  });

  test("the summary counts a version mismatch apart from breaking changes", () => {
    const [removed] = usersApi.findings;
    const version = { rule: "version-not-bumped", severity: "breaking" as const, path: "info.version", message: "1 breaking change since 1.2.0 needs a new major version" };
    const text = renderReport(buildReport([{ ...usersApi, findings: [removed!, version] }]), "text", OPTS);
    expect(text.trimEnd().split("\n").at(-1)).toBe("✖ 1 breaking, 1 version mismatch, 0 dangerous, 0 safe in 1 contract");
  });

  test("hides documentation-only changes and says how many", () => {
    expect(out).not.toContain("api-description-changed");
    expect(out).toContain("  1 documentation-only change hidden (--all shows them)\n");
    const all = renderReport(sampleReport(), "text", { ...OPTS, all: true });
    expect(all).toContain(
      "  contracts/users/openapi.yaml:10:20  safe  api-description-changed  description of GET /users changed (documentation only)\n",
    );
    expect(all).not.toContain("hidden");
  });

  test("prints contract notes and marks contracts without changes", () => {
    expect(out).toContain("  note: accept entry for 'endpoint-removed' at /paths/~1legacy matched nothing\n");
    expect(out).toContain("orders-grpc  protobuf  orders-grpc@1.0.0 → working tree (1.0.0)  ✔ pass  bump: none\n  no changes\n  note: no released version recorded before 1.0.0\n");
  });

  test.each([
    ["failing run", sampleReport(), "✖ 3 breaking, 2 dangerous, 3 safe, 1 accepted in 4 contracts"],
    ["run whose breaks are all accepted", passingReport(), "✔ no breaking changes (0 dangerous, 0 safe, 1 accepted in 2 contracts)"],
    ["run without changes", buildReport([ordersGrpc]), "✔ no breaking changes (0 dangerous, 0 safe in 1 contract)"],
    ["empty run", buildReport([]), "✔ no breaking changes (0 dangerous, 0 safe in 0 contracts)"],
  ])("ends with one summary line: %s", (_name, report, expected) => {
    const text = renderReport(report, "text", OPTS);
    expect(text.endsWith(`\n${expected}\n`) || text === `${expected}\n`).toBe(true);
  });

  test("with colour: ANSI styles and OSC 8 links to the absolute file, same text underneath", () => {
    const coloured = renderReport(buildReport([usersApi]), "text", { ...OPTS, color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain("\x1b]8;;file:///repo/contracts/users/openapi.yaml\x1b\\contracts/users/openapi.yaml:38:9\x1b]8;;\x1b\\");
    expect(coloured).toContain("\x1b[31m\x1b[1mbreaking\x1b[22m\x1b[39m");
    const stripped = coloured.replace(/\x1b\]8;;[^\x1b]*\x1b\\/g, "").replace(/\x1b\[\d+m/g, "");
    expect(stripped).toBe(renderReport(buildReport([usersApi]), "text", OPTS));
  });
});
