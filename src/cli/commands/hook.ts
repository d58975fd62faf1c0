import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { InputError } from "../../core/errors.ts";
import { gitPath, gitRoot } from "../../registry/git.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { findConfig } from "../../core/config-file.ts";
import { writeErr } from "../io.ts";

/** Marks a hook file as written by comms, so installing again rewrites it instead of chaining to it. */
export const HOOK_MARKER = "# comms pre-commit hook";
/** Name the previous hook is kept under; the comms hook runs it first. */
export const CHAINED_NAME = "pre-commit.pre-comms";

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** How this very comms was started, as shell text, so the hook runs the same one: the binary, or bun + the entry script. */
export function selfCommand(): string {
  const script = process.argv[1];
  if (script && /\.[cm]?[jt]s$/.test(script) && existsSync(script)) return `${shellQuote(process.execPath)} ${shellQuote(resolve(script))}`;
  return shellQuote(process.execPath);
}

/** The hook script: the previous hook first (its failure stops the commit), then the gate on staged files. */
export function hookScript(command: string, cwd: string | undefined): string {
  const run = [command, "check", "--staged", ...(cwd ? ["--cwd", shellQuote(cwd)] : [])].join(" ");
  return [
    "#!/bin/sh",
    `${HOOK_MARKER} (written by 'comms hook install'; run it again to update)`,
    `chained="$(dirname "$0")/${CHAINED_NAME}"`,
    `if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi`,
    `exec ${run}`,
    "",
  ].join("\n");
}

const install = defineCommand({
  meta: {
    name: "install",
    description: "Install a git pre-commit hook running 'comms check --staged'; an existing hook is kept and runs first",
  },
  args: {
    command: { type: "string", description: "Command the hook runs instead of this comms (e.g. 'npx comms')", valueHint: "cmd" },
    ...globalArgs,
  },
  run({ args }) {
    const opts = globalOptions(args);
    const root = gitRoot(opts.cwd);
    if (!root) throw new InputError(`'${opts.cwd}' is not inside a git repository`);
    const hooksDir = gitPath(opts.cwd, "hooks");
    if (!hooksDir) throw new InputError("cannot find the git hooks directory");
    const hook = join(hooksDir, "pre-commit");
    const chained = join(hooksDir, CHAINED_NAME);
    const config = opts.config ? resolve(opts.cwd, opts.config) : findConfig(opts.cwd);
    // Hooks run at the top of the work tree; point comms at the config's folder when it lives deeper.
    const configDir = config ? relative(root, dirname(config)) : "";
    const script = hookScript(args.command ?? selfCommand(), configDir || undefined);
    mkdirSync(hooksDir, { recursive: true });
    let message: string;
    if (existsSync(hook)) {
      const current = readFileSync(hook, "utf8");
      if (current.includes(HOOK_MARKER)) {
        if (current === script) {
          if (!opts.quiet) writeErr(`comms: the pre-commit hook is already installed (${relative(opts.cwd, hook) || hook})\n`);
          return 0;
        }
        message = "updated the comms pre-commit hook";
      } else {
        if (existsSync(chained)) {
          throw new InputError(`${relative(opts.cwd, hook) || hook} is not the comms hook, and ${CHAINED_NAME} already exists; merge them by hand`);
        }
        renameSync(hook, chained);
        chmodSync(chained, 0o755);
        message = `installed the comms pre-commit hook; the previous hook now runs first from ${CHAINED_NAME}`;
      }
    } else {
      message = "installed the comms pre-commit hook";
    }
    writeFileSync(hook, script, { mode: 0o755 });
    chmodSync(hook, 0o755);
    if (!opts.quiet) writeErr(`comms: ${message} (${relative(opts.cwd, hook) || hook})\n`);
    return 0;
  },
});

export default defineCommand({
  meta: { name: "hook", description: "Manage the git pre-commit hook" },
  subCommands: { install },
});
