/** comms.yaml: tree mutations of the project configuration (contracts, policy, registry), run through every command. */
import { editCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Vocabulary } from "../lib.ts";
import { nestedComplexKeys } from "../classes.ts";
import { corpusSeeds, PROJECT_COMMANDS, projectSeeds, varyArgs } from "../seeds.ts";

const VOCAB: Vocabulary = {
  keys: [
    "version", "contracts", "kind", "path", "policy", "compatibility", "deprecation", "min-days", "accept", "contract", "rule", "reason",
    "until", "ignore", "registry", "protobuf", "openapi", "graphql", "use", "except", "fail-on", "api", "graph", "grpc", "__proto__",
    "constructor", "toString", "deprecation-days", "operations", "allow-remote-refs", "owners", "mode",
  ],
  values: [
    1, 2, "1", "openapi", "graphql", "protobuf", "avro", "jsonschema", "asyncapi", "nope", "c/api.yaml", "c/schema.graphql", "c/proto",
    "c", ".", "..", "../victim", "../victim/secret.yaml", "/etc", "/dev/zero", "/dev/null", "victim-link", "victim-link/secret.yaml",
    ".comms", "comms.yaml", "backward", "forward", "full", "none", "backward-transitive", "full-transitive", 0, -1, 30, 1e9,
    "2020-01-01", "2999-12-31", "not a date", "FIELD_NO_DELETE", "FIELD_SAME_TYPE", "response-property-removed", "FIELD_REMOVED",
    { kind: "openapi", path: "c/api.yaml" }, { kind: "protobuf", path: "../victim" }, { contract: "grpc", rule: "FIELD_SAME_TYPE", path: "items.v1.Item.id", reason: "x" },
    ["FILE"], ["/abs/**/*.graphql"], ["../**/*.graphql"], "**/*.graphql",
  ],
};

const kind: FuzzKind = {
  name: "config",
  async seeds(build) {
    return [...(await projectSeeds(build)), ...corpusSeeds("config")];
  },
  mutate(base, rng) {
    let c = base;
    const configs = Object.keys(c.files).filter((p) => /comms\.ya?ml$/.test(p));
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.7 && configs.length) c = editCase(c, rng, configs, (t) => mutateTree(t, rng, VOCAB));
      else if (r < 0.85 && configs.length) c = editCase(c, rng, configs, (t) => mutateBytes(t, rng));
      else if (r < 0.92) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(rng.pick(PROJECT_COMMANDS), (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
  classes: { "nested-complex-keys": (rng) => nestedComplexKeys(rng, "config") },
};

export default kind;
