import type { RuleInfo } from "../../core/rule.ts";
import { AVRO_RULES } from "../../schemas/avro/rules/index.ts";
import { JSONSCHEMA_RULES } from "../../schemas/jsonschema/rules/index.ts";

function rule(id: string, severity: RuleInfo["severity"], summary: string, why: string, fix: string): RuleInfo {
  return { id, kind: "asyncapi", severity, categories: ["asyncapi"], summary, why, fix };
}

export const CHANNEL_REMOVED = rule(
  "CHANNEL_REMOVED",
  "breaking",
  "A channel (by address) the application sent or received on is gone.",
  "Consumers built against the old version wait for messages that never come; producers keep publishing messages nobody reads.",
  "Keep the channel until its counterparts have moved, or release the removal as a major version.",
);
export const CHANNEL_ADDED = rule("CHANNEL_ADDED", "safe", "The application uses a new channel.", "No counterpart built against the old version sends or reads on it, so none is affected.", "Nothing to do.");
export const MESSAGE_NO_LONGER_SENT = rule(
  "MESSAGE_NO_LONGER_SENT",
  "breaking",
  "The application stopped sending a message on a channel.",
  "Consumers that react to the message stop receiving it without notice.",
  "Keep sending it until consumers have moved, or release the change as a major version.",
);
export const MESSAGE_NO_LONGER_RECEIVED = rule(
  "MESSAGE_NO_LONGER_RECEIVED",
  "breaking",
  "The application stopped receiving a message on a channel.",
  "Producers that still publish it are no longer heard: their messages are dropped or rejected.",
  "Keep consuming it until producers have stopped, or release the change as a major version.",
);
export const MESSAGE_ADDED_TO_SENT_CHANNEL = rule(
  "MESSAGE_ADDED_TO_SENT_CHANNEL",
  "breaking",
  "The application sends a new kind of message on a channel it already sent on.",
  "Consumers built against the old version meet a message they do not know on a channel they read, and may fail to decode it.",
  "Send the new message on a new channel, or make sure every consumer tolerates unknown messages first.",
);
export const MESSAGE_ADDED = rule("MESSAGE_ADDED", "safe", "The application sends or receives a new message (on a new channel, or receives one more message).", "Counterparts built against the old version never meet the new message, so none is affected.", "Nothing to do.");
export const PAYLOAD_FORMAT_CHANGED = rule(
  "PAYLOAD_FORMAT_CHANGED",
  "breaking",
  "A message payload changed schema format (JSON Schema to Avro...).",
  "Counterparts decode the payload with the old format and fail.",
  "Publish the new format as a new message or on a new channel.",
);
export const PAYLOAD_NOT_JUDGED = rule(
  "PAYLOAD_NOT_JUDGED",
  "dangerous",
  "A payload in a schema format comms does not judge (protobuf, RAML...) changed.",
  "Its compatibility was not checked: a reviewer has to.",
  "Review the payload change by hand, or describe it in JSON Schema or Avro.",
);

export const PAYLOAD_SCHEMA_ADDED = rule(
  "PAYLOAD_SCHEMA_ADDED",
  "breaking",
  "A message that had no payload schema now has one.",
  "Where the application receives the message, producers built against the old version send payloads the new schema was never checked against; where it sends, consumers gain a description and nothing fails.",
  "Add the schema in a version that still accepts any payload, or check that every producer already conforms.",
);
export const PAYLOAD_SCHEMA_REMOVED = rule(
  "PAYLOAD_SCHEMA_REMOVED",
  "breaking",
  "A message lost its payload schema.",
  "Where the application sends the message, consumers built against the old schema may now receive payloads of any shape; where it receives, nothing it accepts is refused.",
  "Keep the schema, or publish the unconstrained message on a new channel.",
);

export const DEPLOY_CONSUMERS_FIRST = rule(
  "DEPLOY_CONSUMERS_FIRST",
  "dangerous",
  "A payload the application sends changed so that consumers still on the old payload cannot read it; the subject's mode (backward) allows it.",
  "The registry's backward mode only asks that consumers on the new schema read old data. Until every consumer of the topic runs the new version, the messages this producer writes fail to decode in the consumers that have not moved.",
  "Deploy every consumer of the topic before this producer, or make the change readable both ways (a field with a default, an added union branch consumers skip).",
);
export const DEPLOY_PRODUCERS_FIRST = rule(
  "DEPLOY_PRODUCERS_FIRST",
  "dangerous",
  "A payload the application receives changed so that it cannot read what producers still on the old payload write; the subject's mode (forward) allows it.",
  "The registry's forward mode only asks that consumers on the old schema read new data. This consumer, deployed first, meets messages of the old payload (from producers not yet moved, or still in the topic) and fails to decode them.",
  "Deploy every producer of the topic first and let old messages drain before this consumer, or give the new fields defaults.",
);

const OWN = [DEPLOY_CONSUMERS_FIRST, DEPLOY_PRODUCERS_FIRST, PAYLOAD_SCHEMA_ADDED, PAYLOAD_SCHEMA_REMOVED, CHANNEL_REMOVED, CHANNEL_ADDED, MESSAGE_NO_LONGER_SENT, MESSAGE_NO_LONGER_RECEIVED, MESSAGE_ADDED_TO_SENT_CHANNEL, MESSAGE_ADDED, PAYLOAD_FORMAT_CHANGED, PAYLOAD_NOT_JUDGED];

/** The document-level rules plus the payload judges' catalogues (an id both judges use is listed once). */
export function asyncapiRules(): RuleInfo[] {
  const seen = new Set<string>();
  const out: RuleInfo[] = [];
  for (const r of [...OWN, ...AVRO_RULES, ...JSONSCHEMA_RULES]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({ ...r, kind: "asyncapi", categories: [...(r.categories ?? []), r.kind === "asyncapi" ? "document" : `payload:${r.kind}`] });
  }
  return out;
}
