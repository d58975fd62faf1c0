import type { LoadedContract } from "../../core/engine.ts";
import type { Finding } from "../../core/finding.ts";
import { checkAvro } from "../../schemas/avro/check.ts";
import { isNamed } from "../../schemas/avro/model.ts";
import { diffSchemas } from "../../schemas/jsonschema/diff.ts";
import type { AsyncApiModel, AsyncMessage, Role } from "./model.ts";
import { PAYLOAD_SCHEMA_ADDED, PAYLOAD_SCHEMA_REMOVED, CHANNEL_ADDED, CHANNEL_REMOVED, MESSAGE_ADDED, MESSAGE_ADDED_TO_SENT_CHANNEL, MESSAGE_NO_LONGER_RECEIVED, MESSAGE_NO_LONGER_SENT, PAYLOAD_FORMAT_CHANGED, PAYLOAD_NOT_JUDGED } from "./rules.ts";

type Settings = Record<string, unknown>;

/**
 * Payload compatibility for one message the application keeps. What it sends must be readable by
 * consumers on the old payload (FORWARD: reader old, writer new); what it receives must still be
 * readable from producers on the old payload (BACKWARD: reader new, writer old).
 */
function payloadFindings(address: string, role: Role, before: AsyncMessage, after: AsyncMessage, settings: Settings): Finding[] {
  const a = before.payload;
  const b = after.payload;
  const base = `${address}/${after.name}`;
  // Payload findings speak from the reader's side: old consumers for what is sent, the new version for what is received.
  const tag = role === "send" ? `${base} (sent; as consumers on the old payload read it)` : `${base} (received; as the new version reads the old payload)`;
  if (!a || !b) {
    if (!a && !b) return [];
    // No schema accepts any payload: adding one constrains what is received, removing one frees what is sent.
    if (!a) return [{ rule: PAYLOAD_SCHEMA_ADDED.id, severity: role === "receive" ? "breaking" : "safe", path: base, message: `${tag}: payload schema added`, old: before.loc, new: b!.loc }];
    return [{ rule: PAYLOAD_SCHEMA_REMOVED.id, severity: role === "send" ? "breaking" : "safe", path: base, message: `${tag}: payload schema removed`, old: a.loc, new: after.loc }];
  }
  if (a.format !== b.format) return [{ rule: PAYLOAD_FORMAT_CHANGED.id, severity: "breaking", path: base, message: `${tag}: payload format changed from ${a.format} to ${b.format}`, old: a.loc, new: b.loc }];
  if (a.format === "avro" && b.format === "avro") {
    const [reader, writer] = role === "send" ? [a.root, b.root] : [b.root, a.root];
    const name = isNamed(a.root) ? a.root.name : a.root.type;
    return checkAvro(reader, writer, name).map((i) => {
      const [oldLoc, newLoc] = role === "send" ? [i.reader, i.writer] : [i.writer, i.reader];
      const f: Finding = { rule: i.rule.id, severity: i.rule.severity, path: `${base}#${i.path}`, message: `${tag}: ${i.message}` };
      if (oldLoc) f.old = oldLoc;
      if (newLoc) f.new = newLoc;
      if (i.cosmetic) f.cosmetic = true;
      return f;
    });
  }
  if (a.format === "jsonschema" && b.format === "jsonschema") {
    const lenient = settings.lenient === true;
    const [original, update] = role === "send" ? [b.set.root, a.set.root] : [a.set.root, b.set.root];
    return diffSchemas(original, update, { lenient }).map((d) => {
      const [oldLoc, newLoc] = role === "send" ? [d.new, d.old] : [d.old, d.new];
      const severity = lenient && d.rule.lenient && !d.rule.compatible ? "safe" : d.rule.severity;
      const f: Finding = { rule: d.rule.id, severity, path: `${base}#${d.pointer}`, message: `${tag}: ${d.message}` };
      if (oldLoc) f.old = oldLoc;
      if (newLoc) f.new = newLoc;
      if (d.rule.id === "TITLE_CHANGED" || d.rule.id === "DESCRIPTION_CHANGED") f.cosmetic = true;
      return f;
    });
  }
  return [{ rule: PAYLOAD_NOT_JUDGED.id, severity: "dangerous", path: base, message: `${tag}: payload in ${b.format === "other" ? b.schemaFormat : b.format} is not judged`, old: a.loc, new: b.loc }];
}

/**
 * Whether the new version of the application still works with the counterparts built against the
 * old one (`backward`); policy swaps the sides for `forward` and runs both for `full`.
 */
export async function diffAsyncApi(before: LoadedContract<AsyncApiModel>, after: LoadedContract<AsyncApiModel>, settings: Settings): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const [address, oc] of before.model.channels) {
    const nc = after.model.channels.get(address);
    const used = oc.send.size + oc.receive.size > 0;
    if (!nc) {
      out.push({ rule: CHANNEL_REMOVED.id, severity: used ? "breaking" : "safe", path: address, message: `channel ${address} removed`, old: oc.loc, new: after.model.channelsLoc, operations: [address] });
      continue;
    }
    for (const role of ["send", "receive"] as Role[]) {
      for (const [name, om] of oc[role]) {
        const nm = nc[role].get(name);
        if (!nm) {
          const r = role === "send" ? MESSAGE_NO_LONGER_SENT : MESSAGE_NO_LONGER_RECEIVED;
          out.push({ rule: r.id, severity: "breaking", path: `${address}/${name}`, message: `${name} is no longer ${role === "send" ? "sent" : "received"} on ${address}`, old: om.loc, new: nc.loc });
          continue;
        }
        out.push(...payloadFindings(address, role, om, nm, settings));
      }
      for (const [name, nm] of nc[role]) {
        if (oc[role].has(name)) continue;
        const breaking = role === "send" && oc.send.size > 0;
        const r = breaking ? MESSAGE_ADDED_TO_SENT_CHANNEL : MESSAGE_ADDED;
        out.push({ rule: r.id, severity: r.severity, path: `${address}/${name}`, message: `${name} is now ${role === "send" ? "sent" : "received"} on ${address}`, old: oc.loc, new: nm.loc });
      }
    }
  }
  for (const [address, nc] of after.model.channels) {
    if (!before.model.channels.has(address)) out.push({ rule: CHANNEL_ADDED.id, severity: "safe", path: address, message: `channel ${address} added`, old: before.model.channelsLoc, new: nc.loc });
  }
  return mergeShared(out);
}

/**
 * A payload schema shared by several messages (a `$ref`'d component) changes once: its findings,
 * identical but for the message they were reached through, become one finding listing the messages.
 */
function mergeShared(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, Finding>();
  const where = (l: Finding["old"]) => (l ? `${l.file}:${l.line}:${l.column}` : "");
  for (const f of findings) {
    const hash = f.path.indexOf("#");
    if (hash < 0) {
      out.push(f);
      continue;
    }
    const key = `${f.rule}\u0000${f.severity}\u0000${f.path.slice(hash)}\u0000${where(f.old)}\u0000${where(f.new)}`;
    const first = byKey.get(key);
    const message = f.path.slice(0, hash);
    if (!first) {
      f.operations = [message];
      byKey.set(key, f);
      out.push(f);
    } else if (!first.operations!.includes(message)) first.operations!.push(message);
  }
  return out;
}
