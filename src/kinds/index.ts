import type { Engine, KindId } from "../core/engine.ts";
import { UnsupportedKindError } from "../core/errors.ts";

/**
 * Engines by kind, loaded lazily so that a run touching one kind never pays for the others.
 * Static import specifiers keep every engine inside the compiled binary.
 */
const loaders: Record<KindId, () => Promise<{ default: Engine<any> }>> = {
  graphql: () => import("./graphql/index.ts"),
  openapi: () => import("./openapi/index.ts"),
  protobuf: () => import("./protobuf/index.ts"),
  avro: () => import("./avro/index.ts"),
  jsonschema: () => import("./jsonschema/index.ts"),
  asyncapi: () => import("./asyncapi/index.ts"),
  pact: () => import("./pact/index.ts"),
};

export async function getEngine(kind: KindId): Promise<Engine<any>> {
  const load = loaders[kind];
  if (!load) throw new UnsupportedKindError(`contract kind '${kind}' is not supported`);
  return (await load()).default;
}

/** Extensions that identify each kind's files inside a directory contract. */
export const KIND_EXTENSIONS: Record<KindId, readonly string[]> = {
  graphql: [".graphql", ".gql", ".graphqls"],
  openapi: [".yaml", ".yml", ".json"],
  protobuf: [".proto"],
  avro: [".avsc"],
  jsonschema: [".json"],
  asyncapi: [".yaml", ".yml", ".json"],
  pact: [".json"],
};

const OPENAPI_KEY = /^\s*["']?(openapi|swagger)["']?\s*:/m;
const ASYNCAPI_KEY = /^\s*["']?asyncapi["']?\s*:/m;

/**
 * Kind of a single file from its name and content, without loading any engine.
 * Returns undefined when nothing identifies it.
 */
export function detectFileKind(path: string, content: string): KindId | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".proto")) return "protobuf";
  if (lower.endsWith(".avsc")) return "avro";
  if (KIND_EXTENSIONS.graphql.some((e) => lower.endsWith(e))) return "graphql";
  const head = content.slice(0, 4096);
  if (lower.endsWith(".json") || head.trimStart().startsWith("{")) {
    if (/"__schema"\s*:/.test(head) || /"data"\s*:\s*\{\s*"__schema"/.test(head)) return "graphql";
    if (/"(openapi|swagger)"\s*:/.test(head) || /"(openapi|swagger)"\s*:/.test(content)) return "openapi";
    if (/"asyncapi"\s*:/.test(head)) return "asyncapi";
    if (/"consumer"\s*:/.test(head) && /"provider"\s*:/.test(content) && /"(interactions|messages)"\s*:/.test(content)) return "pact";
    if (lower.endsWith(".schema.json") || /"\$schema"\s*:\s*"[^"]*json-schema\.org/.test(head)) return "jsonschema";
    return undefined;
  }
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return OPENAPI_KEY.test(content) ? "openapi" : ASYNCAPI_KEY.test(head) ? "asyncapi" : undefined;
  if (/^\s*(type|schema|interface|enum|input|union|scalar|directive|extend)\s/m.test(head)) return "graphql";
  if (/^\s*syntax\s*=\s*["']proto[23]["']|^\s*edition\s*=|^\s*package\s+[\w.]+\s*;/m.test(head)) return "protobuf";
  if (OPENAPI_KEY.test(head)) return "openapi";
  if (ASYNCAPI_KEY.test(head)) return "asyncapi";
  return undefined;
}

/** Kind of a directory from the files it holds: protobuf and GraphQL by extension, else OpenAPI roots. */
export function detectDirKind(files: string[], read: (path: string) => string | undefined): KindId | undefined {
  if (files.some((f) => f.endsWith(".proto"))) return "protobuf";
  if (files.some((f) => f.toLowerCase().endsWith(".avsc"))) return "avro";
  if (files.some((f) => KIND_EXTENSIONS.graphql.some((e) => f.toLowerCase().endsWith(e)))) return "graphql";
  for (const f of files) {
    if (!KIND_EXTENSIONS.openapi.some((e) => f.toLowerCase().endsWith(e))) continue;
    const c = read(f);
    if (c !== undefined && detectFileKind(f, c) === "openapi") return "openapi";
    if (c !== undefined && detectFileKind(f, c) === "asyncapi") return "asyncapi";
  }
  for (const f of files) {
    if (!f.toLowerCase().endsWith(".json")) continue;
    const c = read(f);
    if (c !== undefined && detectFileKind(f, c) === "jsonschema") return "jsonschema";
  }
  return undefined;
}
