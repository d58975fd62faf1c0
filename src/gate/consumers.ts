import type { KindId, LoadedContract } from "../core/engine.ts";
import { ConfigError } from "../core/errors.ts";
import type { Finding } from "../core/finding.ts";
import type { Location } from "../core/location.ts";
import type { ContractSource, SourceReader } from "../core/source.ts";
import { getEngine } from "../kinds/index.ts";
import type { GraphqlModel } from "../kinds/graphql/model.ts";
import type { AsyncApiModel } from "../kinds/asyncapi/model.ts";
import type { OpenApiModel } from "../kinds/openapi/model.ts";
import type { PactModel } from "../kinds/pact/model.ts";
import type { CompatibilityMode, LoadedConfig } from "../policy/config.ts";
import { readerDirections, type Expectation } from "./consumers-model.ts";

/**
 * Consumers are contracts too: a contract with `provider:` is a consumer's expectation of another
 * contract of this comms.yaml. This module pairs them and runs the judge of each pair of kinds,
 * reusing the kinds' own judges (Avro resolution and JSON Schema compatibility through their engines,
 * GraphQL validation, protobuf wire rules); the request/response matching of pacts against OpenAPI is
 * in consumers-openapi.ts.
 */

/** Provider kinds each expectation kind can be judged against. */
export const EXPECTS: Partial<Record<KindId, readonly KindId[]>> = {
  pact: ["openapi", "jsonschema", "avro", "asyncapi"],
  graphql: ["graphql"],
  avro: ["avro"],
  jsonschema: ["jsonschema"],
  protobuf: ["protobuf"],
  asyncapi: ["avro", "jsonschema", "asyncapi"],
};

const WHAT: Partial<Record<KindId, string>> = {
  pact: "a pact is judged against an openapi provider (HTTP interactions) or a jsonschema, avro or asyncapi producer (messages)",
  graphql: "GraphQL operations are judged against a graphql provider",
  avro: "an Avro reader schema is judged against an avro producer",
  jsonschema: "a JSON Schema reader is judged against a jsonschema producer",
  protobuf: "a vendored .proto copy is judged against a protobuf provider",
  asyncapi: "an AsyncAPI document's receive operations are judged against an avro, jsonschema or asyncapi producer",
};

/** The compatibility mode of a provider contract: its own, else the policy's, else backward. */
export function modeOf(project: LoadedConfig, provider: string): CompatibilityMode {
  return project.config.contracts[provider]?.compatibility ?? project.config.policy?.compatibility ?? "backward";
}

/** Names of the consumer contracts that name `provider`, in comms.yaml order. */
export function consumersOf(project: LoadedConfig, provider: string): string[] {
  return Object.entries(project.config.contracts)
    .filter(([, c]) => c.provider === provider)
    .map(([n]) => n);
}

/**
 * Every `provider:` must name another contract of comms.yaml, of a kind the expectation can be judged
 * against, or `<source>/<contract>` with a source of comms.yaml (the contract is checked once the
 * source is read); a ConfigError at the comms.yaml line otherwise.
 */
export function validateConsumers(project: LoadedConfig): void {
  const contracts = project.config.contracts;
  for (const [name, c] of Object.entries(contracts)) {
    if (c.provider === undefined) continue;
    const at = project.locate(["contracts", name, "provider"]);
    if (c.provider === name) throw new ConfigError(`contracts.${name}.provider: a contract cannot be its own provider`, at);
    const slash = c.provider.indexOf("/");
    if (slash !== -1) {
      // `<source>/<contract>`: a contract of another repository, found when its source is read.
      const source = c.provider.slice(0, slash);
      const contract = c.provider.slice(slash + 1);
      const sources = project.config.sources ?? {};
      if (!Object.hasOwn(sources, source)) {
        throw new ConfigError(`contracts.${name}.provider: no source named '${source}' under sources: (sources: ${Object.keys(sources).join(", ") || "none"}); a provider in another repository is written <source>/<contract>`, at);
      }
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(contract)) throw new ConfigError(`contracts.${name}.provider: '${contract}' is not a contract name (write <source>/<contract>)`, at);
      if (!EXPECTS[c.kind]) throw new ConfigError(`contracts.${name}.provider: a ${c.kind} contract cannot be a consumer expectation (expectation kinds: ${Object.keys(EXPECTS).join(", ")})`, at);
      continue;
    }
    if (!Object.hasOwn(contracts, c.provider)) {
      throw new ConfigError(`contracts.${name}.provider: no contract named '${c.provider}' in comms.yaml (contracts: ${Object.keys(contracts).join(", ")})`, at);
    }
    const p = contracts[c.provider]!;
    if (p.provider !== undefined) throw new ConfigError(`contracts.${name}.provider: '${c.provider}' is itself a consumer contract (of '${p.provider}'); name the provider contract`, at);
    const kinds = EXPECTS[c.kind];
    if (!kinds) throw new ConfigError(`contracts.${name}.provider: a ${c.kind} contract cannot be a consumer expectation (expectation kinds: ${Object.keys(EXPECTS).join(", ")})`, at);
    if (!kinds.includes(p.kind)) {
      throw new ConfigError(`contracts.${name}.provider: '${c.provider}' is ${/^[aeiou]/.test(p.kind) ? "an" : "a"} ${p.kind} contract, but ${WHAT[c.kind]}`, at);
    }
  }
}

/** What one consumer expects and the provider does not offer, with what the consumer uses (for `usage: required`). */
export interface PairVerdict {
  consumer: string;
  findings: Finding[];
  /** Elements the consumer uses (OpenAPI operation labels, GraphQL coordinates); undefined when the judge cannot tell. */
  uses?: Set<string>;
}

/** Where a location really is (a snapshot file, `ref:path`), for findings that mix two readers. */
function at(reader: SourceReader, loc: Location | undefined): Location | undefined {
  if (!loc) return undefined;
  return reader.origin ? { ...loc, file: reader.origin(loc.file) } : loc;
}

function toFinding(consumer: string, e: Expectation, readers: { consumer: SourceReader; provider: SourceReader }): Finding {
  const consumerLoc = at(readers.consumer, e.consumer);
  const providerLoc = at(readers.provider, e.provider);
  const where = [consumerLoc && `consumer ${consumerLoc.file}:${consumerLoc.line}:${consumerLoc.column}`, providerLoc && `provider ${providerLoc.file}:${providerLoc.line}:${providerLoc.column}`].filter(Boolean).join("; ");
  return {
    rule: e.rule,
    severity: e.severity,
    path: `${consumer}#${e.interaction}#${e.where}`,
    message: `consumer '${consumer}', ${e.interaction}: ${e.message}${where ? ` (${where})` : ""}`,
    ...(providerLoc ? { new: providerLoc } : {}),
    consumer: { contract: consumer, interaction: e.interaction, ...(consumerLoc ? { location: consumerLoc } : {}) },
  };
}

/** A finding of a kind's own judge (Avro resolution, JSON Schema, protobuf wire rules) named for the consumer. */
function fromKindFinding(consumer: string, kind: KindId, f: Finding, consumerSide: "old" | "new", readers: { consumer: SourceReader; provider: SourceReader }): Finding | undefined {
  if (f.severity === "safe" || f.cosmetic) return undefined;
  const consumerLoc = f[consumerSide];
  const providerLoc = f[consumerSide === "old" ? "new" : "old"];
  const what = kind === "protobuf" ? "vendored proto" : "reader schema";
  return toFinding(consumer, { rule: `consumer-${f.rule}`, severity: f.severity as "breaking" | "dangerous", interaction: `${what} ${f.path}`, where: f.rule, message: f.message, consumer: consumerLoc, provider: providerLoc }, readers);
}

export interface Loaded {
  kind: KindId;
  source: ContractSource;
  loaded: LoadedContract;
}

/**
 * Judges what one consumer expects against one provider version. Pure over loaded contracts: the
 * caller decides which versions (working tree, a release, a deployed version) meet.
 */
export async function judgePair(consumerName: string, consumer: Loaded, provider: Loaded, settings: Record<string, unknown> = {}, mode: CompatibilityMode = "backward"): Promise<PairVerdict> {
  const readers = { consumer: consumer.source.reader, provider: provider.source.reader };
  const warn = () => {};
  if (consumer.kind === "pact" && provider.kind === "openapi") {
    const { judgePactAgainstOpenapi, operationsUsed } = await import("./consumers-openapi.ts");
    const pact = consumer.loaded.model as PactModel;
    const model = provider.loaded.model as OpenApiModel;
    return { consumer: consumerName, findings: judgePactAgainstOpenapi(pact, model).map((e) => toFinding(consumerName, e, readers)), uses: operationsUsed(pact, model) };
  }
  if (consumer.kind === "pact" && (provider.kind === "jsonschema" || provider.kind === "avro" || provider.kind === "asyncapi")) {
    const { judgePactMessages } = await import("./consumers-messages.ts");
    const expectations = judgePactMessages(consumer.loaded.model as PactModel, provider.kind, provider.loaded.model);
    return { consumer: consumerName, findings: expectations.map((e) => toFinding(consumerName, e, readers)) };
  }
  if (consumer.kind === "asyncapi") {
    const { judgeReceivers } = await import("./consumers-receivers.ts");
    const expectations = judgeReceivers(consumer.loaded.model as AsyncApiModel, provider.kind, provider.loaded.model, mode);
    return { consumer: consumerName, findings: expectations.map((e) => toFinding(consumerName, e, readers)) };
  }
  if (consumer.kind === "graphql" && provider.kind === "graphql") {
    const model = consumer.loaded.model as GraphqlModel;
    if (!model.operations) {
      const loc = { file: consumer.loaded.files[0] ?? consumer.source.path, line: 1, column: 1 };
      throw new ConfigError(`contract '${consumerName}' names a provider, but its documents define a schema; a GraphQL consumer contract holds operations (queries, mutations, fragments)`, loc);
    }
    const { judgeOperations } = await import("./consumers-graphql.ts");
    const { expectations, uses } = judgeOperations(model, provider.loaded.model as GraphqlModel);
    return { consumer: consumerName, findings: expectations.map((e) => toFinding(consumerName, e, readers)), uses };
  }
  if (consumer.kind === provider.kind && (consumer.kind === "avro" || consumer.kind === "jsonschema")) {
    // The kind's own judge, in the registry's sense: a consumer on `after` reads data written with `before`.
    // Avro resolution is one question whatever the mode; JSON Schema follows the producer's mode (readerDirections).
    const engine = await getEngine(consumer.kind);
    const findings: Finding[] = [];
    for (const dir of consumer.kind === "avro" ? (["reads"] as const) : readerDirections(mode)) {
      const raw = dir === "reads" ? await engine.diff(provider.loaded, consumer.loaded, { settings, warn }) : await engine.diff(consumer.loaded, provider.loaded, { settings, warn });
      findings.push(...raw.flatMap((f) => fromKindFinding(consumerName, consumer.kind, f, dir === "reads" ? "new" : "old", readers) ?? []));
    }
    return { consumer: consumerName, findings };
  }
  if (consumer.kind === "protobuf" && provider.kind === "protobuf") {
    // Wire compatibility: buf's WIRE category, from the vendored copy to the provider's files.
    const engine = await getEngine("protobuf");
    const raw = await engine.diff(consumer.loaded, provider.loaded, { settings: { use: ["WIRE"] }, warn });
    const findings = raw.flatMap((f) => fromKindFinding(consumerName, "protobuf", f, "old", readers) ?? []);
    return { consumer: consumerName, findings };
  }
  throw new ConfigError(`contract '${consumerName}': a ${consumer.kind} expectation cannot be judged against a ${provider.kind} provider`);
}

/** Loads a contract of comms.yaml from a source with its kind's engine. */
export async function loadContract(kind: KindId, source: ContractSource, settings: Record<string, unknown>): Promise<Loaded> {
  const engine = await getEngine(kind);
  return { kind, source, loaded: await engine.load(source, { settings, warn: () => {} }) };
}
