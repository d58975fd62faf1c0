import type { AvroType } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const TYPE_PROMOTED = avroRule(
  "TYPE_PROMOTED",
  "safe",
  "The reader's type is a promotion of the writer's (int → long → float → double, string ↔ bytes).",
  "Readers convert the written values; nothing fails in this direction. The reverse (narrowing) is a TYPE_MISMATCH for old readers.",
  "Nothing to do for this direction; check FORWARD or FULL compatibility if old consumers read new data.",
  { old: '{"name":"cantidad","type":"int"}', new: '{"name":"cantidad","type":"long"}' },
);

export function typePromoted(ctx: CheckContext, reader: AvroType, writer: AvroType): AvroIssue {
  return ctx.issue(TYPE_PROMOTED, `${writer.type} is read as ${reader.type}`, { reader: reader.loc, writer: writer.loc });
}
