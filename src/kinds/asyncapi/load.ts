import { ContractError, InputError } from "../../core/errors.ts";
import type { LoadedContract } from "../../core/engine.ts";
import type { ContractSource } from "../../core/source.ts";
import type { AvroType } from "../../schemas/avro/model.ts";
import { parseAvro } from "../../schemas/avro/parse.ts";
import { isObject, member, type SourceDocument } from "../../schemas/json/parse.ts";
import { SchemaSet } from "../../schemas/jsonschema/load.ts";
import type { AsyncApiModel, AsyncChannel, AsyncMessage, Payload, Role } from "./model.ts";
import { type Ref, Resolver } from "./refs.ts";

export const ASYNCAPI_EXTENSIONS = [".yaml", ".yml", ".json"] as const;
const ASYNCAPI_KEY = /^\s*["']?asyncapi["']?\s*:/m;

function obj(v: unknown): Record<string, unknown> | undefined {
  return isObject(v) ? v : undefined;
}

/** Which file of a directory is the AsyncAPI document. */
function rootFile(source: ContractSource): string {
  const { reader, path } = source;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory`);
  if (kind === "file") return path;
  for (const f of reader.list(path)) {
    if (!ASYNCAPI_EXTENSIONS.some((e) => f.toLowerCase().endsWith(e))) continue;
    const text = reader.read(f);
    if (text !== undefined && ASYNCAPI_KEY.test(text)) return f;
  }
  throw new InputError(`${path}: no AsyncAPI document (a file with an 'asyncapi' version)`);
}

/**
 * Loads an AsyncAPI 2.x or 3.0 document into channels by address, each with the messages the
 * application sends and receives, and their payloads read by the Avro or JSON Schema judge.
 */
export async function loadAsyncApi(source: ContractSource, refMap?: Record<string, string>): Promise<LoadedContract<AsyncApiModel>> {
  const resolver = new Resolver(source.reader);
  if (refMap) refMaps.set(resolver, refMap);
  const file = rootFile(source);
  const doc = resolver.load(file);
  if (!doc) throw new InputError(`${file}: cannot be read`);
  const root = obj(doc.value);
  if (!root) throw new ContractError("an AsyncAPI document must be a mapping", doc.loc(doc.value));
  const version = member(root, "asyncapi");
  if (typeof version !== "string" && typeof version !== "number") throw new ContractError("missing 'asyncapi' version", doc.loc(root));
  const v = String(version);
  if (!/^(2\.[0-6]|3\.0)(\.\d+)?$/.test(v)) throw new ContractError(`unsupported AsyncAPI version '${v}' (2.0 to 2.6 and 3.0 are supported)`, doc.loc(root, "asyncapi", "value"));
  const model: AsyncApiModel = { version: v, channels: new Map(), channelsLoc: Object.hasOwn(root, "channels") ? doc.loc(root, "channels") : doc.loc(root) };
  const top: Ref = { doc, raw: root };
  const avro: AvroPayloads = new Map();
  if (v.startsWith("2.")) loadV2(resolver, top, model, avro);
  else loadV3(resolver, top, model, avro);
  readAvroPayloads(avro);
  const info = obj(member(root, "info"));
  const infoVersion = info ? member(info, "version") : undefined;
  if (infoVersion !== undefined && typeof infoVersion !== "string" && typeof infoVersion !== "number") throw new ContractError("'info.version' must be a string", doc.loc(info, "version", "value"));
  return {
    model,
    files: [...resolver.docs.keys()].sort(),
    ...(infoVersion !== undefined ? { version: String(infoVersion), versionLocation: doc.loc(info, "version", "value") } : {}),
  };
}

function at(r: Ref, key: string): Ref {
  return { doc: r.doc, raw: isObject(r.raw) ? member(r.raw, key) : undefined };
}

function channel(model: AsyncApiModel, address: string, loc: AsyncChannel["loc"]): AsyncChannel {
  let ch = model.channels.get(address);
  if (!ch) model.channels.set(address, (ch = { address, loc, send: new Map(), receive: new Map() }));
  return ch;
}

function loadV2(resolver: Resolver, top: Ref, model: AsyncApiModel, avro: AvroPayloads): void {
  const channels = obj(at(top, "channels").raw);
  if (!channels) return;
  for (const address of Object.keys(channels)) {
    const ch = resolver.deref({ doc: top.doc, raw: channels[address] });
    const c = channel(model, address, top.doc.loc(channels, address));
    // In 2.x the verbs describe what a client may do: `subscribe` means the application sends.
    for (const [verb, role] of [["subscribe", "send"], ["publish", "receive"]] as Array<[string, Role]>) {
      const op = resolver.deref(at(ch, verb));
      if (!obj(op.raw)) continue;
      const msgRef = at(op, "message");
      if (msgRef.raw === undefined) continue;
      // One message, or several under `oneOf`; a `$ref`'d message is named after its component.
      const m = resolver.deref(msgRef);
      const oneOf = obj(m.raw) ? member(m.raw as Record<string, unknown>, "oneOf") : undefined;
      const list: Ref[] = Array.isArray(oneOf) ? oneOf.map((x) => resolver.deref({ doc: m.doc, raw: x })) : [m];
      for (const msg of list) {
        const raw = obj(msg.raw) ?? {};
        const name = str(member(raw, "messageId")) ?? str(member(raw, "name")) ?? msg.name ?? `${verb}Message`;
        c[role].set(name, message(resolver, msg, name, str(member(raw, "schemaFormat")), avro));
      }
    }
  }
}

function loadV3(resolver: Resolver, top: Ref, model: AsyncApiModel, avro: AvroPayloads): void {
  const channels = obj(at(top, "channels").raw);
  const byRaw = new Map<unknown, { address: string; messages: Map<unknown, { name: string; ref: Ref }> }>();
  if (channels)
    for (const id of Object.keys(channels)) {
      const ch = resolver.deref({ doc: top.doc, raw: channels[id] });
      const address = str(member(obj(ch.raw) ?? {}, "address")) ?? id;
      const messages = new Map<unknown, { name: string; ref: Ref }>();
      const msgs = obj(at(ch, "messages").raw);
      if (msgs)
        for (const name of Object.keys(msgs)) {
          const m = resolver.deref({ doc: ch.doc, raw: msgs[name] });
          messages.set(m.raw, { name, ref: m });
        }
      byRaw.set(ch.raw, { address, messages });
      channel(model, address, top.doc.loc(channels, id));
    }
  const operations = obj(at(top, "operations").raw);
  if (!operations) return;
  for (const id of Object.keys(operations)) {
    const op = resolver.deref({ doc: top.doc, raw: operations[id] });
    const o = obj(op.raw);
    if (!o) continue;
    const action = member(o, "action");
    if (action !== "send" && action !== "receive") throw new ContractError(`operation '${id}' needs an 'action' of send or receive`, op.doc.loc(o, "action", "value"));
    const chRef = at(op, "channel");
    if (chRef.raw === undefined) throw new ContractError(`operation '${id}' needs a 'channel'`, op.doc.loc(o));
    const target = resolver.deref(chRef);
    const ch = byRaw.get(target.raw);
    if (!ch) throw new ContractError(`operation '${id}': its channel is not one of the document's channels`, op.doc.loc(o, "channel", "value"));
    const c = model.channels.get(ch.address)!;
    const listed = member(o, "messages");
    const chosen = Array.isArray(listed)
      ? listed.map((x) => {
          const m = resolver.deref({ doc: op.doc, raw: x });
          const found = ch.messages.get(m.raw);
          if (!found) throw new ContractError(`operation '${id}' lists a message its channel does not have`, op.doc.loc(listed, listed.indexOf(x)));
          return found;
        })
      : [...ch.messages.values()];
    for (const m of chosen) {
      const payloadFormat = obj(member(obj(m.ref.raw) ?? {}, "payload"));
      c[action].set(m.name, message(resolver, m.ref, m.name, payloadFormat ? str(member(payloadFormat, "schemaFormat")) : undefined, avro));
    }
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function message(resolver: Resolver, m: Ref, name: string, schemaFormat: string | undefined, avro: AvroPayloads): AsyncMessage {
  const raw = obj(m.raw);
  const loc = m.doc.loc(m.raw);
  if (!raw || !Object.hasOwn(raw, "payload")) return { name, loc };
  let p: Ref = { doc: m.doc, raw: raw.payload };
  // 3.0 Multi Format Schema Object: the schema sits under `schema`.
  const multi = obj(resolver.deref(p).raw);
  if (multi && Object.hasOwn(multi, "schemaFormat") && Object.hasOwn(multi, "schema")) p = at(resolver.deref(p), "schema");
  return { name, loc, payload: payload(resolver, p, schemaFormat, avro) };
}

/** Avro payload schemas by their value, each with the payloads that use it, read once all are known. */
type AvroPayloads = Map<unknown, { target: Ref; uses: Array<Extract<Payload, { format: "avro" }>> }>;

/**
 * Reads every Avro payload of the document together: each is a schema of its own, but may use a named
 * type (by full name) that another payload defines, as registry schema references allow.
 */
function readAvroPayloads(avro: AvroPayloads): void {
  if (!avro.size) return;
  const all = [...avro.values()];
  const model = parseAvro(all.map((a) => ({ doc: a.target.doc, root: a.target.raw })), { separate: true });
  all.forEach((a, i) => {
    for (const use of a.uses) use.root = model.schemas[i]!.root;
  });
}

/** `ref-map` of the document being loaded, for its JSON Schema payloads. */
const refMaps = new WeakMap<Resolver, Record<string, string>>();

function payload(resolver: Resolver, p: Ref, schemaFormat: string | undefined, avro: AvroPayloads): Payload {
  const target = resolver.deref(p);
  const loc = target.doc.loc(target.raw);
  const format = (schemaFormat ?? "").toLowerCase();
  if (format.startsWith("application/vnd.apache.avro")) {
    // The schema is read once every payload is known (see readAvroPayloads).
    const use: Extract<Payload, { format: "avro" }> = { format: "avro", root: undefined as unknown as AvroType, loc };
    const key = typeof target.raw === "object" && target.raw !== null ? target.raw : use;
    let entry = avro.get(key);
    if (!entry) avro.set(key, (entry = { target, uses: [] }));
    entry.uses.push(use);
    return use;
  }
  if (!format || format.startsWith("application/vnd.aai.asyncapi") || format.includes("schema+json") || format.includes("schema+yaml") || format.startsWith("application/vnd.oai.openapi")) {
    const set = new SchemaSet(target.doc as SourceDocument, (f) => resolver.load(f), { raw: target.raw, draft: format.startsWith("application/vnd.oai.openapi") ? "draft-04" : "draft-07" }, refMaps.get(resolver));
    set.walkRefs();
    return { format: "jsonschema", set, loc };
  }
  return { format: "other", schemaFormat: schemaFormat!, loc };
}
