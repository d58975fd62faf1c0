import type { RecordField, RecordType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const FIELD_NOT_READ = avroRule(
  "FIELD_NOT_READ",
  "safe",
  "The writer's record has a field the reader's record does not declare; readers skip it.",
  "Readers on this schema ignore the field's data. Consumers still on a schema with the field need it to have a default when new data lacks it, which forward compatibility checks.",
  "Nothing to do for this direction; a field that is removed should have had a default, so that old readers keep working (FORWARD).",
  { old: '{"fields":[{"name":"id","type":"string"},{"name":"nota","type":"string","default":""}]}', new: '{"fields":[{"name":"id","type":"string"}]}' },
);

export function checkFieldNotRead(ctx: CheckContext, reader: RecordType, field: RecordField): AvroIssue[] {
  return [ctx.issue(FIELD_NOT_READ, `field '${field.name}' is written but not in the reader's '${reader.fullName}'`, { reader: reader.loc, writer: field.loc })];
}
