import type { Location } from "../core/location.ts";
import type { CompatibilityMode } from "../policy/config.ts";

/** One unmet expectation of a consumer, as a judge reports it (before it is named and made a finding). */
export interface Expectation {
  rule: string;
  severity: "breaking" | "dangerous";
  /** The interaction, operation or schema of the consumer: `get order [given order 1] (GET /orders/1)`. */
  interaction: string;
  /** Where inside it: `response.body.lines[].qty`. */
  where: string;
  message: string;
  /** Where the provider defines (or no longer defines) what is expected. */
  provider?: Location;
  /** Where the consumer writes the expectation. */
  consumer?: Location;
}

/**
 * What the producer's compatibility mode asks of a JSON Schema reader (a consumer's schema) against the
 * producer's writer schema. `reads`: every payload the writer allows is one the reader accepts (the
 * registry's backward check, with the consumer as the new schema). `covered`: every payload the reader
 * describes is one the writer allows, so the consumer expects nothing the producer does not send (the
 * forward check, the producer's schema reading what the consumer's describes). Transitive modes ask the
 * same of the one pair; `none` asks nothing.
 */
export function readerDirections(mode: CompatibilityMode = "backward"): ReadonlyArray<"reads" | "covered"> {
  if (mode === "none") return [];
  if (mode.startsWith("forward")) return ["covered"];
  if (mode.startsWith("full")) return ["reads", "covered"];
  return ["reads"];
}
