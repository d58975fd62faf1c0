import type { Engine } from "../../core/engine.ts";
import { refMapOf } from "../../schemas/jsonschema/load.ts";
import { diffJsonSchema } from "./diff.ts";
import { JSONSCHEMA_EXTENSIONS, type JsonSchemaContract, loadJsonSchema } from "./load.ts";
import { JSONSCHEMA_KIND_RULES } from "./rules.ts";

/** JSON Schema documents, judged with the schema registry's JSON Schema compatibility rules. */
const engine: Engine<JsonSchemaContract> = {
  kind: "jsonschema",
  extensions: JSONSCHEMA_EXTENSIONS,
  load: (source, options) => loadJsonSchema(source, refMapOf(options.settings)),
  diff: (before, after, options) => diffJsonSchema(before, after, options.settings),
  rules: () => [...JSONSCHEMA_KIND_RULES],
};

export default engine;
