import type { Engine } from "../../core/engine.ts";
import { UnsupportedKindError } from "../../core/errors.ts";

const unsupported = (): never => {
  throw new UnsupportedKindError("graphql contracts are not supported yet by this build of comms");
};

const engine: Engine = {
  kind: "graphql",
  extensions: [],
  load: async () => unsupported(),
  diff: async () => unsupported(),
  rules: () => [],
};

export default engine;
