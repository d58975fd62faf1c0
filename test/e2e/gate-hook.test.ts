import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hookScript } from "../../src/cli/commands/hook.ts";
import { MAIN } from "../helpers/cli.ts";
import { SCHEMA_V1, TempRepo } from "./gate-helpers.ts";

const CONFIG = "version: 1\ncontracts:\n  users:\n    kind: graphql\n    path: schema.graphql\n";
const BROKEN = SCHEMA_V1.replace("  email: String\n", "");

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** An executable `comms` at `path` that runs this checkout, like the shim npm writes into node_modules/.bin. */
function installShim(path: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\necho "comms from ${path}" >&2\nexec '${process.execPath}' '${MAIN}' "$@"\n`, { mode: 0o755 });
}

/**
 * PATH for a commit: git and the few tools a hook script uses, plus `extra` dirs; no comms and no npx, so
 * the hook finds only the comms the test put in place.
 */
function barePath(...extra: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "comms-bare-path-"));
  cleanup.push(dir);
  for (const tool of ["git", "dirname", "sh", "cat", "basename", "sed", "tr", "uname", "wc", "readlink"]) {
    const found = Bun.which(tool);
    if (found) symlinkSync(found, join(dir, tool));
  }
  return [...extra, dir].join(":");
}

function commit(repo: TempRepo, path: string, message: string) {
  const r = Bun.spawnSync(["git", "commit", "-qm", message], {
    cwd: repo.dir,
    env: { HOME: process.env.HOME ?? "/tmp", PATH: path, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() };
}

function releasedRepo(): TempRepo {
  const repo = new TempRepo();
  cleanup.push(repo.dir);
  repo.write("schema.graphql", SCHEMA_V1);
  repo.write("comms.yaml", CONFIG);
  expect(repo.comms("release", "users", "--version", "1.0.0").code).toBe(0);
  repo.git("add", "-A");
  expect(repo.git("commit", "-qm", "init", "--no-verify").code).toBe(0);
  return repo;
}

describe("comms hook install", () => {
  test("with --command the hook runs that command; the previous hook runs first", () => {
    expect(hookScript("npx comms", "api")).toBe(
      [
        "#!/bin/sh",
        "# comms pre-commit hook (written by 'comms hook install'; run it again to update)",
        'chained="$(dirname "$0")/pre-commit.pre-comms"',
        'if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi',
        "exec npx comms check --staged --cwd api",
        "",
      ].join("\n"),
    );
  });

  test("the hook names no absolute path: it looks in node_modules/.bin, then PATH, then npx", () => {
    const repo = releasedRepo();
    expect(repo.comms("hook", "install").code).toBe(0);
    const hook = repo.read(".git/hooks/pre-commit");
    expect(hook).not.toContain(process.execPath);
    expect(hook).not.toContain(MAIN);
    expect(hook).not.toContain(repo.dir);
    const order = ['"$dir"/@comms-cli/comms-*/bin/comms "$dir/.bin/comms"', "command -v comms", "npx --no-install comms"].map((s) => hook.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test("comms from node_modules/.bin refuses a breaking staged change, passes an unrelated one, and survives a move", () => {
    let repo = releasedRepo();
    expect(repo.comms("hook", "install").code).toBe(0);
    installShim(join(repo.dir, "node_modules/.bin/comms"));
    repo.write(".gitignore", "node_modules/\n");
    repo.write("schema.graphql", BROKEN);
    repo.git("add", "schema.graphql", ".gitignore");
    const refused = commit(repo, barePath(), "drop email");
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`comms from ${join(repo.dir, "node_modules/.bin/comms")}`);
    expect(refused.out).toMatch(/schema\.graphql:\d+:\d+\s+breaking\s+FIELD_REMOVED/);
    repo.git("reset", "-q", "schema.graphql");
    repo.write("schema.graphql", SCHEMA_V1);

    // Moved elsewhere (a new clone, a renamed folder): the hook still finds the project's comms.
    const moved = `${repo.dir}-moved`;
    renameSync(repo.dir, moved);
    cleanup.push(moved);
    repo = Object.assign(Object.create(TempRepo.prototype), { dir: moved }) as TempRepo;
    installShim(join(moved, "node_modules/.bin/comms"));
    repo.write("README.md", "# users\n");
    repo.git("add", "README.md");
    const passed = commit(repo, barePath(), "docs");
    expect(passed.out).toContain(`comms from ${join(moved, "node_modules/.bin/comms")}`);
    expect(passed.code).toBe(0);
  });

  test("the platform package's binary runs before node_modules/.bin (no Node starts first)", () => {
    const repo = releasedRepo();
    expect(repo.comms("hook", "install").code).toBe(0);
    repo.write(".gitignore", "node_modules/\n");
    installShim(join(repo.dir, "node_modules/.bin/comms"));
    installShim(join(repo.dir, "node_modules/@comms-cli/comms-linux-x64/bin/comms"));
    repo.write("schema.graphql", BROKEN);
    repo.git("add", "schema.graphql", ".gitignore");
    const r = commit(repo, barePath(), "drop email");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`comms from ${join(repo.dir, "node_modules/@comms-cli/comms-linux-x64/bin/comms")}`);
    expect(r.out).not.toContain(`comms from ${join(repo.dir, "node_modules/.bin/comms")}`);
  });

  // A pull request can commit an executable where the hook looks for comms; the reviewer who checks it
  // out and commits would run it. The hook never runs a comms that git tracks, directly or through a link.
  describe("a comms that git tracks is never run", () => {
    const attacks: Array<[string, (repo: TempRepo) => string]> = [
      [
        "node_modules/.bin/comms committed",
        (repo) => {
          installShim(join(repo.dir, "node_modules/.bin/comms"));
          return "node_modules/.bin/comms";
        },
      ],
      [
        "a platform package's binary committed",
        (repo) => {
          installShim(join(repo.dir, "node_modules/@comms-cli/comms-linux-x64/bin/comms"));
          return "node_modules/@comms-cli/comms-linux-x64/bin/comms";
        },
      ],
      [
        "an untracked link to a committed file",
        (repo) => {
          installShim(join(repo.dir, "tools/comms"));
          mkdirSync(join(repo.dir, "node_modules/.bin"), { recursive: true });
          symlinkSync(join(repo.dir, "tools/comms"), join(repo.dir, "node_modules/.bin/comms"));
          return "tools/comms";
        },
      ],
    ];
    test.each(attacks)("%s", (_name, plant) => {
      const repo = releasedRepo();
      expect(repo.comms("hook", "install").code).toBe(0);
      const committed = plant(repo);
      repo.git("add", "-f", committed);
      expect(repo.git("commit", "-qm", "tooling", "--no-verify").code).toBe(0);
      repo.write("schema.graphql", BROKEN);
      repo.git("add", "schema.graphql");
      const r = commit(repo, barePath(), "drop email");
      expect(r.out).not.toContain("comms from");
      expect(r.out).toMatch(/comms pre-commit hook: not running \S*comms: it is tracked by git/);
      // Nothing else installed: the commit stops, saying how to install comms.
      expect(r.code).toBe(1);
      expect(r.out).toContain("comms is not installed here");
    });
  });

  test("comms next to a comms.yaml in a sub-folder is found there, and else comms on PATH", () => {
    const repo = new TempRepo();
    cleanup.push(repo.dir);
    repo.write("services/schema.graphql", SCHEMA_V1);
    repo.write("services/comms.yaml", CONFIG);
    expect(repo.comms("release", "users", "--version", "1.0.0", "--cwd", "services").code).toBe(0);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "init", "--no-verify");
    expect(repo.comms("hook", "install", "--cwd", "services").code).toBe(0);
    installShim(join(repo.dir, "services/node_modules/.bin/comms"));
    repo.write("services/schema.graphql", BROKEN);
    repo.git("add", "services/schema.graphql");
    const local = commit(repo, barePath(), "drop email");
    expect(local.code).toBe(1);
    expect(local.out).toContain("comms from " + join(repo.dir, "services/node_modules/.bin/comms"));
    expect(local.out).toMatch(/schema\.graphql:\d+:\d+\s+breaking\s+FIELD_REMOVED/);

    rmSync(join(repo.dir, "services/node_modules"), { recursive: true });
    const onPath = mkdtempSync(join(tmpdir(), "comms-on-path-"));
    cleanup.push(onPath);
    installShim(join(onPath, "comms"));
    const viaPath = commit(repo, barePath(onPath), "drop email");
    expect(viaPath.code).toBe(1);
    expect(viaPath.out).toContain(`comms from ${join(onPath, "comms")}`);
  });

  test("without any comms the hook stops the commit and says how to install it", () => {
    const repo = releasedRepo();
    expect(repo.comms("hook", "install").code).toBe(0);
    repo.write("README.md", "# users\n");
    repo.git("add", "README.md");
    const r = commit(repo, barePath(), "docs");
    expect(r.code).toBe(1);
    expect(r.out).toContain("comms pre-commit hook: comms is not installed here (npm i -D @comms-cli/comms, or put comms on PATH)");
  });

  test("warns without a comms.yaml; idempotent; chains an existing hook; not in git is exit 2", () => {
    const repo = new TempRepo();
    cleanup.push(repo.dir);
    repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho previous >> .git/previous.log\n");
    chmodSync(join(repo.dir, ".git/hooks/pre-commit"), 0o755);
    const first = repo.comms("hook", "install");
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("comms: warning: no comms.yaml found; the hook fails until there is one (create it with 'comms init')");
    expect(first.stderr).toContain("the previous hook now runs first from pre-commit.pre-comms");
    const hook = repo.read(".git/hooks/pre-commit");
    expect(repo.read(".git/hooks/pre-commit.pre-comms")).toContain("echo previous");
    repo.write("comms.yaml", "version: 1\ncontracts: {}\n");
    const again = repo.comms("hook", "install");
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain("warning");
    expect(again.stderr).toContain("already installed");
    expect(repo.read(".git/hooks/pre-commit")).toBe(hook);
    const onPath = mkdtempSync(join(tmpdir(), "comms-on-path-"));
    cleanup.push(onPath);
    installShim(join(onPath, "comms"));
    repo.write("README.md", "# x\n");
    repo.git("add", "README.md");
    expect(commit(repo, barePath(onPath), "docs").code).toBe(0);
    expect(repo.read(".git/previous.log")).toBe("previous\n");

    rmSync(join(repo.dir, ".git"), { recursive: true, force: true });
    const outside = repo.comms("hook", "install");
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/is not inside a git repository\n$/);
  });
});
