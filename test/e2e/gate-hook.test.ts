import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { hookScript } from "../../src/cli/commands/hook.ts";
import { MAIN } from "../helpers/cli.ts";
import { TempRepo } from "./gate-helpers.ts";

describe("comms hook install", () => {
  test("the script chains to the previous hook, then runs the gate on staged files", () => {
    expect(hookScript("/usr/local/bin/comms", "api")).toBe(
      [
        "#!/bin/sh",
        "# comms pre-commit hook (written by 'comms hook install'; run it again to update)",
        'chained="$(dirname "$0")/pre-commit.pre-comms"',
        'if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi',
        "exec /usr/local/bin/comms check --staged --cwd api",
        "",
      ].join("\n"),
    );
  });

  test("runs this comms, from the config folder; --command replaces it; not in git is exit 2", () => {
    const repo = new TempRepo();
    try {
      repo.write("services/comms.yaml", "contracts: {}\n");
      expect(repo.comms("hook", "install", "--cwd", "services").code).toBe(0);
      expect(repo.read(".git/hooks/pre-commit")).toContain(`exec ${process.execPath} ${MAIN} check --staged --cwd services\n`);
      const r = repo.comms("hook", "install", "--cwd", "services", "--command", "npx comms");
      expect(r.stderr).toContain("updated the comms pre-commit hook");
      expect(repo.read(".git/hooks/pre-commit")).toContain("exec npx comms check --staged --cwd services\n");
      rmSync(`${repo.dir}/.git`, { recursive: true, force: true });
      const outside = repo.comms("hook", "install");
      expect(outside.code).toBe(2);
      expect(outside.stderr).toMatch(/is not inside a git repository\n$/);
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  });
});
