import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

// `--mode` overrides policy.compatibility for one run, in `diff` and in `check`.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const withNick = SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n");

describe("--mode", () => {
  test("setup: a release, then a field added", () => {
    repo.write("comms.yaml", "contracts:\n  users: { kind: graphql, path: schema.graphql }\npolicy:\n  compatibility: backward\n");
    repo.write("schema.graphql", SCHEMA_V1);
    expect(repo.comms("release", "users").code).toBe(0);
    repo.write("schema.graphql", withNick);
    repo.write("old.graphql", SCHEMA_V1);
  });

  const cases: Array<[string[], number, string]> = [
    [["check"], 0, "safe FIELD_ADDED User.nick"],
    // An old reader does not know the new field: from its side, the field is missing.
    [["check", "--mode", "forward"], 1, "breaking FIELD_REMOVED User.nick"],
    [["check", "--mode", "full"], 1, "breaking FIELD_REMOVED User.nick"],
    [["check", "--mode", "forward-transitive"], 1, "breaking FIELD_REMOVED User.nick"],
    [["check", "--mode", "none"], 0, "safe FIELD_ADDED User.nick"],
    [["diff", "old.graphql", "schema.graphql"], 0, "safe FIELD_ADDED User.nick"],
    [["diff", "old.graphql", "schema.graphql", "--mode", "forward"], 1, "breaking FIELD_REMOVED User.nick"],
    [["diff", "schema.graphql", "old.graphql", "--mode", "none"], 0, "breaking FIELD_REMOVED User.nick"],
  ];
  for (const [args, code, first] of cases) {
    test(`comms ${args.join(" ")}`, () => {
      const r = repo.json(...args);
      expect(r.code).toBe(code);
      const f = r.out.results[0].findings[0];
      expect(`${f.severity} ${f.rule} ${f.path}`).toBe(first);
    });
  }

  test("an unknown mode, or a transitive one for diff, is a usage error", () => {
    const bad = repo.comms("check", "--mode", "sideways");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown --mode 'sideways' (expected one of backward, backward-transitive, forward, forward-transitive, full, full-transitive, none)");
    const transitive = repo.comms("diff", "old.graphql", "schema.graphql", "--mode", "backward-transitive");
    expect(transitive.code).toBe(2);
    expect(transitive.stderr).toContain("unknown --mode 'backward-transitive' (expected one of backward, forward, full, none)");
  });
});
