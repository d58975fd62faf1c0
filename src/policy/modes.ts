import { UsageError } from "../core/errors.ts";
import { COMPATIBILITY_MODES, type CompatibilityMode } from "./config.ts";

/** What a compatibility mode asks for, in schema-registry terms (see `policy.compatibility`). */
export interface ModeSpec {
  /** New readers must read what old writers produced: the usual diff. */
  backward: boolean;
  /** Old readers must read what new writers produce: the diff with the sides swapped. */
  forward: boolean;
  /** Check against every earlier release, not only the latest. */
  transitive: boolean;
}

/** The default matches Confluent's and every anchor tool's: backward against the latest release. */
export const DEFAULT_MODE: CompatibilityMode = "backward";

export function modeSpec(mode: CompatibilityMode = DEFAULT_MODE): ModeSpec {
  const base = mode.replace(/-transitive$/, "");
  return {
    backward: base === "backward" || base === "full",
    forward: base === "forward" || base === "full",
    transitive: mode.endsWith("-transitive"),
  };
}

/** Modes `diff` takes: it compares two given versions, so there are no earlier releases to walk. */
export const DIFF_MODES = COMPATIBILITY_MODES.filter((m) => !m.endsWith("-transitive"));

/** A `--mode` value, validated; undefined when the flag was not given. */
export function modeOption(value: unknown, allowed: readonly CompatibilityMode[] = COMPATIBILITY_MODES): CompatibilityMode | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new UsageError(`unknown --mode '${String(value).replace(/[^\x20-\x7e]/g, "?").slice(0, 60)}' (expected one of ${allowed.join(", ")})`);
  }
  return value as CompatibilityMode;
}
