import type { RecordField, RecordType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const FIELD_ADDED_WITH_DEFAULT = avroRule(
  "FIELD_ADDED_WITH_DEFAULT",
  "safe",
  "The reader's record has a field the writer's record lacks, with a default that readers use.",
  "Data written without the field is read with the default, so nothing fails.",
  "Nothing to do; make sure the default is a value consumers can tell apart from real data.",
  { old: '{"fields":[{"name":"id","type":"string"}]}', new: '{"fields":[{"name":"id","type":"string"},{"name":"canal","type":"string","default":"web"}]}' },
);

export function checkFieldAdded(ctx: CheckContext, reader: RecordType, writer: RecordType, field: RecordField): AvroIssue[] {
  if (!field.hasDefault) return [];
  return [
    ctx.issue(FIELD_ADDED_WITH_DEFAULT, `field '${field.name}' of '${reader.fullName}' is only in the reader's schema; its default ${JSON.stringify(field.default)} is used`, {
      reader: field.loc,
      writer: writer.loc,
    }),
  ];
}
