import type { Engine } from "../../core/engine.ts";
import { diffAsyncApi } from "./diff.ts";
import { refMapOf } from "../../schemas/jsonschema/load.ts";
import { ASYNCAPI_EXTENSIONS, loadAsyncApi } from "./load.ts";
import type { AsyncApiModel } from "./model.ts";
import { asyncapiRules } from "./rules.ts";

/** AsyncAPI 2.x and 3.0 documents: channels, messages and their payloads, from the application's side. */
const engine: Engine<AsyncApiModel> = {
  kind: "asyncapi",
  extensions: ASYNCAPI_EXTENSIONS,
  load: (source, options) => loadAsyncApi(source, refMapOf(options.settings)),
  diff: (before, after, options) => diffAsyncApi(before, after, options.settings, options.direction, options.mode),
  rules: asyncapiRules,
};

export default engine;
