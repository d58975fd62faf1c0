import { isMap, isSeq, parseDocument, YAMLSeq } from "yaml";
import { ConfigError } from "../core/errors.ts";
import type { AcceptEntry } from "./config.ts";

/** The reason written by `check --accept` until a reviewer replaces it. */
export const PLACEHOLDER_REASON = "TODO: why this break is acceptable";

/**
 * Appends entries to `policy.accept` of comms.yaml text, keeping everything else (comments, order,
 * quoting) as it was. Entries already present (same contract, rule and path) are not repeated.
 */
export function addAcceptEntries(text: string, entries: AcceptEntry[], displayFile = "comms.yaml"): { text: string; added: AcceptEntry[] } {
  // Read after parseConfig, which refused repeated keys (the library's own check is quadratic).
  const doc = parseDocument(text, { logLevel: "error", uniqueKeys: false });
  if (doc.errors.length) throw new ConfigError(`${displayFile}: cannot edit: ${doc.errors[0]!.message.split("\n")[0]}`);
  let seq = doc.getIn(["policy", "accept"], true);
  if (seq !== undefined && !isSeq(seq)) throw new ConfigError(`${displayFile}: policy.accept is not a list`);
  const policy = doc.get("policy", true);
  if (policy !== undefined && policy !== null && !isMap(policy)) throw new ConfigError(`${displayFile}: policy is not a mapping`);
  const existing = seq ? (seq.toJSON() as Array<Partial<AcceptEntry>>) : [];
  const added: AcceptEntry[] = [];
  for (const e of entries) {
    const dup = [...existing, ...added].some((x) => x?.contract === e.contract && x?.rule === e.rule && x?.path === e.path);
    if (dup) continue;
    added.push(e);
  }
  if (!added.length) return { text, added };
  if (!seq) {
    seq = new YAMLSeq();
    doc.setIn(["policy", "accept"], seq);
  }
  for (const e of added) {
    const node = doc.createNode(Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)));
    node.flow = true;
    (seq as YAMLSeq).items.push(node);
  }
  return { text: doc.toString({ lineWidth: 0 }), added };
}
