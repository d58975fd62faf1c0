import type { NamedType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const TYPE_RENAMED_WITH_ALIAS = avroRule(
  "TYPE_RENAMED_WITH_ALIAS",
  "safe",
  "A named type was renamed and the reader's schema keeps the old name as an alias.",
  "Readers still resolve data written under the old name through the alias; only generated code sees the new name.",
  "Nothing to do; keep the alias for as long as data written under the old name may be read.",
  { old: '{"type":"record","name":"Pedido"}', new: '{"type":"record","name":"Orden","aliases":["Pedido"]}' },
);

export function checkRenamed(ctx: CheckContext, reader: NamedType, writer: NamedType): AvroIssue[] {
  if (reader.name === writer.name || !reader.aliases.includes(writer.fullName)) return [];
  return [ctx.issue(TYPE_RENAMED_WITH_ALIAS, `${writer.type} '${writer.fullName}' renamed to '${reader.fullName}' (kept as an alias)`, { reader: reader.loc, writer: writer.loc })];
}
