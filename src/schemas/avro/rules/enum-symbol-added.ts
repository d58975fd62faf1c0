import type { EnumType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const ENUM_SYMBOL_ADDED = avroRule(
  "ENUM_SYMBOL_ADDED",
  "safe",
  "The reader's enum has symbols the writer's enum does not use.",
  "Readers know more symbols than writers produce: nothing fails on this side. The opposite direction (old readers, new data) is what forward compatibility checks.",
  "Nothing to do for this direction; check FORWARD or FULL compatibility if old consumers read new data.",
  { old: '{"symbols":["NUEVO","PAGADO"]}', new: '{"symbols":["NUEVO","PAGADO","ENVIADO"]}' },
);

export function checkEnumAdded(ctx: CheckContext, reader: EnumType, writer: EnumType): AvroIssue[] {
  const written = new Set(writer.symbols);
  const added = reader.symbols.filter((s) => !written.has(s));
  if (!added.length) return [];
  return [ctx.issue(ENUM_SYMBOL_ADDED, `enum '${reader.fullName}': the reader adds ${added.join(", ")}`, { reader: reader.loc, writer: writer.loc })];
}
