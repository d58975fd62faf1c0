import { type AvroType, typeKind, typeLabel } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const TYPE_MISMATCH = avroRule(
  "TYPE_MISMATCH",
  "breaking",
  "The reader's type cannot read the writer's type: they differ and no Avro promotion leads from one to the other.",
  "Avro data carries no type tags: a reader decodes the bytes as its own type, so a consumer on the other type fails or misreads every value.",
  "Keep the type, use a promotion the reader accepts (int → long → float → double, string ↔ bytes), or add a new field of the new type.",
  { old: '{"name":"cantidad","type":"long"}', new: '{"name":"cantidad","type":"int"}' },
);

/** What each reader primitive can read besides itself (specification, "Schema Resolution"). */
export const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ["int"],
  float: ["int", "long"],
  double: ["int", "long", "float"],
  bytes: ["string"],
  string: ["bytes"],
};

export function promotes(reader: AvroType, writer: AvroType): boolean {
  return Object.hasOwn(PROMOTIONS, reader.type) && PROMOTIONS[reader.type]!.includes(writer.type);
}

export function typeMismatch(ctx: CheckContext, reader: AvroType, writer: AvroType): AvroIssue {
  return ctx.issue(
    TYPE_MISMATCH,
    `reader type: ${typeKind(reader)} not compatible with writer type: ${typeKind(writer)} (${typeLabel(writer)} → ${typeLabel(reader)})`,
    { reader: reader.loc, writer: writer.loc },
  );
}
