import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json";
import { SCHEMA_V1 } from "../e2e/gate-helpers.ts";
import { REPO } from "../helpers/cli.ts";
import { buildDist, hostPackage, NPM, pathWithoutBun } from "./build.ts";

// What a new user does: install the npm package into their own project, with nothing but Node and npm
// (no Bun, no network), and gate their contracts with it.
if (!NPM) console.warn("npm install test skipped: npm is not on PATH");

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

const OPENAPI_V1 = `openapi: 3.0.3
info:
  title: Orders
  version: 1.0.0
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
        - name: expand
          in: query
          schema:
            type: string
      responses:
        "200":
          description: An order
`;
const OPENAPI_COMPATIBLE = OPENAPI_V1.replace("paths:\n", "paths:\n  /health:\n    get:\n      responses:\n        \"200\":\n          description: Up\n");
const OPENAPI_BREAKING = OPENAPI_V1.replace("          in: query\n", "          in: query\n          required: true\n");
const GRAPHQL_COMPATIBLE = SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n");

const CONFIG = `version: 1
contracts:
  orders:
    kind: openapi
    path: api/openapi.yaml
  users:
    kind: graphql
    path: api/schema.graphql
`;

const env = () => ({ PATH: pathWithoutBun(), HOME: process.env.HOME ?? tmpdir(), NO_COLOR: "1", npm_config_update_notifier: "false" });

function run(cwd: string, cmd: string[], extra: Record<string, string> = {}) {
  const r = Bun.spawnSync(cmd, { cwd, env: { ...env(), ...extra }, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** `npm pack` of a package directory into `into`; returns the tarball path. */
function pack(dir: string, into: string): string {
  const r = run(dir, [NPM!, "pack", "--json", "--pack-destination", into]);
  if (r.code !== 0) throw new Error(`npm pack ${dir}: ${r.stderr}`);
  return join(into, (JSON.parse(r.stdout) as Array<{ filename: string }>)[0]!.filename);
}

/** A fresh consumer project with the tarballs installed offline, its contracts and a first release. */
function consumer(tarballs: string[], npmFlags: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "comms-consumer-"));
  cleanup.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const install = run(dir, [NPM!, "install", "--offline", "--no-audit", "--no-fund", ...npmFlags, ...tarballs]);
  if (install.code !== 0) throw new Error(`npm install: ${install.stderr}`);
  mkdirSync(join(dir, "api"));
  writeFileSync(join(dir, "api/openapi.yaml"), OPENAPI_V1);
  writeFileSync(join(dir, "api/schema.graphql"), SCHEMA_V1);
  writeFileSync(join(dir, "comms.yaml"), CONFIG);
  for (const name of ["orders", "users"]) {
    const r = run(dir, ["npx", "comms", "release", name, "--version", "1.0.0"]);
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(0);
  }
  return dir;
}

/**
 * The gate, as the user runs it with npx: compatible changes pass, a breaking one fails at file:line:col.
 * `expectRuntime` is what the Node launcher says it starts; undefined when no launcher runs at all.
 */
function gate(dir: string, expectRuntime: RegExp | undefined): void {
  const version = run(dir, ["npx", "comms", "--version"], { COMMS_DEBUG: "1" });
  expect(version.stdout).toBe(`${pkg.version}\n`);
  if (expectRuntime) expect(version.stderr).toMatch(expectRuntime);
  else expect(version.stderr).toBe("");

  writeFileSync(join(dir, "api/openapi.yaml"), OPENAPI_COMPATIBLE);
  writeFileSync(join(dir, "api/schema.graphql"), GRAPHQL_COMPATIBLE);
  const pass = run(dir, ["npx", "comms", "check"]);
  expect(pass.stderr).not.toContain("error");
  expect(pass.code).toBe(0);

  writeFileSync(join(dir, "api/openapi.yaml"), OPENAPI_BREAKING);
  const fail = run(dir, ["npx", "comms", "check"]);
  expect(fail.code).toBe(1);
  expect(fail.stdout).toMatch(/api\/openapi\.yaml:\d+:\d+\s+breaking\s+request-parameter-became-required/);

  const bad = run(dir, ["npx", "comms", "diff", "api/openapi.yaml", "missing.yaml"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim().split("\n")).toHaveLength(1);
}

describe.skipIf(!NPM)("installing the npm package in a project without Bun, offline", () => {
  test("there is no Bun on the PATH these tests use", () => {
    expect(Bun.which("bun", { PATH: pathWithoutBun() })).toBeNull();
    expect(Bun.which("node", { PATH: pathWithoutBun() })).not.toBeNull();
  });

  test("main package + host platform package: the install step makes the linked bin the binary itself, and it gates", () => {
    const out = buildDist("host");
    const packs = mkdtempSync(join(tmpdir(), "comms-packs-"));
    cleanup.push(packs);
    const dir = consumer([pack(join(out, "npm/comms"), packs), pack(hostPackage(out), packs)], []);
    // node_modules/.bin/comms leads to the platform binary (hard-linked or copied): no Node starts first.
    const linked = realpathSync(join(dir, "node_modules/.bin/comms"));
    const platform = join(dir, "node_modules", "@comms-cli", hostPackage(out).split("/").pop()!, "bin/comms");
    expect(readFileSync(linked).equals(readFileSync(platform))).toBe(true);
    const direct = run(dir, [join(dir, "node_modules/.bin/comms"), "--version"], { COMMS_DEBUG: "1" });
    expect(direct.stdout).toBe(`${pkg.version}\n`);
    expect(direct.stderr).toBe("");
    gate(dir, undefined);
  }, 600_000);

  test("main package + host platform package with --ignore-scripts: the Node launcher runs the binary and gates", () => {
    const out = buildDist("host");
    const packs = mkdtempSync(join(tmpdir(), "comms-packs-"));
    cleanup.push(packs);
    const dir = consumer([pack(join(out, "npm/comms"), packs), pack(hostPackage(out), packs)], ["--ignore-scripts"]);
    expect(readFileSync(realpathSync(join(dir, "node_modules/.bin/comms")), "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
    gate(dir, /comms: running .*node_modules\/@comms-cli\/comms-[a-z0-9-]+\/bin\/comms/);
  }, 600_000);

  test("main package alone (--omit=optional): npx comms runs the JavaScript build on Node and gates", () => {
    const out = buildDist("host");
    const packs = mkdtempSync(join(tmpdir(), "comms-packs-"));
    cleanup.push(packs);
    const dir = consumer([pack(join(out, "npm/comms"), packs)], ["--omit=optional"]);
    gate(dir, /comms: running the JavaScript build on Node \d+/);
  }, 600_000);

  test("this repository's own bin/comms, installed without Bun beside @comms-cli/comms (pre-commit's node hook), runs it", () => {
    const prefix = mkdtempSync(join(tmpdir(), "comms-global-"));
    cleanup.push(prefix);
    const modules = join(prefix, "lib/node_modules");
    mkdirSync(join(modules, "comms/bin"), { recursive: true });
    cpSync(join(REPO, "bin/comms"), join(modules, "comms/bin/comms"));
    cpSync(join(buildDist("host"), "npm/comms"), join(modules, "@comms-cli/comms"), { recursive: true });
    const r = run(prefix, [join(modules, "comms/bin/comms"), "--version"], { COMMS_DEBUG: "1" });
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(r.stderr).toContain("comms: running the JavaScript build on Node");
    rmSync(join(modules, "@comms-cli"), { recursive: true });
    const none = run(prefix, [join(modules, "comms/bin/comms"), "--version"]);
    expect(none.code).toBe(127);
    expect(none.stderr).toContain("comms: cannot start: run 'npm ci'");
  }, 600_000);

  test("the main package has no dependencies and ships only the launcher, the build, LICENSE and README", () => {
    const out = buildDist("host");
    const r = run(join(out, "npm/comms"), [NPM!, "pack", "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    const [info] = JSON.parse(r.stdout) as Array<{ name: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    expect(files).toContain("bin/comms.js");
    expect(files).toContain("install.js");
    expect(files).toContain("lib/comms.mjs");
    expect(files).toContain("LICENSE");
    expect(files).toContain("README.md");
    expect(files).toContain("package.json");
    for (const f of files) expect(f).toMatch(/^(bin\/comms\.js|install\.js|lib\/[\w.-]+\.mjs|LICENSE|README\.md|package\.json)$/);
    expect(files.filter((f) => /test|fixture|\.comms|contracts\/|src\/|scripts\//.test(f))).toEqual([]);
    const main = JSON.parse(readFileSync(join(out, "npm/comms/package.json"), "utf8"));
    expect(main.dependencies).toBeUndefined();
    expect(main.engines).toEqual({ node: ">=20" });
    expect(Object.values(main.optionalDependencies)).toEqual(Array(7).fill(pkg.version));
  }, 600_000);
});
