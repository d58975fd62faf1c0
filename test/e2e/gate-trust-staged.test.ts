import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

// Pre-commit judges what will be committed: the comms.yaml staged in the index is the policy applied and
// the one compared with HEAD, whatever the working tree's says. Each test stages a real edit with
// `git add` and leaves the working tree different.

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
const LOOSE = CONFIG.replace("compatibility: backward", "compatibility: none");

function released(): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  repo.write("comms.yaml", CONFIG);
  repo.write("schema.graphql", SCHEMA_V1);
  expect(repo.comms("release", "users").code).toBe(0);
  repo.git("add", "-A");
  expect(repo.git("commit", "-q", "--no-verify", "-m", "release").code).toBe(0);
  return repo;
}

const rules = (out: any) => out.results.flatMap((r: any) => r.findings.map((f: any) => [r.contract, f.rule, f.new ? `${f.new.file}:${f.new.line}:${f.new.column}` : undefined]));
const notes = (out: any): string[] => out.results.flatMap((r: any) => r.notes ?? []);

describe("--staged judges the staged comms.yaml", () => {
  test("a loosening staged while the working tree looks strict fails, with a note that they differ", () => {
    const repo = released();
    repo.write("comms.yaml", LOOSE);
    expect(repo.git("add", "comms.yaml").code).toBe(0);
    // The working tree goes back to the strict text; only the index holds the loosening.
    repo.write("comms.yaml", CONFIG);
    const r = repo.json("check", "--staged");
    expect(r.code).toBe(1);
    expect(rules(r.out)).toEqual([["comms.yaml", "policy-compatibility-loosened", "comms.yaml:4:18"]]);
    expect(r.out.results.find((x: any) => x.kind === "policy").findings[0].message).toContain("from backward (HEAD:comms.yaml:4) to none");
    expect(notes(r.out).some((n) => n.includes("differs from the staged one"))).toBe(true);
    // The working tree alone is as HEAD: no finding, no note.
    const plain = repo.json("check");
    expect(plain.code).toBe(0);
    expect(rules(plain.out)).toEqual([]);
  }, SLOW);

  test("a loosening in the working tree only does not clear a staged break: the staged policy applies", () => {
    const repo = released();
    repo.write("schema.graphql", BREAKING);
    expect(repo.git("add", "schema.graphql").code).toBe(0);
    // Unstaged: compatibility none and an exact accept of its own finding, which would let the break through.
    repo.write("comms.yaml", `${LOOSE}  accept:\n    - { rule: policy-compatibility-loosened, path: policy.compatibility, reason: r }\n`);
    expect(repo.json("check").code).toBe(0);
    const r = repo.json("check", "--staged");
    expect(r.code).toBe(1);
    expect(rules(r.out)).toEqual([["users", "FIELD_REMOVED", "schema.graphql:5:1"]]);
    expect(notes(r.out).some((n) => n.includes("differs from the staged one"))).toBe(true);
  }, SLOW);

  test("a contract dropped from the working tree's comms.yaml only: its staged break is still checked", () => {
    const repo = released();
    repo.write("schema.graphql", BREAKING);
    expect(repo.git("add", "schema.graphql").code).toBe(0);
    // Unstaged: the contract is no longer declared, so the working tree's comms.yaml owns no staged file.
    repo.write("comms.yaml", "contracts: {}\n");
    const r = repo.json("check", "--staged");
    expect(r.code).toBe(1);
    expect(rules(r.out)).toEqual([["users", "FIELD_REMOVED", "schema.graphql:5:1"]]);
  }, SLOW);

  test("the same comms.yaml in both: no note; a staged loosening and working tree alike fails as before", () => {
    const repo = released();
    repo.write("comms.yaml", LOOSE);
    expect(repo.git("add", "comms.yaml").code).toBe(0);
    const r = repo.json("check", "--staged");
    expect(r.code).toBe(1);
    expect(rules(r.out)).toEqual([["comms.yaml", "policy-compatibility-loosened", "comms.yaml:4:18"]]);
    expect(notes(r.out).some((n) => n.includes("differs from the staged one"))).toBe(false);
  }, SLOW);

  test("a staged comms.yaml that reaches outside the project is refused like the working tree's", () => {
    const repo = released();
    repo.write("comms.yaml", `${CONFIG}registry: ../elsewhere\n`);
    expect(repo.git("add", "comms.yaml").code).toBe(0);
    repo.write("comms.yaml", CONFIG);
    const r = repo.comms("check", "--staged");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("outside the project root");
  }, SLOW);
});
