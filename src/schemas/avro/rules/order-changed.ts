import type { EnumType, RecordField, RecordType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const FIELD_ORDER_CHANGED = avroRule(
  "FIELD_ORDER_CHANGED",
  "safe",
  "A record lists the same fields in another order.",
  "Resolution matches fields by name, so data still reads; the binary layout (and the schema's fingerprint) changes, which tools that skip resolution notice.",
  "Nothing to do, unless some consumer decodes without the writer's schema.",
  { old: '{"fields":[{"name":"id","type":"string"},{"name":"total","type":"long"}]}', new: '{"fields":[{"name":"total","type":"long"},{"name":"id","type":"string"}]}' },
);

export const ENUM_SYMBOLS_REORDERED = avroRule(
  "ENUM_SYMBOLS_REORDERED",
  "safe",
  "An enum lists its symbols in another order.",
  "Resolution matches symbols by name; the ordinal written on the wire and the sort order of the values change.",
  "Nothing to do, unless some consumer sorts by the enum or decodes without the writer's schema.",
  { old: '{"symbols":["NUEVO","PAGADO"]}', new: '{"symbols":["PAGADO","NUEVO"]}' },
);

/** Whether the items both lists share appear in another order. */
function reordered<T>(a: T[], b: T[]): boolean {
  const inB = new Set(b);
  const inA = new Set(a);
  const x = a.filter((v) => inB.has(v));
  const y = b.filter((v) => inA.has(v));
  return x.some((v, i) => v !== y[i]);
}

/** `pairs`: the reader's fields with the writer's field each reads, in the reader's order. */
export function checkFieldOrder(ctx: CheckContext, reader: RecordType, writer: RecordType, pairs: Array<[RecordField, RecordField]>): AvroIssue[] {
  const order = pairs.map(([, w]) => writer.fields.indexOf(w));
  if (order.every((v, i) => i === 0 || v > order[i - 1]!)) return [];
  return [ctx.issue(FIELD_ORDER_CHANGED, `fields of '${reader.fullName}' reordered: ${pairs.map(([r]) => r.name).join(", ")}`, { reader: reader.loc, writer: writer.loc })];
}

export function checkSymbolOrder(ctx: CheckContext, reader: EnumType, writer: EnumType): AvroIssue[] {
  if (!reordered(writer.symbols, reader.symbols)) return [];
  return [ctx.issue(ENUM_SYMBOLS_REORDERED, `symbols of enum '${reader.fullName}' reordered: ${reader.symbols.join(", ")}`, { reader: reader.loc, writer: writer.loc })];
}
