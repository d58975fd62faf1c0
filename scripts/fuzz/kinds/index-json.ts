/** The registry: tree mutations of .comms/index.json and edits of released snapshots, run through every command. */
import { editCase, type FuzzKind, mutateBytes, mutateLayout, mutateTree, type Vocabulary } from "../lib.ts";
import { corpusSeeds, PROJECT_COMMANDS, projectSeeds, varyArgs } from "../seeds.ts";

const VOCAB: Vocabulary = {
  keys: ["version", "releases", "contract", "kind", "date", "hash", "commit", "path", "files", "sunset", "__proto__", "constructor", "accepted", "bump"],
  values: [
    1, 2, 5, null, "api", "grpc", "graph", "__proto__", "constructor", "openapi", "protobuf", "1.0.0", "1.1.0", "2.0.0", "01.0.0", "1.0",
    "latest", "2026-01-01T00:00:00.000Z", "yesterday", 5, "sha256:0000", "sha256:", "../../..", "../victim", "/etc/passwd", "c/api.yaml",
    "c/proto", [5, null], ["c/api.yaml"], ["../victim/secret.yaml"], ["/etc/passwd"], [], {}, "0".repeat(40), "HEAD",
  ],
};

const kind: FuzzKind = {
  name: "index",
  async seeds(build) {
    return [...(await projectSeeds(build)), ...corpusSeeds("index"), ...corpusSeeds("registry")];
  },
  mutate(base, rng) {
    let c = base;
    const index = Object.keys(c.files).filter((p) => p.endsWith("index.json"));
    const snapshots = Object.keys(c.files).filter((p) => p.startsWith(".comms/") && !p.endsWith("index.json"));
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.6 && index.length) c = editCase(c, rng, index, (t) => mutateTree(t, rng, VOCAB));
      else if (r < 0.75 && index.length) c = editCase(c, rng, index, (t) => mutateBytes(t, rng));
      else if (r < 0.85 && snapshots.length) c = editCase(c, rng, snapshots, (t) => mutateBytes(t, rng));
      else if (r < 0.93) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(rng.pick(PROJECT_COMMANDS), (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
};

export default kind;
