import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

// Bad input never costs recorded history: each case gives one clear message, exit 2 (or 1 for a
// version that does not fit the change), and the registry is byte for byte what it was.
const CONFIG = "contracts:\n  users: { kind: graphql, path: api/schema.graphql }\n";
let repo: TempRepo;

beforeAll(() => {
  repo = new TempRepo();
  repo.write("comms.yaml", CONFIG);
  repo.write("api/schema.graphql", SCHEMA_V1);
  expect(repo.comms("release", "users").code).toBe(0);
  repo.write("api/schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n"));
  expect(repo.comms("release", "users").code).toBe(0);
});
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

/** Runs a command that must be refused, and checks that `.comms` did not change. */
function refused(args: string[], code: number, message: string | RegExp, damage?: () => void, repair?: () => void) {
  damage?.();
  const before = repo.tree(".comms");
  try {
    const r = repo.comms(...args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    if (typeof message === "string") expect(r.stderr).toBe(`comms: ${message}\n`);
    else expect(r.stderr).toMatch(message);
    expect(repo.tree(".comms")).toEqual(before);
  } finally {
    repair?.();
  }
}

describe("refused releases and checks leave the registry untouched", () => {
  test("the setup recorded two versions", () => {
    expect(Object.keys(repo.tree(".comms")).sort()).toEqual(["index.json", "users/1.0.0/api/schema.graphql", "users/1.1.0/api/schema.graphql"]);
  });

  test("a release name that is not in comms.yaml", () => {
    refused(["release", "orders"], 2, "no contract named 'orders' in comms.yaml (contracts: users)");
  });

  for (const bad of ["1.2", "v1.2.0.0", "latest", "1.2.x"]) {
    test(`an invalid --version '${bad}'`, () => {
      refused(["release", "users", "--version", bad], 2, `invalid --version '${bad}': expected a semantic version such as 1.2.0`);
    });
  }

  test("a --version that is not above the latest release", () => {
    repo.write("api/schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n  age: Int\n"));
    refused(["release", "users", "--version", "1.1.0"], 2, "version 1.1.0 is not greater than the latest release users@1.1.0");
  });

  test("a --version that does not fit a breaking change is a violation (exit 1)", () => {
    repo.write("api/schema.graphql", SCHEMA_V1.replace("  email: String\n", ""));
    refused(["release", "users", "--version", "1.2.0"], 1, /^comms: users: the changes since 1\.1\.0 are breaking, so 1\.2\.0 must be a new major version \(2\.0\.0 or later\)/);
  });

  const index = () => join(repo.dir, ".comms/index.json");
  let saved = "";
  const corrupt = () => {
    saved = repo.read(".comms/index.json");
    writeFileSync(index(), saved.slice(0, 40));
  };
  const restore = () => writeFileSync(index(), saved);
  for (const args of [["release", "users"], ["check"], ["log"]]) {
    test(`a corrupted .comms/index.json: ${args[0]}`, () => {
      refused(args, 2, /^comms: \.comms\/index\.json:\d+:\d+: the registry index is not valid JSON \(.*\); restore it from git\n$/, corrupt, restore);
    });
  }

  const snapshot = () => join(repo.dir, ".comms/users/1.1.0/api/schema.graphql");
  let content = "";
  const remove = () => {
    content = repo.read(".comms/users/1.1.0/api/schema.graphql");
    unlinkSync(snapshot());
  };
  const putBack = () => writeFileSync(snapshot(), content);
  for (const args of [["release", "users"], ["check"]]) {
    test(`a missing snapshot file: ${args[0]}`, () => {
      refused(args, 2, "\.comms/users/1.1.0/api/schema.graphql: snapshot file of users@1.1.0 is missing; restore it from git", remove, putBack);
    });
  }

  test("a check of a contract that is not in comms.yaml", () => {
    refused(["check", "orders"], 2, "unknown contract 'orders' (contracts in comms.yaml: users)");
  });
});

describe("a contract without a release", () => {
  test("passes with a note when it loads, and is exit 2 naming file:line when it does not", () => {
    const fresh = new TempRepo();
    try {
      fresh.write("comms.yaml", "contracts:\n  users: { kind: graphql, path: schema.graphql }\n");
      fresh.write("schema.graphql", "type Query {\n  user: User\n}\n\ntype User {\n  id: ID!\n");
      const r = fresh.comms("check");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^comms: schema\.graphql:\d+:\d+: /);
      expect(fresh.exists(".comms")).toBe(false);
    } finally {
      rmSync(fresh.dir, { recursive: true, force: true });
    }
  });
});

describe("--staged with several contracts", () => {
  test("checks only the contracts whose files are staged", () => {
    const multi = new TempRepo();
    try {
      multi.write("comms.yaml", "contracts:\n  a: { kind: graphql, path: a/schema.graphql }\n  b: { kind: graphql, path: b/schema.graphql }\n");
      multi.write("a/schema.graphql", SCHEMA_V1);
      multi.write("b/schema.graphql", SCHEMA_V1);
      expect(multi.comms("release", "a").code).toBe(0);
      expect(multi.comms("release", "b").code).toBe(0);
      multi.git("add", "-A");
      multi.git("commit", "-qm", "v1");
      // b is broken in the working tree only; a has a staged addition.
      multi.write("b/schema.graphql", SCHEMA_V1.replace("  email: String\n", ""));
      multi.write("a/schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n"));
      multi.git("add", "a/schema.graphql");
      const { code, out } = multi.json("check", "--staged");
      expect(code).toBe(0);
      expect(out.results.map((r: any) => [r.contract, r.new.ref, r.findings.map((f: any) => f.rule)])).toEqual([["a", "staged", ["FIELD_ADDED"]]]);
      expect(multi.comms("check").code).toBe(1);
    } finally {
      rmSync(multi.dir, { recursive: true, force: true });
    }
  });
});
