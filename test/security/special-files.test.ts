import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAIN, type CliResult } from "../helpers/cli.ts";
import { Attack, refusedSafely, SCHEMA_V1, timed } from "./helpers.ts";
import { expectBounded } from "../helpers/guard.ts";

// Only regular files are read, with a size limit: a FIFO, /dev/zero or a huge file is exit 2 at once,
// never a hang or gigabytes of memory.

const FAST_MS = 5000;
let a: Attack;
beforeEach(() => {
  a = new Attack();
  a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
  a.repo.write("schema.graphql", SCHEMA_V1);
});
afterEach(() => a.cleanup());

function fifo(path: string): void {
  const r = Bun.spawnSync(["mkfifo", path]);
  if (r.exitCode !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** Refused quickly, with a message naming the file. */
function refusedFast(args: string[], needle: string | RegExp): void {
  const [r, ms] = timed(() => a.comms(...args));
  refusedSafely(r, needle);
  expectBounded(ms, FAST_MS);
}

describe("special files", () => {
  test("--config /dev/zero and a FIFO --config are exit 2 at once", () => {
    refusedFast(["check", "--config", "/dev/zero"], "/dev/zero: is not a regular file");
    refusedFast(["check", "--staged", "--config", "/dev/zero"], "/dev/zero: is not a regular file");
    fifo(join(a.dir, "pipe.yaml"));
    refusedFast(["check", "--config", "pipe.yaml"], "pipe.yaml: is not a regular file (a FIFO)");
  });

  test("comms.yaml symlinked to /dev/zero is exit 2 at once", () => {
    rmSync(join(a.dir, "comms.yaml"));
    symlinkSync("/dev/zero", join(a.dir, "comms.yaml"));
    refusedFast(["check"], "comms.yaml: resolves to '/dev/zero', outside the project root");
  });

  test("a contract that is a FIFO, or a symlink to /dev/zero, is exit 2 at once", () => {
    rmSync(join(a.dir, "schema.graphql"));
    fifo(join(a.dir, "schema.graphql"));
    refusedFast(["check"], "schema.graphql: is not a regular file (a FIFO)");
    refusedFast(["release", "graph"], "schema.graphql: is not a regular file (a FIFO)");
    rmSync(join(a.dir, "schema.graphql"));
    symlinkSync("/dev/zero", join(a.dir, "schema.graphql"));
    refusedFast(["check"], "schema.graphql: resolves to '/dev/zero'");
  });

  test("comms diff against /dev/zero or a FIFO is exit 2 at once", () => {
    refusedFast(["diff", "schema.graphql", "/dev/zero"], "is not a regular file");
    fifo(join(a.dir, "p.graphql"));
    refusedFast(["diff", "schema.graphql", "p.graphql"], "p.graphql: is not a regular file (a FIFO)");
  });

  test(".comms/index.json and a snapshot file as /dev/zero or a FIFO are exit 2 at once", () => {
    expect(a.comms("release", "graph").code).toBe(0);
    const index = join(a.dir, ".comms/index.json");
    const saved = a.repo.read(".comms/index.json");
    rmSync(index);
    symlinkSync("/dev/zero", index);
    for (const args of [["check"], ["log"], ["release", "graph"]]) refusedFast(args, ".comms/index.json");
    rmSync(index);
    fifo(index);
    for (const args of [["check"], ["log"]]) refusedFast(args, ".comms/index.json");
    rmSync(index);
    writeFileSync(index, saved);
    const snap = join(a.dir, ".comms/graph/1.0.0/schema.graphql");
    rmSync(snap);
    fifo(snap);
    refusedFast(["check"], ".comms/graph/1.0.0/schema.graphql");
    rmSync(snap);
    symlinkSync("/dev/zero", snap);
    refusedFast(["diff", "graph@1.0.0", "schema.graphql"], ".comms/graph/1.0.0/schema.graphql");
  });
});

describe("size limits", () => {
  test("a contract over limits.max-file-bytes is refused naming the limit; raising the limit reads it", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\nlimits: { max-file-bytes: 64 }\n");
    refusedFast(["check"], "schema.graphql: is larger than the size limit of 64 bytes");
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\nlimits: { max-file-bytes: 100000 }\n");
    expect(a.comms("check").code).toBe(0);
  });

  test("files read from git are held to the limit before they are loaded", () => {
    a.repo.git("add", "-A");
    a.repo.git("commit", "-qm", "one");
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\nlimits: { max-file-bytes: 64 }\n");
    refusedFast(["check", "--against", "HEAD"], "HEAD:schema.graphql: is larger than the size limit of 64 bytes");
    refusedFast(["diff", "HEAD:schema.graphql", "HEAD:schema.graphql"], "HEAD:schema.graphql: is larger than the size limit of 64 bytes");
  });

  test("an invalid limit is a config error at its line", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\nlimits: { max-file-bytes: -1 }\n");
    refusedFast(["check"], /comms\.yaml:3:\d+: limits\.max-file-bytes/);
  });

  test("a huge comms.yaml is refused without reading it all", () => {
    mkdirSync(join(a.dir, "big"));
    writeFileSync(join(a.dir, "big/comms.yaml"), Buffer.alloc(5 * 1024 * 1024, 0x20));
    refusedFast(["check", "--config", "big/comms.yaml"], "is larger than the size limit");
  });
});

describe("FIFOs found without being named, under a hard timeout", () => {
  // Bun.spawnSync kills a child that outlives HANG_MS, so a CLI blocked opening a FIFO fails the test
  // instead of blocking the run.
  const HANG_MS = 10_000;
  const NOT_REGULAR = "is not a regular file (a FIFO); refusing to read it";

  /** Runs comms like runCli, but killed after HANG_MS; a kill fails the assertion. */
  function commsWithin(cwd: string, args: string[]): CliResult {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, GIT_PREFIX: undefined })) if (v !== undefined) env[k] = v;
    const [res, ms] = timed(() =>
      Bun.spawnSync([process.execPath, MAIN, ...args], { cwd, env, stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: HANG_MS, killSignal: "SIGKILL" }),
    );
    expect(res.exitedDueToTimeout ?? false, `comms ${args.join(" ")} hung`).toBe(false);
    expectBounded(ms, FAST_MS);
    return { code: res.exitCode ?? -1, stdout: res.stdout.toString(), stderr: res.stderr.toString() };
  }

  const configRows: Array<[string, string, string[]]> = [
    ["check", ".", ["check"]],
    ["check --staged", ".", ["check", "--staged"]],
    ["check --format json", ".", ["check", "--format", "json"]],
    ["log", ".", ["log"]],
    ["release", ".", ["release", "graph"]],
    ["diff of two files", ".", ["diff", "schema.graphql", "schema.graphql"]],
    ["check from a subdirectory (comms.yaml found in the parent)", "sub", ["check"]],
  ];
  for (const [name, cwd, args] of configRows)
    test(
      `a FIFO in place of comms.yaml, found by ${name}, is exit 2 at once naming comms.yaml`,
      () => {
        rmSync(join(a.dir, "comms.yaml"));
        fifo(join(a.dir, "comms.yaml"));
        mkdirSync(join(a.dir, "sub"));
        a.repo.git("add", "schema.graphql");
        const r = commsWithin(join(a.dir, cwd), args);
        refusedSafely(r, `comms.yaml: ${NOT_REGULAR}`);
        expect(r.stderr).toMatch(/^comms: (\/.*\/)?comms\.yaml: is not a regular file \(a FIFO\); refusing to read it\n$/);
        expect(r.stdout).toBe("");
      },
      HANG_MS * 3,
    );

  const snapshotRows: Array<[string, string[]]> = [
    ["check", ["check"]],
    ["diff against the release", ["diff", "graph@1.0.0", "schema.graphql"]],
    ["diff of the release with itself", ["diff", "graph@1.0.0", "graph@1.0.0"]],
    ["the next release", ["release", "graph"]],
  ];
  for (const [name, args] of snapshotRows)
    test(
      `a FIFO as a snapshot file in .comms/graph/1.0.0/ is exit 2 at once for ${name}`,
      () => {
        expect(a.comms("release", "graph").code).toBe(0);
        const snap = join(a.dir, ".comms/graph/1.0.0/schema.graphql");
        rmSync(snap);
        fifo(snap);
        a.repo.write("schema.graphql", SCHEMA_V1.replace("email: String", "email: String\n  phone: String"));
        const index = a.repo.read(".comms/index.json");
        const r = commsWithin(a.dir, args);
        refusedSafely(r, `.comms/graph/1.0.0/schema.graphql: snapshot file of graph@1.0.0: ${NOT_REGULAR}`);
        expect(a.repo.read(".comms/index.json")).toBe(index);
        // Names only: reading the FIFO would block this test process.
        expect(readdirSync(join(a.dir, ".comms/graph"))).toEqual(["1.0.0"]);
      },
      HANG_MS * 3,
    );
});
