import type { EnumType, RecordField } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const DEFAULT_CHANGED = avroRule(
  "DEFAULT_CHANGED",
  "dangerous",
  "A field's default (or an enum's default symbol) changed, was added or was removed.",
  "Resolution still succeeds, but readers fill missing data with a different value than before: the same message means something else to old and new consumers.",
  "Make sure no consumer relies on the old default, or keep it.",
  { old: '{"name":"moneda","type":"string","default":"EUR"}', new: '{"name":"moneda","type":"string","default":"USD"}' },
);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function checkFieldDefault(ctx: CheckContext, reader: RecordField, writer: RecordField): AvroIssue[] {
  if (!reader.hasDefault && !writer.hasDefault) return [];
  if (reader.hasDefault && writer.hasDefault && same(reader.default, writer.default)) return [];
  const show = (f: RecordField) => (f.hasDefault ? JSON.stringify(f.default) : "none");
  return [
    ctx.issue(DEFAULT_CHANGED, `default of field '${reader.name}' changed from ${show(writer)} to ${show(reader)}`, {
      reader: reader.defaultLoc ?? reader.loc,
      writer: writer.defaultLoc ?? writer.loc,
    }),
  ];
}

export function checkEnumDefault(ctx: CheckContext, reader: EnumType, writer: EnumType): AvroIssue[] {
  if (reader.default === writer.default) return [];
  return [
    ctx.issue(DEFAULT_CHANGED, `default symbol of enum '${reader.fullName}' changed from ${writer.default ?? "none"} to ${reader.default ?? "none"}`, {
      reader: reader.loc,
      writer: writer.loc,
    }),
  ];
}
