import { branchKey } from "../canonical.ts";
import { type AvroType, typeLabel, type UnionType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const UNION_BRANCH_ADDED = avroRule(
  "UNION_BRANCH_ADDED",
  "safe",
  "The reader's type is a union with branches the writer's type does not have (a field widened into a union, or made nullable).",
  "Readers on the new schema read every value written before. The opposite direction fails: consumers on the old schema cannot read a value written with the new branch (FORWARD and FULL report it as a missing branch or a type mismatch).",
  "Nothing to do under backward; deploy every consumer before a producer writes the new branch.",
  { old: '{"name":"telefono","type":"string"}', new: '{"name":"telefono","type":["null","string"],"default":null}' },
);

export const UNION_BRANCHES_REORDERED = avroRule(
  "UNION_BRANCHES_REORDERED",
  "safe",
  "A union lists the same branches in another order.",
  "Resolution matches branches by type, so data still reads; the branch a field's default must match (the first) and the branch index written on the wire change.",
  "Nothing to do; check that field defaults still match the first branch.",
  { old: '["null","string"]', new: '["string","null"]' },
);

/** What a reader union adds to the writer's type (a union, or a single type widened into one). */
export function checkUnionWidened(ctx: CheckContext, reader: UnionType, writer: AvroType): AvroIssue[] {
  const written = writer.type === "union" ? writer.branches : [writer];
  const keys = new Set(written.map(branchKey));
  const added = reader.branches.filter((b) => !keys.has(branchKey(b)));
  const at = { reader: reader.loc, writer: writer.loc };
  if (added.length) {
    const what = writer.type === "union" ? `union ${typeLabel(writer)} gained ${added.map(typeLabel).join(", ")}` : `${typeLabel(writer)} widened into the union ${typeLabel(reader)}`;
    return [ctx.issue(UNION_BRANCH_ADDED, what, at)];
  }
  if (writer.type === "union" && written.length === reader.branches.length && written.some((b, i) => branchKey(b) !== branchKey(reader.branches[i]!))) {
    return [ctx.issue(UNION_BRANCHES_REORDERED, `union ${typeLabel(writer)} reordered as ${typeLabel(reader)}`, at)];
  }
  return [];
}
