import { validDefault } from "../parse.ts";
import type { RecordField } from "../model.ts";
import { type AvroIssue, avroRule, type CheckContext } from "./define.ts";

export const UNION_DEFAULT_NOT_FIRST_BRANCH = avroRule(
  "UNION_DEFAULT_NOT_FIRST_BRANCH",
  "dangerous",
  "A union field's default matches a branch other than the first.",
  "Avro 1.12 accepts a union default of any branch, but avsc 5.7.9, the Java library before 1.12 and schema registries running it refuse the schema (the specification until 1.11: a union's default is of its first branch), so producers or registration on those versions fail.",
  "Put the default's branch first in the union (\"null\" first for a null default), or check that every producer, consumer and the registry run Avro 1.12 or later.",
  { old: '{"name":"canal","type":["null","string"],"default":null}', new: '{"name":"canal","type":["null","string"],"default":"web"}' },
);

function notFirst(f: RecordField): boolean {
  return f.hasDefault && f.type.type === "union" && f.type.branches.length > 0 && !validDefault(f.type.branches[0]!, f.default);
}

/**
 * `field` is the new version's field, `old` the old version's (absent for a new field); the default is
 * reported when it appears, not again at every later change.
 */
export function checkUnionDefault(ctx: CheckContext, field: RecordField, old: RecordField | undefined, newIsReader: boolean): AvroIssue[] {
  if (!notFirst(field)) return [];
  if (old && notFirst(old) && JSON.stringify(old.default) === JSON.stringify(field.default)) return [];
  const first = (field.type as { branches: Array<{ type: string }> }).branches[0]!;
  const here = field.defaultLoc ?? field.loc;
  const there = old ? (old.defaultLoc ?? old.loc) : undefined;
  const at = newIsReader ? { reader: here, ...(there ? { writer: there } : {}) } : { writer: here, ...(there ? { reader: there } : {}) };
  return [
    ctx.issue(
      UNION_DEFAULT_NOT_FIRST_BRANCH,
      `default ${JSON.stringify(field.default)} of field '${field.name}' is not of the union's first branch (${first.type}): Avro 1.12 accepts it, avsc 5.7.9, Java 1.11 and registries on 1.11 refuse it`,
      at,
    ),
  ];
}
