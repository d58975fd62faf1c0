import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "comms-global-order-"));
  mkdirSync(join(dir, "svc"));
  writeFileSync(join(dir, "svc/comms.yaml"), "version: 1\ncontracts:\n  g: { kind: graphql, path: s.graphql }\n");
  writeFileSync(join(dir, "svc/s.graphql"), "type Query { a: Int }\n");
  writeFileSync(join(dir, "old.graphql"), "type Query { a: Int, b: Int }\n");
  writeFileSync(join(dir, "new.graphql"), "type Query { a: Int }\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The same run written with the global options before and after the command gives the same result.
describe("global options on either side of the command", () => {
  test.each([
    ["--cwd before check", ["--cwd", "svc", "check", "--format", "json"], ["check", "--cwd", "svc", "--format", "json"]],
    ["--format and --fail-on before diff", ["--format", "json", "--fail-on=dangerous", "diff", "old.graphql", "new.graphql"], ["diff", "old.graphql", "new.graphql", "--format", "json", "--fail-on=dangerous"]],
  ])("%s", (_n, before, after) => {
    const a = runCli(before, { cwd: dir });
    const b = runCli(after, { cwd: dir });
    expect(a.stderr).not.toContain("unknown command");
    expect(a.code).toBe(b.code);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).version).toBe(1);
  });
  test("diff's verdict is the same", () => {
    expect(runCli(["--format", "json", "diff", "old.graphql", "new.graphql"], { cwd: dir }).code).toBe(1);
  });
  test("an unknown option in front is still refused", () => {
    const r = runCli(["--bogus", "check"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'--bogus'");
  });
});
