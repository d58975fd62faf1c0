import type { Location } from "../core/location.ts";
import type { AsyncApiModel, AsyncChannel, Payload } from "../kinds/asyncapi/model.ts";
import type { AvroContract } from "../kinds/avro/load.ts";
import type { JsonSchemaContract } from "../kinds/jsonschema/load.ts";
import type { N } from "../kinds/openapi/load.ts";
import type { Interaction, PactModel } from "../kinds/pact/model.ts";
import type { AvroType } from "../schemas/avro/model.ts";
import type { SourceDocument } from "../schemas/json/parse.ts";
import { judgeMessages, type MessageSchema, type SchemaSpec } from "./consumers-openapi.ts";
import type { Expectation } from "./consumers-model.ts";

const isContainer = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function segments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => {
      try {
        return decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~");
      } catch {
        return s.replace(/~1/g, "/").replace(/~0/g, "~");
      }
    });
}

/** JSON Schema documents seen as the walker needs them: local `$ref`s followed, nodes located. */
class JsonSchemaDocs implements SchemaSpec {
  constructor(private readonly docs: Map<string, SourceDocument>) {}

  private at(file: string, pointer: string): { container?: unknown; key?: string; value: unknown } | undefined {
    const doc = this.docs.get(file);
    if (!doc) return undefined;
    let container: unknown;
    let key: string | undefined;
    let value: unknown = doc.value;
    for (const seg of segments(pointer)) {
      if (!isContainer(value) || !Object.hasOwn(value, seg)) return undefined;
      container = value;
      key = seg;
      value = value[seg];
    }
    return { container, key, value };
  }

  deref(n: N): N {
    let cur = n;
    // Only references inside the same document: a schema in another file is taken as allowing anything.
    for (let hops = 0; hops < 64; hops++) {
      const ref = isContainer(cur.v) && !Array.isArray(cur.v) && Object.hasOwn(cur.v, "$ref") ? cur.v.$ref : undefined;
      if (typeof ref !== "string" || !ref.startsWith("#")) return cur;
      const found = this.at(cur.f, ref.slice(1));
      if (!found) return cur;
      cur = { v: found.value, f: cur.f, p: ref.slice(1) };
    }
    return cur;
  }

  locate(n: { f: string; p: string }): Location {
    const doc = this.docs.get(n.f);
    if (!doc) return { file: n.f, line: 1, column: 1 };
    const found = this.at(n.f, n.p);
    return found?.container !== undefined ? doc.loc(found.container, found.key) : doc.loc(doc.value);
  }
}

/** Where a value sits inside a document, by identity: an AsyncAPI payload's pointer, for locations. Bounded. */
function pointerOf(root: unknown, target: unknown): string | undefined {
  const todo: Array<[unknown, string]> = [[root, ""]];
  const seen = new Set<unknown>();
  for (let steps = 0; todo.length && steps < 200_000; steps++) {
    const [v, p] = todo.pop()!;
    if (v === target) return p;
    if (!isContainer(v) || seen.has(v)) continue;
    seen.add(v);
    for (const k of Object.keys(v)) todo.push([(v as Record<string, unknown>)[k], `${p}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`]);
  }
  return undefined;
}

/**
 * An Avro schema seen as the JSON Schema of the values it carries once decoded (what a message pact's
 * contents show): records as objects with their fields, unions as anyOf, int/long as integers, enums as
 * their symbols, maps as objects of values. Named records are `$ref`s, so recursive types stay finite;
 * every node remembers the Avro element it stands for, so findings point into the `.avsc`.
 */
class AvroAsJsonSchema implements SchemaSpec {
  private readonly doc: Record<string, unknown> = Object.create(null);
  private readonly defs: Record<string, unknown> = Object.create(null);
  private readonly where = new WeakMap<object, Location>();
  readonly roots: N[] = [];

  constructor(
    private readonly file: string,
    types: AvroType[],
  ) {
    this.doc.defs = this.defs;
    this.doc.roots = types.map((t) => this.convert(t));
    this.roots = types.map((_, i) => ({ v: (this.doc.roots as unknown[])[i], f: file, p: `/roots/${i}` }));
  }

  private node(value: Record<string, unknown>, at: Location): Record<string, unknown> {
    const o: Record<string, unknown> = Object.assign(Object.create(null), value);
    this.where.set(o, at);
    return o;
  }

  private convert(t: AvroType, at: Location = t.loc): Record<string, unknown> {
    switch (t.type) {
      case "null":
      case "boolean":
      case "string":
        return this.node({ type: t.type }, at);
      case "int":
      case "long":
        return this.node({ type: "integer" }, at);
      case "float":
      case "double":
        return this.node({ type: "number" }, at);
      case "bytes":
      case "fixed":
        return this.node({ type: "string" }, at);
      case "enum":
        return this.node({ type: "string", enum: [...t.symbols] }, at);
      case "array":
        return this.node({ type: "array", items: this.convert(t.items) }, at);
      case "map":
        return this.node({ type: "object", additionalProperties: this.convert(t.values) }, at);
      case "union":
        return this.node({ anyOf: t.branches.map((b) => this.convert(b)) }, at);
      case "record": {
        if (!Object.hasOwn(this.defs, t.fullName)) {
          const properties: Record<string, unknown> = Object.create(null);
          this.defs[t.fullName] = this.node({ type: "object", properties }, t.loc);
          for (const f of t.fields) properties[f.name] = this.convert(f.type, f.loc);
        }
        return this.node({ $ref: `#/defs/${t.fullName.replace(/~/g, "~0").replace(/\//g, "~1")}` }, at);
      }
    }
  }

  private path(p: string): unknown[] {
    const out: unknown[] = [this.doc];
    let v: unknown = this.doc;
    for (const seg of segments(p)) {
      if (!isContainer(v) || !Object.hasOwn(v, seg)) break;
      v = v[seg];
      out.push(v);
    }
    return out;
  }

  deref(n: N): N {
    let cur = n;
    for (let hops = 0; hops < 64; hops++) {
      const ref = isContainer(cur.v) && Object.hasOwn(cur.v, "$ref") ? cur.v.$ref : undefined;
      if (typeof ref !== "string" || !ref.startsWith("#/defs/")) return cur;
      const name = segments(ref.slice(1))[1]!;
      if (!Object.hasOwn(this.defs, name)) return cur;
      cur = { v: this.defs[name], f: cur.f, p: ref.slice(1) };
    }
    return cur;
  }

  locate(n: { f: string; p: string }): Location {
    // The deepest node on the way that stands for an Avro element.
    const nodes = this.path(n.p);
    for (let i = nodes.length - 1; i >= 0; i--) {
      const v = nodes[i];
      const at = isContainer(v) ? this.where.get(v) : undefined;
      if (at) return at;
    }
    return { file: this.file, line: 1, column: 1 };
  }
}

/** The schemas a JSON Schema producer's messages may follow: each root schema of the contract. */
function jsonSchemaRoots(producer: JsonSchemaContract): MessageSchema[] {
  const docs = new Map(producer.roots.map((r) => [r.set.rootDoc.file, r.set.rootDoc]));
  const spec = new JsonSchemaDocs(docs);
  return producer.roots.map((r) => ({ spec, root: { v: r.set.rootDoc.value, f: r.set.rootDoc.file, p: "" } }));
}

/** The schemas an Avro producer's messages may follow: each file's top-level schema. */
function avroRoots(producer: AvroContract): MessageSchema[] {
  const spec = new AvroAsJsonSchema(producer.schemas[0]?.file ?? "", producer.schemas.map((s) => s.root));
  return spec.roots.map((root) => ({ spec, root }));
}

/** An AsyncAPI message payload as the walker reads it; undefined for a format it cannot read. */
function payloadSchema(p: Payload | undefined): MessageSchema | undefined {
  if (!p) return { spec: new JsonSchemaDocs(new Map()), root: { v: true, f: "", p: "" } };
  if (p.format === "avro") {
    const spec = new AvroAsJsonSchema(p.loc.file, [p.root]);
    return { spec, root: spec.roots[0]! };
  }
  if (p.format !== "jsonschema") return undefined;
  const at = p.set.root().at;
  const doc = at.doc;
  const pointer = pointerOf(doc.value, at.raw);
  return { spec: new JsonSchemaDocs(new Map([[doc.file, doc]])), root: { v: at.raw, f: doc.file, p: pointer ?? "" } };
}

/** Metadata keys a message pact names its channel (topic, queue) with, as pact tools and brokers write them. */
export const CHANNEL_KEYS = ["channel", "topic", "kafka_topic", "destination", "queue"] as const;

function channelOf(i: Interaction): string | undefined {
  const meta = i.message?.metadata;
  if (!meta) return undefined;
  for (const k of CHANNEL_KEYS) {
    const v = meta.get(k);
    if (typeof v === "string" && v) return v;
  }
  return undefined;
}

/**
 * The payloads an AsyncAPI producer sends that a pact's message may be: those sent on the channel its
 * metadata names (`channel`, `topic`, `kafka_topic`, `destination` or `queue`), or every payload it sends
 * when the pact names none.
 */
function asyncapiCandidates(producer: AsyncApiModel): (i: Interaction) => MessageSchema[] | Omit<Expectation, "interaction"> {
  const cache = new Map<Payload | undefined, MessageSchema | undefined>();
  const schemaOf = (p: Payload | undefined) => {
    if (!cache.has(p)) cache.set(p, payloadSchema(p));
    return cache.get(p);
  };
  const byAddress = new Map<string, AsyncChannel>();
  for (const [key, ch] of producer.channels) {
    byAddress.set(ch.address, ch);
    if (!byAddress.has(key)) byAddress.set(key, ch);
  }
  return (i) => {
    const address = channelOf(i);
    const channels = address === undefined ? [...producer.channels.values()] : byAddress.has(address) ? [byAddress.get(address)!] : [];
    const messages = channels.flatMap((c) => [...c.send.values()]);
    if (!messages.length) {
      const ch = address === undefined ? undefined : byAddress.get(address);
      return {
        rule: "consumer-message-channel-unknown",
        severity: "breaking",
        where: "message.metadata",
        message: address === undefined ? "the producer sends no message on any channel" : ch ? `the producer sends nothing on channel ${address.slice(0, 200)}` : `the producer has no channel ${address.slice(0, 200)}`,
        provider: ch?.loc ?? producer.channelsLoc,
        consumer: i.loc,
      };
    }
    return messages.flatMap((m) => schemaOf(m.payload) ?? []);
  };
}

/** A pact's messages against their producer (JSON Schema, Avro or AsyncAPI): each must fit a payload it sends. */
export function judgePactMessages(pact: PactModel, kind: "jsonschema" | "avro" | "asyncapi", producer: unknown): Expectation[] {
  if (kind === "asyncapi") return judgeMessages(pact, asyncapiCandidates(producer as AsyncApiModel));
  const roots = kind === "avro" ? avroRoots(producer as AvroContract) : jsonSchemaRoots(producer as JsonSchemaContract);
  return judgeMessages(pact, () => roots);
}

