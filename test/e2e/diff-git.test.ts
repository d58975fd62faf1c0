import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, runCli } from "../helpers/cli.ts";

let repo: string;

function git(...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd: repo, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "comms-diff-git-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  mkdirSync(join(repo, "contracts"));
  writeFileSync(join(repo, "contracts/x.yaml"), readFileSync(join(REPO, "test/fixtures/e2e/users-v1.yaml")));
  git("add", "-A");
  git("commit", "-qm", "v1");
  git("checkout", "-qb", "feature");
  writeFileSync(join(repo, "contracts/x.yaml"), readFileSync(join(REPO, "test/fixtures/e2e/users-v2.yaml")));
  git("commit", "-qam", "v2");
  // The working tree moves on again: the diff must read the commits, not the files on disk.
  writeFileSync(join(repo, "contracts/x.yaml"), "not: a contract\n");
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("comms diff between git refs", () => {
  test("main:path against HEAD:path reads both versions from git", () => {
    const r = runCli(["diff", "main:contracts/x.yaml", "HEAD:contracts/x.yaml", "--format", "json"], { cwd: repo });
    expect(r.code).toBe(1);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.old).toEqual({ ref: "main", version: "1.0.0" });
    expect(res.new).toEqual({ ref: "HEAD", version: "1.1.0" });
    const removed = res.findings.find((f: { rule: string }) => f.rule === "response-required-property-removed");
    expect(removed.old).toMatchObject({ file: "main:contracts/x.yaml", line: 25 });
  });

  test("an unknown ref is exit 2 with the ref named", () => {
    const r = runCli(["diff", "mian:contracts/x.yaml", "HEAD:contracts/x.yaml"], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("comms: unknown git ref 'mian' (in 'mian:contracts/x.yaml')\n");
  });

  test("a path missing at a ref is exit 2", () => {
    const r = runCli(["diff", "main:contracts/y.yaml", "HEAD:contracts/x.yaml"], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'contracts/y.yaml' does not exist at git ref 'main'");
  });
});
