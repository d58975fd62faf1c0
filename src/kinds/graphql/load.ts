import {
  buildASTSchema,
  buildClientSchema,
  GraphQLError,
  isExecutableDefinitionNode,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
  type InputValueDefinitionNode,
  type IntrospectionQuery,
  type NamedTypeNode,
  type TypeNode,
  type TypeDefinitionNode,
  type TypeExtensionNode,
} from "graphql";
import { parseDocument } from "yaml";
import type { EngineOptions, LoadedContract } from "../../core/engine.ts";
import { ContractError, InputError } from "../../core/errors.ts";
import { formatLocation, LineIndex } from "../../core/location.ts";
import type { ContractSource } from "../../core/source.ts";
import { deprecationReason } from "./deprecation.ts";
import { jsonDuplicateKey, jsonRepeats, judgeRepeats } from "../../core/duplicate-keys.ts";
import { withoutBom } from "../../core/source.ts";
import { checkNesting, checkRepeatedDirectives, MAX_TOKENS, mergeExtensions, oneLine, parseBounded, uniqueDirectiveLocations } from "./limits.ts";
import { checkKinds } from "./kinds.ts";
import { JsonIndex, SdlIndex } from "./locate.ts";
import type { GraphqlModel } from "./model.ts";
import { parseOperations } from "./usage.ts";

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

/**
 * Where a JSON text stops being valid, for runtimes whose JSON.parse errors carry no position (Bun):
 * JSON is YAML, and the YAML parser reports an offset. 0 when it accepts what JSON does not.
 */
function jsonErrorOffset(text: string): number {
  // Only the syntax error is wanted: the library's repeated-key check is quadratic.
  return parseDocument(text, { uniqueKeys: false }).errors[0]?.pos[0] ?? 0;
}

function loadIntrospection(file: string, source: string): LoadedContract<GraphqlModel> {
  const text = withoutBom(source);
  checkNesting(text, file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e))?.[1];
    const loc = new LineIndex(text).location(file, at ? Number(at) : jsonErrorOffset(text));
    throw new ContractError(`invalid JSON: ${oneLine((e as Error).message)}`, loc);
  }
  // JSON.parse keeps the last of two equal keys: a second "types" could hide the schema under review.
  const dup = jsonDuplicateKey(text);
  if (dup && "key" in dup) judgeRepeats(file, text, jsonRepeats(text));
  const data = (json as { data?: unknown })?.data ?? json;
  if (!data || typeof data !== "object" || !("__schema" in data)) {
    throw new ContractError("not a GraphQL introspection result (no __schema)", { file, line: 1, column: 1 });
  }
  checkDefaultValues(data, text, file);
  let schema;
  try {
    schema = buildClientSchema(data as IntrospectionQuery, { assumeValid: true });
  } catch (e) {
    // graphql-js rejects an incomplete result with plain Errors and trusts its shape (a number
    // where a list belongs is a TypeError); anything else is a fault, not the contract's.
    if (!(e instanceof GraphQLError) && !(e instanceof TypeError) && (e as Error)?.constructor !== Error) throw e;
    throw new ContractError(`invalid introspection result: ${oneLine((e as Error).message)}`, { file, line: 1, column: 1 });
  }
  let index: JsonIndex | undefined;
  return {
    model: {
      schema,
      locate: (p, exact) => (index ??= new JsonIndex(file, text)).locate(p, exact),
      locateRef: () => undefined,
      deprecated: (p) => deprecationReason(schema, p) !== undefined,
    },
    files: [file],
  };
}

/**
 * Default values in an introspection result are GraphQL literals inside JSON strings, which the
 * nesting check of the JSON text skips; graphql-js parses them recursively. Each is checked the
 * same way, and an error points at the string in the file.
 */
function checkDefaultValues(data: object, text: string, file: string): void {
  const stack: unknown[] = [data];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== "object") continue;
    for (const [k, x] of Object.entries(v)) {
      if (k === "defaultValue" && typeof x === "string") {
        try {
          checkNesting(x, file);
        } catch (e) {
          if (!(e instanceof ContractError)) throw e;
          const at = Math.max(text.indexOf(JSON.stringify(x).slice(0, 200)), 0);
          throw new ContractError(`defaultValue ${e.detail.replace(/; refusing.*/, "")}; refusing to read further`, new LineIndex(text).location(file, at));
        }
      } else if (x && typeof x === "object") stack.push(x);
    }
  }
}

function loadSdl(files: string[], texts: string[], warn: (m: string) => void): LoadedContract<GraphqlModel> {
  const definitions: DefinitionNode[] = [];
  let executable = 0;
  let budget = MAX_TOKENS;
  for (const [i, file] of files.entries()) {
    const text = texts[i]!;
    if (!text.trim()) continue;
    let parsed;
    try {
      parsed = parseBounded(text, file, budget);
    } catch (e) {
      throw asContractError(e, file);
    }
    budget -= parsed.tokens;
    // Operations and fragments mean nothing in a schema (graphql-js skips them when building); a
    // name of theirs must not count as a type, so they are left out here.
    for (const d of parsed.doc.definitions) {
      if (!isExecutableDefinitionNode(d)) definitions.push(d);
      else executable++;
    }
  }
  // Only operations and fragments: a consumer's operations, judged against its provider's schema.
  if (!definitions.length && executable) return loadOperations(files, texts);
  if (!definitions.length) throw new ContractError("no GraphQL type definitions", { file: files[0]!, line: 1, column: 1 });
  checkRepeatedDirectives(definitions);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: uniqueDirectiveLocations(promoteOrphanExtensions(definitions)) };
  const index = new SdlIndex(document);
  reportDuplicates(index, warn);
  checkReferences(document);
  checkKinds(document.definitions);
  // The full schema is only needed for consumer operations and some settings; a diff builds
  // narrower ones (see narrow.ts), so building it here would be wasted work on large schemas.
  let schema: GraphQLSchema | undefined;
  const model: GraphqlModel = {
    get schema() {
      return (schema ??= buildFull(document, files[0]!));
    },
    document,
    locate: (p, exact) => index.locate(p, exact),
    locateRef: (p, ref) => index.locateRef(p, ref),
    deprecated: (p) => index.deprecated(p),
  };
  return { model, files };
}

function loadOperations(files: string[], texts: string[]): LoadedContract<GraphqlModel> {
  const operations = parseOperations(files.map((file, i) => ({ file, content: texts[i]! })));
  const byName = new Map(operations.map((o) => [o.name ?? o.label, o]));
  return {
    model: {
      get schema(): GraphQLSchema {
        throw new ContractError("these documents hold consumer operations, not a schema; name the schema they use with 'provider:' in comms.yaml", { file: files[0]!, line: 1, column: 1 });
      },
      operations,
      locate: (p) => byName.get(p)?.loc,
      locateRef: () => undefined,
      deprecated: () => false,
    },
    files,
  };
}

function buildFull(document: DocumentNode, firstFile: string): GraphQLSchema {
  try {
    // Validation is skipped on purpose: custom and federation directives need no definitions, and
    // the checks that matter for a diff and that graphql-js relies on while building (syntax,
    // unknown types, kinds of references, duplicates) are done when loading.
    return buildASTSchema({ kind: Kind.DOCUMENT, definitions: mergeExtensions(document.definitions) }, { assumeValidSDL: true, assumeValid: true });
  } catch (e) {
    throw buildError(e, firstFile);
  }
}

const BUILT_IN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "ID"]);

/** Every referenced type must be defined; graphql-js would fail later without a position. */
function checkReferences(document: DocumentNode): void {
  const defined = new Set(BUILT_IN_SCALARS);
  for (const d of document.definitions) if (isTypeDefinitionNode(d) || isTypeExtensionNode(d)) defined.add(d.name.value);
  const check = (t: TypeNode) => {
    while (t.kind !== Kind.NAMED_TYPE) t = t.type;
    if (!defined.has(t.name.value)) throw referenceError(t);
  };
  const checkArgs = (args: readonly InputValueDefinitionNode[] | undefined) => {
    for (const a of args ?? []) check(a.type);
  };
  for (const d of document.definitions) {
    if (d.kind === Kind.DIRECTIVE_DEFINITION) checkArgs(d.arguments);
    if ("interfaces" in d) for (const i of d.interfaces ?? []) check(i);
    if ("types" in d) for (const m of d.types ?? []) check(m);
    if ("fields" in d) {
      for (const f of d.fields ?? []) {
        check(f.type);
        if ("arguments" in f) checkArgs(f.arguments);
      }
    }
    if ("operationTypes" in d) for (const o of d.operationTypes ?? []) check(o.type);
  }
}

function referenceError(t: NamedTypeNode): ContractError {
  const loc = t.loc;
  const at = loc ? new LineIndex(loc.source.body).location(loc.source.name, loc.start) : { file: "", line: 1, column: 1 };
  return new ContractError(`unknown type '${t.name.value}'`, at);
}

function asContractError(e: unknown, file: string): unknown {
  if (!(e instanceof GraphQLError)) return e;
  const at = e.locations?.[0];
  const detail = e.message;
  return new ContractError(oneLine(detail), { file: e.source?.name ?? file, line: at?.line ?? 1, column: at?.column ?? 1 });
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
function reportDuplicates(index: SdlIndex, report: (m: string) => void): void {
  // A handful of warnings say what is wrong; thousands would only flood the log.
  let count = 0;
  const warn = (m: string) => {
    if (++count <= MAX_DUPLICATE_WARNINGS) report(m);
  };
  const lines = new Map<string, LineIndex>();
  const where = (n: ASTNode) => {
    const loc = n.loc;
    if (!loc) return "";
    let li = lines.get(loc.source.name);
    if (!li) lines.set(loc.source.name, (li = new LineIndex(loc.source.body)));
    return formatLocation(li.location(loc.source.name, loc.start));
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
  if (count > MAX_DUPLICATE_WARNINGS) report(`${count - MAX_DUPLICATE_WARNINGS} more duplicate definitions are not listed`);
}

const MAX_DUPLICATE_WARNINGS = 20;

/**
 * A schema error graphql-js still reports after the loader's own checks, at its node's position if
 * it has one. Anything else is a fault in comms or the library, never a contract error: rethrown.
 */
function buildError(e: unknown, fallbackFile: string): unknown {
  if (!(e instanceof GraphQLError)) return e;
  const at = e.locations?.[0];
  return new ContractError(`invalid schema: ${oneLine(e.message)}`, { file: e.source?.name ?? fallbackFile, line: at?.line ?? 1, column: at?.column ?? 1 });
}
