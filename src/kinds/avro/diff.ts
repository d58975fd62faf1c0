import type { Finding } from "../../core/finding.ts";
import type { LoadedContract } from "../../core/engine.ts";
import { type AvroMemo, checkAvro } from "../../schemas/avro/check.ts";
import { type AvroSchemaFile, type AvroType, isNamed } from "../../schemas/avro/model.ts";
import type { AvroIssue } from "../../schemas/avro/rules/define.ts";
import { SCHEMA_ADDED, SCHEMA_REMOVED } from "./rules.ts";
import { newSideOf } from "../../schemas/modes.ts";
import type { AvroContract } from "./load.ts";

/** Name of a top-level schema in paths: a named type's unqualified name, else its Avro type. */
export function rootName(s: AvroSchemaFile): string {
  return isNamed(s.root) ? s.root.name : s.root.type;
}

/** Pairs the top-level schemas of two versions: same file, else same full name of the top-level type. */
function pair(before: AvroContract, after: AvroContract) {
  const key = (c: AvroContract, s: AvroSchemaFile) => c.relative.get(s.file) ?? s.file;
  const full = (s: AvroSchemaFile) => (isNamed(s.root) ? s.root.fullName : undefined);
  const pairs: Array<[AvroSchemaFile, AvroSchemaFile]> = [];
  const removed: AvroSchemaFile[] = [];
  const free = new Set(after.schemas);
  // One file on each side is the same schema whatever the files are called (`comms diff a.avsc b.avsc`).
  if (before.schemas.length === 1 && after.schemas.length === 1) return { pairs: [[before.schemas[0]!, after.schemas[0]!]] as Array<[AvroSchemaFile, AvroSchemaFile]>, removed, added: [] };
  for (const b of before.schemas) {
    const match =
      [...free].find((a) => key(after, a) === key(before, b)) ?? [...free].find((a) => full(a) !== undefined && full(a) === full(b));
    if (match) {
      free.delete(match);
      pairs.push([b, match]);
    } else removed.push(b);
  }
  return { pairs, removed, added: [...free] };
}

/** Top-level types that another top-level schema reaches. */
function usedByOthers(schemas: AvroSchemaFile[]): Set<AvroType> {
  const roots = new Set(schemas.map((s) => s.root));
  const used = new Set<AvroType>();
  for (const s of schemas) {
    const seen = new Set<AvroType>();
    const walk = (t: AvroType): void => {
      if (seen.has(t)) return;
      seen.add(t);
      if (t !== s.root && roots.has(t)) used.add(t);
      if (t.type === "record") for (const f of t.fields) walk(f.type);
      else if (t.type === "array") walk(t.items);
      else if (t.type === "map") walk(t.values);
      else if (t.type === "union") t.branches.forEach(walk);
    };
    walk(s.root);
  }
  return used;
}

export function issueToFinding(i: AvroIssue): Finding {
  const f: Finding = { rule: i.rule.id, severity: i.rule.severity, path: i.path, message: i.message };
  if (i.writer) f.old = i.writer;
  if (i.reader) f.new = i.reader;
  if (i.cosmetic) f.cosmetic = true;
  return f;
}

/**
 * The schema-registry view of one direction: consumers on `after` read data written with `before`
 * (BACKWARD). Policy runs the same call with the sides swapped for FORWARD, and both for FULL.
 */
export async function diffAvro(before: LoadedContract<AvroContract>, after: LoadedContract<AvroContract>, call: { direction?: "backward" | "forward"; mode?: string } = {}): Promise<Finding[]> {
  const newSide = newSideOf(call.direction, call.mode);
  const { pairs, removed, added } = pair(before.model, after.model);
  const out: Finding[] = [];
  // Schemas other schemas use come last, and the verdicts are shared: a change in a type used by
  // another schema of the directory is one finding, at its first use from the using schema.
  const used = usedByOthers(before.model.schemas);
  const ordered = [...pairs.filter(([w]) => !used.has(w.root)), ...pairs.filter(([w]) => used.has(w.root))];
  const memo: AvroMemo = new Map();
  const seen = new Map<AvroIssue, { finding: Finding; affects: string[] }>();
  for (const [w, r] of ordered) {
    // The schemas (subjects) a change reaches: a shared named type lists every record that uses it.
    const affected = used.has(w.root) ? undefined : `${rootName(w)} (${before.model.relative.get(w.file) ?? w.file})`;
    for (const issue of checkAvro(r.root, w.root, rootName(w), memo, { newSide })) {
      const known = seen.get(issue);
      if (known) {
        if (affected && !known.affects.includes(affected)) known.affects.push(affected);
        continue;
      }
      const finding = issueToFinding(issue);
      seen.set(issue, { finding, affects: affected ? [affected] : [] });
      out.push(finding);
    }
  }
  for (const { finding, affects } of seen.values()) if (affects.length > 1) finding.operations = affects;
  for (const s of removed)
    out.push({ rule: SCHEMA_REMOVED.id, severity: SCHEMA_REMOVED.severity, path: rootName(s), message: `schema '${rootName(s)}' (${s.file}) was removed`, old: s.root.loc });
  for (const s of added)
    out.push({ rule: SCHEMA_ADDED.id, severity: SCHEMA_ADDED.severity, path: rootName(s), message: `schema '${rootName(s)}' (${s.file}) was added`, new: s.root.loc });
  return out;
}
