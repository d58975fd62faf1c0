import { resolve } from "node:path";
import type { ArgsDef } from "citty";
import { KIND_IDS, type KindId } from "../core/engine.ts";
import { DUPLICATE_KEYS_MODES, type DuplicateKeysMode, setDuplicateKeysOverride } from "../core/duplicate-keys.ts";
import { UsageError } from "../core/errors.ts";
import { COMPATIBILITY_MODES } from "../policy/config.ts";
import { isTerminal } from "./io.ts";

export const FORMAT_NAMES = ["text", "json", "markdown", "sarif", "junit", "github", "gitlab"] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Flags every command accepts (DESIGN.md "Global"). */
export const globalArgs = {
  format: {
    type: "string",
    alias: "f",
    description: "Report format (default: text)",
    valueHint: FORMAT_NAMES.join("|"),
  },
  "fail-on": {
    type: "string",
    description: "Lowest severity that fails the run (default: breaking)",
    valueHint: "breaking|dangerous",
  },
  color: {
    type: "boolean",
    description: "Colour output (default: when stdout is a terminal; honours NO_COLOR and FORCE_COLOR)",
    negativeDescription: "Never colour output",
  },
  all: { type: "boolean", description: "Also show documentation-only changes in text output" },
  quiet: { type: "boolean", alias: "q", description: "Print only the report and errors" },
  verbose: { type: "boolean", description: "Print debug logs, and stacks for errors" },
  config: { type: "string", alias: "c", description: "Path to comms.yaml (default: found upwards from --cwd)", valueHint: "path" },
  cwd: { type: "string", description: "Run as if started in this directory", valueHint: "dir" },
  "duplicate-keys": {
    type: "string",
    description: "A key written twice with different values: refuse the document (default), or read the last value as JSON.parse does and report it as dangerous",
    valueHint: DUPLICATE_KEYS_MODES.join("|"),
  },
  offline: { type: "boolean", description: "Read other repositories (sources, shared deployments) from the local cache as it is, without contacting their remotes" },
} as const satisfies ArgsDef;

/** Global options after validation. */
export interface GlobalOptions {
  format: FormatName;
  failOn?: "breaking" | "dangerous";
  color: boolean;
  all: boolean;
  quiet: boolean;
  verbose: boolean;
  config?: string;
  cwd: string;
  /** Use cached copies of other repositories without fetching (COMMS_OFFLINE=1 too). */
  offline: boolean;
}

/** Validates the global flags of a parsed command line; bad values are UsageErrors (exit 2). */
export function globalOptions(args: Record<string, unknown>, env: Record<string, string | undefined> = process.env): GlobalOptions {
  const format = (args.format as string | undefined) ?? "text";
  if (!(FORMAT_NAMES as readonly string[]).includes(format)) {
    throw new UsageError(`unknown --format '${format}' (expected one of ${FORMAT_NAMES.join(", ")})`);
  }
  const duplicates = args["duplicate-keys"];
  if (duplicates !== undefined && !(DUPLICATE_KEYS_MODES as readonly unknown[]).includes(duplicates)) {
    throw new UsageError(`unknown --duplicate-keys '${String(duplicates)}' (expected one of ${DUPLICATE_KEYS_MODES.join(", ")})`);
  }
  setDuplicateKeysOverride(duplicates as DuplicateKeysMode | undefined);
  const failOn = args["fail-on"] as string | undefined;
  if (failOn !== undefined && failOn !== "breaking" && failOn !== "dangerous") {
    throw new UsageError(`unknown --fail-on '${failOn}' (expected breaking or dangerous)`);
  }
  return {
    format: format as FormatName,
    failOn: failOn as GlobalOptions["failOn"],
    color: wantColor(args.color as boolean | undefined, env),
    all: args.all === true,
    quiet: args.quiet === true,
    verbose: args.verbose === true,
    config: args.config as string | undefined,
    cwd: typeof args.cwd === "string" ? resolve(args.cwd) : process.cwd(),
    offline: args.offline === true || (env.COMMS_OFFLINE !== undefined && env.COMMS_OFFLINE !== "" && env.COMMS_OFFLINE !== "0"),
  };
}

/** --color/--no-color win; then NO_COLOR and FORCE_COLOR (https://no-color.org); then whether stdout is a TTY. */
export function wantColor(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return isTerminal(1);
}

/**
 * citty ignores flags it does not know; a typo such as `--fromat json` must not silently fall back to text.
 */
export function rejectUnknownFlags(rawArgs: string[], defs: ArgsDef): void {
  const known = new Set<string>();
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    known.add(name);
    if (def.type === "boolean") known.add(`no-${name}`);
    const aliases = "alias" in def && def.alias ? (Array.isArray(def.alias) ? def.alias : [def.alias]) : [];
    for (const a of aliases) known.add(a);
  }
  for (const raw of rawArgs) {
    if (raw === "--") break;
    if (!raw.startsWith("-") || raw === "-") continue;
    const name = raw.replace(/^--?/, "").split("=")[0]!;
    if (/^\d/.test(name)) continue;
    if (!known.has(name)) throw new UsageError(`unknown option '${raw.split("=")[0]}' (see --help)`);
  }
}

/** Global flags that take a value (`--cwd X`), by every name they go by. */
const VALUE_FLAGS = new Set(["format", "f", "fail-on", "config", "c", "cwd", "mode", "duplicate-keys"]);
/** Global flags that take none. */
const BARE_FLAGS = new Set(["color", "no-color", "all", "quiet", "q", "verbose"]);

/**
 * Moves global options written before the command (`comms --cwd X check`) to after it, where each
 * command reads them (`comms check --cwd X`), so they work on either side. Options after `--` stay
 * arguments; `--version` and `--help` are left in front for the root to answer. An unknown option in
 * front is left where it is, so that it is reported as an unknown command.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const front: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a === "-" || a === "--") break;
    const name = a.replace(/^--?/, "").split("=")[0]!;
    if (BARE_FLAGS.has(name)) {
      front.push(a);
      i++;
    } else if (VALUE_FLAGS.has(name)) {
      const inline = a.includes("=");
      if (!inline && i + 1 >= argv.length) throw new UsageError(`option '${a}' needs a value (see --help)`);
      front.push(...(inline ? [a] : [a, argv[i + 1]!]));
      i += inline ? 1 : 2;
    } else break;
  }
  if (!front.length) return argv;
  const rest = argv.slice(i);
  if (rest.length === 0) return rest;
  if (rest[0]!.startsWith("-")) return [...rest, ...front];
  const end = rest.indexOf("--");
  return end === -1 ? [...rest, ...front] : [...rest.slice(0, end), ...front, ...rest.slice(end)];
}

/** A `--kind` value, validated; undefined when the flag was not given. */
export function kindOption(value: unknown): KindId | undefined {
  if (value === undefined) return undefined;
  if (!(KIND_IDS as readonly unknown[]).includes(value)) {
    throw new UsageError(`unknown --kind '${String(value)}' (expected one of ${KIND_IDS.join(", ")})`);
  }
  return value as KindId;
}

const PLAIN_MODES = COMPATIBILITY_MODES.filter((m) => !m.endsWith("-transitive"));

/**
 * `--mode`, for the commands that judge compatibility (diff, check), with a placeholder that lists the
 * values. Transitive forms compare with every earlier release, so only commands that know the release
 * history accept them (values are validated by `modeOption` in src/policy/modes.ts).
 */
export function modeArgs(transitive: boolean) {
  return {
    mode: {
      type: "string",
      description: transitive
        ? "Compatibility mode, overriding comms.yaml; -transitive forms check every earlier release"
        : "Compatibility mode: whose old code must keep working (none reports without failing)",
      valueHint: transitive ? `${PLAIN_MODES.join("|")}[-transitive]` : PLAIN_MODES.join("|"),
    },
  } as const satisfies ArgsDef;
}
