import type { Location } from "../core/location.ts";

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
