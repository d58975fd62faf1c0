import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "./gate-helpers.ts";

// A multi-file OpenAPI contract: the release keeps every $ref'd file, and the version that must move is info.version.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const ROOT = `openapi: 3.0.3
info:
  title: Users
  version: 1.0.0
paths:
  /users/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "schemas/user.yaml" }
`;
const USER = "type: object\nrequired: [id, email]\nproperties:\n  id: { type: string }\n  email: { type: string }\n";

describe("an OpenAPI contract spread over files", () => {
  test("release snapshots the root and every $ref'd file, as they are", () => {
    repo.write("comms.yaml", "contracts:\n  users: { kind: openapi, path: api/openapi.yaml }\n");
    repo.write("api/openapi.yaml", ROOT);
    repo.write("api/schemas/user.yaml", USER);
    const r = repo.comms("release", "users");
    expect(r.stdout).toBe("released users@1.0.0 (first release) in .comms/users/1.0.0\n");
    expect(JSON.parse(repo.read(".comms/index.json")).releases[0].files).toEqual(["api/openapi.yaml", "api/schemas/user.yaml"]);
    expect(repo.read(".comms/users/1.0.0/api/schemas/user.yaml")).toBe(USER);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "v1");
  });

  test("a break in a referenced file fails, and info.version must become a new major", () => {
    repo.write("api/schemas/user.yaml", USER.replace("required: [id, email]", "required: [id]").replace("  email: { type: string }\n", ""));
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    const rules = out.results[0].findings.map((f: any) => [f.rule, f.severity, f.new?.file ?? f.old?.file, f.new?.line ?? f.old?.line]);
    expect(rules).toContainEqual(["version-not-bumped", "breaking", "api/openapi.yaml", 4]);
    expect(rules.some(([rule, sev, file]: string[]) => sev === "breaking" && rule !== "version-not-bumped" && file === "api/schemas/user.yaml")).toBe(true);
  });

  test("one version rule, reported once, with both versions, never counted as a change", () => {
    const { out } = repo.json("check");
    const findings = out.results[0].findings;
    expect(findings.filter((f: any) => /version/i.test(f.rule)).map((f: any) => f.rule)).toEqual(["version-not-bumped"]);
    const changes = findings.filter((f: any) => f.severity === "breaking" && f.rule !== "version-not-bumped");
    expect(findings.find((f: any) => f.rule === "version-not-bumped").message).toBe(
      `${changes.length} breaking change${changes.length === 1 ? "" : "s"} since 1.0.0 need${changes.length === 1 ? "s" : ""} a new major version, but the declared version is 1.0.0 (was 1.0.0; expected 2.0.0 or later)`,
    );
    expect(out.summary.breaking).toBe(changes.length);
  });

  test("all breaks accepted: the version rule says accepted breaks still need a major version", () => {
    expect(repo.comms("check", "--accept", "--reason", "no client reads email").code).toBe(1);
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    const version = out.results[0].findings.find((f: any) => f.rule === "version-not-bumped");
    expect(version.message).toStartWith("accepted breaking changes still need a major version: ");
    expect(version.message).toEndWith("since 1.0.0, but the declared version is 1.0.0 (was 1.0.0; expected 2.0.0 or later)");
    expect(out.results[0].suggestedBump).toBe("major");
    repo.write("comms.yaml", "contracts:\n  users: { kind: openapi, path: api/openapi.yaml }\n");
  });

  test("the referenced file alone, staged, concerns the contract", () => {
    repo.git("add", "api/schemas/user.yaml");
    expect(repo.comms("check", "--staged").code).toBe(1);
  });

  test("info.version 2.0.0 allows the break, and release records the declared version", () => {
    repo.write("api/openapi.yaml", ROOT.replace("version: 1.0.0", "version: 2.0.0"));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].new.version).toBe("2.0.0");
    expect(out.results[0].findings.filter((f: any) => f.severity === "breaking").every((f: any) => f.accepted?.reason === "new major version 2.0.0 (was 1.0.0)")).toBe(true);
    expect(repo.comms("release", "users").stdout).toMatch(/^released users@2\.0\.0 \(major: \d+ changes? since 1\.0\.0\)/);
  });
});

describe("a security requirement added to an operation", () => {
  const secured = new TempRepo();
  afterAll(() => rmSync(secured.dir, { recursive: true, force: true }));
  const api = (security: string) => `openapi: 3.0.3
info: { title: Orders, version: 1.0.0 }
components:
  securitySchemes:
    oauth: { type: oauth2, flows: { clientCredentials: { tokenUrl: "https://auth.example/token", scopes: { read: read } } } }
paths:
  /orders:
    get:${security}
      responses: { "200": { description: ok } }
`;

  test("fails the gate: clients without credentials start failing (oasdiff only informs)", () => {
    secured.write("comms.yaml", "contracts:\n  orders: { kind: openapi, path: openapi.yaml }\n");
    secured.write("openapi.yaml", api(""));
    expect(secured.comms("release", "orders").code).toBe(0);
    secured.write("openapi.yaml", api("\n      security: [{ oauth: [read] }]"));
    const r = secured.json("check");
    expect(r.code).toBe(1);
    const f = r.out.results[0].findings.find((x: { rule: string }) => x.rule === "api-security-added");
    expect({ severity: f?.severity, new: f?.new }).toEqual({ severity: "breaking", new: { file: "openapi.yaml", line: 9, column: 7 } });
    const why = secured.comms("rules", "api-security-added").stdout;
    expect(why).toContain("(openapi, breaking, security)");
    expect(why).toContain("comms rates this breaking (oasdiff only informs)");
  });

  test("a team that rolls credentials out first can lower it to dangerous with policy.openapi.levels", () => {
    secured.write("comms.yaml", "contracts:\n  orders: { kind: openapi, path: openapi.yaml }\npolicy:\n  openapi:\n    levels: { api-security-added: WARN }\n");
    const r = secured.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].findings.find((x: { rule: string }) => x.rule === "api-security-added")?.severity).toBe("dangerous");
  });
});
