import type { NamedType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const NAME_MISMATCH = avroRule(
  "NAME_MISMATCH",
  "breaking",
  "A named type (record, enum or fixed) has a different name in the reader's schema, and no reader alias names the writer's type.",
  "Avro resolves named types by name: a reader cannot decode data whose record, enum or fixed was written under another name, so every consumer of the renamed type fails.",
  "Keep the old name, or add the old full name to the type's `aliases` in the reader's schema.",
  { old: '{"type":"record","name":"Pedido",...}', new: '{"type":"record","name":"Orden",...}' },
);

/**
 * Names match when the unqualified names are equal (the specification since 1.10 and Java's checker)
 * or a reader alias names the writer's full name.
 */
export function checkName(ctx: CheckContext, reader: NamedType, writer: NamedType): AvroIssue[] {
  if (reader.name === writer.name || reader.aliases.includes(writer.fullName)) return [];
  return [ctx.issue(NAME_MISMATCH, `expected: ${writer.fullName} (the reader's ${reader.type} is named ${reader.fullName})`, { reader: reader.loc, writer: writer.loc })];
}
