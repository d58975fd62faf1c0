import type { LoadedContract } from "../../core/engine.ts";
import type { Finding } from "../../core/finding.ts";
import { diffSchemas } from "../../schemas/jsonschema/diff.ts";
import type { Difference } from "../../schemas/jsonschema/rules/define.ts";
import type { JsonSchemaContract, RootSchema } from "./load.ts";
import { JSONSCHEMA_SCHEMA_ADDED, JSONSCHEMA_SCHEMA_REMOVED } from "./rules.ts";

export function differenceToFinding(d: Difference, lenient: boolean): Finding {
  // Under the registry's lenient policy its extra allowed changes are no longer breaking.
  const severity = lenient && d.rule.lenient && !d.rule.compatible ? "safe" : d.rule.severity;
  const f: Finding = { rule: d.rule.id, severity, path: d.pointer, message: d.message };
  if (d.old) f.old = d.old;
  if (d.new) f.new = d.new;
  if (["TITLE_CHANGED", "DESCRIPTION_CHANGED"].includes(d.rule.id)) f.cosmetic = true;
  if (severity !== d.rule.severity) f.note = "allowed by the lenient policy";
  return f;
}

function pair(before: JsonSchemaContract, after: JsonSchemaContract) {
  if (before.roots.length === 1 && after.roots.length === 1) return { pairs: [[before.roots[0]!, after.roots[0]!]] as Array<[RootSchema, RootSchema]>, removed: [], added: [] };
  const free = new Set(after.roots);
  const pairs: Array<[RootSchema, RootSchema]> = [];
  const removed: RootSchema[] = [];
  for (const b of before.roots) {
    const a = [...free].find((x) => x.relative === b.relative);
    if (a) {
      free.delete(a);
      pairs.push([b, a]);
    } else removed.push(b);
  }
  return { pairs, removed, added: [...free] };
}

/** The registry's BACKWARD check: every document valid under the old schema must be valid under the new. */
export async function diffJsonSchema(before: LoadedContract<JsonSchemaContract>, after: LoadedContract<JsonSchemaContract>, settings: Record<string, unknown>): Promise<Finding[]> {
  const lenient = settings.lenient === true;
  const { pairs, removed, added } = pair(before.model, after.model);
  const out: Finding[] = [];
  for (const [b, a] of pairs) out.push(...diffSchemas(b.set.root, a.set.root, { lenient }).map((d) => differenceToFinding(d, lenient)));
  for (const r of removed)
    out.push({ rule: JSONSCHEMA_SCHEMA_REMOVED.id, severity: JSONSCHEMA_SCHEMA_REMOVED.severity, path: r.relative, message: `schema ${r.file} was removed`, old: r.set.rootDoc.loc(r.set.rootDoc.value) });
  for (const r of added)
    out.push({ rule: JSONSCHEMA_SCHEMA_ADDED.id, severity: JSONSCHEMA_SCHEMA_ADDED.severity, path: r.relative, message: `schema ${r.file} was added`, new: r.set.rootDoc.loc(r.set.rootDoc.value) });
  return out;
}
