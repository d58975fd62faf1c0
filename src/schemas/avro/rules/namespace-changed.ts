import type { NamedType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const NAMESPACE_CHANGED = avroRule(
  "NAMESPACE_CHANGED",
  "dangerous",
  "A named type keeps its name but moves to another namespace.",
  "Avro resolution accepts it (names are matched unqualified), but generated classes move to another package and tools that match full names, such as avsc, refuse the pair.",
  "Keep the namespace, or add the old full name to the type's `aliases` and update code generated from the schema.",
  { old: '{"type":"record","name":"Pedido","namespace":"com.acme"}', new: '{"type":"record","name":"Pedido","namespace":"com.acme.v2"}' },
);

export function checkNamespace(ctx: CheckContext, reader: NamedType, writer: NamedType): AvroIssue[] {
  if (reader.name !== writer.name || reader.namespace === writer.namespace) return [];
  return [
    ctx.issue(NAMESPACE_CHANGED, `${writer.type} '${writer.name}' moved from namespace '${writer.namespace}' to '${reader.namespace}'`, {
      reader: reader.loc,
      writer: writer.loc,
    }),
  ];
}
