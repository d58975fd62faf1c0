import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO } from "../helpers/cli.ts";
import { SCHEMA_V1 } from "../e2e/gate-helpers.ts";
import { buildDist } from "./build.ts";
import pkg from "../../package.json";

// The GitHub Action's script, run as a pull_request job runs it: a shallow checkout of the head branch,
// GITHUB_* variables and files, and comms from the locally built npm package instead of the registry.
const ACTION = join(REPO, "scripts/action.mjs");
const CONFIG = "version: 1\ncontracts:\n  users:\n    kind: graphql\n    path: api/schema.graphql\n";
const ADDED = SCHEMA_V1.replace("  email: String\n", "  email: String\n  nick: String\n");
const BROKEN = SCHEMA_V1.replace("  email: String\n", "");

let root: string;
let launcher: string;

function sh(cwd: string, ...cmd: string[]): string {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined } });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

/**
 * origin with main (the released contract) and a head branch, then a depth-1 checkout of the head. The
 * contract lives in `sub/api/`, and comms.yaml in `configDir` (by default beside it).
 */
function pullRequest(name: string, schema: string, sub = ".", configDir = sub): string {
  const dir = join(root, name);
  const origin = `${dir}-origin.git`;
  sh(root, "git", "init", "-q", "--bare", "-b", "main", origin);
  const work = `${dir}-work`;
  sh(root, "git", "clone", "-q", origin, work);
  for (const [k, v] of [["user.email", "dev@example.com"], ["user.name", "Dev"], ["commit.gpgsign", "false"]]) sh(work, "git", "config", k!, v!);
  sh(work, "mkdir", "-p", join(sub, "api"));
  writeFileSync(join(work, sub, "api/schema.graphql"), SCHEMA_V1);
  writeFileSync(join(work, configDir, "comms.yaml"), CONFIG.replace("api/schema.graphql", relative(join(work, configDir), join(work, sub, "api/schema.graphql"))));
  sh(work, "git", "add", "-A");
  sh(work, "git", "commit", "-qm", "v1", "--no-verify");
  sh(work, "git", "push", "-q", "origin", "main");
  sh(work, "git", "checkout", "-qb", "feature");
  writeFileSync(join(work, sub, "api/schema.graphql"), schema);
  sh(work, "git", "commit", "-qam", "change", "--no-verify");
  sh(work, "git", "push", "-q", "origin", "feature");
  sh(root, "git", "clone", "-q", "--depth", "1", "--branch", "feature", `file://${origin}`, dir);
  return dir;
}

function runAction(workspace: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}) {
  const summary = join(workspace, "..", `${workspace.split("/").pop()}-summary.md`);
  const output = join(workspace, "..", `${workspace.split("/").pop()}-output.txt`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? root,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_BASE_REF: "main",
    GITHUB_HEAD_REF: "feature",
    GITHUB_REF: "refs/pull/7/merge",
    GITHUB_REPOSITORY: "acme/users",
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    COMMS_BIN: launcher,
  };
  Object.assign(env, extraEnv);
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k}`] = v;
  const r = Bun.spawnSync([Bun.which("node") ?? "node", ACTION], { cwd: workspace, env, stdout: "pipe", stderr: "pipe" });
  const read = (f: string) => (existsSync(f) ? readFileSync(f, "utf8") : "");
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString(), summary: read(summary), output: read(output) };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "comms-action-"));
  launcher = join(buildDist("host"), "npm/comms/bin/comms.js");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the GitHub Action's script", () => {
  test("a breaking pull request: annotations at file:line, the job summary, SARIF, exit 1", () => {
    const ws = pullRequest("breaking", BROKEN);
    const r = runAction(ws, { COMMAND: "check", SARIF: "reports/comms.sarif", FORMAT: "github", VERSION: "latest" });
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(1);
    // The base branch was not in the shallow checkout: the script fetched it and compared with it.
    expect(r.stdout).toContain("comms check --against origin/main\n");
    expect(sh(ws, "git", "rev-parse", "origin/main").trim()).toMatch(/^[0-9a-f]{40}$/);
    // A removal is annotated where it shows in the pull request: the type that lost the field.
    const line = BROKEN.split("\n").indexOf("type User {") + 1;
    expect(r.stdout).toMatch(new RegExp(`^::error file=api/schema\\.graphql,line=${line},col=\\d+[^:]*::.*email`, "m"));
    expect(r.summary).toContain("FIELD_REMOVED");
    expect(r.summary).toMatch(/^#+ /m);
    expect(r.output).toBe("exit-code=1\n");
    const sarif = JSON.parse(readFileSync(join(ws, "reports/comms.sarif"), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    const results = sarif.runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }>;
    const removed = results.find((x) => x.ruleId.endsWith("FIELD_REMOVED"));
    expect(removed?.locations[0]?.physicalLocation.artifactLocation.uri).toBe("api/schema.graphql");
    expect(removed?.locations[0]?.physicalLocation.region.startLine).toBe(line);
  });

  test("a compatible pull request passes with no error annotation; format text also prints the report", () => {
    const ws = pullRequest("compatible", ADDED);
    const r = runAction(ws, { FORMAT: "text" });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("::error");
    expect(r.stdout).toContain("FIELD_ADDED");
    expect(r.summary).toContain("users");
    expect(r.output).toBe("exit-code=0\n");
  });

  test("working-directory: annotations and SARIF still name files from the repository's root", () => {
    const ws = pullRequest("monorepo", BROKEN, "services/users");
    const r = runAction(ws, { WORKING_DIRECTORY: "services/users", SARIF: "comms.sarif" });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=services\/users\/api\/schema\.graphql,line=\d+,col=\d+[^:]*::.*email/m);
    const sarif = JSON.parse(readFileSync(join(ws, "comms.sarif"), "utf8"));
    const uris = (sarif.runs[0].results as Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>).map(
      (x) => x.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain("services/users/api/schema.graphql");
  });

  // comms names a contract's files relative to its comms.yaml: below it, the working directory must not
  // be prefixed a second time (services/services/users/...), and GitHub places nothing on the diff.
  test.each([
    ["comms.yaml at the root", "root", "services/users", "."],
    ["comms.yaml in a parent folder", "parent", "services/users", "services"],
  ])("working-directory below comms.yaml (%s): annotations, SARIF and summary name files from the repository's root", (_n, name, sub, configDir) => {
    const ws = pullRequest(`below-${name}`, BROKEN, sub, configDir);
    const r = runAction(ws, { WORKING_DIRECTORY: sub, SARIF: "comms.sarif" });
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(1);
    const line = BROKEN.split("\n").indexOf("type User {") + 1;
    expect(r.stdout).toMatch(new RegExp(`^::error file=services/users/api/schema\\.graphql,line=${line},col=\\d+[^:]*::.*email`, "m"));
    expect(r.stdout).not.toContain("services/users/services");
    const sarif = JSON.parse(readFileSync(join(ws, "comms.sarif"), "utf8"));
    const uris = (sarif.runs[0].results as Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>).map(
      (x) => x.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toContain("services/users/api/schema.graphql");
    expect(uris.filter((u) => u.includes("services/users/services") || u.includes("services/services"))).toEqual([]);
    expect(r.summary).toContain(`\`services/users/api/schema.graphql:${line}:`);
    expect(r.summary).not.toContain("services/users/services");
    expect(r.summary).not.toContain("services/services");
  });

  test("npm failing to install comms is an error of its own, with npm's message in the summary, not a violation", () => {
    const ws = pullRequest("install-fails", ADDED);
    const bin = join(root, "npx-fails");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "npx"), `#!/bin/sh\necho "npm error code E404" >&2\necho "npm error 404 Not Found - GET https://registry.npmjs.org/@comms-cli%2fcomms - Not found" >&2\nexit 1\n`, { mode: 0o755 });
    const r = runAction(ws, {}, { COMMS_BIN: "", PATH: `${bin}:${process.env.PATH}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`::error title=comms could not be installed::npm could not install @comms-cli/comms@${pkg.version}: npm error code E404%0Anpm error 404 Not Found`);
    expect(r.summary).toContain("### comms could not be installed");
    expect(r.summary).toContain("npm error 404 Not Found - GET https://registry.npmjs.org/@comms-cli%2fcomms - Not found");
    expect(r.output).not.toContain("exit-code=1");
    expect(r.stdout).not.toContain("comms check");
  });

  describe("sarif is written only as a regular file inside the workspace", () => {
    const attacks: Array<[string, (ws: string, victim: string) => string]> = [
      [
        "a symlink committed at the report's path",
        (ws, victim) => {
          mkdirSync(join(ws, "reports"), { recursive: true });
          symlinkSync(victim, join(ws, "reports/comms.sarif"));
          return "reports/comms.sarif";
        },
      ],
      [
        "a symlinked directory on the way",
        (ws, victim) => {
          symlinkSync(join(victim, ".."), join(ws, "reports"));
          return "reports/victim.txt";
        },
      ],
      ["a path that leaves the workspace", (ws, victim) => relative(ws, victim)],
    ];
    test.each(attacks)("%s is refused and the file outside is untouched", (name, plant) => {
      const ws = pullRequest(`sarif-${name.replace(/\W+/g, "-")}`, BROKEN);
      const outside = mkdtempSync(join(root, "outside-"));
      const victim = join(outside, "victim.txt");
      writeFileSync(victim, "runner file\n");
      const path = plant(ws, victim);
      const r = runAction(ws, { SARIF: path });
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/::error title=comms::sarif: '[^']*' (goes through the symbolic link|lies outside the workspace|exists and is not a regular file)/);
      expect(r.summary).toContain("sarif:");
      expect(readFileSync(victim, "utf8")).toBe("runner file\n");
    });
  });

  test("fail-on dangerous and against release are passed to comms; bad inputs stop with exit 2 and an error", () => {
    const ws = pullRequest("inputs", ADDED);
    const rel = runAction(ws, { AGAINST: "release", FAIL_ON: "dangerous" });
    expect(rel.stdout).toContain("comms check --fail-on dangerous\n");
    const bad = runAction(ws, { FAIL_ON: "sometimes" });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain("::error title=comms::unknown fail-on 'sometimes' (breaking or dangerous)");
    expect(bad.summary).toContain("unknown fail-on 'sometimes'");
    const version = runAction(ws, { VERSION: "1.0.0 && rm -rf /" });
    expect(version.code).toBe(2);
    expect(version.stdout).toContain("invalid version");
  });

  test("without COMMS_BIN it runs the action's own version of @comms-cli/comms through npx", () => {
    const ws = pullRequest("npx", ADDED);
    // An npx that records how it was called, then runs the package built from this source.
    const bin = join(root, "npx-bin");
    sh(root, "mkdir", "-p", bin);
    writeFileSync(join(bin, "npx"), `#!/bin/sh\necho "npx $*" >> "${join(root, "npx.log")}"\nshift 2\nexec '${launcher}' "$@"\n`, { mode: 0o755 });
    const noBin = { COMMS_BIN: "", PATH: `${bin}:${process.env.PATH}` };
    const r = runAction(ws, {}, noBin);
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, "npx.log"), "utf8")).toBe(`npx --yes @comms-cli/comms@${pkg.version} --version\nnpx --yes @comms-cli/comms@${pkg.version} check --against origin/main --format github\n`);
    runAction(ws, { VERSION: "latest" }, noBin);
    expect(readFileSync(join(root, "npx.log"), "utf8")).toContain("npx --yes @comms-cli/comms@latest check");
  });

  test("action.yml passes every input to the script", () => {
    const yml = readFileSync(join(REPO, "action.yml"), "utf8");
    for (const name of ["command", "against", "format", "fail-on", "version", "sarif", "working-directory"]) {
      expect(yml).toContain(`\n  ${name}:\n`);
      expect(yml).toContain(`INPUT_${name.toUpperCase().replace(/-/g, "_")}: \${{ inputs.${name} }}`);
    }
    expect(yml).toContain('node "$GITHUB_ACTION_PATH/scripts/action.mjs"');
  });
});
