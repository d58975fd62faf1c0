#!/usr/bin/env bun
import { renderUsage, runCommand, type CommandDef } from "citty";
import { commands, summaries } from "./cli/commands/index.ts";
import { rejectUnknownFlags, wantColor } from "./cli/args.ts";
import { CommsError, UsageError } from "./core/errors.ts";
import { VERSION } from "./version.ts";
import { writeOut, writeErr } from "./cli/io.ts";


function rootHelp(): string {
  const width = Math.max(...Object.keys(summaries).map((k) => k.length));
  const lines = Object.entries(summaries).map(([k, d]) => `  ${k.padEnd(width)}  ${d}`);
  return [
    `comms ${VERSION}: keep API contracts (OpenAPI, GraphQL, protobuf) compatible as they evolve`,
    "",
    "USAGE  comms <command> [options]",
    "",
    "COMMANDS",
    ...lines,
    "",
    "GLOBAL OPTIONS",
    "  -f, --format <fmt>   text, json, markdown, sarif, junit, github, gitlab",
    "  --fail-on <level>    breaking (default) or dangerous",
    "  --color, --no-color  colour output (honours NO_COLOR and FORCE_COLOR)",
    "  --all                also show documentation-only changes",
    "  -q, --quiet          print only the report and errors",
    "  -c, --config <path>  comms.yaml to use",
    "  --cwd <dir>          run as if started in <dir>",
    "  -h, --help           help for a command: comms <command> --help",
    "  -v, --version        print the version",
    "",
    "EXIT CODES  0 no violation, 1 violation, 2 bad input or usage, 3 internal error",
    "",
  ].join("\n");
}

const ROOT: CommandDef = { meta: { name: "comms", version: VERSION } };

/** citty's usage text, without colour codes unless colour is wanted. */
async function usage(cmd: CommandDef<any>, parent: CommandDef<any>): Promise<string> {
  const text = await renderUsage(cmd, parent);
  return `${wantColor(undefined, process.env) ? text : stripAnsi(text)}\n`;
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}

async function resolveDef<T>(v: T | (() => T) | (() => Promise<T>) | Promise<T>): Promise<T> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

/** Runs the CLI and returns the exit code; throws only what `fail` maps below. */
export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-v" || first === "version") {
    writeOut(`${VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    writeOut(rootHelp());
    return 0;
  }
  const load = commands[first];
  if (!load) throw new UsageError(`unknown command '${first}' (commands: ${Object.keys(commands).join(", ")})`);
  let cmd: CommandDef<any> = await load();
  let parent: CommandDef<any> | undefined;
  let args = rest;
  // Walk nested subcommands (`hook install`) so help and flag checks apply to the leaf.
  for (;;) {
    const subs = cmd.subCommands ? await resolveDef(cmd.subCommands) : undefined;
    const next = args[0];
    if (!subs || !next || next.startsWith("-")) break;
    const sub = subs[next];
    if (!sub) throw new UsageError(`unknown command '${first} ${next}' (expected one of ${Object.keys(subs).join(", ")})`);
    parent = cmd;
    cmd = await resolveDef(sub);
    args = args.slice(1);
  }
  if (args.includes("--help") || args.includes("-h") || !cmd.run) {
    writeOut(await usage(cmd, parent ?? ROOT));
    return cmd.run ? 0 : 2;
  }
  rejectUnknownFlags(args, (cmd.args ? await resolveDef(cmd.args) : {}) as never);
  const { result } = await runCommand(cmd, { rawArgs: args });
  return typeof result === "number" ? result : 0;
}

/** Maps an error to a message and an exit code: ours are 2 (user input), anything else is a bug (3). */
export function describeFailure(e: unknown, verbose: boolean): { message: string; code: number } {
  if (e instanceof CommsError) return { message: `comms: ${e.message}`, code: e.exitCode };
  // citty reports bad arguments (missing positional, unknown subcommand) as CLIError.
  if (e instanceof Error && e.name === "CLIError") return { message: `comms: ${e.message} (see --help)`, code: 2 };
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    message: `comms: internal error: ${err.message}${verbose ? "" : " (run with --verbose for details)"}\n${verbose ? (err.stack ?? "") : ""}`.trimEnd(),
    code: 3,
  };
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  run(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      const { message, code } = describeFailure(e, argv.includes("--verbose"));
      writeErr(`${message}\n`);
      process.exitCode = code;
    },
  );
}
