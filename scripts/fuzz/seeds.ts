/** Starting points shared by the kind plugins: repository files and the reproducer corpus. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { FuzzCase } from "./lib.ts";

export const REPO = join(import.meta.dir, "../..");
export const CORPUS = join(REPO, "test/fixtures/fuzz");

/** Largest file taken as a seed: mutations grow inputs, and reproducers stay small. */
const MAX_SEED = 64 * 1024;

/** A repository file's text, or undefined when absent (a user's clone may lack fixtures). */
export function repoFile(path: string): string | undefined {
  const abs = join(REPO, path);
  try {
    return statSync(abs).isFile() && statSync(abs).size <= MAX_SEED ? readFileSync(abs, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** Every file below a repository directory, by path relative to it. */
export function repoTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const root = join(REPO, dir);
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && statSync(abs).size <= MAX_SEED) out[relative(root, abs)] = readFileSync(abs, "utf8");
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

/** The reproducers under test/fixtures/fuzz/<area>/: each one's files and arguments are a seed. */
export function corpusSeeds(area: string): FuzzCase[] {
  const dir = join(CORPUS, area);
  if (!existsSync(dir)) return [];
  const out: FuzzCase[] = [];
  for (const name of readdirSync(dir).sort()) {
    const caseDir = join(dir, name);
    try {
      const expect = JSON.parse(readFileSync(join(caseDir, "expect.json"), "utf8")) as { args?: unknown; known?: unknown };
      // A known failure would fail again as a seed, and slowly: it is tracked in the corpus already.
      if (!Array.isArray(expect.args) || expect.known) continue;
      const files = repoTree(relative(REPO, caseDir));
      delete files["expect.json"];
      out.push({ files, args: expect.args.map(String) });
    } catch {
      // A case without a readable expect.json is not a seed.
    }
  }
  return out;
}

/** Both sides of a pair as `old`/`new` files with the given extension, diffed. */
export function pair(oldText: string | undefined, newText: string | undefined, ext: string, extra: string[] = []): FuzzCase[] {
  if (oldText === undefined || newText === undefined) return [];
  return [{ files: { [`old${ext}`]: oldText, [`new${ext}`]: newText }, args: ["diff", `old${ext}`, `new${ext}`, ...extra] }];
}

export const FORMATS = ["text", "json", "markdown", "sarif", "junit", "github", "gitlab"];

/** Sometimes varies the global flags of a case's arguments (formats escape user strings differently). */
export function varyArgs(args: string[], pick: <T>(l: readonly T[]) => T, chance: (p: number) => boolean): string[] {
  const out = args.filter((a, i) => !(a === "--format" || args[i - 1] === "--format"));
  if (chance(0.7)) out.push("--format", pick(FORMATS));
  if (chance(0.1)) out.push("--fail-on", "dangerous");
  if (chance(0.1)) out.push("--all");
  if (chance(0.05)) out.push("--mode", pick(["backward", "forward", "full", "none"]));
  return out;
}

// ---- a small project with a registry, for the comms.yaml and index.json kinds ----

const PROJECT_OPENAPI = `openapi: 3.0.3
info: { title: api, version: 1.0.0 }
paths:
  /items/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Item" } } } }
components:
  schemas:
    Item: { type: object, properties: { id: { type: string }, name: { type: string, deprecated: true } } }
`;
const PROJECT_GRAPHQL = "type Query { item(id: ID!): Item }\ntype Item { id: ID! name: String @deprecated }\n";
const PROJECT_PROTO = 'syntax = "proto3";\npackage items.v1;\nmessage Item {\n  string id = 1;\n  string name = 2 [deprecated = true];\n}\n';
export const PROJECT_CONFIG = `version: 1
contracts:
  api: { kind: openapi, path: c/api.yaml }
  graph: { kind: graphql, path: c/schema.graphql }
  grpc: { kind: protobuf, path: c/proto }
policy:
  compatibility: backward
  deprecation: { min-days: 0 }
registry: .comms
`;

/** Commands a project case runs: the gate, history, comparisons with releases, a release, help. */
export const PROJECT_COMMANDS: string[][] = [
  ["check"],
  ["check", "--format", "json"],
  ["check", "api", "grpc"],
  ["check", "c/api.yaml"],
  ["log"],
  ["log", "grpc"],
  ["diff", "api@1.0.0", "c/api.yaml"],
  ["diff", "1.0.0", "1.1.0"],
  ["diff", "grpc@1.0.0", "grpc@1.1.0"],
  ["release", "graph"],
  ["release", "api", "--version", "2.0.0"],
  ["init"],
  ["rules", "FIELD_NO_DELETE"],
];

let project: Promise<FuzzCase[]> | undefined;

/**
 * The project at two released versions (1.0.0, 1.1.0) plus an edited working copy, recorded by
 * comms itself so the registry has whatever format and hashes this build writes. Without a
 * working `release` the project has no registry, and the cases still exercise the config.
 */
export function projectSeeds(build: (files: Record<string, string>, commands: string[][]) => Promise<Record<string, string> | undefined>): Promise<FuzzCase[]> {
  project ??= (async () => {
    const v1 = { "comms.yaml": PROJECT_CONFIG, "c/api.yaml": PROJECT_OPENAPI, "c/schema.graphql": PROJECT_GRAPHQL, "c/proto/items.proto": PROJECT_PROTO };
    const released =
      (await build(v1, [["release", "api", "--version", "1.0.0"], ["release", "graph", "--version", "1.0.0"], ["release", "grpc", "--version", "1.0.0"]])) ?? v1;
    const v2 = {
      ...released,
      "c/api.yaml": PROJECT_OPENAPI.replace("version: 1.0.0", "version: 1.1.0").replace("name: { type: string, deprecated: true } ", "sku: { type: string } "),
      "c/schema.graphql": PROJECT_GRAPHQL.replace(" name: String @deprecated", " sku: String"),
      "c/proto/items.proto": PROJECT_PROTO.replace("string name = 2 [deprecated = true];", "string sku = 3;"),
    };
    const twice = (await build(v2, [["release", "api", "--version", "1.1.0"], ["release", "graph", "--version", "1.1.0"], ["release", "grpc", "--version", "1.1.0"]])) ?? v2;
    const working = { ...twice, "c/proto/items.proto": PROJECT_PROTO.replace("string id = 1;", "int64 id = 1;") };
    return PROJECT_COMMANDS.map((args) => ({ files: working, args }));
  })();
  return project;
}
