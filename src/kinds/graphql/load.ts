import {
  buildASTSchema,
  BREAK,
  buildClientSchema,
  GraphQLError,
  Kind,
  parse,
  Source,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type IntrospectionQuery,
  type TypeDefinitionNode,
  type TypeExtensionNode,
} from "graphql";
import type { EngineOptions, LoadedContract } from "../../core/engine.ts";
import { ContractError, InputError } from "../../core/errors.ts";
import { formatLocation, LineIndex, type Location } from "../../core/location.ts";
import type { ContractSource } from "../../core/source.ts";
import { JsonIndex, SdlIndex } from "./locate.ts";
import type { GraphqlModel } from "./model.ts";

export const GRAPHQL_EXTENSIONS = [".graphql", ".gql", ".graphqls"] as const;

const isSdlFile = (f: string) => GRAPHQL_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e));

/**
 * Loads one version: a single SDL file, a directory of SDL files (merged, `extend` included) or an
 * introspection result (JSON). Syntax errors and unknown types are ContractErrors with file:line:col;
 * duplicate definitions (seen in real published schemas) only warn, and the last definition wins.
 */
export async function loadGraphql(source: ContractSource, options: EngineOptions): Promise<LoadedContract<GraphqlModel>> {
  const { reader, path } = source;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory (${reader.label})`);
  const files = kind === "dir" ? reader.list(path).filter(isSdlFile) : [path];
  if (!files.length) throw new InputError(`${path}: no .graphql or .gql files in this directory (${reader.label})`);
  const texts = files.map((f) => {
    const text = reader.read(f);
    if (text === undefined) throw new InputError(`${f}: cannot be read (${reader.label})`);
    return text;
  });
  if (kind === "file" && isIntrospection(path, texts[0]!)) return loadIntrospection(path, texts[0]!);
  return loadSdl(files, texts, options.warn);
}

function isIntrospection(file: string, text: string): boolean {
  return file.toLowerCase().endsWith(".json") || text.trimStart().startsWith("{");
}

function loadIntrospection(file: string, text: string): LoadedContract<GraphqlModel> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e))?.[1];
    const loc = new LineIndex(text).location(file, at ? Number(at) : 0);
    throw new ContractError(`invalid JSON: ${(e as Error).message}`, loc);
  }
  const data = (json as { data?: unknown })?.data ?? json;
  if (!data || typeof data !== "object" || !("__schema" in data)) {
    throw new ContractError("not a GraphQL introspection result (no __schema)", { file, line: 1, column: 1 });
  }
  let schema;
  try {
    schema = buildClientSchema(data as IntrospectionQuery, { assumeValid: true });
  } catch (e) {
    throw new ContractError(`invalid introspection result: ${(e as Error).message}`, { file, line: 1, column: 1 });
  }
  let index: JsonIndex | undefined;
  return {
    model: {
      schema,
      locate: (p, exact) => (index ??= new JsonIndex(file, text)).locate(p, exact),
      locateRef: () => undefined,
    },
    files: [file],
  };
}

function loadSdl(files: string[], texts: string[], warn: (m: string) => void): LoadedContract<GraphqlModel> {
  const definitions: DefinitionNode[] = [];
  for (const [i, file] of files.entries()) {
    const text = texts[i]!;
    if (!text.trim()) continue;
    let doc: DocumentNode;
    try {
      doc = parse(new Source(text, file));
    } catch (e) {
      throw asContractError(e, file);
    }
    for (const d of doc.definitions) definitions.push(d);
  }
  if (!definitions.length) throw new ContractError("no GraphQL type definitions", { file: files[0]!, line: 1, column: 1 });
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: promoteOrphanExtensions(definitions) };
  const index = new SdlIndex(document);
  reportDuplicates(index, warn);
  let schema;
  try {
    // Validation is skipped on purpose: custom and federation directives need no definitions, and
    // the checks that matter for a diff (syntax, unknown types, duplicates) are done here.
    schema = buildASTSchema(document, { assumeValidSDL: true, assumeValid: true });
  } catch (e) {
    throw buildError(e, document, files[0]!);
  }
  return {
    model: {
      schema,
      document,
      locate: (p, exact) => index.locate(p, exact),
      locateRef: (p, ref) => index.locateRef(p, ref),
    },
    files,
  };
}

function asContractError(e: unknown, file: string): unknown {
  if (!(e instanceof GraphQLError)) return e;
  const at = e.locations?.[0];
  const detail = e.message;
  return new ContractError(detail, { file: e.source?.name ?? file, line: at?.line ?? 1, column: at?.column ?? 1 });
}

const DEFINITION_OF: Partial<Record<string, TypeDefinitionNode["kind"]>> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

/**
 * Federation subgraphs extend types they never define (`extend type Query`, `extend type User @key`).
 * graphql-js drops such extensions, so the first extension of an undefined type becomes its definition.
 */
function promoteOrphanExtensions(definitions: DefinitionNode[]): DefinitionNode[] {
  const defined = new Set<string>();
  for (const d of definitions) if ("name" in d && d.name && !d.kind.endsWith("Extension")) defined.add(d.name.value);
  return definitions.map((d) => {
    const kind = DEFINITION_OF[d.kind];
    if (!kind) return d;
    const name = (d as TypeExtensionNode).name.value;
    if (defined.has(name)) return d;
    defined.add(name);
    return { ...d, kind } as TypeDefinitionNode;
  });
}

/** Warns about elements defined more than once; graphql-js keeps the last one, and so do locations. */
function reportDuplicates(index: SdlIndex, warn: (m: string) => void): void {
  const where = (n: ASTNode) => {
    const loc = n.loc;
    if (!loc) return "";
    const p = loc.source.locationOffset;
    const pos = new LineIndex(loc.source.body).position(loc.start);
    return formatLocation({ file: loc.source.name, line: pos.line + p.line - 1, column: pos.column });
  };
  for (const [name, nodes] of index.typeNodes()) {
    const definitions = nodes.filter((n) => !n.kind.endsWith("Extension"));
    if (definitions.length > 1) {
      warn(`${where(definitions[1]!)}: type '${name}' is defined more than once (first at ${where(definitions[0]!)}); the last definition is used`);
    }
    const seen = new Map<string, ASTNode>();
    for (const n of nodes) {
      const children: readonly { name: { value: string } }[] = ("fields" in n ? n.fields : "values" in n ? n.values : undefined) ?? [];
      for (const c of children) {
        const first = seen.get(c.name.value);
        if (first) {
          warn(`${where(c as ASTNode)}: '${name}.${c.name.value}' is defined more than once (first at ${where(first)}); the last definition is used`);
        } else seen.set(c.name.value, c as ASTNode);
      }
    }
  }
}

/** buildASTSchema reports unknown types without a position; find the first reference to point at. */
function buildError(e: unknown, document: DocumentNode, fallbackFile: string): unknown {
  const message = (e as Error)?.message ?? String(e);
  const unknown = /Unknown type:? "([^"]+)"/.exec(message)?.[1];
  let loc: Location = { file: fallbackFile, line: 1, column: 1 };
  if (unknown) {
    visit(document, {
      NamedType(node) {
        if (node.name.value !== unknown || !node.loc) return;
        const pos = new LineIndex(node.loc.source.body).position(node.loc.start);
        loc = { file: node.loc.source.name, line: pos.line, column: pos.column };
        return BREAK;
      },
    });
    return new ContractError(`unknown type '${unknown}'`, loc);
  }
  return new ContractError(`invalid schema: ${message}`, loc);
}
