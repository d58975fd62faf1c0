import type { Severity } from "./finding.ts";

/** What `comms rules` shows for one rule: its id, default severity and an explanation. */
export interface RuleInfo {
  /** Stable id, as users of the kind's reference tool know it. */
  id: string;
  kind: string;
  severity: Severity;
  /** buf categories for protobuf, oasdiff area for openapi, etc. */
  categories?: string[];
  summary: string;
  /** Why it matters to consumers. */
  why?: string;
  /** Short old → new example. */
  example?: { old: string; new: string };
  /** How to evolve the contract without the break. */
  fix?: string;
}
