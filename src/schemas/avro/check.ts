import { ContractError } from "../../core/errors.ts";
import type { AvroType, NamedType, RecordField, RecordType } from "./model.ts";
import { checkEnumDefault, checkFieldDefault } from "./rules/default-changed.ts";
import { type AvroIssue, breaks, type CheckContext } from "./rules/define.ts";
import { checkDoc } from "./rules/doc-changed.ts";
import { checkEnumAdded } from "./rules/enum-symbol-added.ts";
import { checkEnumDefaultMapping } from "./rules/enum-symbol-read-as-default.ts";
import { checkFieldAdded } from "./rules/field-added-with-default.ts";
import { checkFieldNotRead } from "./rules/field-removed.ts";
import { checkFieldRenamed } from "./rules/field-renamed.ts";
import { checkFixedSize } from "./rules/fixed-size-mismatch.ts";
import { checkLogicalType } from "./rules/logical-type-changed.ts";
import { checkEnumSymbols } from "./rules/missing-enum-symbols.ts";
import { missingBranch } from "./rules/missing-union-branch.ts";
import { checkName } from "./rules/name-mismatch.ts";
import { checkNamespace } from "./rules/namespace-changed.ts";
import { checkFieldMissing } from "./rules/reader-field-missing-default.ts";
import { promotes, typeMismatch } from "./rules/type-mismatch.ts";
import { typePromoted } from "./rules/type-promoted.ts";
import { checkRenamed } from "./rules/type-renamed.ts";
import { canonicalForm } from "./canonical.ts";
import { CANONICAL_FORM_CHANGED } from "./rules/canonical-form-changed.ts";
import { checkFieldOrder, checkSymbolOrder } from "./rules/order-changed.ts";
import { checkUnionDefault } from "./rules/union-default.ts";
import { checkUnionWidened, UNION_BRANCH_ADDED } from "./rules/union-branch-added.ts";

/** Verdicts of judged pairs; shared across the schemas of one contract, a shared type is judged once. */
export type AvroMemo = Map<AvroType, Map<AvroType, AvroIssue[]>>;

/** Pairs judged in one comparison; beyond this the inputs are hostile, not schemas. */
const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 1000;

/**
 * Judges whether data written with `writer` can be read with `reader`, following the specification's
 * schema resolution and the Java `SchemaCompatibility` checker: every incompatibility it would report,
 * plus the changes a reviewer should see. `root` names the top-level element in paths.
 *
 * Each (reader, writer) pair is judged once; a named type met again (or recursively) reuses that
 * verdict, so a change in a shared type is one finding at its first use.
 */
export function checkAvro(reader: AvroType, writer: AvroType, root: string, memo: AvroMemo = new Map(), opts: CheckOptions = {}): AvroIssue[] {
  const newSide = opts.newSide ?? "reader";
  let steps = 0;
  let depth = 0;

  const judge = (r: AvroType, w: AvroType, path: string): AvroIssue[] => {
    let byWriter = memo.get(r);
    if (!byWriter) memo.set(r, (byWriter = new Map()));
    const known = byWriter.get(w);
    if (known) return known;
    if (++steps > MAX_STEPS) throw new ContractError("schemas too large to compare: more than 2,000,000 type pairs", r.loc);
    // Named types used across files can chain deeper than any one document nests.
    if (depth >= MAX_DEPTH) throw new ContractError(`schemas nested more than ${MAX_DEPTH} levels deep`, r.loc);
    // A recursive type meets itself while in progress: compatible until shown otherwise, as in Java.
    const result: AvroIssue[] = [];
    byWriter.set(w, result);
    depth++;
    try {
      result.push(...judgeNew(r, w, context(path), newSide));
    } finally {
      depth--;
    }
    return result;
  };

  const context = (path: string): CheckContext => ({
    path,
    issue: (rule, message, at, cosmetic) => ({ rule, path, message, ...at, ...(cosmetic ? { cosmetic } : {}) }),
    check: (r, w, step = "") => judge(r, w, path + step),
    at: (step) => context(path + step),
  });

  const issues = dedupe(judge(reader, writer, root));
  // Every change of the canonical form is a finding, even one no rule names.
  if (!issues.length && canonicalForm(reader) !== canonicalForm(writer)) {
    issues.push({ rule: CANONICAL_FORM_CHANGED, path: root, message: `the parsing canonical form of '${root}' changed`, reader: reader.loc, writer: writer.loc });
  }
  return issues;
}

export interface CheckOptions {
  /**
   * Which side is the newer version: the reader (a BACKWARD check, the default), the writer (FORWARD), or
   * neither. Facts about the new schema itself (a union default only Avro 1.12 reads) are reported on that
   * side only, so a FULL check reports them once.
   */
  newSide?: "reader" | "writer" | "none";
}

function judgeNew(r: AvroType, w: AvroType, ctx: CheckContext, newSide: CheckOptions["newSide"]): AvroIssue[] {
  if (w.type === "union") {
    // Every branch the writer may use must be readable.
    const out: AvroIssue[] = [];
    for (const branch of w.branches) {
      // A reader union read against one writer branch is not a widening: the unions compare below.
      const got = ctx.check(r, branch).filter((i) => !(i.rule === UNION_BRANCH_ADDED && i.path === ctx.path));
      // Java reports a missing branch against a reader union, and the branch's own problems otherwise.
      if (breaks(got) && r.type === "union") out.push(missingBranch(ctx, r, branch));
      else out.push(...got);
    }
    if (r.type === "union") out.push(...checkUnionWidened(ctx, r, w));
    return out;
  }
  if (r.type === "union") {
    // The reader picks its first branch that reads the writer's type.
    for (const branch of r.branches) {
      const got = ctx.check(branch, w);
      if (!breaks(got)) return [...got, ...checkUnionWidened(ctx, r, w)];
    }
    return [missingBranch(ctx, r, w)];
  }
  if (r.type !== w.type) {
    if (!promotes(r, w)) return [typeMismatch(ctx, r, w)];
    return [typePromoted(ctx, r, w), ...checkLogicalType(ctx, r, w)];
  }
  switch (r.type) {
    case "array":
      return ctx.check(r.items, (w as typeof r).items, "[]");
    case "map":
      return ctx.check(r.values, (w as typeof r).values, "{}");
    case "fixed": {
      const wf = w as typeof r;
      return [...named(ctx, r, wf), ...checkFixedSize(ctx, r, wf), ...checkLogicalType(ctx, r, wf)];
    }
    case "enum": {
      const we = w as typeof r;
      return [
        ...named(ctx, r, we),
        ...checkEnumSymbols(ctx, r, we),
        ...checkEnumDefaultMapping(ctx, r, we),
        ...checkEnumAdded(ctx, r, we),
        ...checkSymbolOrder(ctx, r, we),
        ...checkEnumDefault(ctx, r, we),
        ...checkDoc(ctx, `enum '${r.fullName}'`, r, we),
      ];
    }
    case "record":
      return [...named(ctx, r, w as RecordType), ...checkDoc(ctx, `record '${r.fullName}'`, r, w as RecordType), ...fields(ctx, r, w as RecordType, newSide)];
    default:
      return checkLogicalType(ctx, r, w);
  }
}

function named(ctx: CheckContext, r: NamedType, w: NamedType): AvroIssue[] {
  return [...checkName(ctx, r, w), ...checkNamespace(ctx, r, w), ...checkRenamed(ctx, r, w)];
}

/** Each record's fields by name, built once: a search per field costs the square of a large record. */
const fieldIndex = new WeakMap<RecordType, Map<string, RecordField>>();

/** The writer's field a reader field reads: same name, else one of the reader field's aliases. */
function writerField(writer: RecordType, field: RecordField): RecordField | undefined {
  let byName = fieldIndex.get(writer);
  if (!byName) {
    byName = new Map();
    // The first field of a name wins, as a search in order would find it.
    for (const f of writer.fields) if (!byName.has(f.name)) byName.set(f.name, f);
    fieldIndex.set(writer, byName);
  }
  const direct = byName.get(field.name);
  if (direct) return direct;
  for (const a of field.aliases) {
    const f = byName.get(a);
    if (f) return f;
  }
  return undefined;
}

function fields(ctx: CheckContext, reader: RecordType, writer: RecordType, newSide: CheckOptions["newSide"]): AvroIssue[] {
  const out: AvroIssue[] = [];
  const read = new Set<RecordField>();
  const pairs: Array<[RecordField, RecordField]> = [];
  for (const rf of reader.fields) {
    const wf = writerField(writer, rf);
    const step = `.${rf.name}`;
    const fctx = ctx.at(step);
    if (!wf) {
      out.push(...checkFieldMissing(fctx, reader, writer, rf), ...checkFieldAdded(fctx, reader, writer, rf));
      if (newSide === "reader") out.push(...checkUnionDefault(fctx, rf, undefined, true));
      continue;
    }
    read.add(wf);
    pairs.push([rf, wf]);
    out.push(...ctx.check(rf.type, wf.type, step), ...checkFieldRenamed(fctx, rf, wf), ...checkFieldDefault(fctx, rf, wf), ...checkDoc(fctx, `field '${rf.name}'`, rf, wf));
    if (newSide === "reader") out.push(...checkUnionDefault(fctx, rf, wf, true));
    else if (newSide === "writer") out.push(...checkUnionDefault(fctx, wf, rf, false));
  }
  for (const wf of writer.fields) {
    if (read.has(wf)) continue;
    out.push(...checkFieldNotRead(ctx.at(`.${wf.name}`), reader, wf));
    if (newSide === "writer") out.push(...checkUnionDefault(ctx.at(`.${wf.name}`), wf, undefined, false));
  }
  out.push(...checkFieldOrder(ctx, reader, writer, pairs));
  return out;
}

/** A shared type judged once may be reached along several paths; keep each issue once. */
function dedupe(issues: AvroIssue[]): AvroIssue[] {
  return [...new Set(issues)];
}

/** Whether `reader` can read everything `writer` writes. */
export function compatible(reader: AvroType, writer: AvroType): boolean {
  return !breaks(checkAvro(reader, writer, ""));
}
