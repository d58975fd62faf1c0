import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, REPO, runCli } from "../helpers/cli.ts";

const FIX = join(REPO, "test/fixtures/e2e");

// One breaking removal and one addition per kind, run through the whole CLI.
const cases = [
  {
    kind: "openapi",
    old: "users-v1.yaml",
    new: "users-v2.yaml",
    rule: "response-required-property-removed",
    path: "/paths/~1v1~1usuarios~1{id}/get/responses/200/content/application~1json/schema/properties/email",
    oldLine: 25,
  },
  { kind: "graphql", old: "users-v1.graphql", new: "users-v2.graphql", rule: "FIELD_REMOVED", path: "Usuario.email", oldLine: 8 },
  { kind: "protobuf", old: "users-v1.proto", new: "users-v2.proto", rule: "FIELD_NO_DELETE", path: undefined, oldLine: undefined, newLine: 13 },
] as const;

const runners: Array<[string, string | undefined]> = [["source", undefined], ...(BIN ? ([["binary", BIN]] as Array<[string, string]>) : [])];

for (const [runner, binary] of runners) {
  describe(`comms diff (${runner})`, () => {
    for (const c of cases) {
      test(`${c.kind}: --format json prints the v1 shape and exits 1 on a breaking change`, () => {
        const r = runCli(["diff", c.old, c.new, "--format", "json"], { cwd: FIX, binary });
        expect(r.stderr).not.toContain("comms:");
        expect(r.code).toBe(1);
        const out = JSON.parse(r.stdout);
        expect(Object.keys(out)).toEqual(["version", "results", "summary"]);
        expect(out.version).toBe(1);
        expect(out.results).toHaveLength(1);
        const res = out.results[0];
        expect(res.kind).toBe(c.kind);
        expect(res.verdict).toBe("fail");
        expect(res.suggestedBump).toBe("major");
        expect(res.old.ref).toBe(c.old);
        const hit = res.findings.find((f: { rule: string }) => f.rule === c.rule);
        expect(hit).toBeDefined();
        expect(hit.severity).toBe("breaking");
        expect(hit.fingerprint).toMatch(/^[0-9a-f]{16}$/);
        if (c.path) expect(hit.path).toBe(c.path);
        if (c.oldLine) expect(hit.old).toMatchObject({ file: c.old, line: c.oldLine });
        if ("newLine" in c) expect(hit.new).toMatchObject({ file: c.new, line: c.newLine });
        expect(out.summary.verdict).toBe("fail");
        expect(out.summary.breaking).toBe(res.findings.filter((f: { severity: string }) => f.severity === "breaking").length);
      });

      test(`${c.kind}: an unchanged contract has no findings and exits 0`, () => {
        const r = runCli(["diff", c.old, c.old, "--format", "json"], { cwd: FIX, binary });
        expect(r.code).toBe(0);
        const out = JSON.parse(r.stdout);
        expect(out.results[0].findings).toEqual([]);
        expect(out.summary).toEqual({ breaking: 0, dangerous: 0, safe: 0, verdict: "pass" });
      });
    }

    test("every format renders the same diff with its own structure", () => {
      const run = (format: string) => runCli(["diff", "users-v1.graphql", "users-v2.graphql", "--format", format], { cwd: FIX, binary });
      const text = run("text");
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/users-v1\.graphql:8:\d+/);
      expect(text.stdout).not.toMatch(/\u001b\[/);
      const sarif = JSON.parse(run("sarif").stdout);
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.runs[0].results.some((x: { ruleId: string }) => x.ruleId === "graphql/FIELD_REMOVED")).toBe(true);
      expect(run("junit").stdout).toMatch(/^<\?xml[^>]*>\s*<testsuites/);
      const gh = run("github").stdout.trim().split("\n");
      expect(gh.some((l) => /^::error file=users-v(1|2)\.graphql,line=\d+/.test(l))).toBe(true);
      const gl = JSON.parse(run("gitlab").stdout);
      expect(Array.isArray(gl) && gl.length > 0).toBe(true);
      expect(run("markdown").stdout).toContain("FIELD_REMOVED");
    });

    test("a dangerous-only change passes, and fails with --fail-on dangerous", () => {
      const dir = mkdtempSync(join(tmpdir(), "comms-e2e-"));
      writeFileSync(join(dir, "old.graphql"), "type Query { rol: Rol }\nenum Rol { CLIENTE }\n");
      writeFileSync(join(dir, "new.graphql"), "type Query { rol: Rol }\nenum Rol { CLIENTE ADMIN }\n");
      const plain = runCli(["diff", "old.graphql", "new.graphql", "--format", "json"], { cwd: dir, binary });
      expect(plain.code).toBe(0);
      expect(JSON.parse(plain.stdout).summary).toMatchObject({ breaking: 0, dangerous: 1 });
      const strict = runCli(["diff", "old.graphql", "new.graphql", "--fail-on", "dangerous"], { cwd: dir, binary });
      expect(strict.code).toBe(1);
      rmSync(dir, { recursive: true, force: true });
    });

  test("JUnit marks a dangerous change skipped with a message, and failed under --fail-on dangerous", () => {
    const dir = mkdtempSync(join(tmpdir(), "comms-e2e-"));
    writeFileSync(join(dir, "old.graphql"), "type Query { rol: Rol }\nenum Rol { CLIENTE }\n");
    writeFileSync(join(dir, "new.graphql"), "type Query { rol: Rol }\nenum Rol { CLIENTE ADMIN }\n");
    const plain = runCli(["diff", "old.graphql", "new.graphql", "--format", "junit"], { cwd: dir, binary });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/<testcase classname="new\.graphql" name="new\.graphql: Rol\.ADMIN \(ENUM_VALUE_ADDED\)"[^>]*>\s*<skipped message="dangerous: /);
    const strict = runCli(["diff", "old.graphql", "new.graphql", "--format", "junit", "--fail-on", "dangerous"], { cwd: dir, binary });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/<failure message="[^"]*" type="dangerous">/);
    rmSync(dir, { recursive: true, force: true });
  });
  });
}

// A pull request controls file names and every name inside a contract. Whatever they contain, no format
// lets them start a line of their own (a workflow command in a CI log) or reach the terminal raw.
describe("hostile names through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "comms-e2e-hostile-"));
  const evil = "x\n::error file=evil,line=1::pwned \u001b[5;41mred\u001b]8;;http://evil.example\u0007link\u0000<script>]]>";
  const prop = JSON.stringify(evil);
  const doc = (withProp: boolean) =>
    `openapi: 3.0.0\ninfo: { title: t, version: 1.0.0 }\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id: { type: string }\n${withProp ? `                  ${prop}: { type: string }\n                required: [${prop}]\n` : ""}`;
  const oldName = "old \u001b]8;;x\u0007 \u001b[5;41m.yaml";
  writeFileSync(join(dir, oldName), doc(true));
  writeFileSync(join(dir, "new.yaml"), doc(false));

  test.each(["text", "markdown", "github", "junit", "json", "sarif", "gitlab"])("%s", (format) => {
    const r = runCli(["diff", oldName, "new.yaml", "--format", format, "--color"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    for (const line of r.stdout.split("\n")) {
      if (format === "github") expect(line === "" || /^::(error|warning|notice) /.test(line)).toBe(true);
      else expect(line).not.toMatch(/^\s*::/);
    }
    expect(r.stdout).not.toMatch(/[\u0000\u0007\r]/);
    expect(r.stdout).not.toContain("\u001b[5;41m");
    expect(r.stdout).not.toContain("\u001b]8;;http://");
    if (format !== "text") expect(r.stdout).not.toContain("\u001b");
    if (format === "json") expect(JSON.parse(r.stdout).results[0].findings.some((f: { message: string }) => f.message.includes(evil))).toBe(true);
  });
});
