import type { Engine } from "../../core/engine.ts";
import { diffGraphql } from "./diff.ts";
import { GRAPHQL_EXTENSIONS, loadGraphql } from "./load.ts";
import type { GraphqlModel } from "./model.ts";
import { GRAPHQL_RULES } from "./rules/index.ts";

/** GraphQL schemas: graphql-js builds them, GraphQL Inspector finds the changes, comms adds locations and policy. */
const engine: Engine<GraphqlModel> = {
  kind: "graphql",
  extensions: GRAPHQL_EXTENSIONS,
  load: loadGraphql,
  diff: diffGraphql,
  rules: () => [...GRAPHQL_RULES],
  deprecation: (contract, path) => (contract.model.deprecated(path) ? {} : undefined),
};

export default engine;
