import { defaultJsonName } from "../link.ts";
import { option, type EnumValue } from "../model.ts";
import { at, eachEnumPair, eachFieldPair, fieldKind, q, type ProtoRule } from "./context.ts";

/**
 * Not a buf rule: when a field (or enum value) keeps its number and type but changes its name, buf
 * reports FIELD_SAME_NAME (and FIELD_SAME_JSON_NAME); this adds one finding that names it a rename
 * and says which categories it breaks, next to buf's findings. It is safe: a hint restates a change
 * those findings already judge, so it must not fail `--fail-on dangerous` once they are accepted.
 */
const renameHint: ProtoRule = {
  id: "FIELD_RENAMED_HINT",
  categories: [],
  severity: "safe",
  summary: "A field or enum value kept its number and type but changed its name (a rename).",
  why: "A rename is wire-compatible (WIRE) but breaks generated code (FILE, PACKAGE) and, unless json_name is kept, JSON (WIRE_JSON). This finding is only a hint that explains the rename: the break itself is judged by FIELD_SAME_NAME, FIELD_SAME_JSON_NAME or ENUM_VALUE_SAME_NAME next to it, so the hint is rated safe and never fails a check on its own, not even with --fail-on dangerous.",
  check(ctx) {
    eachFieldPair(ctx, (f, pf) => {
      if (f.extendee !== undefined || f.name === pf.name) return;
      if (fieldKind(f) !== fieldKind(pf) || f.typeName !== pf.typeName) return;
      const json = (x: typeof f) => option(x.options, "json_name")?.value.text ?? defaultJsonName(x.name);
      const jsonKept = json(f) === json(pf);
      const breaks = jsonKept ? "FILE, PACKAGE" : "FILE, PACKAGE, WIRE_JSON";
      ctx.report({
        path: f.fullName,
        message: `Field "${f.number}" on message ${q(f.parent?.name ?? "")} was renamed from ${q(pf.name)} to ${q(f.name)}: breaks ${breaks}; wire-compatible (WIRE)${jsonKept ? " and JSON-compatible (json_name kept)" : ""}.`,
        at: at(f.file, f.nameSpan),
        old: at(pf.file, pf.nameSpan),
      });
    });
    eachEnumPair(ctx, (e, pe) => {
      const byNumber = new Map<number, EnumValue>();
      for (const v of e.values) if (!byNumber.has(v.number)) byNumber.set(v.number, v);
      const names = new Set(e.values.map((v) => v.name));
      for (const pv of pe.values) {
        const v = byNumber.get(pv.number);
        if (!v || v.name === pv.name || names.has(pv.name)) continue;
        ctx.report({
          path: `${e.fullName}.${v.name}`,
          message: `Enum value "${v.number}" on enum ${q(e.name)} was renamed from ${q(pv.name)} to ${q(v.name)}: breaks FILE, PACKAGE, WIRE_JSON; wire-compatible (WIRE).`,
          at: at(e.file, v.numberSpan),
          old: at(pe.file, pv.numberSpan),
        });
      }
    });
  },
};

export default [renameHint];
