import type { LoadedContract } from "../../core/engine.ts";
import type { Finding } from "../../core/finding.ts";
import { checkAvro } from "../../schemas/avro/check.ts";
import { isNamed } from "../../schemas/avro/model.ts";
import { diffSchemas } from "../../schemas/jsonschema/diff.ts";
import { enforced, newSideOf } from "../../schemas/modes.ts";
import type { AsyncApiModel, AsyncMessage, Payload, Role } from "./model.ts";
import { DEPLOY_CONSUMERS_FIRST, DEPLOY_PRODUCERS_FIRST, PAYLOAD_SCHEMA_ADDED, PAYLOAD_SCHEMA_REMOVED, CHANNEL_ADDED, CHANNEL_REMOVED, MESSAGE_ADDED, MESSAGE_ADDED_TO_SENT_CHANNEL, MESSAGE_NO_LONGER_RECEIVED, MESSAGE_NO_LONGER_SENT, PAYLOAD_FORMAT_CHANGED, PAYLOAD_NOT_JUDGED } from "./rules.ts";

type Settings = Record<string, unknown>;

/** How a diff call was made: which direction it judges, and under which mode (for deploy order). */
interface Call {
  settings: Settings;
  direction: "backward" | "forward";
  mode?: string;
}

/** One payload judgement in the call's terms: `reader` reads data written with `writer`. */
interface Judged {
  rule: string;
  severity: Finding["severity"];
  path: string;
  message: string;
  /** Locations in the call's first (`x`) and second (`y`) document. */
  x?: Finding["old"];
  y?: Finding["old"];
  cosmetic?: boolean;
  note?: string;
}

/**
 * Payload compatibility as the schema registry judges it under the subject's mode: in the call's terms
 * (`x` then `y`), consumers on `y` read data written with `x`. Called with (old, new) that is the
 * registry's BACKWARD; policy calls it with (new, old) for FORWARD. `yReads` false judges the other
 * way round (consumers on `x` read data written with `y`), which the deploy-order findings need.
 */
function judgePayload(x: Payload, y: Payload, yReads: boolean, call: Call): Judged[] {
  const settings = call.settings;
  if (x.format === "avro" && y.format === "avro") {
    const [reader, writer] = yReads ? [y.root, x.root] : [x.root, y.root];
    const name = isNamed(x.root) ? x.root.name : x.root.type;
    // Facts about the new schema itself are reported with the registry's findings, not the deploy-order ones.
    const newSide = yReads ? newSideOf(call.direction, call.mode) : "none";
    return checkAvro(reader, writer, name, new Map(), { newSide }).map((i) => {
      const [xLoc, yLoc] = yReads ? [i.writer, i.reader] : [i.reader, i.writer];
      return { rule: i.rule.id, severity: i.rule.severity, path: i.path, message: i.message, x: xLoc, y: yLoc, ...(i.cosmetic ? { cosmetic: true } : {}) };
    });
  }
  if (x.format === "jsonschema" && y.format === "jsonschema") {
    const lenient = settings.lenient === true;
    const [original, update] = yReads ? [x.set.root, y.set.root] : [y.set.root, x.set.root];
    return diffSchemas(original, update, { lenient }).map((d) => {
      const [xLoc, yLoc] = yReads ? [d.old, d.new] : [d.new, d.old];
      const severity = lenient && d.rule.lenient && !d.rule.compatible ? "safe" : d.rule.severity;
      const j: Judged = { rule: d.rule.id, severity, path: d.pointer, message: d.message, x: xLoc, y: yLoc };
      if (d.rule.id === "TITLE_CHANGED" || d.rule.id === "DESCRIPTION_CHANGED") j.cosmetic = true;
      if (severity !== d.rule.severity) j.note = "allowed by the lenient policy";
      return j;
    });
  }
  return [];
}

function toFinding(j: Judged, rule: string, severity: Finding["severity"], path: string, message: string): Finding {
  const f: Finding = { rule, severity, path, message };
  if (j.x) f.old = j.x;
  if (j.y) f.new = j.y;
  if (j.cosmetic) f.cosmetic = true;
  if (j.note) f.note = j.note;
  return f;
}

/**
 * Payload findings for one message the application keeps. The payload is judged as the registry judges
 * its subject under the mode, whatever the role, so an Avro, JSON Schema and AsyncAPI contract give one
 * verdict for one payload. The role adds what the registry cannot know, the deploy order: a payload the
 * application sends that consumers still on the old version cannot read needs every consumer deployed
 * first; a payload it receives that it can no longer read from producers still on the old version needs
 * every producer deployed first. Where the mode enforces that direction, the registry's own findings
 * already fail and nothing is added.
 */
function payloadFindings(address: string, role: Role, before: AsyncMessage, after: AsyncMessage, call: Call): Finding[] {
  const a = before.payload;
  const b = after.payload;
  const base = `${address}/${after.name}`;
  const verb = role === "send" ? "sent" : "received";
  if (!a || !b) {
    if (!a && !b) return [];
    const tag = `${base} (${verb})`;
    // No schema accepts any payload: adding one constrains what is received, removing one frees what is sent.
    if (!a) return [{ rule: PAYLOAD_SCHEMA_ADDED.id, severity: role === "receive" ? "breaking" : "safe", path: base, message: `${tag}: payload schema added`, old: before.loc, new: b!.loc }];
    return [{ rule: PAYLOAD_SCHEMA_REMOVED.id, severity: role === "send" ? "breaking" : "safe", path: base, message: `${tag}: payload schema removed`, old: a.loc, new: after.loc }];
  }
  // In the call's terms consumers on `after` read data written with `before`; under forward the call is swapped.
  const view = call.direction === "forward" ? "consumers on the old payload read the new one" : "consumers on the new payload read the old one";
  const tag = `${base} (${verb}; ${view})`;
  if (a.format !== b.format) return [{ rule: PAYLOAD_FORMAT_CHANGED.id, severity: "breaking", path: base, message: `${tag}: payload format changed from ${a.format} to ${b.format}`, old: a.loc, new: b.loc }];
  if (a.format === "other" || b.format === "other") {
    return [{ rule: PAYLOAD_NOT_JUDGED.id, severity: "dangerous", path: base, message: `${tag}: payload in ${b.format === "other" ? b.schemaFormat : b.format} is not judged`, old: a.loc, new: b.loc }];
  }
  const registry = judgePayload(a, b, true, call);
  const out = registry.map((j) => toFinding(j, j.rule, j.severity, `${base}#${j.path}`, `${tag}: ${j.message}`));
  const modes = enforced(call.mode);
  // The deploy-order concern of the role: a sender's old consumers (forward), a receiver's old producers (backward).
  const deploy =
    call.direction === "backward" && role === "send" && !modes.forward
      ? { rule: DEPLOY_CONSUMERS_FIRST, who: "consumers still on the old payload cannot read the new one", step: `deploy every consumer of ${address} before this producer` }
      : call.direction === "forward" && role === "receive" && !modes.backward
        ? { rule: DEPLOY_PRODUCERS_FIRST, who: "this consumer cannot read what producers still on the old payload write", step: `deploy every producer of ${address} before this consumer, and let old messages drain` }
        : undefined;
  if (deploy) {
    // Called (old, new) for a sender, the reverse reading is old consumers reading new data; called
    // (new, old) for a receiver, it is the new consumer reading old data: both are `x` reading `y`.
    const refused = new Set(registry.filter((j) => j.severity === "breaking").map((j) => j.path));
    for (const j of judgePayload(a, b, false, call)) {
      if (j.severity !== "breaking" || refused.has(j.path)) continue;
      const f = toFinding(j, deploy.rule.id, deploy.rule.severity, `${base}#${j.path}`, `${base} (${verb}): ${deploy.who}: ${j.message} [${j.rule}]; ${deploy.step}`);
      f.note = `deploy order: the ${call.direction === "backward" ? "registry's backward" : "registry's forward"} check allows it`;
      out.push(f);
    }
  }
  return out;
}

/**
 * Whether the new version of the application still works with the counterparts built against the
 * old one (`backward`); policy swaps the sides for `forward` and runs both for `full`. Channels and
 * messages are judged from the application's side; payloads as the registry judges their subject, plus
 * the deploy order of the role (`direction` says which call this is, `mode` which directions are enforced).
 */
export async function diffAsyncApi(before: LoadedContract<AsyncApiModel>, after: LoadedContract<AsyncApiModel>, settings: Settings, direction: Call["direction"] = "backward", mode?: string): Promise<Finding[]> {
  const call: Call = { settings, direction, mode };
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
        out.push(...payloadFindings(address, role, om, nm, call));
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
    } else if (!first.operations!.includes(message)) {
      first.operations!.push(message);
      // A deploy-order step names every topic the shared payload travels on.
      if (first.rule === DEPLOY_CONSUMERS_FIRST.id || first.rule === DEPLOY_PRODUCERS_FIRST.id) {
        const topics = [...new Set(first.operations!.map((m) => m.slice(0, m.lastIndexOf("/"))))].join(", ");
        first.message = first.message.replace(/(deploy every (?:consumer|producer) of ).*?( before this)/, `$1${topics}$2`);
      }
    }
  }
  return out;
}
