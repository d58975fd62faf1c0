import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Attack, refusedSafely, SCHEMA_V1, timed } from "./helpers.ts";

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
  expect(ms).toBeLessThan(FAST_MS);
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
