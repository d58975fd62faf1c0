import type { CompatibilityMode } from "./config.ts";

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
