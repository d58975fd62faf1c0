import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { fileHash, snapshotHash } from "../../src/registry/hash.ts";
import { runCli } from "../helpers/cli.ts";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

// The change under review cannot switch the gate off: comms.yaml is judged against its version at the
// base ref (--against) or at HEAD, and released history against the commits that released it.

/** Each test spawns comms a dozen times in real repositories; a busy machine needs room. */
const SLOW = 180_000;

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
}, SLOW);

const BREAKING = SCHEMA_V1.replace("  email: String\n", "");
const CONFIG = `contracts:
  users: { kind: graphql, path: schema.graphql }
policy:
  compatibility: backward
`;

/** A repository with `users` released and committed on main. */
function released(config = CONFIG, extra: Record<string, string> = {}): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  repo.write("comms.yaml", config);
  repo.write("schema.graphql", SCHEMA_V1);
  for (const [p, t] of Object.entries(extra)) repo.write(p, t);
  for (const name of Object.keys(extraContracts(config))) expect(repo.comms("release", name).code).toBe(0);
  repo.git("add", "-A");
  expect(repo.git("commit", "-q", "--no-verify", "-m", "release").code).toBe(0);
  return repo;
}

/** Contract names declared in a test config (one `name: {` per line). */
function extraContracts(config: string): Record<string, true> {
  const out: Record<string, true> = {};
  for (const m of config.matchAll(/^ {2}([\w-]+): \{ kind/gm)) out[m[1]!] = true;
  return out;
}

/** The same edit committed on a branch, for `--against main`. */
function onBranch(repo: TempRepo): void {
  expect(repo.git("checkout", "-q", "-b", "change").code).toBe(0);
  repo.git("add", "-A");
  expect(repo.git("commit", "-q", "--no-verify", "-m", "change").code).toBe(0);
}

interface Row {
  contract: string;
  rule: string;
  path: string;
  at?: string;
  accepted?: boolean;
  message: string;
}

/** Findings about the configuration (policy-* and contract-*), with their location. */
function configFindings(out: any): Row[] {
  const rows: Row[] = [];
  for (const r of out.results) {
    for (const f of r.findings) {
      if (!/^(policy|contract)-/.test(f.rule) || f.rule === "version-not-bumped") continue;
      rows.push({ contract: r.contract, rule: f.rule, path: f.path, at: f.new ? `${f.new.file}:${f.new.line}:${f.new.column}` : undefined, accepted: !!f.accepted, message: f.message });
    }
  }
  return rows;
}

/** Runs `check` in release mode and, committed on a branch, with `--against main`; both must agree. */
function bothModes(repo: TempRepo, expectRows: (rows: Row[], mode: string) => void, code = 1): void {
  const release = repo.json("check");
  expect(release.code).toBe(code);
  expectRows(configFindings(release.out), "release");
  onBranch(repo);
  const against = repo.json("check", "--against", "main");
  expect(against.code).toBe(code);
  expectRows(configFindings(against.out), "against");
}

describe("the configuration is judged against its trusted version", () => {
  test("policy.compatibility: none next to a breaking edit fails at its comms.yaml line, in release mode and --against main", () => {
    const repo = released();
    repo.write("comms.yaml", CONFIG.replace("compatibility: backward", "compatibility: none"));
    repo.write("schema.graphql", BREAKING);
    bothModes(repo, (rows, mode) => {
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ contract: "comms.yaml", rule: "policy-compatibility-loosened", path: "policy.compatibility", at: "comms.yaml:4:18" });
      expect(rows[0]!.message).toContain(`from backward (${mode === "release" ? "HEAD" : "main"}:comms.yaml:4) to none`);
    });
    // Every reporter carries it: SARIF names it as a policy rule, text shows file:line:col.
    const sarif = JSON.parse(repo.comms("check", "--against", "main", "--format", "sarif").stdout);
    const ids = sarif.runs[0].results.map((r: any) => r.ruleId);
    expect(ids).toContain("policy/policy-compatibility-loosened");
    const loc = sarif.runs[0].results.find((r: any) => r.ruleId === "policy/policy-compatibility-loosened").locations[0].physicalLocation;
    expect([loc.artifactLocation.uri, loc.region.startLine]).toEqual(["comms.yaml", 4]);
    const text = repo.comms("check", "--against", "main");
    expect(text.stdout).toContain("comms.yaml:4:18  breaking  policy-compatibility-loosened");
    expect(text.stderr).toContain("comms rules policy-compatibility-loosened");
  }, SLOW);

  test("a contract's own compatibility: none fails on that contract's result", () => {
    const repo = released();
    repo.write("comms.yaml", CONFIG.replace("path: schema.graphql }", "path: schema.graphql, compatibility: none }"));
    repo.write("schema.graphql", BREAKING);
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.contract, r.rule, r.path, r.at])).toEqual([["users", "policy-compatibility-loosened", "contracts.users.compatibility", "comms.yaml:2:64"]]);
    });
  }, SLOW);

  test("backward to forward is a change of meaning and is reported; tightening is not", () => {
    const repo = released();
    repo.write("comms.yaml", CONFIG.replace("compatibility: backward", "compatibility: forward"));
    const r = repo.json("check");
    expect(r.code).toBe(1);
    expect(configFindings(r.out)[0]!.message).toContain("change of meaning");
    repo.write("comms.yaml", CONFIG.replace("compatibility: backward", "compatibility: full-transitive"));
    const tight = repo.json("check");
    expect(tight.code).toBe(0);
    expect(configFindings(tight.out)).toEqual([]);
  }, SLOW);

  test("a lowered OpenAPI rule level fails at the level's line", () => {
    const api = (extra: string) =>
      `openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths:\n  /u:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id: { type: string }\n${extra}`;
    const config = "contracts:\n  api: { kind: openapi, path: api.yaml }\n";
    const repo = released(config, { "api.yaml": api("                  email: { type: string }\n") });
    repo.write("api.yaml", api(""));
    repo.write("comms.yaml", `${config}policy:\n  openapi:\n    levels:\n      response-property-removed: INFO\n`);
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.rule, r.path, r.at])).toEqual([["policy-rule-lowered", "policy.openapi.levels.response-property-removed", "comms.yaml:6:34"]]);
      expect(rows[0]!.message).toContain("from ERR");
    });
  }, SLOW);

  test("a buf.yaml beside the protos that drops a rule fails on that contract, at the file", () => {
    const proto = (fields: string) => `syntax = "proto3";\npackage acme.v1;\nmessage User {\n  string id = 1;\n${fields}}\n`;
    const config = "contracts:\n  grpc: { kind: protobuf, path: proto, version: 1.0.0 }\n";
    const repo = released(config, { "proto/buf.yaml": "version: v1\n", "proto/user.proto": proto("  string email = 2;\n") });
    repo.write("proto/user.proto", proto(""));
    repo.write("proto/buf.yaml", "version: v1\nbreaking:\n  except: [FIELD_NO_DELETE]\n");
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.contract, r.rule, r.path, r.at])).toEqual([["grpc", "policy-rule-lowered", "proto/buf.yaml#breaking.except", "proto/buf.yaml:3:3"]]);
      expect(rows[0]!.message).toContain("FIELD_NO_DELETE");
      expect(rows[0]!.message).toContain("was except not set at");
    });
  }, SLOW);

  test("raised fail-on, lenient JSON Schema, shorter deprecation min-days: one finding each, at their lines", () => {
    const base = `${CONFIG}  fail-on: dangerous\n  deprecation: { min-days: 30 }\n`;
    const repo = released(base);
    repo.write("comms.yaml", `${CONFIG}  fail-on: breaking\n  deprecation: { min-days: 1 }\n  jsonschema: { lenient: true }\n`);
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.rule, r.path, r.at])).toEqual([
        ["policy-fail-on-raised", "policy.fail-on", "comms.yaml:5:12"],
        ["policy-deprecation-shortened", "policy.deprecation.min-days", "comms.yaml:6:28"],
        ["policy-lenient-enabled", "policy.jsonschema.lenient", "comms.yaml:7:26"],
      ]);
      expect(rows[0]!.message).toContain("from dangerous");
      expect(rows[1]!.message).toContain("from 30");
    });
  }, SLOW);

  test("a widened accept entry fails even though it accepts the break; an exact new entry does not", () => {
    const repo = released();
    repo.write("schema.graphql", BREAKING);
    repo.write("comms.yaml", `${CONFIG}  accept:\n    - { rule: "*", path: "*", reason: later }\n`);
    const wide = repo.json("check");
    expect(wide.code).toBe(1);
    expect(configFindings(wide.out).map((r) => [r.rule, r.path, r.at])).toEqual([["policy-accept-widened", "policy.accept[*:*:*]", "comms.yaml:6:7"]]);
    // The usual review flow: one entry naming the break exactly.
    repo.write("comms.yaml", `${CONFIG}  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: nobody reads it }\n`);
    const exact = repo.json("check", "users");
    expect(configFindings(exact.out)).toEqual([]);
    expect(exact.out.results[0].findings.find((f: any) => f.rule === "FIELD_REMOVED").accepted.reason).toBe("nobody reads it");
  }, SLOW);

  test("an accept entry whose until date is extended is widened", () => {
    const entry = (until: string) => `${CONFIG}  accept:\n    - { contract: users, rule: FIELD_REMOVED, path: User.email, reason: r, until: ${until} }\n`;
    const repo = released(entry("2099-01-01"));
    repo.write("comms.yaml", entry("2199-01-01"));
    const r = repo.json("check");
    expect(r.code).toBe(1);
    const rows = configFindings(r.out);
    expect(rows.map((x) => x.rule)).toEqual(["policy-accept-widened"]);
    expect(rows[0]!.message).toContain("until 2099-01-01");
  }, SLOW);

  test("a contract removed from comms.yaml is named in the report and fails", () => {
    const two = `contracts:\n  users: { kind: graphql, path: schema.graphql }\n  orders: { kind: graphql, path: orders.graphql }\n`;
    const repo = released(two, { "orders.graphql": "type Query { order: String }\n" });
    repo.write("comms.yaml", "contracts:\n  users: { kind: graphql, path: schema.graphql }\n");
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.contract, r.rule, r.path, r.at])).toEqual([["orders", "contract-removed", "contracts.orders", "comms.yaml:1:1"]]);
    });
  }, SLOW);

  test("a renamed contract and a re-pointed one are findings", () => {
    const repo = released();
    repo.write("comms.yaml", CONFIG.replace("  users:", "  people:"));
    bothModes(repo, (rows) => {
      expect(rows.map((r) => [r.contract, r.rule, r.path, r.at])).toEqual([["users", "contract-renamed", "contracts.users", "comms.yaml:2:3"]]);
      expect(rows[0]!.message).toContain("'people'");
    });
    const moved = released();
    moved.write("v2.graphql", BREAKING);
    moved.write("comms.yaml", CONFIG.replace("path: schema.graphql", "path: v2.graphql"));
    bothModes(moved, (rows) => {
      expect(rows.map((r) => [r.contract, r.rule, r.path, r.at])).toEqual([["users", "contract-repointed", "contracts.users.path", "comms.yaml:2:33"]]);
      expect(rows[0]!.message).toContain("was schema.graphql");
    });
  }, SLOW);

  test("the registry moved to an empty folder fails, though every contract then has no release", () => {
    const repo = released();
    repo.write("comms.yaml", `${CONFIG}registry: .empty\n`);
    repo.write("schema.graphql", BREAKING);
    const r = repo.json("check");
    expect(r.code).toBe(1);
    expect(configFindings(r.out).map((x) => [x.rule, x.path, x.at])).toEqual([["policy-registry-moved", "registry", "comms.yaml:5:11"]]);
    expect(r.out.results[0].notes.join("\n")).toContain("no release yet");
  }, SLOW);

  test("a reviewer accepts a weakening through policy.accept, by rule and path exactly", () => {
    const repo = released();
    const loosened = CONFIG.replace("compatibility: backward", "compatibility: none");
    repo.write("schema.graphql", BREAKING);
    // A wildcard does not accept the gate's own findings.
    repo.write("comms.yaml", `${loosened}  accept:\n    - { rule: "policy-*", path: "*", reason: all }\n`);
    const wild = repo.json("check");
    expect(wild.code).toBe(1);
    expect(configFindings(wild.out).every((r) => !r.accepted)).toBe(true);
    repo.write("comms.yaml", `${loosened}  accept:\n    - { rule: policy-compatibility-loosened, path: policy.compatibility, reason: contracts are drafts until launch }\n`);
    bothModes(
      repo,
      (rows) => {
        expect(rows.map((r) => [r.rule, r.accepted])).toEqual([["policy-compatibility-loosened", true]]);
      },
      0,
    );
  }, SLOW);

  test("comms check --accept records the configuration's findings without a contract, and then passes", () => {
    const repo = released();
    repo.write("comms.yaml", CONFIG.replace("compatibility: backward", "compatibility: none"));
    expect(repo.comms("check").code).toBe(1);
    const r = repo.comms("check", "--accept", "--reason", "reviewed");
    expect(r.code).toBe(0);
    expect(repo.read("comms.yaml")).toContain("rule: policy-compatibility-loosened");
    expect(repo.read("comms.yaml")).not.toContain("contract: comms.yaml");
  }, SLOW);
});

/** Rewrites a released snapshot the way an attacker would: new content, hashes recomputed in the index. */
function forgeRelease(repo: TempRepo, content: string): void {
  const file = ".comms/users/1.0.0/schema.graphql";
  repo.write(file, content);
  const index = JSON.parse(repo.read(".comms/index.json"));
  const entry = index.releases[0];
  entry.hash = snapshotHash({ "schema.graphql": content });
  entry.fileHashes = { "schema.graphql": fileHash(content) };
  repo.write(".comms/index.json", `${JSON.stringify(index, null, 2)}\n`);
}

describe("released history is immutable in git", () => {
  test("a snapshot overwritten with recomputed hashes, in the working tree: exit 2 naming the file and the release commit", () => {
    const repo = released();
    const releaseCommit = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    forgeRelease(repo, BREAKING);
    repo.write("schema.graphql", BREAKING);
    // Without the history check this reads as "no changes".
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(".comms/users/1.0.0/schema.graphql: the released snapshot users@1.0.0 was changed in the working tree");
    expect(r.stderr).toContain(`released in commit ${releaseCommit}`);
    repo.git("add", "-A");
    const staged = repo.comms("check", "--staged");
    expect(staged.code).toBe(2);
    expect(staged.stderr).toContain(`released in commit ${releaseCommit}`);
    const log = repo.comms("log");
    expect(log.code).toBe(2);
    expect(log.stderr).toContain(`released in commit ${releaseCommit}`);
  }, SLOW);

  test("committed in a later commit: exit 2 naming both commits, in release mode, --against and comms log", () => {
    const repo = released();
    const releaseCommit = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    forgeRelease(repo, BREAKING);
    repo.write("schema.graphql", BREAKING);
    onBranch(repo);
    const forged = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    for (const args of [["check"], ["check", "--against", "main"], ["log"]]) {
      const r = repo.comms(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`was changed in commit ${forged}; it was released in commit ${releaseCommit}`);
    }
  }, SLOW);

  test("an edit made while merging is seen too", () => {
    const repo = released();
    const releaseCommit = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    repo.git("checkout", "-q", "-b", "side");
    repo.write("notes.txt", "side\n");
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "side");
    repo.git("checkout", "-q", "main");
    repo.write("other.txt", "main\n");
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "main");
    repo.git("merge", "-q", "--no-commit", "side");
    forgeRelease(repo, BREAKING);
    repo.write("schema.graphql", BREAKING);
    repo.git("add", "-A");
    expect(repo.git("commit", "-q", "--no-verify", "-m", "merge").code).toBe(0);
    const merge = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`was changed in commit ${merge}; it was released in commit ${releaseCommit}`);
  }, SLOW);

  test("--against a base that released more since the branch forked is not a deletion", () => {
    const repo = released();
    repo.git("checkout", "-q", "-b", "behind");
    repo.git("checkout", "-q", "main");
    repo.write("schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n"));
    expect(repo.comms("release", "users").code).toBe(0);
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "1.1.0");
    repo.git("checkout", "-q", "behind");
    // Compared with main the contract lost main's new field (exit 1), but no released file is missing.
    const behind = repo.comms("check", "--against", "main");
    expect(behind.code).toBe(1);
    expect(behind.stdout).toContain("FIELD_REMOVED");
    expect(behind.stderr).not.toContain("released snapshot");
    // A release deleted on the branch itself is refused.
    rmSync(`${repo.dir}/.comms/users/1.0.0`, { recursive: true, force: true });
    repo.write(".comms/index.json", `${JSON.stringify({ version: 1, releases: [] }, null, 2)}\n`);
    const r = repo.comms("check", "--against", "main");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("users@1.0.0 was deleted in the working tree");
  }, SLOW);

  test("the whole registry deleted is exit 2, not 'no release yet'", () => {
    const repo = released();
    const releaseCommit = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    rmSync(`${repo.dir}/.comms`, { recursive: true, force: true });
    repo.write("schema.graphql", BREAKING);
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`users@1.0.0 was deleted in the working tree; it was released in commit ${releaseCommit}`);
  }, SLOW);

  test("an index entry edited alone (an older release date) is exit 2 naming the release commit", () => {
    const repo = released();
    const releaseCommit = repo.git("rev-parse", "HEAD").stdout.trim().slice(0, 12);
    const index = JSON.parse(repo.read(".comms/index.json"));
    index.releases[0].date = "2001-01-01T00:00:00.000Z";
    repo.write(".comms/index.json", `${JSON.stringify(index, null, 2)}\n`);
    const r = repo.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the index entry of the released snapshot users@1.0.0 was changed in the working tree; it was released in commit ${releaseCommit}`);
  }, SLOW);

  test("a new release not yet committed is legitimate, and so is committing it", () => {
    const repo = released();
    repo.write("schema.graphql", BREAKING);
    expect(repo.comms("release", "users").code).toBe(0);
    expect(repo.comms("check").code).toBe(0);
    repo.git("add", "-A");
    expect(repo.comms("check", "--staged").code).toBe(0);
    expect(repo.git("commit", "-q", "--no-verify", "-m", "v2").code).toBe(0);
    expect(repo.comms("check").code).toBe(0);
    expect(repo.comms("log").code).toBe(0);
  }, SLOW);

  test("a shallow clone passes with what it has, and still refuses a rewrite in the working tree", () => {
    const repo = released();
    repo.write("schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n"));
    repo.git("add", "-A");
    repo.git("commit", "-q", "--no-verify", "-m", "nick");
    const clone = new TempRepo();
    repos.push(clone);
    rmSync(clone.dir, { recursive: true, force: true });
    expect(Bun.spawnSync(["git", "clone", "-q", "--depth", "1", `file://${repo.dir}`, clone.dir]).exitCode).toBe(0);
    const ok = clone.json("check");
    expect(ok.code).toBe(0);
    expect(ok.out.results[0].notes.join("\n")).toContain("shallow clone");
    forgeRelease(clone, BREAKING);
    const r = clone.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the oldest commit of this shallow clone");
  }, SLOW);

  test("outside git: the registry's own hashes are checked and a note says history is not", () => {
    const repo = released();
    rmSync(`${repo.dir}/.git`, { recursive: true, force: true });
    const r = repo.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].notes.join("\n")).toContain("not a git repository");
  }, SLOW);
});

test("comms rules explains the configuration's rules", () => {
  for (const id of ["policy-compatibility-loosened", "policy-accept-widened", "contract-removed", "policy-registry-moved"]) {
    const r = runCli(["rules", id]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`policy/${id}  (policy, breaking, config)`);
    expect(r.stdout).toContain("How to fix:");
  }
}, SLOW);
