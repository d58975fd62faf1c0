import type { KindId } from "../core/engine.ts";
import type { Location } from "../core/location.ts";
import type { AsyncApiModel, AsyncMessage, Payload } from "../kinds/asyncapi/model.ts";
import type { AvroContract } from "../kinds/avro/load.ts";
import type { JsonSchemaContract } from "../kinds/jsonschema/load.ts";
import type { CompatibilityMode } from "../policy/config.ts";
import { checkAvro } from "../schemas/avro/check.ts";
import { isNamed } from "../schemas/avro/model.ts";
import { diffSchemas } from "../schemas/jsonschema/diff.ts";
import { readerDirections, type Expectation } from "./consumers-model.ts";

/**
 * An AsyncAPI document's `receive` operations as a consumer's expectations: each received payload is a
 * reader schema, judged against the writer schema of the producer it names (an Avro or JSON Schema
 * subject, or the payload its AsyncAPI document sends on the same channel) with the schema judges the
 * kinds use for their own history: Avro resolution, and JSON Schema compatibility by the producer's mode.
 */

type Problem = Omit<Expectation, "interaction">;

export const RECEIVER_RULES = {
  channelUnknown: "consumer-message-channel-unknown",
  formatMismatch: "consumer-message-payload-format-mismatch",
} as const;

/** A writer payload of the producer, in the shape an AsyncAPI payload has. */
type Writer = Exclude<Payload, { format: "other" }>;

function judgePayload(reader: Payload | undefined, writer: Writer, mode: CompatibilityMode): Problem[] {
  // A receive operation without a payload schema accepts whatever is sent.
  if (!reader) return [];
  if (reader.format === "other") return [];
  if (reader.format !== writer.format) {
    return [{ rule: RECEIVER_RULES.formatMismatch, severity: "breaking", where: "payload", message: `the reader's payload is ${reader.format}, but the producer writes ${writer.format}`, provider: writer.loc, consumer: reader.loc }];
  }
  if (reader.format === "avro" && writer.format === "avro") {
    const name = isNamed(reader.root) ? reader.root.name : reader.root.type;
    return checkAvro(reader.root, writer.root, name)
      .filter((i) => i.rule.severity !== "safe" && !i.cosmetic)
      .map((i) => ({ rule: `consumer-${i.rule.id}`, severity: i.rule.severity as Problem["severity"], where: i.path, message: i.message, provider: i.writer, consumer: i.reader }));
  }
  if (reader.format === "jsonschema" && writer.format === "jsonschema") {
    const out: Problem[] = [];
    for (const dir of readerDirections(mode)) {
      // reads: the reader is the update of the writer (backward); covered: the writer is the update of the reader.
      const [original, update] = dir === "reads" ? [writer.set.root, reader.set.root] : [reader.set.root, writer.set.root];
      for (const d of diffSchemas(original, update)) {
        if (d.rule.severity === "safe" || d.rule.id === "TITLE_CHANGED" || d.rule.id === "DESCRIPTION_CHANGED") continue;
        const [w, r] = dir === "reads" ? [d.old, d.new] : [d.new, d.old];
        out.push({ rule: `consumer-${d.rule.id}`, severity: d.rule.severity as Problem["severity"], where: d.pointer || "(root)", message: d.message, provider: w ?? writer.loc, consumer: r ?? reader.loc });
      }
    }
    return out;
  }
  return [];
}

/** The writer that fits the reader best: the same named type when there is one, else the fewest problems. */
function best(reader: Payload | undefined, writers: Writer[], mode: CompatibilityMode): Problem[] {
  if (reader?.format === "avro" && isNamed(reader.root)) {
    const same = writers.find((w) => w.format === "avro" && isNamed(w.root) && w.root.fullName === (reader.root as { fullName: string }).fullName);
    if (same) return judgePayload(reader, same, mode);
  }
  let found: Problem[] | undefined;
  for (const w of writers) {
    const problems = judgePayload(reader, w, mode);
    if (!found || problems.length < found.length) found = problems;
    if (!problems.length) break;
  }
  return found ?? [];
}

function writersOf(kind: KindId, producer: unknown): Writer[] {
  if (kind === "avro") return (producer as AvroContract).schemas.map((s) => ({ format: "avro", root: s.root, loc: s.root.loc }));
  if (kind === "jsonschema") return (producer as JsonSchemaContract).roots.map((r) => ({ format: "jsonschema", set: r.set, loc: { file: r.set.rootDoc.file, line: 1, column: 1 } }));
  return [];
}

const writable = (m: AsyncMessage): Writer | undefined => (m.payload && m.payload.format !== "other" ? m.payload : undefined);

/** Every message the consumer's AsyncAPI document receives, judged against what its producer writes. */
export function judgeReceivers(consumer: AsyncApiModel, kind: KindId, producer: unknown, mode: CompatibilityMode): Expectation[] {
  const out: Expectation[] = [];
  const channels = kind === "asyncapi" ? new Map([...(producer as AsyncApiModel).channels.values()].map((c) => [c.address, c])) : undefined;
  const subject = channels ? [] : writersOf(kind, producer);
  for (const ch of consumer.channels.values()) {
    for (const m of ch.receive.values()) {
      const interaction = `receive ${ch.address.slice(0, 200)} ${m.name}`;
      let problems: Problem[];
      if (channels) {
        const sent = channels.get(ch.address);
        const messages = sent ? [...sent.send.values()] : [];
        if (!messages.length) {
          const at: Location = sent?.loc ?? (producer as AsyncApiModel).channelsLoc;
          problems = [{ rule: RECEIVER_RULES.channelUnknown, severity: "breaking", where: "channel", message: sent ? `the producer sends nothing on channel ${ch.address.slice(0, 200)}` : `the producer has no channel ${ch.address.slice(0, 200)}`, provider: at, consumer: m.loc }];
        } else {
          const same = messages.find((x) => x.name === m.name);
          // A message the producer declares without a payload schema may carry anything: nothing to judge against.
          const writers = (same ? [same] : messages).flatMap((x) => writable(x) ?? []);
          problems = writers.length ? best(m.payload, writers, mode) : [];
        }
      } else {
        problems = best(m.payload, subject, mode);
      }
      for (const p of problems.slice(0, 20)) out.push({ ...p, interaction });
    }
  }
  return out;
}
