import { type AvroType, typeKind } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const MISSING_UNION_BRANCH = avroRule(
  "MISSING_UNION_BRANCH",
  "breaking",
  "A type the writer may write (a writer union branch, or the writer's type itself) has no branch of the reader's union that can read it.",
  "Data written with that branch cannot be decoded by the reader: messages carrying it fail.",
  "Keep the branch in the reader's union, or stop writing it first and remove it from readers afterwards.",
  { old: '{"name":"importe","type":["null","long","string"]}', new: '{"name":"importe","type":["null","long"]}' },
);

export function missingBranch(ctx: CheckContext, reader: AvroType, writerBranch: AvroType): AvroIssue {
  return ctx.issue(MISSING_UNION_BRANCH, `reader union lacking writer type: ${typeKind(writerBranch)}`, { reader: reader.loc, writer: writerBranch.loc });
}
