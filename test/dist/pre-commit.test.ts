import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json";
import { REPO } from "../helpers/cli.ts";
import { SCHEMA_V1 } from "../e2e/gate-helpers.ts";
import { buildDist, hostPackage, pathWithoutBun } from "./build.ts";

// The hooks of .pre-commit-hooks.yaml under the real pre-commit framework, in throw-away repositories.
const PRE_COMMIT = Bun.which("pre-commit") ?? undefined;
if (!PRE_COMMIT) console.warn("pre-commit framework tests skipped: pre-commit is not installed (apt-get install pre-commit)");

const CONFIG = "version: 1\ncontracts:\n  users:\n    kind: graphql\n    path: api/schema.graphql\n";
const BROKEN = SCHEMA_V1.replace("  email: String\n", "");

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  cleanup.push(d);
  return d;
}

function run(cwd: string, cmd: string[], env: Record<string, string>) {
  const r = Bun.spawnSync(cmd, { cwd, env, stdout: "pipe", stderr: "pipe", timeout: 300_000 });
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() };
}

/** A repository with a released GraphQL contract, committed without hooks. */
function project(env: Record<string, string>): string {
  const dir = tempDir("comms-pre-commit-");
  const git = (...args: string[]) => run(dir, ["git", ...args], env);
  git("init", "-q", "-b", "main");
  git("config", "user.email", "dev@example.com");
  git("config", "user.name", "Dev");
  git("config", "commit.gpgsign", "false");
  mkdirSync(join(dir, "api"));
  mkdirSync(join(dir, "config"));
  writeFileSync(join(dir, "api/schema.graphql"), SCHEMA_V1);
  writeFileSync(join(dir, "config/app.yaml"), "replicas: 2\n");
  writeFileSync(join(dir, "comms.yaml"), CONFIG);
  const release = run(dir, ["comms", "release", "users", "--version", "1.0.0"], env);
  if (release.code !== 0) throw new Error(`comms release: ${release.out}`);
  git("add", "-A");
  git("commit", "-qm", "init", "--no-verify");
  return dir;
}

/** A directory with only `comms` (the host's release binary) in it, for PATH. */
function commsOnPath(): string {
  const dir = tempDir("comms-bin-");
  cpSync(join(hostPackage(buildDist("host")), "bin/comms"), join(dir, "comms"));
  chmodSync(join(dir, "comms"), 0o755);
  return dir;
}

function baseEnv(extraPath: string[] = []): Record<string, string> {
  return {
    PATH: [...extraPath, pathWithoutBun()].join(":"),
    HOME: process.env.HOME ?? tmpdir(),
    PRE_COMMIT_HOME: tempDir("comms-pre-commit-home-"),
    NO_COLOR: "1",
    // Nothing is downloaded: npm works from local tarballs only.
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
  };
}

describe.skipIf(!PRE_COMMIT)("pre-commit framework", () => {
  test("the node hook installs the same version of the npm package as this release", () => {
    const manifest = readFileSync(join(REPO, ".pre-commit-hooks.yaml"), "utf8");
    expect(manifest).toContain(`additional_dependencies: ["@comms-cli/comms@${pkg.version}"]`);
    expect(manifest).toMatch(/- id: comms-check\n[\s\S]*?language: node\n/);
    expect(manifest).toMatch(/- id: comms-check-system\n[\s\S]*?language: system\n/);
  });

  test("system hook with try-repo: a breaking staged change is refused, an unrelated change passes", () => {
    const env = baseEnv([commsOnPath()]);
    const dir = project(env);
    writeFileSync(join(dir, "api/schema.graphql"), BROKEN);
    run(dir, ["git", "add", "api/schema.graphql"], env);
    const refused = run(dir, [PRE_COMMIT!, "try-repo", REPO, "comms-check-system"], env);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/comms check \(API contract compatibility\)\.*Failed/);
    expect(refused.out).toMatch(/api\/schema\.graphql:\d+:\d+\s+breaking\s+FIELD_REMOVED/);

    run(dir, ["git", "checkout", "-q", "HEAD", "--", "api/schema.graphql"], env);
    writeFileSync(join(dir, "config/app.yaml"), "replicas: 3\n");
    run(dir, ["git", "add", "config/app.yaml"], env);
    const passed = run(dir, [PRE_COMMIT!, "try-repo", REPO, "comms-check-system"], env);
    expect(passed.out).toMatch(/comms check \(API contract compatibility\)\.*Passed/);
    expect(passed.code).toBe(0);
  }, 600_000);

  test("node hook: pre-commit installs the npm package itself and gates real commits, with no comms on PATH", () => {
    // The hook repository as pre-commit sees a published package's repository: the npm package at its root
    // and this repository's .pre-commit-hooks.yaml. Its optional platform packages are not reachable offline,
    // so the hook runs the JavaScript build on Node.
    const env = baseEnv();
    expect(Bun.which("comms", { PATH: env.PATH })).toBeNull();
    const hooks = tempDir("comms-hook-repo-");
    cpSync(join(buildDist("host"), "npm/comms"), hooks, { recursive: true });
    cpSync(join(REPO, ".pre-commit-hooks.yaml"), join(hooks, ".pre-commit-hooks.yaml"));
    for (const args of [["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-qm", "hooks"]]) {
      run(hooks, ["git", ...args], env);
    }
    const rev = run(hooks, ["git", "rev-parse", "HEAD"], env).out.trim();

    const dir = project({ ...env, PATH: `${commsOnPath()}:${env.PATH}` });
    writeFileSync(
      join(dir, ".pre-commit-config.yaml"),
      `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: comms-check\n        additional_dependencies: []\n`,
    );
    run(dir, ["git", "add", ".pre-commit-config.yaml"], env);
    run(dir, ["git", "commit", "-qm", "pre-commit", "--no-verify"], env);
    expect(run(dir, [PRE_COMMIT!, "install"], env).code).toBe(0);

    writeFileSync(join(dir, "api/schema.graphql"), BROKEN);
    run(dir, ["git", "add", "api/schema.graphql"], env);
    const head = run(dir, ["git", "rev-parse", "HEAD"], env).out;
    const refused = run(dir, ["git", "commit", "-m", "drop email"], env);
    expect(refused.out).toMatch(/api\/schema\.graphql:\d+:\d+\s+breaking\s+FIELD_REMOVED/);
    expect(refused.code).toBe(1);
    expect(run(dir, ["git", "rev-parse", "HEAD"], env).out).toBe(head);

    run(dir, ["git", "checkout", "-q", "HEAD", "--", "api/schema.graphql"], env);
    writeFileSync(join(dir, "config/app.yaml"), "replicas: 3\n");
    run(dir, ["git", "add", "config/app.yaml"], env);
    const passed = run(dir, ["git", "commit", "-m", "scale"], env);
    expect(passed.out).toMatch(/comms check \(API contract compatibility\)\.*Passed/);
    expect(passed.code).toBe(0);
  }, 600_000);
});
