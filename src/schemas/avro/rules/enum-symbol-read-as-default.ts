import type { EnumType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";
import { missingSymbols } from "./missing-enum-symbols.ts";

export const ENUM_SYMBOL_READ_AS_DEFAULT = avroRule(
  "ENUM_SYMBOL_READ_AS_DEFAULT",
  "dangerous",
  "The writer's enum has symbols the reader's enum lacks; the reader will read them as its enum default.",
  "Decoding succeeds, but the value changes meaning silently: a consumer sees the default symbol where the producer wrote another one.",
  "Make sure consumers treat the default symbol as 'unknown', or add the symbol to the reader's enum.",
  { old: '{"symbols":["NUEVO","PAGADO","REEMBOLSADO"],"default":"NUEVO"}', new: '{"symbols":["NUEVO","PAGADO"],"default":"NUEVO"}' },
);

export function checkEnumDefaultMapping(ctx: CheckContext, reader: EnumType, writer: EnumType): AvroIssue[] {
  const missing = missingSymbols(reader, writer);
  if (!missing.length || reader.default === undefined) return [];
  return [
    ctx.issue(ENUM_SYMBOL_READ_AS_DEFAULT, `enum '${writer.fullName}': ${missing.join(", ")} will be read as ${reader.default}`, {
      reader: reader.loc,
      writer: writer.loc,
    }),
  ];
}
