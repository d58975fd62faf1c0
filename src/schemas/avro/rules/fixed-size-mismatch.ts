import type { FixedType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const FIXED_SIZE_MISMATCH = avroRule(
  "FIXED_SIZE_MISMATCH",
  "breaking",
  "A fixed type has a different size in the reader's schema than in the writer's.",
  "A fixed value is exactly `size` bytes on the wire with no length prefix: a reader expecting another size misreads every following byte.",
  "Keep the size, or introduce a new fixed type (with a new field) and migrate consumers to it.",
  { old: '{"type":"fixed","name":"Hash","size":16}', new: '{"type":"fixed","name":"Hash","size":32}' },
);

export function checkFixedSize(ctx: CheckContext, reader: FixedType, writer: FixedType): AvroIssue[] {
  if (reader.size === writer.size) return [];
  return [ctx.issue(FIXED_SIZE_MISMATCH, `expected: ${writer.size}, found: ${reader.size} (fixed '${writer.fullName}')`, { reader: reader.loc, writer: writer.loc })];
}
