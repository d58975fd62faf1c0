import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { detectKind, resolveSide, type ResolvedSide } from "../../src/cli/resolve.ts";
import { InputError } from "../../src/core/errors.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { snapshotHash } from "../../src/registry/hash.ts";

let repo: string;

function git(...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], { cwd: repo, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(r.stderr.toString());
}

function write(path: string, content: string) {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), content);
}

const one = (s: ResolvedSide) => {
  if (s.type !== "one") throw new Error("expected one contract");
  return s.contract;
};

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "comms-resolve-"));
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  write("comms.yaml", "version: 1\ncontracts:\n  graph: { kind: graphql, path: api/schema.graphql }\n  grpc: { kind: protobuf, path: proto }\n");
  write("api/schema.graphql", "type Query { v1: Int }\n");
  write("proto/a/v1/a.proto", 'syntax = "proto3";\npackage a.v1;\n');
  git("add", "-A");
  git("commit", "-qm", "one");
  write("api/schema.graphql", "type Query { v2: Int }\n");
  // A released version in the registry, as `comms release` lays it out.
  write(".comms/graph/1.0.0/api/schema.graphql", "type Query { released: Int }\n");
  write(
    ".comms/index.json",
    JSON.stringify({
      version: 1,
      releases: [{ contract: "graph", kind: "graphql", version: "1.0.0", date: "2026-01-01T00:00:00Z", hash: snapshotHash({ "api/schema.graphql": "type Query { released: Int }\n" }), path: "api/schema.graphql", files: ["api/schema.graphql"] }],
    }),
  );
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const project = () => {
  const text = readFileSync(join(repo, "comms.yaml"), "utf8");
  return { cwd: repo, project: parseConfig(text, "comms.yaml", join(repo, "comms.yaml")) };
};

describe("resolving a diff argument", () => {
  test("an existing file is read from the working tree and owned by its contract", () => {
    const c = one(resolveSide("api/schema.graphql", project()));
    expect(c.name).toBe("graph");
    expect(c.ref).toBe("working tree");
    expect(c.source.reader.read(c.source.path)).toContain("v2");
  });

  test("name@version reads the released snapshot under the contract's own path", () => {
    const c = one(resolveSide("graph@1.0.0", project()));
    expect(c.ref).toBe("graph@1.0.0");
    expect(c.version).toBe("1.0.0");
    expect(c.source.path).toBe("api/schema.graphql");
    expect(c.source.reader.read(c.source.path)).toContain("released");
  });

  test("name@latest and a bare version select from the registry", () => {
    expect(one(resolveSide("graph@latest", project())).version).toBe("1.0.0");
    const all = resolveSide("v1", project());
    expect(all.type === "all" && [...all.contracts.keys()]).toEqual(["graph"]);
  });

  test("an unknown version names what was released", () => {
    expect(() => resolveSide("graph@2.0.0", project())).toThrow("has no released version '2.0.0' (released: 1.0.0)");
  });

  test("ref:path reads the committed content, not the working tree", () => {
    const c = one(resolveSide("main:api/schema.graphql", project()));
    expect(c.ref).toBe("main");
    expect(c.name).toBe("graph");
    expect(c.source.reader.read(c.source.path)).toContain("v1");
  });

  test("a ref alone gives every contract of comms.yaml at that ref", () => {
    const s = resolveSide("HEAD", project());
    if (s.type !== "all") throw new Error("expected all");
    expect([...s.contracts.keys()]).toEqual(["graph", "grpc"]);
    const grpc = s.contracts.get("grpc")!;
    expect(grpc.source.reader.list(grpc.source.path)).toEqual(["proto/a/v1/a.proto"]);
    expect(detectKind(grpc)).toBe("protobuf");
  });

  test("an unknown ref with a path is an input error naming the ref", () => {
    expect(() => resolveSide("nope:api/schema.graphql", project())).toThrow("unknown git ref 'nope'");
  });

  test("a path missing at the ref is an input error", () => {
    expect(() => resolveSide("main:api/other.graphql", project())).toThrow(InputError);
  });

  test("locations name the file each version is read from: the snapshot under .comms, or ref:path", () => {
    const cases: Array<[string, string]> = [
      ["graph@1.0.0", ".comms/graph/1.0.0/api/schema.graphql"],
      ["main:api/schema.graphql", "main:api/schema.graphql"],
    ];
    for (const [arg, origin] of cases) {
      const c = one(resolveSide(arg, project()));
      expect(c.source.reader.origin?.(c.source.path)).toBe(origin);
    }
    const working = one(resolveSide("api/schema.graphql", project()));
    expect(working.source.reader.origin).toBeUndefined();
  });

  test("a released snapshot that was edited is refused when read", () => {
    const snap = join(repo, ".comms/graph/1.0.0/api/schema.graphql");
    const saved = readFileSync(snap, "utf8");
    writeFileSync(snap, "type Query { forged: Int }\n");
    try {
      const c = one(resolveSide("graph@1.0.0", project()));
      expect(() => c.source.reader.read(c.source.path)).toThrow("the released snapshot graph@1.0.0 was modified");
    } finally {
      writeFileSync(snap, saved);
    }
  });

  test("contract names are own keys: Object.prototype members are not contracts", () => {
    for (const name of ["constructor", "toString", "__proto__"]) expect(() => resolveSide(`${name}@1.0.0`, project())).toThrow(InputError);
  });

  test("something that is nothing is an input error", () => {
    expect(() => resolveSide("no-such-thing", project())).toThrow("is not a file, directory, released version (name@version) or git ref");
  });
});
