import type { Finding } from "./finding.ts";
import type { Location } from "./location.ts";
import type { RuleInfo } from "./rule.ts";
import type { ContractSource } from "./source.ts";

export type KindId = "openapi" | "graphql" | "protobuf" | "avro" | "jsonschema" | "asyncapi" | "pact";

export const KIND_IDS: readonly KindId[] = ["openapi", "graphql", "protobuf", "avro", "jsonschema", "asyncapi", "pact"];

/** A parsed contract version, with what policy and reports need to know about it. */
export interface LoadedContract<M = unknown> {
  model: M;
  /** Files that make up this version (display paths), e.g. for `release` snapshots and pre-commit ownership. */
  files: string[];
  /** Version declared inside the contract itself (OpenAPI `info.version`). */
  version?: string;
  /** Where that version is declared, for findings about it. */
  versionLocation?: Location;
}

/** Settings handed to an engine: the kind's section of comms.yaml policy plus per-contract options. */
export interface EngineOptions {
  /** Kind-specific settings, validated by the config schema (e.g. protobuf `use`/`except`). */
  settings: Record<string, unknown>;
  /** Non-fatal problems (lenient loading); shown on stderr. */
  warn(message: string): void;
}

/** Extra inputs for a diff. */
export interface DiffOptions extends EngineOptions {
  /** Consumer operations (GraphQL documents) for usage-aware checks: display path → content. */
  operations?: Array<{ file: string; content: string }>;
  /** Effective compatibility mode, for findings that depend on which directions are enforced (deploy order). */
  mode?: string;
  /** Which direction this call judges: `forward` when the sides were swapped (new → old). */
  direction?: "backward" | "forward";
}

/**
 * One contract kind. Engines never import each other; the CLI reaches them through `kinds/index.ts`.
 * `load` throws ContractError (with file:line:col) on bad input; `diff` reports facts, not policy.
 */
export interface Engine<M = unknown> {
  kind: KindId;
  /** Extensions of files this kind owns in a directory contract (".proto", ".graphql"). */
  extensions: readonly string[];
  load(source: ContractSource, options: EngineOptions): Promise<LoadedContract<M>>;
  diff(before: LoadedContract<M>, after: LoadedContract<M>, options: DiffOptions): Promise<Finding[]>;
  /** The rule catalogue, for `comms rules`. */
  rules(): RuleInfo[];
  /**
   * Whether the element at a finding path is marked deprecated in this version (and its sunset date),
   * used by the deprecation policy to find when a removed element was first deprecated.
   */
  deprecation?(contract: LoadedContract<M>, path: string): { sunset?: string } | undefined;
}
