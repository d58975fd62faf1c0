import type { RecordField } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const FIELD_RENAMED_WITH_ALIAS = avroRule(
  "FIELD_RENAMED_WITH_ALIAS",
  "safe",
  "A field was renamed and the reader's field keeps the old name in its `aliases`.",
  "Readers match the writer's field through the alias, so data written under the old name is still read.",
  "Nothing to do; keep the alias while data written under the old name may be read.",
  { old: '{"name":"cantidad","type":"int"}', new: '{"name":"unidades","type":"int","aliases":["cantidad"]}' },
);

export function checkFieldRenamed(ctx: CheckContext, reader: RecordField, writer: RecordField): AvroIssue[] {
  if (reader.name === writer.name) return [];
  return [ctx.issue(FIELD_RENAMED_WITH_ALIAS, `field '${writer.name}' renamed to '${reader.name}' (kept as an alias)`, { reader: reader.loc, writer: writer.loc })];
}
