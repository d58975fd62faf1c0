import type { RecordField, RecordType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const READER_FIELD_MISSING_DEFAULT_VALUE = avroRule(
  "READER_FIELD_MISSING_DEFAULT_VALUE",
  "breaking",
  "The reader's record has a field the writer's record lacks (by name and by the field's aliases), and the field has no default.",
  "Data written without the field cannot fill it: a reader with no default to use fails on every message.",
  "Give the new field a `default` (for an optional value, a union with \"null\" first and `\"default\": null`).",
  { old: '{"fields":[{"name":"id","type":"string"}]}', new: '{"fields":[{"name":"id","type":"string"},{"name":"canal","type":"string"}]}' },
);

export function checkFieldMissing(ctx: CheckContext, reader: RecordType, writer: RecordType, field: RecordField): AvroIssue[] {
  if (field.hasDefault) return [];
  return [
    ctx.issue(READER_FIELD_MISSING_DEFAULT_VALUE, `field '${field.name}' of '${reader.fullName}' is not written and has no default`, {
      reader: field.loc,
      writer: writer.loc,
    }),
  ];
}
