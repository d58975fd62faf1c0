import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { defineCommand } from "citty";
import { InputError } from "../../core/errors.ts";
import { gitPath, gitRoot } from "../../registry/git.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { findConfig } from "../../core/config-file.ts";
import { writeErr } from "../io.ts";
import { oneLine } from "../../report/escape.ts";

/** Marks a hook file as written by comms, so installing again rewrites it instead of chaining to it. */
export const HOOK_MARKER = "# comms pre-commit hook";
/** Name the previous hook is kept under; the comms hook runs it first. */
export const CHAINED_NAME = "pre-commit.pre-comms";

/** npm package users install comms from, named in the hook's message when comms cannot be found. */
export const NPM_PACKAGE = "@comms-cli/comms";

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Shell text running the gate with the comms this project installed, looked up when the hook runs (never a
 * path fixed at install time, so the hook survives a moved or freshly cloned repository): the project's
 * node_modules (next to comms.yaml, then at the top), then PATH, then npx without downloading anything.
 * In node_modules the platform package's binary comes first, so no Node starts before it (the package's
 * `bin` is that binary too once its install step ran). A comms that git tracks is never run: a commit
 * under review could have put an executable there, and the hook runs on the reviewer's machine.
 */
export function runInstalledComms(configDir: string | undefined, gate: string): string[] {
  const dirs = [...new Set([configDir ? `${configDir}/node_modules` : undefined, "node_modules"].filter((d) => d !== undefined))];
  return [
    "tracked() {",
    '  git ls-files --error-unmatch -- "$1" >/dev/null 2>&1 && return 0',
    '  real=$(readlink -f "$1" 2>/dev/null) && [ -n "$real" ] && git ls-files --error-unmatch -- "$real" >/dev/null 2>&1',
    "}",
    `for dir in ${dirs.map(shellQuote).join(" ")}; do`,
    `  for bin in "$dir"/${NPM_PACKAGE}-*/bin/comms "$dir/.bin/comms"; do`,
    '    [ -f "$bin" ] && [ -x "$bin" ] || continue',
    '    if tracked "$bin"; then echo "comms pre-commit hook: not running $bin: it is tracked by git, so a commit may have put it there (remove it from git and install comms with npm)" >&2; continue; fi',
    `    exec "$bin" ${gate}`,
    "  done",
    "done",
    `if command -v comms >/dev/null 2>&1; then exec comms ${gate}; fi`,
    `if command -v npx >/dev/null 2>&1 && npx --no-install comms --version >/dev/null 2>&1; then exec npx --no-install comms ${gate}; fi`,
    `echo "comms pre-commit hook: comms is not installed here (npm i -D ${NPM_PACKAGE}, or put comms on PATH)" >&2`,
    "exit 1",
  ];
}

/**
 * The hook script: the previous hook first (its failure stops the commit), then the gate on staged files,
 * run by `command` when given, else by the comms the project installed.
 */
export function hookScript(command: string | undefined, cwd: string | undefined): string {
  const gate = ["check", "--staged", ...(cwd ? ["--cwd", shellQuote(cwd)] : [])].join(" ");
  return [
    "#!/bin/sh",
    `${HOOK_MARKER} (written by 'comms hook install'; run it again to update)`,
    `chained="$(dirname "$0")/${CHAINED_NAME}"`,
    `if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi`,
    ...(command ? [`exec ${command} ${gate}`] : runInstalledComms(cwd, gate)),
    "",
  ].join("\n");
}

const install = defineCommand({
  meta: {
    name: "install",
    description: "Install a git pre-commit hook running 'comms check --staged'; an existing hook is kept and runs first",
  },
  args: {
    command: {
      type: "string",
      description: "Command the hook runs (e.g. 'npx comms'); default: comms from node_modules/.bin, else PATH, else npx",
      valueHint: "cmd",
    },
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
    const script = hookScript(args.command, configDir || undefined);
    if (!config && !opts.quiet) writeErr("comms: warning: no comms.yaml found; the hook fails until there is one (create it with 'comms init')\n");
    mkdirSync(hooksDir, { recursive: true });
    let message: string;
    if (existsSync(hook)) {
      const current = readFileSync(hook, "utf8");
      if (current.includes(HOOK_MARKER)) {
        if (current === script) {
          if (!opts.quiet) writeErr(`comms: the pre-commit hook is already installed (${oneLine(relative(opts.cwd, hook) || hook)})\n`);
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
    if (!opts.quiet) writeErr(`comms: ${message} (${oneLine(relative(opts.cwd, hook) || hook)})\n`);
    return 0;
  },
});

export default defineCommand({
  meta: { name: "hook", description: "Manage the git pre-commit hook" },
  subCommands: { install },
});
