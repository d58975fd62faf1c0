import { afterAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";
import { TempRepo } from "./gate-helpers.ts";

// Deprecation before removal, with the dates taken from the registry history.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const v1 = "type Query {\n  user: User\n}\n\ntype User {\n  id: ID!\n  legacy: String\n  name: String\n}\n";
const v2 = v1.replace("  legacy: String\n", '  legacy: String @deprecated(reason: "use name")\n');
const removed = v1.replace("  legacy: String\n", "");
const config = (policy = "") => `contracts:\n  users: { kind: graphql, path: schema.graphql }\n${policy}`;

function finding(): { code: number; f: any } {
  const { code, out } = repo.json("check");
  return { code, f: out.results[0].findings.find((x: any) => x.path === "User.legacy") };
}

describe("removing a deprecated field", () => {
  test("setup: 1.0.0 has the field, 1.1.0 deprecates it", () => {
    repo.write("comms.yaml", config());
    repo.write("schema.graphql", v1);
    expect(repo.comms("release", "users").code).toBe(0);
    repo.write("schema.graphql", v2);
    expect(repo.comms("release", "users").code).toBe(0);
    repo.write("schema.graphql", removed);
  });

  test("by default (min-days 30) a deprecation released today is too young: the removal stays breaking", () => {
    const { code, f } = finding();
    expect(code).toBe(1);
    expect(f).toMatchObject({ rule: "FIELD_REMOVED", severity: "breaking", note: "deprecated in 1.1.0 only 0 days ago; removal needs at least 30 (policy.deprecation.min-days)" });
  });

  test("COMMS_NOW pins today: 30 days after the deprecation was released, the removal is safe", () => {
    const later = new Date(Date.now() + 31 * 86_400_000).toISOString().slice(0, 10);
    const r = runCli(["check", "--format", "json"], { cwd: repo.dir, env: { COMMS_NOW: later } });
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).results[0].findings.find((x: any) => x.path === "User.legacy");
    expect(f.severity).toBe("safe");
    expect(f.note).toMatch(/^deprecated since 1\.1\.0 \(\d{4}-\d\d-\d\d, 31 days ago\)$/);
  });

  test("with min-days 0 any released deprecation softens the removal, and the bump is still minor", () => {
    repo.write("comms.yaml", config("policy:\n  deprecation: { min-days: 0 }\n"));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    const f = out.results[0].findings.find((x: any) => x.path === "User.legacy");
    expect(f).toMatchObject({ rule: "FIELD_REMOVED", severity: "safe" });
    expect(out.results[0].suggestedBump).toBe("minor");
    repo.write("comms.yaml", config("policy:\n  deprecation: { min-days: 30 }\n"));
  });

  test("a plain diff of two files has no release history: the removal is breaking, with a note", () => {
    repo.write("old.graphql", v2);
    repo.write("new.graphql", removed);
    const r = repo.json("diff", "old.graphql", "new.graphql");
    expect(r.code).toBe(1);
    expect(r.out.results[0].findings[0]).toMatchObject({
      rule: "FIELD_REMOVED",
      severity: "breaking",
      note: "deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated",
    });
  });

  test("the age counts from the first release that deprecated it", () => {
    const index = JSON.parse(repo.read(".comms/index.json"));
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    index.releases[0].date = day(90);
    index.releases[1].date = day(45);
    writeFileSync(join(repo.dir, ".comms/index.json"), JSON.stringify(index, null, 2));
    const { code, f } = finding();
    expect(code).toBe(0);
    expect(f.severity).toBe("safe");
    expect(f.note).toMatch(/^deprecated since 1\.1\.0 \(\d{4}-\d\d-\d\d, 45 days ago\)$/);
  });

  test("diff from a release judges with the releases up to it, as check does; from a plain file it cannot", () => {
    const fromRelease = repo.json("diff", "users@1.1.0", "schema.graphql");
    expect(fromRelease.code).toBe(0);
    expect(fromRelease.out.results[0].findings[0]).toMatchObject({ rule: "FIELD_REMOVED", severity: "safe" });
    const fromFile = repo.json("diff", "old.graphql", "schema.graphql");
    expect(fromFile.code).toBe(1);
    expect(fromFile.out.results[0].findings[0]).toMatchObject({ rule: "FIELD_REMOVED", severity: "breaking" });
  });

  test("a field that was never deprecated stays breaking", () => {
    repo.write("schema.graphql", removed.replace("  name: String\n", ""));
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    expect(out.results[0].findings.find((x: any) => x.path === "User.name")).toMatchObject({ severity: "breaking" });
  });
});
