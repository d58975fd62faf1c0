import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Attack, refusedSafely, SCHEMA_V1, SECRET } from "./helpers.ts";

// The project root (the directory of comms.yaml) is a wall: nothing outside it is read or written,
// whatever a symlink, a config key, a registry entry or a glob says.

let a: Attack;
beforeEach(() => {
  a = new Attack();
});
afterEach(() => a.cleanup());

const OPENAPI = "openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths: {}\n";

describe("symlinks out of the project", () => {
  test("a contract file symlinked outside is refused by check and release, and its content never shown", () => {
    a.repo.write("comms.yaml", "contracts:\n  api: { kind: openapi, path: api/openapi.yaml }\n");
    mkdirSync(join(a.dir, "api"));
    symlinkSync(join(a.outside, "secret.yaml"), join(a.dir, "api/openapi.yaml"));
    for (const args of [["check"], ["release", "api"], ["diff", "api/openapi.yaml", "api/openapi.yaml"]]) {
      refusedSafely(a.comms(...args), /api\/openapi\.yaml: resolves to '.*', outside /);
      if (args[0] !== "diff") expect(a.comms(...args).stderr).toContain("comms.yaml:2:");
    }
    expect(a.repo.exists(".comms")).toBe(false);
  });

  test("a $ref through a symlinked file is refused: the secret's enum value never reaches a finding", () => {
    a.repo.write("old.yaml", `${OPENAPI}components:\n  schemas:\n    S: { $ref: 'link.yaml#/components/schemas/S' }\n`);
    a.repo.write("new.yaml", `${OPENAPI}components:\n  schemas:\n    S: { type: string, enum: [other] }\n`);
    symlinkSync(join(a.outside, "secret.yaml"), join(a.dir, "link.yaml"));
    refusedSafely(a.comms("diff", "old.yaml", "new.yaml"), "link.yaml");
  });

  test("a symlinked directory inside a directory contract is not followed", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema }\n");
    a.repo.write("schema/a.graphql", SCHEMA_V1);
    symlinkSync(a.outside, join(a.dir, "schema/out"));
    expect(a.comms("release", "graph").code).toBe(0);
    const index = a.repo.read(".comms/index.json");
    expect(index).not.toContain("out/");
    expect(JSON.stringify(a.repo.tree(".comms"))).not.toContain(SECRET.replace(/-/g, "_"));
  });

  test("a symlinked file inside a directory contract that leads outside is refused", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema }\n");
    a.repo.write("schema/a.graphql", SCHEMA_V1);
    symlinkSync(join(a.outside, "secret.graphql"), join(a.dir, "schema/b.graphql"));
    refusedSafely(a.comms("release", "graph"), "schema/b.graphql");
    expect(a.repo.exists(".comms")).toBe(false);
  });

  test("a comms.yaml symlinked outside the project is refused", () => {
    writeFileSync(join(a.outside, "comms.yaml"), "contracts: {}\n");
    symlinkSync(join(a.outside, "comms.yaml"), join(a.dir, "comms.yaml"));
    refusedSafely(a.comms("check"), "comms.yaml: resolves to");
  });
});

describe("the registry stays inside the project", () => {
  test("registry: ../victim is refused; nothing is written outside", () => {
    mkdirSync(join(a.outside, "victim"));
    writeFileSync(join(a.outside, "victim/keep.txt"), "keep");
    const rel = `../${a.outside.split("/").pop()}/victim`;
    a.repo.write("comms.yaml", `contracts:\n  graph: { kind: graphql, path: schema.graphql }\nregistry: ${rel}\n`);
    a.repo.write("schema.graphql", SCHEMA_V1);
    const before = a.outsideTree();
    for (const args of [["release", "graph"], ["check"], ["log"]]) refusedSafely(a.comms(...args), "registry: '");
    expect(a.outsideTree()).toEqual(before);
  });

  test("registry: . (the project root) is refused, and contracts/1.0.0 is not touched", () => {
    a.repo.write("comms.yaml", "contracts:\n  contracts: { kind: graphql, path: contracts/schema.graphql }\nregistry: .\n");
    a.repo.write("contracts/schema.graphql", SCHEMA_V1);
    a.repo.write("contracts/1.0.0/keep.graphql", "type Query { keep: Int }\n");
    refusedSafely(a.comms("release", "contracts", "--version", "1.0.0"), "is the project root itself");
    expect(a.repo.read("contracts/1.0.0/keep.graphql")).toBe("type Query { keep: Int }\n");
  });

  test("a registry that contains a contract is refused", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: reg/schema.graphql }\nregistry: reg\n");
    a.repo.write("reg/schema.graphql", SCHEMA_V1);
    refusedSafely(a.comms("release", "graph"), "contains contract 'graph'");
  });

  test("a registry pointing at a file or /dev/null is refused", () => {
    a.repo.write("schema.graphql", SCHEMA_V1);
    a.repo.write("afile", "x");
    for (const reg of ["afile", "/dev/null"]) {
      a.repo.write("comms.yaml", `contracts:\n  graph: { kind: graphql, path: schema.graphql }\nregistry: ${reg}\n`);
      refusedSafely(a.comms("release", "graph"), /comms\.yaml:3:\d+: registry: /);
    }
    expect(a.repo.read("afile")).toBe("x");
  });

  test("a .comms symlinked outside the project is refused: nothing written there", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    a.repo.write("schema.graphql", SCHEMA_V1);
    symlinkSync(a.outside, join(a.dir, ".comms"));
    const before = a.outsideTree();
    refusedSafely(a.comms("release", "graph"), "outside the project root");
    expect(a.outsideTree()).toEqual(before);
  });

  test("a contract folder of the registry symlinked outside is refused: nothing written there", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    a.repo.write("schema.graphql", SCHEMA_V1);
    mkdirSync(join(a.dir, ".comms"));
    symlinkSync(a.outside, join(a.dir, ".comms/graph"));
    const before = a.outsideTree();
    refusedSafely(a.comms("release", "graph"), "outside the project root");
    expect(a.outsideTree()).toEqual(before);
  });
});

describe("writes stay in the registry", () => {
  test("a contract folder of the registry symlinked elsewhere in the project is refused: nothing written there", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    a.repo.write("schema.graphql", SCHEMA_V1);
    a.repo.write("contracts/keep.txt", "keep");
    mkdirSync(join(a.dir, ".comms"));
    symlinkSync(join(a.dir, "contracts"), join(a.dir, ".comms/graph"));
    refusedSafely(a.comms("release", "graph"), "outside the registry");
    expect(a.repo.tree("contracts")).toEqual({ "keep.txt": "keep" });
  });
});

describe("paths and globs in comms.yaml and the index", () => {
  test("absolute and ../ contract paths are refused at their line", () => {
    for (const p of [join(a.outside, "secret.yaml"), `../${a.outside.split("/").pop()}/secret.yaml`]) {
      a.repo.write("comms.yaml", `contracts:\n  api: { kind: openapi, path: '${p}' }\n`);
      for (const args of [["check"], ["release", "api"], ["diff", "1.0.0", "1.1.0"]]) refusedSafely(a.comms(...args), /comms\.yaml:2:\d+: contracts\.api\.path: .* lies outside the project root/);
    }
  });

  test("absolute and ../ operations globs are refused, in comms.yaml and on the command line", () => {
    a.repo.write("schema.graphql", SCHEMA_V1);
    for (const g of [`${a.outside}/*.graphql`, "../**/*.graphql"]) {
      a.repo.write("comms.yaml", `contracts:\n  graph: { kind: graphql, path: schema.graphql, operations: ['${g}'] }\n`);
      refusedSafely(a.comms("check"), /comms\.yaml:2:\d+: contracts\.graph\.operations: /);
    }
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    for (const g of [`${a.outside}/*.graphql`, "../**/*.graphql"]) {
      refusedSafely(a.comms("diff", "schema.graphql", "schema.graphql", "--operations", g), "operation glob");
    }
  });

  test("registry index entries whose path or files lead outside are refused", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    a.repo.write("schema.graphql", SCHEMA_V1);
    expect(a.comms("release", "graph").code).toBe(0);
    const good = JSON.parse(a.repo.read(".comms/index.json"));
    for (const damage of [{ path: "../../.." }, { files: ["../../../etc/passwd"] }, { contract: "../x" }, { files: ["/etc/passwd"] }]) {
      a.repo.write(".comms/index.json", JSON.stringify({ version: 1, releases: [{ ...good.releases[0], ...damage }] }, null, 2));
      for (const args of [["check"], ["log"], ["diff", "graph@1.0.0", "schema.graphql"]]) {
        refusedSafely(a.comms(...args), /\.comms\/index\.json:\d+:\d+: release #1 .* is damaged/);
      }
    }
  });

  test("a snapshot file symlinked outside is refused", () => {
    a.repo.write("comms.yaml", "contracts:\n  graph: { kind: graphql, path: schema.graphql }\n");
    a.repo.write("schema.graphql", SCHEMA_V1);
    expect(a.comms("release", "graph").code).toBe(0);
    const snap = join(a.dir, ".comms/graph/1.0.0/schema.graphql");
    const text = readFileSync(snap, "utf8");
    writeFileSync(join(a.outside, "copy.graphql"), text);
    Bun.spawnSync(["rm", snap]);
    symlinkSync(join(a.outside, "copy.graphql"), snap);
    refusedSafely(a.comms("check"), ".comms/graph/1.0.0/schema.graphql");
    expect(SECRET).toBeTruthy();
  });
});
