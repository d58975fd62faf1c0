import type { EnumType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const MISSING_ENUM_SYMBOLS = avroRule(
  "MISSING_ENUM_SYMBOLS",
  "breaking",
  "The writer's enum has symbols the reader's enum lacks, and the reader's enum declares no default.",
  "A reader that meets a symbol it does not know, with no enum default to fall back on, fails to decode the whole message.",
  "Keep the symbols, or give the reader's enum a `default` symbol that unknown symbols are read as.",
  { old: '{"type":"enum","name":"Estado","symbols":["NUEVO","PAGADO","ENVIADO"]}', new: '{"type":"enum","name":"Estado","symbols":["NUEVO","PAGADO"]}' },
);

export function missingSymbols(reader: EnumType, writer: EnumType): string[] {
  const known = new Set(reader.symbols);
  return writer.symbols.filter((s) => !known.has(s));
}

export function checkEnumSymbols(ctx: CheckContext, reader: EnumType, writer: EnumType): AvroIssue[] {
  const missing = missingSymbols(reader, writer);
  if (!missing.length || reader.default !== undefined) return [];
  return [ctx.issue(MISSING_ENUM_SYMBOLS, `enum '${writer.fullName}': the reader lacks ${missing.join(", ")}`, { reader: reader.loc, writer: writer.loc })];
}
