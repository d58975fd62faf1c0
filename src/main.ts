#!/usr/bin/env bun
import { runCommand, type ArgDef, type CommandDef } from "citty";
import { commands, summaries } from "./cli/commands/index.ts";
import { hoistGlobalOptions, rejectUnknownFlags } from "./cli/args.ts";
import { CommsError, UsageError } from "./core/errors.ts";
import { VERSION } from "./version.ts";
import { writeOut, writeErr } from "./cli/io.ts";
import { oneLine } from "./report/escape.ts";

function rootHelp(): string {
  const width = Math.max(...Object.keys(summaries).map((k) => k.length));
  const lines = Object.entries(summaries).map(([k, d]) => `  ${k.padEnd(width)}  ${d}`);
  return [
    `comms ${VERSION}: keep API contracts (OpenAPI, GraphQL, protobuf, event schemas) compatible as they evolve`,
    "",
    "USAGE comms [global options] <command> [options]",
    "",
    "COMMANDS",
    ...lines,
    "",
    "GLOBAL OPTIONS (before or after the command)",
    "  -f, --format <fmt>   text, json, markdown, sarif, junit, github, gitlab",
    "  --fail-on <level>    breaking (default) or dangerous",
    "  --mode <mode>        diff, check: backward, forward, full or none (check: also *-transitive)",
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

/**
 * A command's help. Written here rather than by citty so that placeholders read as typed
 * (`--format <text|json|...>`, not `--format=<text>`), a nested command names its whole command line
 * (`comms hook install`), and columns line up on the left without trailing blanks. `path` is the
 * command line up to the command's parent.
 */
async function usage(cmd: CommandDef<any>, path: string[]): Promise<string> {
  const meta = (await resolveDef(cmd.meta ?? {})) as { name?: string; description?: string };
  const defs = Object.entries((await resolveDef(cmd.args ?? {})) as Record<string, ArgDef>);
  const subs = cmd.subCommands ? await resolveDef(cmd.subCommands) : undefined;
  const name = [...path, meta.name ?? ""].join(" ").trim();
  const positionals = defs.filter(([, d]) => d.type === "positional");
  const line = [name, ...(defs.length > positionals.length ? ["[options]"] : [])];
  for (const [n, d] of positionals) line.push(d.required === false ? `[${n.toUpperCase()}]` : `<${n.toUpperCase()}>`);
  if (subs) line.push(`<${Object.keys(subs).join("|")}>`);
  const out = [...(meta.description ? [meta.description, ""] : []), `USAGE ${line.join(" ")}`];
  const section = (title: string, rows: Array<[string, string]>) => {
    if (!rows.length) return;
    // A long flag (`--format <text|json|...>`) puts its description on the next line instead of
    // pushing every description far to the right.
    const width = Math.max(0, ...rows.map(([a]) => a.length).filter((n) => n <= 24));
    out.push("", title);
    for (const [a, b] of rows) {
      if (a.length <= width) out.push(`  ${a.padEnd(width)}  ${b}`.trimEnd());
      else out.push(`  ${a}`, `  ${" ".repeat(width)}  ${b}`.trimEnd());
    }
  };
  section(
    "ARGUMENTS",
    positionals.map(([n, d]) => [n.toUpperCase(), `${d.description ?? ""}${d.required === false ? "" : " (required)"}`.trim()]),
  );
  const options: Array<[string, string]> = [];
  for (const [n, d] of defs) {
    if (d.type === "positional") continue;
    const aliases = "alias" in d && d.alias ? (Array.isArray(d.alias) ? d.alias : [d.alias]) : [];
    const hint = d.type === "boolean" ? "" : ` <${("valueHint" in d && d.valueHint) || n}>`;
    options.push([[...aliases.map((a) => `-${a}`), `--${n}`].join(", ") + hint, d.description ?? ""]);
    if (d.type === "boolean" && "negativeDescription" in d && d.negativeDescription) options.push([`--no-${n}`, d.negativeDescription]);
  }
  options.push(["-h, --help", "Show this help"]);
  section("OPTIONS", options);
  if (subs) {
    const rows: Array<[string, string]> = [];
    for (const [n, sub] of Object.entries(subs)) {
      const subMeta = (await resolveDef((await resolveDef(sub as CommandDef<any>)).meta ?? {})) as { description?: string };
      rows.push([n, subMeta.description ?? ""]);
    }
    section("COMMANDS", rows);
    out.push("", `Use '${name} <command> --help' for the options of a command.`);
  }
  return `${out.join("\n")}\n`;
}

async function resolveDef<T>(v: T | (() => T) | (() => Promise<T>) | Promise<T>): Promise<T> {
  return typeof v === "function" ? await (v as () => T | Promise<T>)() : await v;
}

/** Runs the CLI and returns the exit code; throws only what `fail` maps below. */
export async function run(argv: string[]): Promise<number> {
  const [first, ...rest] = hoistGlobalOptions(argv);
  if (first === "--version" || first === "-v" || first === "version") {
    writeOut(`${VERSION}\n`);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    writeOut(rootHelp());
    return 0;
  }
  // Own keys only: `comms constructor` must not reach Object.prototype.
  const load = Object.hasOwn(commands, first) ? commands[first] : undefined;
  if (!load) throw new UsageError(`unknown command '${first}' (commands: ${Object.keys(commands).join(", ")})`);
  let cmd: CommandDef<any> = await load();
  const path = ["comms"];
  let name = first;
  let args = rest;
  // Walk nested subcommands (`hook install`) so help and flag checks apply to the leaf.
  for (;;) {
    const subs = cmd.subCommands ? await resolveDef(cmd.subCommands) : undefined;
    const next = args[0];
    if (!subs || !next || next.startsWith("-")) break;
    const sub = Object.hasOwn(subs, next) ? subs[next] : undefined;
    if (!sub) throw new UsageError(`unknown command '${first} ${next}' (expected one of ${Object.keys(subs).join(", ")})`);
    path.push(name);
    name = next;
    cmd = await resolveDef(sub);
    args = args.slice(1);
  }
  const wantsHelp = args.includes("--help") || args.includes("-h");
  if (wantsHelp || !cmd.run) {
    writeOut(await usage(cmd, path));
    return wantsHelp ? 0 : 2;
  }
  rejectUnknownFlags(args, (cmd.args ? await resolveDef(cmd.args) : {}) as never);
  const { result } = await runCommand(cmd, { rawArgs: args });
  return typeof result === "number" ? result : 0;
}

/**
 * Maps an error to a message and an exit code: ours are 2 (user input), anything else is a bug (3).
 * Messages quote user strings (paths, `$ref`s, names), so each is printed as one escaped line: nothing a
 * contract contains can start a line of its own on stderr (where CI runners execute `::command::` lines)
 * or reach the terminal as an escape sequence.
 */
export function describeFailure(e: unknown, verbose: boolean): { message: string; code: number } {
  if (e instanceof CommsError) return { message: `comms: ${oneLine(withoutEngineTexts(e.message))}`, code: e.exitCode };
  // citty reports bad arguments (missing positional, unknown subcommand) as CLIError.
  if (e instanceof Error && e.name === "CLIError") return { message: `comms: ${oneLine(e.message)} (see --help)`, code: 2 };
  const err = e instanceof Error ? e : new Error(String(e));
  const head = `comms: internal error: ${internalText(err)}`;
  if (!verbose) return { message: `${head} (run with --verbose for details)`, code: 3 };
  const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  return { message: [head, ...frames.map((l) => `    ${oneLine(l.trim())}`)].join("\n"), code: 3 };
}

/** Texts of the JavaScript engine itself, which say nothing about the contract. */
const STACK_OVERFLOW = /(?:RangeError: )?(?:Maximum call stack size exceeded\.?|too much recursion)/gi;

/**
 * A message of ours that wraps an engine's stack overflow (a loader catching everything around a parse)
 * says what it means for the input instead of quoting the engine.
 */
function withoutEngineTexts(message: string): string {
  return message.replace(STACK_OVERFLOW, "nested too deeply to process");
}

/**
 * What went wrong inside comms, in a few words. A stack overflow says what usually causes it rather than
 * the engine's wording; other texts are cut short, since they may quote input and are not for the user.
 */
function internalText(err: Error): string {
  if (err instanceof RangeError && /call stack|too much recursion|stack overflow/i.test(err.message)) {
    return "stack overflow (the input is nested too deeply)";
  }
  const text = oneLine(`${err.name}: ${err.message}`);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const fail = (e: unknown) => {
    const { message, code } = describeFailure(e, argv.includes("--verbose"));
    writeErr(`${message}\n`);
    process.exitCode = code;
  };
  // An error escaping the command's promise (a stray callback) gets the same one-line treatment.
  process.on("uncaughtException", (e) => {
    fail(e);
    process.exit();
  });
  process.on("unhandledRejection", (e) => {
    fail(e);
    process.exit();
  });
  run(argv).then((code) => {
    process.exitCode = code;
  }, fail);
}
