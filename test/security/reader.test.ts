import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { ContainmentError, RegistryError } from "../../src/core/errors.ts";
import { DiskReader } from "../../src/core/source.ts";
import { Registry } from "../../src/registry/store.ts";
import { writeRelease } from "../../src/registry/write.ts";

// The reader every loader goes through is the wall: tried path by path, each attack must be refused
// with a ContainmentError (or give undefined for what simply does not exist).

let base: string;
let root: string;
let outside: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "comms-reader-"));
  root = join(base, "project");
  outside = join(base, "outside");
  mkdirSync(join(root, "dir/sub"), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.yaml"), "secret: 1\n");
  writeFileSync(join(root, "dir/a.yaml"), "a: 1\n");
  writeFileSync(join(root, "dir/sub/b.yaml"), "b: 1\n");
  writeFileSync(join(root, "big.yaml"), "x".repeat(1000));
  symlinkSync(join(outside, "secret.yaml"), join(root, "dir/out.yaml"));
  symlinkSync(outside, join(root, "dir/outdir"));
  symlinkSync(join(root, "dir/a.yaml"), join(root, "dir/in.yaml"));
  symlinkSync(join(root, "dir/sub"), join(root, "dir/insub"));
  symlinkSync("/dev/zero", join(root, "zero.yaml"));
  symlinkSync(join(root, "loop1"), join(root, "loop2"));
  symlinkSync(join(root, "loop2"), join(root, "loop1"));
  Bun.spawnSync(["mkfifo", join(root, "fifo.yaml")]);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("DiskReader.read", () => {
  const cases: Array<[string, string, string | undefined | RegExp]> = [
    ["a regular file", "dir/a.yaml", "a: 1\n"],
    ["a symlink to a file inside the root", "dir/in.yaml", "a: 1\n"],
    ["a missing file", "dir/none.yaml", undefined],
    ["a directory", "dir", undefined],
    ["a symlink to a file outside", "dir/out.yaml", /dir\/out\.yaml: resolves to '.*secret\.yaml', outside the project root/],
    ["a path through a symlinked directory outside", "dir/outdir/secret.yaml", /resolves to '.*secret\.yaml', outside/],
    ["a ../ path", "../outside/secret.yaml", /lies outside the project root/],
    ["a ../ path to a missing file", "../outside/none.yaml", /lies outside the project root/],
    ["an absolute path outside", "/etc/hostname", /lies outside the project root/],
    ["a symlink to /dev/zero", "zero.yaml", /zero\.yaml: resolves to '\/dev\/zero', outside/],
    ["a FIFO", "fifo.yaml", /fifo\.yaml: is not a regular file \(a FIFO\)/],
    ["a symlink loop", "loop1", /symbolic link loop/],
    ["a file over the limit", "big.yaml", /big\.yaml: is larger than the size limit of 100 bytes/],
  ];
  for (const [name, path, expected] of cases) {
    test(name, () => {
      const reader = new DiskReader(root, "working tree", { maxFileBytes: 100 });
      if (expected instanceof RegExp) {
        expect(() => reader.read(path)).toThrow(ContainmentError);
        expect(() => reader.read(path)).toThrow(expected);
      } else expect(reader.read(path)).toBe(expected);
    });
  }

  test("stat refuses the same paths instead of calling them missing", () => {
    const reader = new DiskReader(root);
    expect(reader.stat("dir")).toBe("dir");
    expect(reader.stat("dir/in.yaml")).toBe("file");
    expect(reader.stat("none")).toBeUndefined();
    for (const p of ["dir/out.yaml", "dir/outdir", "../outside", "zero.yaml", "fifo.yaml"]) expect(() => reader.stat(p)).toThrow(ContainmentError);
  });

  test("a root that is itself a symlink out of its wall is refused", () => {
    const reader = new DiskReader(join(root, "dir/outdir"), "snapshot", { within: root });
    expect(() => reader.read("secret.yaml")).toThrow(ContainmentError);
  });
});

describe("DiskReader.list", () => {
  test("does not follow symlinked directories, lists only symlinked files that lead outside (for read to refuse), skips what it is told", () => {
    const reader = new DiskReader(root, "working tree", { skip: ["dir/sub"] });
    expect(reader.list("dir")).toEqual(["dir/a.yaml", "dir/out.yaml"]);
    expect(new DiskReader(root).list("dir")).toContain("dir/sub/b.yaml");
    expect(() => reader.list("../outside")).toThrow(ContainmentError);
    expect(() => reader.list("dir/outdir")).toThrow(ContainmentError);
  });
});

describe("the registry lock", () => {
  const input = (version: string) => ({ contract: "c", kind: "graphql", version, path: "s.graphql", files: new Map([["s.graphql", `type Query { v${version.replace(/\./g, "_")}: Int }\n`]]) });
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), "comms-lock-"));
    mkdirSync(join(dir, ".comms"));
    return { dir, registry: new Registry(join(dir, ".comms"), dir), lock: join(dir, ".comms/.comms-tmp-lock") };
  };
  const cases: Array<[string, (lock: string) => void, "taken" | "waits"]> = [
    ["a lock of a dead process on this host is taken over", (l) => writeFileSync(l, JSON.stringify({ pid: Bun.spawnSync(["true"]).pid, host: hostname() })), "taken"],
    ["an unreadable lock older than a few seconds is taken over", (l) => {
      writeFileSync(l, "");
      utimesSync(l, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }, "taken"],
    ["a fresh unreadable lock (being written) is waited for", (l) => writeFileSync(l, ""), "waits"],
    ["a lock of a live process is waited for", (l) => writeFileSync(l, JSON.stringify({ pid: process.ppid, host: hostname() })), "waits"],
    ["a lock from another host is waited for", (l) => writeFileSync(l, JSON.stringify({ pid: 1, host: `${hostname()}-other` })), "waits"],
    ["a lock over an hour old is taken over, whoever holds it", (l) => {
      writeFileSync(l, JSON.stringify({ pid: 1, host: `${hostname()}-other` }));
      utimesSync(l, new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
    }, "taken"],
  ];
  for (const [name, plant, outcome] of cases) {
    test(name, () => {
      const { dir, registry, lock } = fresh();
      try {
        plant(lock);
        if (outcome === "taken") {
          expect(writeRelease(registry, input("1.0.0"), { lockTimeoutMs: 200 }).version).toBe("1.0.0");
        } else {
          expect(() => writeRelease(registry, input("1.0.0"), { lockTimeoutMs: 200 })).toThrow(RegistryError);
          expect(() => writeRelease(registry, input("1.0.0"), { lockTimeoutMs: 200 })).toThrow("another release is being recorded");
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test("write errors say what happened: a full disk, a read-only file system", () => {
    for (const [code, text] of [["ENOSPC", "no space left on device"], ["EROFS", "the file system is read-only"], ["EACCES", "permission denied"]]) {
      const { dir, registry } = fresh();
      try {
        const err = Object.assign(new Error(`${code}: failed`), { code });
        expect(() => writeRelease(registry, input("1.0.0"), { afterFile: () => { throw err; } })).toThrow(`cannot record c@1.0.0: ${text}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
