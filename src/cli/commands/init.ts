import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { defineCommand } from "citty";
import type { KindId } from "../../core/engine.ts";
import { InputError } from "../../core/errors.ts";
import { DiskReader, normalizePath } from "../../core/source.ts";
import { detectFileKind, KIND_EXTENSIONS } from "../../kinds/index.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { logger, setLogLevel } from "../logger.ts";
import { writeOut } from "../io.ts";

const SKIP = /(^|\/)(node_modules|\.git|\.comms|dist|build|vendor|third_party|\.cache)(\/|$)/;
const SUFFIX: Record<KindId, string> = { openapi: "api", graphql: "graph", protobuf: "grpc" };

export interface FoundContract {
  name: string;
  kind: KindId;
  path: string;
}

/**
 * Contracts in a tree: every OpenAPI root document, and per folder the GraphQL schema files and
 * protobuf trees (a protobuf contract is the top folder of a run of nested folders holding .proto files).
 */
export function findContracts(root: string): FoundContract[] {
  const reader = new DiskReader(root);
  const files = reader.list(".").filter((f) => !SKIP.test(f));
  const found: Array<Omit<FoundContract, "name">> = [];
  const protoDirs = new Set<string>();
  const graphqlDirs = new Map<string, string[]>();
  for (const f of files) {
    const lower = f.toLowerCase();
    if (lower.endsWith(".proto")) {
      protoDirs.add(protoImportRoot(f, reader.read(f) ?? ""));
    } else if (KIND_EXTENSIONS.graphql.some((e) => lower.endsWith(e))) {
      const content = reader.read(f) ?? "";
      // Operation documents (queries sent by clients) are not schemas.
      if (/^\s*(type|schema|interface|enum|input|union|scalar|directive|extend)\b/m.test(content)) {
        const d = dirname(f);
        graphqlDirs.set(d, [...(graphqlDirs.get(d) ?? []), f]);
      }
    } else if ((lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) && !/(^|\/)(package(-lock)?|tsconfig|comms)\.(json|ya?ml)$/.test(lower)) {
      const content = reader.read(f) ?? "";
      if (detectFileKind(f, content) === "openapi") found.push({ kind: "openapi", path: f });
    }
  }
  const protoRoots = [...protoDirs].sort().filter((d, _, all) => !all.some((o) => o !== d && (o === "." || d.startsWith(`${o}/`))));
  for (const d of protoRoots) found.push({ kind: "protobuf", path: d });
  for (const [d, fs] of graphqlDirs) found.push({ kind: "graphql", path: fs.length === 1 ? fs[0]! : d });
  found.sort((a, b) => (a.path < b.path ? -1 : 1));
  const names = new Set<string>();
  return found.map((c) => {
    const dir = c.kind === "protobuf" || !c.path.includes("/") ? c.path : dirname(c.path);
    const stem = (dir === "." ? basename(root) : basename(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, "-");
    let name = `${stem}-${SUFFIX[c.kind]}`;
    for (let i = 2; names.has(name); i++) name = `${stem}-${SUFFIX[c.kind]}-${i}`;
    names.add(name);
    return { name, ...c };
  });
}

/**
 * The import root of a .proto file: its folder minus the package path when the folder mirrors the
 * package (proto/acme/users/v1 for `package acme.users.v1` gives proto), else its folder.
 */
export function protoImportRoot(file: string, content: string): string {
  const dir = dirname(file);
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
  if (pkg) {
    const suffix = pkg.split(".").join("/");
    if (dir === suffix) return ".";
    if (dir.endsWith(`/${suffix}`)) return dir.slice(0, -suffix.length - 1);
  }
  return dir;
}

/** comms.yaml text for the contracts found. */
export function renderConfig(contracts: FoundContract[]): string {
  const lines = [
    "version: 1",
    "contracts:",
    ...contracts.map((c) => `  ${c.name}: { kind: ${c.kind}, path: ${c.path} }`),
    "policy:",
    "  compatibility: backward",
    "  deprecation: { min-days: 30 }",
    "registry: .comms",
    "",
  ];
  if (!contracts.length) lines.splice(3, 0, "  {}");
  return lines.join("\n");
}

export default defineCommand({
  meta: { name: "init", description: "Find contracts in the repository and write comms.yaml" },
  args: {
    force: { type: "boolean", description: "Overwrite an existing comms.yaml" },
    "dry-run": { type: "boolean", description: "Print the config instead of writing it" },
    ...globalArgs,
  },
  run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const target = join(opts.cwd, "comms.yaml");
    const contracts = findContracts(opts.cwd);
    const text = renderConfig(contracts);
    if (args["dry-run"]) {
      writeOut(text);
      return 0;
    }
    if (existsSync(target) && !args.force) {
      throw new InputError(`${normalizePath(relative(process.cwd(), target)) || "comms.yaml"} already exists (use --force to overwrite)`);
    }
    writeFileSync(target, text);
    logger.success(`wrote comms.yaml with ${contracts.length} contract${contracts.length === 1 ? "" : "s"}`);
    for (const c of contracts) logger.info(`  ${c.name}: ${c.kind} ${c.path}`);
    if (!contracts.length) logger.warn("no contracts found: add them under 'contracts:' by hand");
    return 0;
  },
});
