import type { LoadedContract } from "../../core/engine.ts";
import type { Finding } from "../../core/finding.ts";
import type { Interaction, PactModel } from "./model.ts";
import { INTERACTION_ADDED, INTERACTION_CHANGED, INTERACTION_REMOVED } from "./rules.ts";

/** Interactions by `consumer → provider` and key: the same interaction in two versions, whatever file holds it. */
function byKey(model: PactModel): Map<string, Interaction> {
  const out = new Map<string, Interaction>();
  for (const p of model.pacts) for (const i of p.interactions) out.set(`${p.consumer} → ${p.provider}: ${i.key}`, i);
  return out;
}

const what = (i: Interaction) => (i.type === "message" ? "message" : `${i.request!.method.toUpperCase()} ${i.request!.path}`);

/** A pact's own history: interactions added, removed or changed (facts; the provider check judges them). */
export async function diffPact(before: LoadedContract<PactModel>, after: LoadedContract<PactModel>): Promise<Finding[]> {
  const old = byKey(before.model);
  const cur = byKey(after.model);
  const out: Finding[] = [];
  for (const [k, i] of old) {
    const now = cur.get(k);
    if (!now) out.push({ rule: INTERACTION_REMOVED.id, severity: "safe", path: k, message: `interaction '${i.key}' (${what(i)}) removed`, old: i.loc });
    else if (now.fingerprint !== i.fingerprint) {
      out.push({ rule: INTERACTION_CHANGED.id, severity: "safe", path: k, message: `interaction '${i.key}' (${what(now)}) changed`, old: i.loc, new: now.loc });
    }
  }
  for (const [k, i] of cur) {
    if (!old.has(k)) out.push({ rule: INTERACTION_ADDED.id, severity: "safe", path: k, message: `interaction '${i.key}' (${what(i)}) added`, new: i.loc });
  }
  return out;
}
