import type { Engine } from "../../core/engine.ts";
import { diffAvro } from "./diff.ts";
import { AVRO_EXTENSIONS, type AvroContract, loadAvro } from "./load.ts";
import { AVRO_KIND_RULES } from "./rules.ts";

/** Avro schemas (`.avsc`), judged by the specification's schema resolution as the schema registry does. */
const engine: Engine<AvroContract> = {
  kind: "avro",
  extensions: AVRO_EXTENSIONS,
  load: (source) => loadAvro(source),
  diff: (before, after, options) => diffAvro(before, after, options),
  rules: () => [...AVRO_KIND_RULES],
};

export default engine;
