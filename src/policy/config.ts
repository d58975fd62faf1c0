import { dirname, join, relative } from "node:path";
import * as v from "valibot";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { DUPLICATE_KEYS_MODES, duplicateKeysMode, MAP_KEYS_UNIQUE, yamlRepeats } from "../core/duplicate-keys.ts";
import { withoutBom } from "../core/source.ts";
import { KIND_IDS } from "../core/engine.ts";
import { ConfigError } from "../core/errors.ts";
import { LineIndex, type Location } from "../core/location.ts";
import { aliasCostExceeded, aliases, MERGE, nestingTooDeep, QUIET } from "../core/yaml-guard.ts";

/** Deepest nesting read from comms.yaml (policy settings need a handful of levels). */
const MAX_CONFIG_DEPTH = 64;

export const COMPATIBILITY_MODES = [
  "backward",
  "backward-transitive",
  "forward",
  "forward-transitive",
  "full",
  "full-transitive",
  "none",
] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];

const isoDate = v.pipe(
  v.union([v.string(), v.date()]),
  v.transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d)),
  v.isoDate("expected a date as YYYY-MM-DD"),
);

const semverString = v.pipe(
  v.union([v.string(), v.number()]),
  v.transform(String),
  v.regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/, "expected a semantic version such as 1.2.0"),
);

const stringList = v.union([v.pipe(v.string(), v.transform((s) => [s])), v.array(v.string())]);

/** buf's `breaking:` settings, accepted as `policy.protobuf` (the same keys buf.yaml uses). */
export const ProtobufSettings = v.strictObject({
  use: v.optional(v.array(v.string())),
  except: v.optional(v.array(v.string())),
  ignore: v.optional(v.array(v.string())),
  ignore_only: v.optional(v.record(v.string(), v.array(v.string()))),
  ignore_unstable_packages: v.optional(v.boolean()),
  rename_hints: v.optional(v.boolean()),
  /** Report additions (new fields, messages, rpcs...) as safe findings, for the changelog and the bump. */
  additions: v.optional(v.boolean()),
});

export const GraphqlSettings = v.strictObject({
  /** Show description-only changes in text output too. */
  "show-descriptions": v.optional(v.boolean()),
  /** Treat a new value in an enum used in inputs and outputs as breaking rather than dangerous. */
  "strict-enums": v.optional(v.boolean()),
  /** Directives whose added or removed usages are not reported (exact names, without '@'). */
  "ignore-directives": v.optional(v.array(v.string())),
});

export const OpenapiSettings = v.strictObject({
  /** Hosts or URL prefixes whose remote $refs may be followed; none by default. */
  "allow-remote-refs": v.optional(v.array(v.string())),
  /** Per-rule level overrides, oasdiff's `--severity-levels`: rule id → ERR|WARN|INFO|NONE. */
  levels: v.optional(v.record(v.string(), v.picklist(["ERR", "WARN", "INFO", "NONE"]))),
  /** oasdiff's `--deprecation-days`: a deprecation must carry an `x-sunset` at least this many days away. */
  "deprecation-days": v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

/** Avro payload schemas: no settings yet; the key exists so `policy.<kind>` is uniform. */
export const AvroSettings = v.strictObject({});

/** Pact files: no settings yet; the key exists so `policy.<kind>` is uniform. */
export const PactSettings = v.strictObject({});

/** JSON Schema payloads: `lenient` accepts the schema registry's lenient-policy changes too. */
export const JsonschemaSettings = v.strictObject({
  lenient: v.optional(v.boolean()),
  /**
   * Remote `$ref`s judged offline: URL prefix → folder (or file) relative to comms.yaml that holds the same
   * content, e.g. `https://json.schemastore.org/: schemas/json/`. Read with the containment rules of any file.
   */
  "ref-map": v.optional(
    v.record(
      v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/, "expected a URL prefix such as https://json.schemastore.org/")),
      v.pipe(
        v.string(),
        v.minLength(1, "expected a path relative to comms.yaml"),
        v.check((p) => !/^(?:[\\/]|[A-Za-z]:)/.test(p) && !p.split(/[\\/]/).includes(".."), "expected a path relative to comms.yaml that stays below it"),
      ),
    ),
  ),
});

const ContractConfig = v.strictObject({
  kind: v.picklist(KIND_IDS, `expected one of ${KIND_IDS.join(", ")}`),
  path: v.pipe(v.string(), v.minLength(1, "expected a path")),
  /** Version of this contract in the working tree (kinds without an in-contract version). */
  version: v.optional(semverString),
  compatibility: v.optional(v.picklist(COMPATIBILITY_MODES, `expected one of ${COMPATIBILITY_MODES.join(", ")}`)),
  /** GraphQL: consumer operation documents (globs) for usage-aware checks. */
  operations: v.optional(stringList),
  /**
   * A consumer's expectation: the contract (in this comms.yaml) whose provider this contract's consumer
   * uses. The provider's check judges its new version against it; its own check judges it against the
   * provider's latest release.
   */
  provider: v.optional(v.pipe(v.string(), v.minLength(1, "expected a contract name"))),
  /** `required` reports breaks no declared consumer (GraphQL operations, consumer contracts) touches as dangerous. */
  usage: v.optional(v.picklist(["required", "optional"])),
  description: v.optional(v.string()),
  /** Avro / JSON Schema: the Kafka topic whose records this schema describes. */
  topic: v.optional(v.pipe(v.string(), v.minLength(1, "expected a topic name"))),
  /** Avro / JSON Schema: registry subject (default with a topic: TopicNameStrategy `<topic>-value`). */
  subject: v.optional(v.pipe(v.string(), v.minLength(1, "expected a subject name"))),
});
export type ContractConfig = v.InferOutput<typeof ContractConfig>;

const AcceptEntry = v.strictObject({
  contract: v.optional(v.string()),
  rule: v.string(),
  path: v.string(),
  reason: v.pipe(v.string(), v.minLength(1, "an accepted change needs a reason")),
  until: v.optional(isoDate),
});
export type AcceptEntry = v.InferOutput<typeof AcceptEntry>;

const Policy = v.strictObject({
  /** Default compatibility mode of every contract (a contract's own `compatibility` wins); backward when absent. */
  compatibility: v.optional(v.picklist(COMPATIBILITY_MODES, `expected one of ${COMPATIBILITY_MODES.join(", ")}`)),
  "fail-on": v.optional(v.picklist(["breaking", "dangerous"])),
  /**
   * A key written twice with different values in a contract: `error` (default) refuses the document;
   * `last` reads the last value, as JSON.parse, Jackson and avsc do, and reports a dangerous finding
   * at the key. `--duplicate-keys` wins over this.
   */
  "duplicate-keys": v.optional(v.picklist(DUPLICATE_KEYS_MODES, `expected one of ${DUPLICATE_KEYS_MODES.join(", ")}`)),
  deprecation: v.optional(
    v.strictObject({
      /**
       * Days between the first release that deprecated an element and its removal, for the removal to be
       * judged safe (default 30). A deprecation only softens a removal, never hardens it: too early, the
       * removal keeps the severity it would have without the deprecation. A released deprecation whose
       * sunset date (OpenAPI `x-sunset`) has passed softens it whatever this says.
       */
      "min-days": v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    }),
  ),
  /** Reviewed, intentional breaks: reported but not failing; `until` (inclusive) makes them expire. */
  accept: v.optional(v.array(AcceptEntry)),
  protobuf: v.optional(ProtobufSettings),
  graphql: v.optional(GraphqlSettings),
  openapi: v.optional(OpenapiSettings),
  avro: v.optional(AvroSettings),
  jsonschema: v.optional(JsonschemaSettings),
  /** JSON Schema payloads of AsyncAPI messages follow the same `lenient` switch. */
  asyncapi: v.optional(JsonschemaSettings),
  pact: v.optional(PactSettings),
});
export type PolicyConfig = v.InferOutput<typeof Policy>;

/**
 * Another repository read through git: any URL git accepts (https, ssh, git, file, a local path), the
 * ref to read (a branch, tag or commit; default: the remote's default branch) and where its comms.yaml is inside it.
 */
export const GitRemote = v.strictObject({
  git: v.pipe(v.string(), v.minLength(1, "expected a git URL or path")),
  ref: v.optional(v.pipe(v.string(), v.minLength(1, "expected a branch or tag"))),
  /** Folder of the repository's comms.yaml, or the file itself (default: the top level). */
  path: v.optional(v.pipe(v.string(), v.minLength(1, "expected a path inside the repository"))),
});
export type GitRemote = v.InferOutput<typeof GitRemote>;

/** The schema of comms.yaml; the editor JSON Schema is generated from it. */
export const CommsConfigSchema = v.strictObject({
  $schema: v.optional(v.string()),
  version: v.optional(v.literal(1, "expected 1")),
  /**
   * This repository's name among repositories: other repositories list it under this name in `sources:`
   * (`provider: <name>/<contract>`), and shared deployment records name its contracts `<name>/<contract>`.
   */
  name: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "repository names use letters, digits, '.', '_' and '-'"))),
  contracts: v.record(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "contract names use letters, digits, '.', '_' and '-'")),
    ContractConfig,
  ),
  policy: v.optional(Policy),
  registry: v.optional(v.string()),
  /** Other repositories whose contracts this one provides to or consumes: `name: { git, ref, path }`. */
  sources: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "source names use letters, digits, '.', '_' and '-'")), GitRemote),
  ),
  /** A shared repository holding the deployment records of every environment (default: this registry). */
  deployments: v.optional(GitRemote),
  /** Bounds on the input comms reads, so hostile files cannot exhaust memory. */
  limits: v.optional(
    v.strictObject({
      /** Largest file read (contracts, snapshots, the registry index), in bytes; default 64 MiB. */
      "max-file-bytes": v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    }),
  ),
});
export type CommsConfig = v.InferOutput<typeof CommsConfigSchema>;

/** A loaded comms.yaml: the validated settings plus where it lives. */
export interface LoadedConfig {
  config: CommsConfig;
  /** Absolute path of the config file. */
  file: string;
  /** Directory that contract paths are relative to (the config file's directory). */
  root: string;
  /** Registry directory, absolute. */
  registryDir: string;
  /** Location of each key path (`contracts.users-api.path`) in the file, for later messages. */
  locate(path: Array<string | number>, preferKey?: boolean): Location | undefined;
  /** Keys written twice that were read anyway (same value, or `--duplicate-keys last`), one message each. */
  warnings?: string[];
}


/**
 * Parses and validates comms.yaml text. Every error is a ConfigError naming the key path and its line.
 * `displayFile` is the path shown in messages.
 */
export function parseConfig(source: string, displayFile: string, absFile: string): LoadedConfig {
  const text = withoutBom(source);
  const lineCounter = new LineCounter();
  // No comms.yaml nests deeply, and the YAML parser slows down sharply on deep nesting: refuse it unparsed.
  const deep = nestingTooDeep(text, MAX_CONFIG_DEPTH);
  if (deep !== undefined) throw new ConfigError(`nesting deeper than ${MAX_CONFIG_DEPTH} levels`, new LineIndex(text).location(displayFile, deep));
  // Keys written twice are found by yamlRepeats, in linear time.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, ...MERGE, ...QUIET });
  const at = (offset: number): Location => {
    const p = lineCounter.linePos(offset);
    return { file: displayFile, line: p.line, column: p.col };
  };
  const error = doc.errors[0];
  // comms.yaml is read before its own policy.duplicate-keys, so only the command line relaxes it.
  const repeats = yamlRepeats(doc, text, true).filter((r) => !error || r.second < error.pos[0]);
  const differing = repeats.find((r) => !r.same);
  const place = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return `line ${p.line}, column ${p.col}`;
  };
  if (differing && duplicateKeysMode() === "error") {
    throw new ConfigError(`${MAP_KEYS_UNIQUE}: '${differing.key}' is written twice with different values (first at ${place(differing.first)}); remove one, or read the last with --duplicate-keys last`, at(differing.second));
  }
  if (error) throw new ConfigError(error.message.split("\n")[0]!, at(error.pos[0]));
  const warnings = repeats.map((r) => {
    const where = at(r.second);
    const how = r.same ? "with the same value" : "with a different value; the last one is read";
    return `${where.file}:${where.line}:${where.column}: '${r.key}' is written twice ${how} (first at ${place(r.first)})`;
  });
  // Resolving an alias walks the whole document with paths: bounded like the nesting above.
  const costly = aliasCostExceeded(doc.contents, 2_000_000);
  if (costly) throw new ConfigError("aliases in a file this large and deeply nested cost too much to resolve", at(costly.range?.[0] ?? 0));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    // An undefined alias or an alias bomb: point at the first alias the parser could not expand.
    const all = aliases(doc.contents);
    const bad: Node | undefined = (all.find((a) => !a.defined) ?? all[0])?.alias;
    throw new ConfigError((e as Error).message.split("\n")[0]!, bad?.range ? at(bad.range[0]) : { file: displayFile, line: 1, column: 1 });
  }
  // Contract names are looked up by user-given keys: names of Object.prototype members are refused,
  // and the map has no prototype, so no name can reach inherited properties.
  const names = doc.get("contracts", true);
  if (isMap(names)) {
    for (const pair of names.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      if (key in Object.prototype || key === "prototype") {
        const loc = (pair.key as Node | null)?.range ? at((pair.key as Node).range![0]) : { file: displayFile, line: 1, column: 1 };
        throw new ConfigError(`contracts.${key}: '${key}' is a reserved name; choose another contract name`, loc);
      }
    }
    // Names a merge key brings in are not written under `contracts`: judged on the merged result.
    const merged = (data as { contracts?: unknown }).contracts;
    if (typeof merged === "object" && merged !== null)
      for (const key of Object.keys(merged))
        if (key in Object.prototype || key === "prototype") throw new ConfigError(`contracts.${key}: '${key}' is a reserved name; choose another contract name`, names.range ? at(names.range[0]) : { file: displayFile, line: 1, column: 1 });
  }
  // The deepest node found along a key path: the value when it exists, else the key of the
  // innermost map entry, so a message points at the text the user has to change.
  const locateNode = (path: Array<string | number>, preferKey: boolean): Node | undefined => {
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const [i, key] of path.entries()) {
      const lastStep = i === path.length - 1;
      if (isMap(node)) {
        // A key that is a collection is named by the library's rendering, which can be exponential in
        // its nesting: never rendered here. An unknown key no scalar key matches is such a key.
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key)) ?? (lastStep && preferKey ? node.items.find((it) => it.key != null && !isScalar(it.key)) : undefined);
        if (!pair) break;
        node = pair.value;
        found = (lastStep && preferKey ? pair.key : (pair.value ?? pair.key)) as Node;
      } else if (isSeq(node)) {
        const item = node.items[Number(key)];
        if (!item) break;
        node = item;
        found = item as Node;
      } else break;
    }
    return found;
  };
  const locate = (path: Array<string | number>, preferKey = false): Location | undefined => {
    const n = locateNode(path, preferKey);
    return n?.range ? at(n.range[0]) : undefined;
  };
  const result = v.safeParse(CommsConfigSchema, data);
  if (!result.success) {
    const issue = result.issues[0]!;
    const keyPath = (issue.path ?? []).map((p) => p.key as string | number);
    // A key that is a collection arrives rendered whole: named by its beginning.
    const shown = (k: string | number) => (String(k).length > 60 ? `${String(k).slice(0, 60)}…` : String(k));
    const dot = keyPath.length ? keyPath.map(shown).join(".") : "(root)";
    let message = issue.message;
    let onKey = false;
    if (issue.type === "strict_object" && issue.input !== undefined && issue.expected === "never") {
      message = `unknown key '${shown(keyPath[keyPath.length - 1]!)}'`;
      onKey = true;
    } else if (issue.input === undefined) {
      message = "required key is missing";
    }
    const loc = locate(keyPath, onKey) ?? { file: displayFile, line: 1, column: 1 };
    throw new ConfigError(`${dot}: ${message}`, loc);
  }
  const root = dirname(absFile);
  const config = result.output;
  config.contracts = Object.assign(Object.create(null) as CommsConfig["contracts"], config.contracts);
  if (config.sources) config.sources = Object.assign(Object.create(null) as NonNullable<CommsConfig["sources"]>, config.sources);
  return {
    config,
    file: absFile,
    root,
    registryDir: join(root, config.registry ?? ".comms"),
    locate,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** Display path of the config file relative to the working directory. */
export function displayPath(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  return r && !r.startsWith("..") ? r : abs;
}
