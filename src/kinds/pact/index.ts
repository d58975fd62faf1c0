import type { Engine } from "../../core/engine.ts";
import { diffPact } from "./diff.ts";
import { loadPact, PACT_EXTENSIONS } from "./load.ts";
import type { PactModel } from "./model.ts";
import { CONSUMER_RULES } from "./consumer-rules.ts";
import { PACT_RULES } from "./rules.ts";

/** Pact files (specification v2, v3, v4): a consumer's expectations of its provider. */
const engine: Engine<PactModel> = {
  kind: "pact",
  extensions: PACT_EXTENSIONS,
  load: (source) => loadPact(source),
  diff: (before, after) => diffPact(before, after),
  rules: () => [...PACT_RULES, ...CONSUMER_RULES],
};

export default engine;
