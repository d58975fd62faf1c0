import { featureOption } from "../link.ts";
import type { Enum, EnumValue } from "../model.ts";
import { ENUM_MAX } from "../parser.ts";
import { at, eachChangedEnumPair, FILE_PACKAGE, isDeprecated, jsonFormatDropped, q, type ProtoRule, type RuleContext } from "./context.ts";
import { checkReserved, reservesName, reservesNumber } from "./ranges.ts";

const byNumberCache = new WeakMap<Enum, Map<number, EnumValue[]>>();

/** Values of an enum grouped by number (aliases share one), built once per enum. */
function byNumber(e: Enum): Map<number, EnumValue[]> {
  const hit = byNumberCache.get(e);
  if (hit) return hit;
  const out = new Map<number, EnumValue[]>();
  byNumberCache.set(e, out);
  for (const v of e.values) {
    const list = out.get(v.number);
    if (list) list.push(v);
    else out.set(v.number, [v]);
  }
  return out;
}

/** Names listed in one message; an enum may hold thousands of aliases of one number. */
const MAX_LISTED_NAMES = 20;

/** Quoted names, the first MAX_LISTED_NAMES of them and how many more: the report per alias stays small. */
function nameList(names: string[]): string {
  const listed = names.slice(0, MAX_LISTED_NAMES).map(q).join(", ");
  return names.length > MAX_LISTED_NAMES ? `${listed} and ${names.length - MAX_LISTED_NAMES} more` : listed;
}

/** Fast path: identical values (names and numbers, in order) cannot lose or rename anything. */
function sameValues(e: Enum, prev: Enum): boolean {
  if (e.values.length !== prev.values.length) return false;
  for (let i = 0; i < e.values.length; i++) {
    const a = e.values[i]!;
    const b = prev.values[i]!;
    if (a.number !== b.number || a.name !== b.name) return false;
  }
  return true;
}

function valueNoDelete(ctx: RuleContext, mode: "" | "number" | "name"): void {
  eachChangedEnumPair(ctx, (e, prev) => {
    if (sameValues(e, prev)) return;
    const now = byNumber(e);
    for (const [n, values] of byNumber(prev)) {
      if (now.has(n)) continue;
      let suffix = "";
      if (mode === "number") {
        if (reservesNumber(e, n)) continue;
        suffix = ` without reserving the number "${n}"`;
      } else if (mode === "name") {
        if (values.every((v) => reservesName(e, v.name))) continue;
        const names = [...new Set(values.map((v) => v.name))].sort();
        suffix = ` without reserving the name${names.length > 1 ? "s" : ""} ${nameList(names)}`;
      }
      ctx.report({
        path: `${e.fullName}.${values[0]!.name}`,
        message: `Previously present enum value "${n}" on enum ${q(e.name)} was deleted${suffix}.`,
        at: at(e.file, e.span),
        old: at(prev.file, values[0]!.span),
        // Deprecation does not stop a number or name from being reused: only plain deletion carries it,
        // with whether it leaves them free (see the field rule).
        deprecated: mode === "" && values.every((v) => isDeprecated(v.options)),
        unreserved: mode === "" && !(reservesNumber(e, n) && values.every((v) => reservesName(e, v.name))),
      });
    }
  });
}

const WHY_VALUE = "Peers that still send or store the number can no longer interpret it, and generated constants disappear.";

const rules: ProtoRule[] = [
  {
    id: "ENUM_SAME_TYPE",
    categories: FILE_PACKAGE,
    summary: "Checks that enums have the same type (open vs closed).",
    why: "Closed enums treat unknown numbers as unknown fields, open enums keep them: changing it changes what parsers do with new values.",
    check(ctx) {
      eachChangedEnumPair(ctx, (e, prev) => {
        if (e.features.enumType === prev.features.enumType) return;
        const closed = e.features.enumType === "CLOSED";
        ctx.report({
          path: e.fullName,
          message: `Enum ${q(e.name)} changed from ${closed ? "open" : "closed"} to ${closed ? "closed" : "open"}.`,
          at: at(e.file, featureOption(e.options, "enum_type")?.span ?? e.span),
          old: at(prev.file, featureOption(prev.options, "enum_type")?.span ?? prev.span),
        });
      });
    },
  },
  {
    id: "ENUM_SAME_JSON_FORMAT",
    categories: ["FILE", "PACKAGE", "WIRE_JSON"],
    summary: "Checks that enums have the same JSON format support.",
    why: "Dropping JSON support makes the JSON mapping of this enum best-effort, so JSON clients may fail.",
    check(ctx) {
      eachChangedEnumPair(ctx, (e, prev) => jsonFormatDropped(ctx, "Enum", e, prev));
    },
  },
  { id: "ENUM_VALUE_NO_DELETE", categories: FILE_PACKAGE, summary: "Checks that enum values are not deleted from a given enum.", why: WHY_VALUE, check: (ctx) => valueNoDelete(ctx, "") },
  {
    id: "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    categories: ["WIRE_JSON", "WIRE"],
    summary: "Checks that enum values are not deleted from a given enum unless the number is reserved.",
    why: "Without a reservation the number can be reused with another meaning, and old data would be misread.",
    check: (ctx) => valueNoDelete(ctx, "number"),
  },
  {
    id: "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
    categories: ["WIRE_JSON"],
    summary: "Checks that enum values are not deleted from a given enum unless the name is reserved.",
    why: "JSON carries enum values by name: without a reservation the name can be reused with another number.",
    check: (ctx) => valueNoDelete(ctx, "name"),
  },
  {
    id: "ENUM_VALUE_SAME_NAME",
    categories: ["FILE", "PACKAGE", "WIRE_JSON"],
    summary: "Checks that enum values have the same name.",
    why: "JSON and generated code use the value name; renaming it breaks both even though the number is unchanged.",
    check(ctx) {
      eachChangedEnumPair(ctx, (e, prev) => {
        if (sameValues(e, prev)) return;
        const now = byNumber(e);
        for (const [n, prevValues] of byNumber(prev)) {
          const values = now.get(n);
          if (!values) continue;
          const prevNames = [...new Set(prevValues.map((v) => v.name))].sort();
          const nameSet = new Set(values.map((v) => v.name));
          const names = [...nameSet].sort();
          // Adding aliases is fine; every previous name must survive.
          if (prevNames.every((x) => nameSet.has(x))) continue;
          const s = prevNames.length > 1 && names.length > 1 ? "s" : "";
          const prevByName = new Map<string, EnumValue>();
          for (const p of prevValues) if (!prevByName.has(p.name)) prevByName.set(p.name, p);
          const message = `Enum value "${n}" on enum ${q(e.name)} changed name${s} from ${nameList(prevNames)} to ${nameList(names)}.`;
          for (const v of values) {
            const pv = prevByName.get(v.name);
            ctx.report({
              path: `${e.fullName}.${v.name}`,
              message,
              at: at(e.file, v.numberSpan),
              old: pv ? at(prev.file, pv.numberSpan) : undefined,
            });
          }
        }
      });
    },
  },
  {
    id: "RESERVED_ENUM_NO_DELETE",
    categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
    summary: "Checks that reserved ranges and names are not deleted from a given enum.",
    why: "A reservation protects old data from a reused number or name; removing it allows silent misinterpretation.",
    check(ctx) {
      eachChangedEnumPair(ctx, (e, prev) => checkReserved(ctx, "enum", e, prev, ENUM_MAX));
    },
  },
];

export default rules;
