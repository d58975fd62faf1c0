import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryError } from "../../src/core/errors.ts";
import { fileHash, snapshotHash } from "../../src/registry/hash.ts";
import { Registry } from "../../src/registry/store.ts";
import { writeRelease, type ReleaseInput } from "../../src/registry/write.ts";

let root: string;
let registry: Registry;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "comms-registry-"));
  registry = new Registry(join(root, ".comms"), root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const input = (version: string, files: Record<string, string>): ReleaseInput => ({
  contract: "users",
  kind: "openapi",
  version,
  path: "api/openapi.yaml",
  files: new Map(Object.entries(files)),
  date: new Date("2026-01-02T03:04:05Z"),
  commit: "abc123",
});

/** Every file of the registry with its bytes, to prove a failed write changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string, prefix: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = `${prefix}${e.name}`;
      if (e.isDirectory()) walk(join(d, e.name), `${p}/`);
      else out[p] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

const v1 = { "api/openapi.yaml": "openapi: 3.0.0\n", "api/schemas/user.yaml": "type: object\n" };
const v2 = { "api/openapi.yaml": "openapi: 3.0.1\n", "api/schemas/user.yaml": "type: object\nrequired: [id]\n" };

describe("writeRelease", () => {
  test("records every file of a multi-file contract under its original path, and the index entry", () => {
    const entry = writeRelease(registry, input("1.0.0", v1));
    expect(entry).toEqual({
      contract: "users",
      kind: "openapi",
      version: "1.0.0",
      date: "2026-01-02T03:04:05.000Z",
      hash: snapshotHash(v1),
      commit: "abc123",
      path: "api/openapi.yaml",
      files: ["api/openapi.yaml", "api/schemas/user.yaml"],
      fileHashes: { "api/openapi.yaml": fileHash(v1["api/openapi.yaml"]), "api/schemas/user.yaml": fileHash(v1["api/schemas/user.yaml"]) },
    });
    expect(snapshot(join(root, ".comms"))).toEqual({
      "index.json": `${JSON.stringify({ version: 1, releases: [entry] }, null, 2)}\n`,
      "users/1.0.0/api/openapi.yaml": v1["api/openapi.yaml"],
      "users/1.0.0/api/schemas/user.yaml": v1["api/schemas/user.yaml"],
    });
    expect(new Registry(join(root, ".comms"), root).latest("users")?.version).toBe("1.0.0");
  });

  test("a crash between two snapshot files leaves the registry byte for byte as it was", () => {
    writeRelease(registry, input("1.0.0", v1));
    const before = snapshot(join(root, ".comms"));
    const crash = () => writeRelease(registry, input("1.1.0", v2), { afterFile: (_p, i) => { if (i === 0) throw new Error("killed"); } });
    expect(crash).toThrow(RegistryError);
    expect(crash).toThrow("cannot record users@1.1.0: killed; the registry was left unchanged");
    expect(snapshot(join(root, ".comms"))).toEqual(before);
    expect(registry.versions("users").map((v) => v.version)).toEqual(["1.0.0"]);
  });

  test("a full disk while writing the index removes the new snapshot and keeps the old index", () => {
    writeRelease(registry, input("1.0.0", v1));
    const before = snapshot(join(root, ".comms"));
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    expect(() => writeRelease(registry, input("1.1.0", v2), { beforeIndex: () => { throw full; } })).toThrow("no space left on device");
    expect(snapshot(join(root, ".comms"))).toEqual(before);
  });

  test("the marked leftover directory of an interrupted release is replaced by the next release of that version", () => {
    mkdirSync(join(root, ".comms/users/1.0.0/api"), { recursive: true });
    writeFileSync(join(root, ".comms/users/1.0.0/api/stale.yaml"), "half");
    writeFileSync(join(root, ".comms/users/1.0.0/.comms-tmp-incomplete"), "users@1.0.0\n");
    writeRelease(registry, input("1.0.0", v1));
    expect(Object.keys(snapshot(join(root, ".comms/users/1.0.0"))).sort()).toEqual(["api/openapi.yaml", "api/schemas/user.yaml"]);
  });

  test("a directory comms did not create is never deleted: the release is refused and the directory kept", () => {
    writeRelease(registry, input("1.0.0", v1));
    mkdirSync(join(root, ".comms/users/2.0.0/api"), { recursive: true });
    writeFileSync(join(root, ".comms/users/2.0.0/api/mine.yaml"), "precious");
    const before = snapshot(join(root, ".comms"));
    expect(() => writeRelease(registry, input("2.0.0", v2))).toThrow("the registry index does not list released snapshots in .comms (users/2.0.0)");
    expect(snapshot(join(root, ".comms"))).toEqual(before);
    expect(before["users/2.0.0/api/mine.yaml"]).toBe("precious");
  });

  test("refuses a version that is already recorded", () => {
    writeRelease(registry, input("1.0.0", v1));
    expect(() => writeRelease(registry, input("1.0.0", v2))).toThrow("users@1.0.0 is already released");
  });

  test("refuses files outside the config directory", () => {
    expect(() => writeRelease(registry, input("1.0.0", { "../shared.yaml": "x" }))).toThrow("lies outside the directory of comms.yaml");
    expect(existsSync(join(root, ".comms/index.json"))).toBe(false);
  });

  test("the hash covers paths as well as contents, in any order", () => {
    expect(snapshotHash({ a: "1", b: "2" })).toBe(snapshotHash({ b: "2", a: "1" }));
    expect(snapshotHash({ a: "1", b: "2" })).not.toBe(snapshotHash({ a: "1", c: "2" }));
  });
});

describe("Registry reading", () => {
  const cases: Array<[string, string, string]> = [
    ["not JSON", "{ nope", "the registry index is not valid JSON"],
    ["wrong shape", JSON.stringify({ version: 2, releases: [] }), "the registry index has an unknown shape"],
    ["damaged release", JSON.stringify({ version: 1, releases: [{ contract: "users", version: "x" }] }), "release #1 (users@x) in the registry index is damaged"],
  ];
  for (const [name, text, message] of cases) {
    test(`a corrupted index (${name}) is a RegistryError`, () => {
      mkdirSync(join(root, ".comms"));
      writeFileSync(join(root, ".comms/index.json"), text);
      expect(() => registry.versions("users")).toThrow(message);
    });
  }

  test("a missing snapshot file is a RegistryError naming the file", () => {
    const entry = writeRelease(registry, input("1.0.0", v1));
    rmSync(join(root, ".comms/users/1.0.0/api/schemas/user.yaml"));
    expect(() => registry.reader(entry).read("api/openapi.yaml")).toThrow("user.yaml: snapshot file of users@1.0.0 is missing");
  });

  test("versions are newest first by semver, not by insertion", () => {
    writeRelease(registry, input("1.10.0", v1));
    writeRelease(registry, input("1.9.0", v2));
    expect(registry.versions("users").map((v) => v.version)).toEqual(["1.10.0", "1.9.0"]);
    const index = JSON.parse(readFileSync(join(root, ".comms/index.json"), "utf8"));
    expect(index.releases.map((r: { version: string }) => r.version)).toEqual(["1.9.0", "1.10.0"]);
  });
});

describe("concurrent releases", () => {
  test("a release while a live process holds the lock waits, then is refused at the timeout; the lock is released after each write", () => {
    mkdirSync(join(root, ".comms"), { recursive: true });
    // The parent of this test process is alive for the whole test.
    writeFileSync(join(root, ".comms/.comms-tmp-lock"), JSON.stringify({ pid: process.ppid, host: hostname() }));
    const start = Date.now();
    expect(() => writeRelease(registry, input("1.0.0", v1), { lockTimeoutMs: 300 })).toThrow(`another release is being recorded (process ${process.ppid} on ${hostname()} holds`);
    expect(Date.now() - start).toBeGreaterThanOrEqual(300);
    rmSync(join(root, ".comms/.comms-tmp-lock"));
    writeRelease(registry, input("1.0.0", v1));
    expect(() => writeRelease(registry, input("1.1.0", v2), { afterFile: () => { throw new Error("boom"); } })).toThrow("boom");
    expect(existsSync(join(root, ".comms/.comms-tmp-lock"))).toBe(false);
    expect(Object.keys(snapshot(join(root, ".comms"))).sort()).toEqual(["index.json", "users/1.0.0/api/openapi.yaml", "users/1.0.0/api/schemas/user.yaml"]);
  });
});
