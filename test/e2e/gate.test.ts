import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, rmSync } from "node:fs";
import { MAIN } from "../helpers/cli.ts";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

/** This comms, from source, for the hook to run. */
const SELF = `${process.execPath} ${MAIN}`;

// The whole gate, as a user meets it: release, evolve, fail, accept, bump, and the same through a real
// pre-commit hook. Steps run in order on one repository.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const CONFIG = `version: 1
# The public graph; owned by the API team.
contracts:
  users:
    kind: graphql
    path: api/schema.graphql
`;

const withNick = SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n");
const withoutEmail = withNick.replace("  email: String\n", "");

describe("comms check and release on a graphql contract", () => {
  test("init: a contract with no release passes with a note", () => {
    repo.write("api/schema.graphql", SCHEMA_V1);
    repo.write("comms.yaml", CONFIG);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "init");
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0]).toMatchObject({ contract: "users", verdict: "pass", findings: [] });
    expect(out.results[0].notes).toEqual(["no release yet, so nothing to compare with: run 'comms release users' to record a baseline"]);
  });

  test("release 1.0.0 snapshots the contract and records its content hash, not the checked-out commit", () => {
    const r = repo.comms("release", "users", "--version", "1.0.0");
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("released users@1.0.0 (first release) in .comms/users/1.0.0\n");
    expect(r.code).toBe(0);
    expect(repo.read(".comms/users/1.0.0/api/schema.graphql")).toBe(SCHEMA_V1);
    const index = JSON.parse(repo.read(".comms/index.json"));
    expect(index.releases).toHaveLength(1);
    expect(index.releases[0]).toMatchObject({ contract: "users", kind: "graphql", version: "1.0.0", path: "api/schema.graphql", files: ["api/schema.graphql"] });
    // The checked-out commit does not contain the release: it is not recorded as the release's commit.
    expect(index.releases[0].commit).not.toBe(repo.git("rev-parse", "HEAD").stdout.trim());
    expect(index.releases[0].hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("releasing it again unchanged is refused", () => {
    const r = repo.comms("release", "users");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("comms: users has not changed since users@1.0.0; nothing to release\n");
  });

  test("an optional field added: check passes, release computes 1.1.0", () => {
    repo.write("api/schema.graphql", withNick);
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].findings.map((f: any) => [f.rule, f.severity, f.path])).toEqual([["FIELD_ADDED", "safe", "User.nick"]]);
    expect(out.results[0].suggestedBump).toBe("minor");
    const r = repo.comms("release", "users");
    expect(r.stdout).toBe("released users@1.1.0 (minor: 1 change since 1.0.0) in .comms/users/1.1.0\n");
    expect(r.code).toBe(0);
  });

  test("a field removed: check fails with exit 1, naming file:line", () => {
    repo.write("api/schema.graphql", withoutEmail);
    const r = repo.comms("check");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/api\/schema\.graphql:5:\d+\s+breaking\s+FIELD_REMOVED\s+Field 'email' was removed from object type 'User'/);
    const { out } = repo.json("check");
    expect(out.results[0].findings[0]).toMatchObject({ rule: "FIELD_REMOVED", path: "User.email", old: { file: ".comms/users/1.1.0/api/schema.graphql", line: 8 } });
    expect(out.summary.verdict).toBe("fail");
  });

  test("a declared version that does not move is a version-not-bumped finding at its comms.yaml line", () => {
    repo.write("comms.yaml", CONFIG.replace("    path: api/schema.graphql\n", "    path: api/schema.graphql\n    version: 1.1.0\n"));
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    expect(out.results[0].findings.find((f: any) => f.rule === "version-not-bumped")).toMatchObject({
      severity: "breaking",
      path: "contracts.users.version",
      new: { file: "comms.yaml", line: 7, column: 14 },
    });
    repo.write("comms.yaml", CONFIG);
  });

  test("--accept records the break with its reason; check then passes and lists it as accepted", () => {
    const r = repo.comms("check", "--accept", "--reason", "no client reads email since 2025");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("comms: added 1 accepted change to comms.yaml under policy.accept");
    expect(repo.read("comms.yaml")).toBe(
      `${CONFIG}policy:\n  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: no client reads email since 2025 }\n`,
    );
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].findings[0]).toMatchObject({ rule: "FIELD_REMOVED", severity: "breaking", accepted: { reason: "no client reads email since 2025" } });
    expect(out.summary.verdict).toBe("pass");
    expect(repo.comms("check").stdout).toContain("accepted");
  });

  test("without a reason, --accept writes a placeholder that check keeps pointing at", () => {
    repo.write("comms.yaml", CONFIG);
    expect(repo.comms("check", "--accept").code).toBe(0);
    expect(repo.read("comms.yaml")).toContain('reason: "TODO: why this break is acceptable"');
    const { out } = repo.json("check");
    expect(out.results[0].notes).toEqual(["accept entry (comms.yaml:9) for FIELD_REMOVED still has a placeholder reason; say why this break is acceptable"]);
  });

  test("bumped to 2.0.0: check passes without any accept entry, and release records 2.0.0", () => {
    repo.write("comms.yaml", CONFIG.replace("    path: api/schema.graphql\n", "    path: api/schema.graphql\n    version: 2.0.0\n"));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].findings[0]).toMatchObject({ rule: "FIELD_REMOVED", accepted: { reason: "new major version 2.0.0 (was 1.1.0)" } });
    expect(out.results[0].new.version).toBe("2.0.0");
    const r = repo.comms("release", "users");
    expect(r.stdout).toBe("released users@2.0.0 (major: 1 change since 1.1.0) in .comms/users/2.0.0\n");
  });

  test("an accept entry that matches nothing is reported as stale", () => {
    repo.write("comms.yaml", `${CONFIG.replace("    path: api/schema.graphql\n", "    path: api/schema.graphql\n    version: 2.0.0\n")}policy:\n  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: gone }\n`);
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].notes).toEqual(["stale accept entry (comms.yaml:10): FIELD_REMOVED at User.email matches no finding; remove it"]);
  });

  test("log lists the versions with a one-line summary, and a markdown changelog", () => {
    const r = repo.comms("log", "users");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("users (graphql)");
    expect(lines[1]).toMatch(/^ {2}2\.0\.0 {2}\d{4}-\d\d-\d\d {2}(?:[0-9a-f]{7} {2})?1 breaking: Field 'email' was removed from object type 'User'$/);
    expect(lines[2]).toMatch(/^ {2}1\.1\.0 {2}\d{4}-\d\d-\d\d {2}(?:[0-9a-f]{7} {2})?1 safe: Field 'nick' was added to object type 'User'$/);
    expect(lines[3]).toMatch(/^ {2}1\.0\.0 {2}\d{4}-\d\d-\d\d {2}(?:[0-9a-f]{7} {2})?first release$/);
    const md = repo.comms("log", "--format", "markdown").stdout;
    expect(md).toContain("# Changelog\n\n## users\n\n### 2.0.0 (");
    expect(md).toContain("**Breaking changes**\n\n- Field 'email' was removed from object type 'User' `FIELD_REMOVED`\n");
    expect(md).toContain("**Other changes**\n\n- Field 'nick' was added to object type 'User' `FIELD_ADDED`\n");
  });
});

describe("the same gate through a real pre-commit hook", () => {
  test("hook install keeps the existing hook and chains to it; installing twice changes nothing", () => {
    repo.git("add", "-A");
    expect(repo.git("commit", "-qm", "v2").code).toBe(0);
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho previous hook ran >> .git/previous-hook.log\n");
    chmodSync(`${repo.dir}/.git/hooks/pre-commit`, 0o755);
    const r = repo.comms("hook", "install", "--command", SELF);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("the previous hook now runs first from pre-commit.pre-comms");
    const hook = repo.read(".git/hooks/pre-commit");
    expect(hook).toContain("check --staged");
    expect(repo.read(".git/hooks/pre-commit.pre-comms")).toContain("previous hook ran");
    const again = repo.comms("hook", "install", "--command", SELF);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already installed");
    expect(repo.read(".git/hooks/pre-commit")).toBe(hook);
  });

  test("check --staged with no contract change returns at once", () => {
    repo.write("README.md", "# users\n");
    repo.git("add", "README.md");
    const r = repo.comms("check", "--staged");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("comms: no change to any contract; nothing to check\n");
    expect(repo.git("commit", "-qm", "docs").code).toBe(0);
    expect(repo.read(".git/previous-hook.log")).toBe("previous hook ran\n");
  });

  test("a staged breaking change blocks the commit, even when the working tree was reverted", () => {
    const head = repo.git("rev-parse", "HEAD").stdout;
    repo.write("api/schema.graphql", withoutEmail.replace("  name: String\n", ""));
    repo.git("add", "api/schema.graphql");
    // The index holds the break; the working tree does not: the hook must judge what is committed.
    repo.write("api/schema.graphql", withoutEmail);
    const commit = repo.git("commit", "-qm", "drop name");
    expect(commit.code).toBe(1);
    expect(commit.stdout + commit.stderr).toMatch(/api\/schema\.graphql:\d+:\d+\s+breaking\s+FIELD_REMOVED\s+Field 'name' was removed/);
    // The blocked commit ends with what to do next.
    expect(commit.stderr).toContain("comms: what to do next:\n  users:\n    breaking changes need a new major version: set contracts.users.version to 3.0.0 (comms.yaml:7), then run: comms release users\n");
    expect(commit.stderr).toContain('    or, once reviewed, accept the change: comms check users --accept --reason "why no consumer is affected" (an accepted break still makes the next release major)\n      records FIELD_REMOVED at User.name\n    why: comms rules FIELD_REMOVED, comms rules version-not-bumped\n');
    expect(repo.git("rev-parse", "HEAD").stdout).toBe(head);
    expect(repo.comms("check").code).toBe(0);
    const staged = repo.json("check", "--staged");
    expect(staged.code).toBe(1);
    expect(staged.out.results[0].new.ref).toBe("staged");
  });

  test("file arguments check the owning contract in the working tree; with --staged, as staged", () => {
    // The working tree has no break; the index has one.
    expect(repo.comms("check", "api/schema.graphql").code).toBe(0);
    expect(repo.comms("check", "api").code).toBe(0);
    expect(repo.comms("check", "--staged", "api/schema.graphql").code).toBe(1);
    expect(repo.comms("check", "README.md").code).toBe(0);
    // An unstaged break is seen by a plain check of the file, never reported as "no changes".
    repo.write("api/schema.graphql", withoutEmail.replace("  id: ID!\n", "  id: String!\n"));
    const unstaged = repo.comms("check", "api/schema.graphql");
    expect(unstaged.code).toBe(1);
    expect(unstaged.stdout).toContain("FIELD_TYPE_CHANGED");
    expect(unstaged.stderr).not.toContain("nothing to check");
    repo.write("api/schema.graphql", withoutEmail);
  });

  test("check --help documents the positional arguments and --mode", () => {
    const help = repo.comms("check", "--help").stdout;
    expect(help).toMatch(/USAGE comms check .*\[TARGETS\]/);
    expect(help).toContain("Contract names from comms.yaml, or files and folders");
    expect(help).toContain("--mode");
  });

  test("accepted with a reason and staged, the commit still needs the major version the break calls for", () => {
    expect(repo.comms("check", "--staged", "--accept", "--reason", "name moved to profile").code).toBe(1);
    expect(repo.read("comms.yaml")).toContain("{ contract: users, rule: FIELD_REMOVED, path: User.name, reason: name moved to profile }");
    // --staged judges what will be committed: the entry counts once comms.yaml is staged with it.
    const unstaged = repo.json("check", "--staged");
    expect(unstaged.out.results[0].findings[0].accepted).toBeUndefined();
    expect(unstaged.out.results.flatMap((r: any) => r.notes ?? []).join("\n")).toContain("differs from the staged one");
    repo.git("add", "comms.yaml");
    const { out } = repo.json("check", "--staged");
    expect(out.results[0].findings.map((f: any) => [f.rule, f.accepted ? "accepted" : f.severity])).toEqual([
      ["FIELD_REMOVED", "accepted"],
      ["version-not-bumped", "breaking"],
    ]);
    expect(out.results[0].findings[1].message).toBe(
      "accepted breaking changes still need a major version: 1 accepted breaking change since 2.0.0, but the declared version is 2.0.0 (was 2.0.0; expected 3.0.0 or later)",
    );
    expect(out.results[0].suggestedBump).toBe("major");
    repo.write("comms.yaml", repo.read("comms.yaml").replace("version: 2.0.0", "version: 3.0.0"));
    repo.git("add", "comms.yaml", "api/schema.graphql");
    const commit = repo.git("commit", "-qm", "drop name");
    expect(commit.code).toBe(0);
    expect(repo.git("log", "--format=%s", "-1").stdout.trim()).toBe("drop name");
  });
});

describe("check --against a git ref", () => {
  test("compares with the contract at that ref", () => {
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("api/schema.graphql", withoutEmail.replace("  id: ID!\n", "  id: String!\n"));
    const { code, out } = repo.json("check", "--against", "main");
    expect(code).toBe(1);
    expect(out.results[0].old).toEqual({ ref: "main", version: "3.0.0" });
    // comms.yaml at main already declares 3.0.0, so the new break needs 4.0.0.
    expect(out.results[0].findings.map((f: any) => [f.rule, f.path])).toEqual([
      ["FIELD_TYPE_CHANGED", "User.id"],
      ["version-not-bumped", "contracts.users.version"],
    ]);
  });

  test("an unknown ref is exit 2 naming the ref", () => {
    const r = repo.comms("check", "--against", "no-such-branch");
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("comms: unknown git ref 'no-such-branch'\n");
  });
});
