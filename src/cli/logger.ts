import { createConsola, LogLevels, type ConsolaReporter, type LogObject } from "consola/core";
import { oneLine } from "../report/escape.ts";
import { isTerminal, writeErr } from "./io.ts";

// consola's default entry point costs about 18 ms at start-up (its fancy reporter), more than the
// rest of comms' start-up together; the core with this one-line reporter keeps hooks fast.
const color = isTerminal(2) && !process.env.NO_COLOR;

/** Label, its colour, and what separates it from the message: a word takes a colon, a mark does not. */
const LABELS: Record<string, [label: string, ansi: string, sep: string]> = {
  fatal: ["error", "31", ": "],
  error: ["error", "31", ": "],
  warn: ["warning", "33", ": "],
  success: ["✔", "32", " "],
  debug: ["debug", "90", ": "],
  trace: ["trace", "90", ": "],
};

function text(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (arg instanceof Error) return arg.message;
  return JSON.stringify(arg);
}

/**
 * `comms: warning: message` or `comms: ✔ message`, one line per log call, on stderr. Messages quote
 * user strings, so each is escaped to one line: nothing can start a line of its own (a CI runner would
 * execute `::command::` lines) or send escape sequences to the terminal.
 */
const reporter: ConsolaReporter = {
  log(obj: LogObject) {
    const [label, ansi, sep] = LABELS[obj.type] ?? ["", "", ""];
    const badge = label ? (color ? `\u001b[${ansi}m${label}\u001b[39m${sep}` : `${label}${sep}`) : "";
    writeErr(`comms: ${badge}${oneLine(obj.args.map(text).join(" "))}\n`);
  },
};

/** The one logger: everything it prints goes to stderr, so stdout carries only the report. */
export const logger = createConsola({ level: LogLevels.info, reporters: [reporter] });

/** --quiet keeps only errors; --verbose adds debug output. */
export function setLogLevel(opts: { quiet?: boolean; verbose?: boolean }): void {
  logger.level = opts.quiet ? LogLevels.error : opts.verbose ? LogLevels.debug : LogLevels.info;
}
