import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIndex, readTreeAtRef, resolveCommit, stagedFiles } from "../../src/registry/git.ts";

const dir = mkdtempSync(join(tmpdir(), "comms-git-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("GIT_")) env[k] = v;
const git = (...args: string[]) => {
  const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString();
};

describe("reading contracts from git", () => {
  test("a ref, the index and the staged list each see their own version", () => {
    git("init", "-q", "-b", "main");
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "t");
    writeFileSync(join(dir, "a.graphql"), "type A { x: Int }\n");
    git("add", "a.graphql");
    git("commit", "-qm", "one");
    writeFileSync(join(dir, "a.graphql"), "type A { y: Int }\n");
    git("add", "a.graphql");
    writeFileSync(join(dir, "a.graphql"), "type A { z: Int }\n");
    expect(readTreeAtRef(dir, "main", ["a.graphql"]).read("a.graphql")).toBe("type A { x: Int }\n");
    expect(readIndex(dir, ["a.graphql"]).read("a.graphql")).toBe("type A { y: Int }\n");
    expect(stagedFiles(dir)).toEqual(["a.graphql"]);
  });

  test("an unknown ref names the ref, with a hint in a shallow clone", () => {
    expect(() => resolveCommit(dir, "nope")).toThrow("unknown git ref 'nope'");
    const clone = `${dir}-clone`;
    try {
      git("commit", "-qam", "two");
      Bun.spawnSync(["git", "clone", "-q", "--depth", "1", `file://${dir}`, clone], { env });
      expect(() => resolveCommit(clone, "HEAD~1")).toThrow("unknown git ref 'HEAD~1' (this is a shallow clone: fetch the history, e.g. actions/checkout with fetch-depth: 0, or git fetch --unshallow)");
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
