import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN, runCli, type CliResult } from "../helpers/cli.ts";

/** Git variables a surrounding hook may set; they would point the test's git at another repository. */
const GIT_SCRUB = { GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, GIT_PREFIX: undefined };

/**
 * A `comms` on PATH that runs this checkout, as an installed comms would be: the pre-commit hook finds comms
 * when it runs (node_modules/.bin, then PATH), so commits made by these tests need one there.
 */
export const PATH_WITH_COMMS = (() => {
  const dir = mkdtempSync(join(tmpdir(), "comms-path-"));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(join(dir, "comms"), `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(MAIN)} "$@"\n`, { mode: 0o755 });
  return `${dir}:${process.env.PATH ?? ""}`;
})();

/** A throw-away git repository with comms in it. */
export class TempRepo {
  readonly dir = mkdtempSync(join(tmpdir(), "comms-gate-"));

  constructor() {
    this.git("init", "-q", "-b", "main");
    this.git("config", "user.email", "dev@example.com");
    this.git("config", "user.name", "Dev");
    this.git("config", "commit.gpgsign", "false");
    // Keep hooks inside this repository whatever the machine's global config says.
    this.git("config", "core.hooksPath", ".git/hooks");
  }

  git(...args: string[]): CliResult {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...GIT_SCRUB, NO_COLOR: "1", PATH: PATH_WITH_COMMS })) if (v !== undefined) env[k] = v;
    const r = Bun.spawnSync(["git", ...args], { cwd: this.dir, env, stdout: "pipe", stderr: "pipe" });
    return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  }

  comms(...args: string[]): CliResult {
    return runCli(args, { cwd: this.dir, env: GIT_SCRUB });
  }

  json(...args: string[]): { code: number; out: any; stderr: string } {
    const r = this.comms(...args, "--format", "json");
    let out: unknown;
    try {
      out = JSON.parse(r.stdout);
    } catch {
      throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
    }
    return { code: r.code, out, stderr: r.stderr };
  }

  write(path: string, text: string): void {
    const abs = join(this.dir, path);
    Bun.spawnSync(["mkdir", "-p", join(abs, "..")]);
    writeFileSync(abs, text);
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), "utf8");
  }

  exists(path: string): boolean {
    return existsSync(join(this.dir, path));
  }

  /** Every file below a directory with its bytes, to prove a refused command changed nothing. */
  tree(path: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string, prefix: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
        else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), "utf8");
      }
    };
    walk(join(this.dir, path), "");
    return out;
  }
}

export const SCHEMA_V1 = `type Query {
  user(id: ID!): User
}

type User {
  id: ID!
  name: String
  email: String
}
`;
