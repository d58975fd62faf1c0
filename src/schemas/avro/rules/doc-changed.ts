import type { Location } from "../../../core/location.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const DOC_CHANGED = avroRule(
  "DOC_CHANGED",
  "safe",
  "The `doc` of a type or field changed.",
  "Documentation has no effect on encoding or resolution.",
  "Nothing to do.",
  { old: '{"name":"total","type":"long","doc":"Total"}', new: '{"name":"total","type":"long","doc":"Total en céntimos"}' },
);

export function checkDoc(ctx: CheckContext, what: string, reader: { doc?: string; loc: Location }, writer: { doc?: string; loc: Location }): AvroIssue[] {
  if ((reader.doc ?? "") === (writer.doc ?? "")) return [];
  return [ctx.issue(DOC_CHANGED, `doc of ${what} changed`, { reader: reader.loc, writer: writer.loc }, true)];
}
