import type { AvroType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const LOGICAL_TYPE_CHANGED = avroRule(
  "LOGICAL_TYPE_CHANGED",
  "dangerous",
  "The logical type (or a decimal's precision or scale) changed while the underlying type still resolves.",
  "Avro does not compare logical types: timestamp-millis read as timestamp-micros decodes fine but is off by a factor of 1,000; a decimal read with another scale changes its value.",
  "Add a new field with the new logical type and migrate consumers, or keep the logical type.",
  { old: '{"type":"long","logicalType":"timestamp-millis"}', new: '{"type":"long","logicalType":"timestamp-micros"}' },
);

function describe(t: AvroType): string {
  if (!t.logicalType) return "none";
  const l = t.logical;
  return l && (l.precision !== undefined || l.scale !== undefined) ? `${t.logicalType}(${l.precision ?? ""},${l.scale ?? 0})` : t.logicalType;
}

export function checkLogicalType(ctx: CheckContext, reader: AvroType, writer: AvroType): AvroIssue[] {
  const r = describe(reader);
  const w = describe(writer);
  if (r === w) return [];
  return [ctx.issue(LOGICAL_TYPE_CHANGED, `logical type changed from ${w} to ${r}`, { reader: reader.loc, writer: writer.loc })];
}
