import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { MAIN } from "../helpers/cli.ts";
import { Attack, refusedSafely, SCHEMA_V1, timed } from "./helpers.ts";
import { expectBounded } from "../helpers/guard.ts";

// The registry under attack and failure: releases are immutable and verified on every read, a release
// never deletes what comms did not create, and locks and leftovers of killed releases heal themselves.

let a: Attack;
beforeEach(() => {
  a = new Attack();
  a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n  other: { kind: graphql, path: other.graphql }\n");
  a.repo.write("schema.graphql", SCHEMA_V1);
  a.repo.write("other.graphql", SCHEMA_V1);
});
afterEach(() => a.cleanup());

const BROKEN = SCHEMA_V1.replace("  email: String\n", "");

describe("integrity: releases are immutable", () => {
  test("copying the new contract over the released snapshot does not turn a failing check into a pass", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", BROKEN);
    expect(a.comms("check").code).toBe(1);
    a.repo.write(".comms/graph/1.0.0/schema.graphql", BROKEN);
    const needle = ".comms/graph/1.0.0/schema.graphql: the released snapshot graph@1.0.0 was modified";
    refusedSafely(a.comms("check"), needle);
    refusedSafely(a.comms("diff", "graph@1.0.0", "schema.graphql"), needle);
    refusedSafely(a.comms("release", "graph"), needle);
  });

  test("an index emptied, or given a second empty releases list, while snapshots remain does not skip the gate", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", BROKEN);
    expect(a.comms("check").code).toBe(1);
    const index = a.repo.read(".comms/index.json");
    a.repo.write(".comms/index.json", '{"version": 1, "releases": []}\n');
    const unlisted = ".comms/index.json:1:1: the registry index does not list released snapshots in .comms (graph/1.0.0)";
    refusedSafely(a.comms("check"), unlisted);
    refusedSafely(a.comms("log"), unlisted);
    refusedSafely(a.comms("release", "graph"), unlisted);
    a.repo.write(".comms/index.json", index.replace(/\n}\n$/, ',\n  "releases": []\n}\n'));
    const lines = a.repo.read(".comms/index.json").split("\n").length - 2;
    refusedSafely(a.comms("check"), `.comms/index.json:${lines}:3: the registry index repeats the key 'releases' (first at line 3, column 3)`);
    a.repo.write(".comms/index.json", index);
    expect(a.comms("check").code).toBe(1);
  });

  test("a modified snapshot is found in any version log compares", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n"));
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write(".comms/graph/1.0.0/schema.graphql", SCHEMA_V1.replace("name", "title"));
    refusedSafely(a.comms("log", "graph"), ".comms/graph/1.0.0/schema.graphql: the released snapshot graph@1.0.0 was modified");
    refusedSafely(a.comms("diff", "1.0.0", "1.1.0"), ".comms/graph/1.0.0/schema.graphql");
  });

  test("a file added to a snapshot directory is never read", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema }\n");
    a.repo.write("schema/a.graphql", SCHEMA_V1);
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema/a.graphql", BROKEN);
    // Planting the removed field in a new file of the snapshot would hide the break.
    a.repo.write(".comms/graph/1.0.0/schema/z.graphql", "extend type Query { planted: Int }\n");
    const r = a.repo.json("check");
    expect(r.code).toBe(1);
    expect(JSON.stringify(r.out)).not.toContain("planted");
  });
});

describe("release never deletes what it did not create", () => {
  test("an unlisted directory at the version's place is refused and kept", () => {
    expect(a.comms("release", "other").code).toBe(0);
    a.repo.write(".comms/graph/1.0.0/notes.txt", "mine");
    refusedSafely(a.comms("release", "graph", "--version", "1.0.0"), ".comms/index.json:1:1: the registry index does not list released snapshots in .comms (graph/1.0.0)");
    expect(a.repo.read(".comms/graph/1.0.0/notes.txt")).toBe("mine");
  });

  test("leftovers of a killed release (temporary snapshots, index, stale lock) are removed by the next release", () => {
    a.repo.write(".comms/.comms-tmp-snapshot-999999-abc123/schema.graphql", "half");
    a.repo.write(".comms/.comms-tmp-index-999999-abc123", "{");
    a.repo.write(".comms/graph/1.0.0/schema.graphql", "half");
    a.repo.write(".comms/graph/1.0.0/.comms-tmp-incomplete", "graph@1.0.0\n");
    // A lock of a process that no longer exists on this host.
    const dead = Bun.spawnSync(["true"]).pid;
    a.repo.write(".comms/.comms-tmp-lock", JSON.stringify({ pid: dead, host: hostname() }));
    a.repo.write(".comms/keep-me.txt", "not ours");
    const [r, ms] = timed(() => a.comms("release", "graph"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expectBounded(ms, 10_000);
    expect(readdirSync(join(a.dir, ".comms")).sort()).toEqual(["graph", "index.json", "keep-me.txt"]);
    expect(readdirSync(join(a.dir, ".comms/graph/1.0.0"))).toEqual(["schema.graphql"]);
    expect(a.repo.read(".comms/graph/1.0.0/schema.graphql")).toBe(SCHEMA_V1);
  });

  test("releases killed at any moment never block the next one, never damage the index and leave nothing behind", async () => {
    expect(a.comms("release", "graph").code).toBe(0);
    expect(a.comms("release", "other").code).toBe(0);
    let kept = 0;
    for (const [i, delay] of [20, 60, 100, 140, 180, 220, 260, 300, 360, 420, 500, 650].entries()) {
      a.repo.write("schema.graphql", SCHEMA_V1.replace("  email: String\n", `  email: String\n  g${i}: Int\n`));
      const victim = Bun.spawn([process.execPath, MAIN, "release", "graph"], { cwd: a.dir, env: { ...process.env, NO_COLOR: "1" }, stdout: "ignore", stderr: "ignore" });
      await Bun.sleep(delay);
      victim.kill("SIGKILL");
      await victim.exited;
      // The lock of the killed process is taken over at once and the index is whole.
      a.repo.write("other.graphql", SCHEMA_V1.replace("  email: String\n", `  email: String\n  o${i}: Int\n`));
      const [r, ms] = timed(() => a.comms("release", "other"));
      expect({ delay, code: r.code, stderr: r.stderr }).toEqual({ delay, code: 0, stderr: "" });
      expectBounded(ms, 10_000);
      const index = JSON.parse(a.repo.read(".comms/index.json")) as { releases: Array<{ contract: string }> };
      kept = index.releases.filter((x) => x.contract === "graph").length;
      expect(readdirSync(join(a.dir, ".comms")).filter((n) => n.startsWith(".comms-tmp"))).toEqual([]);
      expect(a.comms("log", "graph").code).toBe(0);
    }
    // Releasing the contract again records what the last kill interrupted, or finds it was recorded.
    const last = a.comms("release", "graph");
    // A victim that finished before its kill recorded a minor release (a field added): any version may be last.
    if (last.code !== 0) expect(last.stderr).toMatch(/^comms: graph has not changed since graph@\d+\.\d+\.\d+; nothing to release\n$/);
    expect(a.comms("check").code).toBe(0);
    expect(kept).toBeGreaterThanOrEqual(1);
  }, 600_000);

  test("two concurrent releases both succeed: the second waits for the lock", async () => {
    const spawn = (name: string) =>
      Bun.spawn([process.execPath, MAIN, "release", name], { cwd: a.dir, env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
    // A live lock held for a moment makes both wait, then both go through one after the other.
    a.repo.write(".comms/.comms-tmp-lock", JSON.stringify({ pid: process.pid, host: `${hostname()}-elsewhere` }));
    const procs = [spawn("graph"), spawn("other")];
    await Bun.sleep(600);
    Bun.spawnSync(["rm", join(a.dir, ".comms/.comms-tmp-lock")]);
    const codes = await Promise.all(procs.map((p) => p.exited));
    const errs = await Promise.all(procs.map((p) => new Response(p.stderr).text()));
    expect(errs).toEqual(["", ""]);
    expect(codes).toEqual([0, 0]);
    const index = JSON.parse(a.repo.read(".comms/index.json"));
    expect(index.releases.map((r: { contract: string }) => r.contract).sort()).toEqual(["graph", "other"]);
  });

  test("a read-only registry says so, not that another release is running", () => {
    if (process.getuid?.() === 0) {
      console.log("skipped: permissions do not apply to root");
      return;
    }
    mkdirSync(join(a.dir, ".comms"));
    chmodSync(join(a.dir, ".comms"), 0o555);
    try {
      const r = a.comms("release", "graph");
      refusedSafely(r, "permission denied");
      expect(r.stderr).not.toContain("another release");
    } finally {
      chmodSync(join(a.dir, ".comms"), 0o755);
    }
  });
});

describe("comms log is linear in the index size", () => {
  test("100,000 index entries are listed in a couple of seconds", () => {
    const releases = [];
    for (let i = 0; i < 100_000; i++) {
      releases.push({ contract: `c${i}`, kind: "graphql", version: "1.0.0", date: "2026-01-01T00:00:00.000Z", hash: `sha256:${"0".repeat(64)}`, path: "s.graphql", files: ["s.graphql"] });
    }
    a.repo.write(".comms/index.json", JSON.stringify({ version: 1, releases }));
    const [r, ms] = timed(() => a.comms("log", "--format", "json"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).contracts).toHaveLength(100_002);
    console.log(`comms log over 100,000 entries: ${Math.round(ms)} ms`);
    expectBounded(ms, 6000);
  });

  test("a damaged entry at the end of 100,000 is located in a couple of seconds too", () => {
    const releases: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100_000; i++) {
      releases.push({ contract: `c${i}`, kind: "graphql", version: "1.0.0", date: "2026-01-01T00:00:00.000Z", hash: `sha256:${"0".repeat(64)}`, path: "s.graphql", files: ["s.graphql"] });
    }
    releases[99_999]!.date = 5;
    a.repo.write(".comms/index.json", JSON.stringify({ version: 1, releases }, null, 2));
    const [r, ms] = timed(() => a.comms("log"));
    refusedSafely(r, ".comms/index.json:1099997:15: release #100000 (c99999@1.0.0) in the registry index is damaged: 'date' must be");
    expectBounded(ms, 6000);
  });
});

describe("release records what the snapshot is, not the baseline's commit", () => {
  test("the index has the content hash and no commit; log shows the commit that added the release", () => {
    a.repo.git("add", "-A");
    a.repo.git("commit", "-qm", "contracts");
    const baseline = a.repo.git("rev-parse", "HEAD").stdout.trim();
    expect(a.comms("release", "graph").code).toBe(0);
    const entry = JSON.parse(a.repo.read(".comms/index.json")).releases[0];
    expect(entry.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entry.commit).toBeUndefined();
    let log = a.repo.json("log", "graph").out;
    expect(log.contracts[0].versions[0].commit).toBeUndefined();
    a.repo.git("add", "-A");
    a.repo.git("commit", "-qm", "release graph 1.0.0");
    const releaseCommit = a.repo.git("rev-parse", "HEAD").stdout.trim();
    log = a.repo.json("log", "graph").out;
    expect(log.contracts[0].versions[0].commit).toBe(releaseCommit);
    expect(a.comms("log").stdout).not.toContain(baseline.slice(0, 7));
  });
});

describe("accepted breaking changes make a major release", () => {
  test("release after check --accept computes a major version and names the accepted changes", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", BROKEN);
    expect(a.comms("check", "--accept", "--reason", "clients migrated").code).toBe(0);
    const r = a.comms("release", "graph");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("released graph@2.0.0");
    expect(r.stdout).toContain("major because of 1 accepted breaking change:");
    expect(r.stdout).toMatch(/- Field 'email' was removed .*\[FIELD_REMOVED\] \(accepted: clients migrated\)/);
  });

  test("an explicit minor version for an accepted break is refused as a violation", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", BROKEN);
    expect(a.comms("check", "--accept", "--reason", "clients migrated").code).toBe(0);
    const r = a.comms("release", "graph", "--version", "1.1.0");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("1 accepted in policy.accept");
    expect(a.repo.exists(".comms/graph/1.1.0")).toBe(false);
  });
});

describe("locations name the file they were read from", () => {
  test("comms diff 1.0.0 1.1.0 points into the snapshots under .comms, with their lines", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    // Shift every line of the working copy so the snapshot's line numbers differ from it.
    a.repo.write("schema.graphql", `# one\n# two\n# three\n${BROKEN}`);
    expect(a.comms("release", "graph", "--version", "2.0.0").code).toBe(0);
    const { out } = a.repo.json("diff", "1.0.0", "2.0.0");
    const f = out.results[0].findings.find((x: { rule: string }) => x.rule === "FIELD_REMOVED");
    expect(f.old).toMatchObject({ file: ".comms/graph/1.0.0/schema.graphql", line: 8 });
    expect(readFileSync(join(a.dir, ".comms/graph/1.0.0/schema.graphql"), "utf8").split("\n")[7]).toContain("email");
    expect(f.new.file).toBe(".comms/graph/2.0.0/schema.graphql");
  });

  test("with --config elsewhere, a missing contract is named by its resolved path", () => {
    a.repo.write("services/comms.yaml", "contracts:\n  orders: { kind: openapi, path: orders/openapi.yaml }\n");
    for (const args of [["check", "--config", "services/comms.yaml"], ["release", "orders", "--config", "services/comms.yaml"]]) {
      refusedSafely(a.comms(...args), "services/comms.yaml:2:34: contract 'orders': 'services/orders/openapi.yaml' does not exist");
    }
  });
});

describe("the registry index is validated", () => {
  const entry = { contract: "graph", kind: "graphql", version: "1.0.0", date: "2026-01-01T00:00:00.000Z", hash: `sha256:${"0".repeat(64)}`, path: "schema.graphql", files: ["schema.graphql"] };
  const cases: Array<[string, unknown, RegExp]> = [
    ["files: [5, null]", { version: 1, releases: [{ ...entry, files: [5, null] }] }, /index\.json:\d+:\d+: release #1 \(graph@1\.0\.0\) .* 'files' must be/],
    ["date: 5", { version: 1, releases: [{ ...entry, date: 5 }] }, /index\.json:\d+:\d+: release #1 \(graph@1\.0\.0\) .* 'date' must be/],
    ["an array", [], /index\.json:1:1: the registry index has an unknown shape/],
    ["releases: {}", { version: 1, releases: {} }, /index\.json:1:1: the registry index has an unknown shape/],
    ["a release that is a string", { version: 1, releases: ["x"] }, /index\.json:\d+:\d+: release #1 .* expected an object/],
    ["a contract named __proto__", { version: 1, releases: [{ ...entry, contract: "__proto__" }] }, /'contract' must be a contract name/],
    ["a duplicate release", { version: 1, releases: [entry, entry] }, /release #2 .* recorded twice/],
    ["a kind that does not exist", { version: 1, releases: [{ ...entry, kind: "constructor" }] }, /release #1 \(graph@1\.0\.0\) .* 'kind' must be one of/],
  ];
  for (const [name, index, message] of cases) {
    test(`${name} is exit 2 with the index position`, () => {
      writeFileSync(join(a.dir, "x"), "");
      a.repo.write(".comms/index.json", JSON.stringify(index, null, 2));
      for (const args of [["check"], ["log"], ["release", "graph"]]) refusedSafely(a.comms(...args), message);
    });
  }
});

describe("the index cannot be removed to skip the gate", () => {
  test("without an index, a directory comms did not create is not deleted either", () => {
    a.repo.write(".comms/graph/1.0.0/notes.txt", "mine");
    refusedSafely(a.comms("release", "graph", "--version", "1.0.0"), "the registry index is missing");
    expect(a.repo.read(".comms/graph/1.0.0/notes.txt")).toBe("mine");
  });

  test("a deleted index, or one replaced by a directory, is exit 2 while snapshots remain", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    a.repo.write("schema.graphql", BROKEN);
    expect(a.comms("check").code).toBe(1);
    Bun.spawnSync(["rm", join(a.dir, ".comms/index.json")]);
    refusedSafely(a.comms("check"), ".comms/index.json:1:1: the registry index is missing, but .comms holds released snapshots (graph/1.0.0)");
    mkdirSync(join(a.dir, ".comms/index.json"));
    refusedSafely(a.comms("check"), ".comms/index.json:1:1: the registry index is not a file");
  });
});
