import { defaultJsonName, featureOption } from "../link.ts";
import { option, type Enum, type Field, type OptionDecl } from "../model.ts";
import { parseIntLiteral, unescape } from "../parser.ts";
import {
  at,
  cardinality,
  type Cardinality,
  eachFieldPair,
  fieldDescription,
  fieldKind,
  FILE_PACKAGE,
  FILE_PACKAGE_WIRE_JSON,
  q,
  type ProtoRule,
  type RuleContext,
} from "./context.ts";

const WIRE_GROUP: Record<string, number> = {
  int32: 1, int64: 1, uint32: 1, uint64: 1, bool: 1, sint32: 2, sint64: 2, string: 3, bytes: 4,
  fixed32: 5, sfixed32: 5, fixed64: 6, sfixed64: 6, double: 7, float: 8, group: 9, message: 10, enum: 11,
};
const WIRE_JSON_GROUP: Record<string, number> = {
  int32: 1, uint32: 1, int64: 2, uint64: 2, fixed32: 3, sfixed32: 3, fixed64: 4, sfixed64: 4, bool: 5,
  sint32: 6, sint64: 7, string: 8, bytes: 9, double: 10, float: 11, group: 12, message: 13, enum: 14,
};
const CARD_WIRE: Record<Cardinality, number> = {
  "optional with explicit presence": 1, "optional with implicit presence": 1, required: 2, repeated: 3, map: 3,
};
const CARD_WIRE_JSON: Record<Cardinality, number> = {
  "optional with explicit presence": 1, "optional with implicit presence": 1, required: 2, repeated: 3, map: 4,
};

const inMapEntries = (f: Field, pf: Field) => !!f.parent?.mapEntry && !!pf.parent?.mapEntry && f.extendee === undefined && pf.extendee === undefined;

function prettyKind(f: Field): string {
  const k = fieldKind(f);
  return k === "group" && f.file.syntax !== "proto2" ? "message (delimited encoding)" : k;
}

function changedType(ctx: RuleContext, f: Field, pf: Field, extra = ""): void {
  ctx.report({
    path: f.fullName,
    message: `${fieldDescription(f)} changed type from ${q(prettyKind(pf))} to ${q(prettyKind(f))}.${extra ? ` ${extra}` : ""}`,
    at: at(f.file, f.typeSpan),
    old: at(pf.file, pf.typeSpan),
  });
}

function changedTypeName(ctx: RuleContext, f: Field, pf: Field): void {
  ctx.report({
    path: f.fullName,
    message: `${fieldDescription(f)} changed type from ${q((pf.typeName ?? "").slice(1))} to ${q((f.typeName ?? "").slice(1))}.`,
    at: at(f.file, f.typeSpan),
    old: at(pf.file, pf.typeSpan),
  });
}

/** Same-named enums where every old value survives are wire-compatible even if the enum moved. */
function enumCompatible(ctx: RuleContext, f: Field, pf: Field): void {
  const prev = ctx.before.enums.get((pf.typeName ?? "").slice(1)) ?? (pf.target as Enum | undefined);
  const cur = ctx.after.enums.get((f.typeName ?? "").slice(1)) ?? (f.target as Enum | undefined);
  if (!prev || !cur || prev.name !== cur.name) return changedTypeName(ctx, f, pf);
  const names = new Map(cur.values.map((v) => [v.name, v.number]));
  if (!prev.values.every((v) => names.get(v.name) === v.number)) changedTypeName(ctx, f, pf);
}

function cardinalityRule(id: string, categories: readonly string[], summary: string, groups?: Record<Cardinality, number>): ProtoRule {
  return {
    id,
    categories,
    summary,
    why: "Changing between optional, required, repeated and map changes how values are encoded and what generated code exposes.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (inMapEntries(f, pf)) return;
        const a = cardinality(pf);
        const b = cardinality(f);
        if (groups ? groups[a] === groups[b] : a === b) return;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} changed cardinality from ${q(a)} to ${q(b)}.`,
          at: at(f.file, f.span),
          old: at(pf.file, pf.span),
        });
      });
    },
  };
}

// ---- defaults ----

interface DefaultValue {
  str?: string;
  num?: number | bigint;
  float32?: boolean;
  printable: string;
}

const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

function numberValue(text: string, kind: string): number | bigint {
  const t = text.toLowerCase();
  if (t === "inf" || t === "+inf") return Infinity;
  if (t === "-inf") return -Infinity;
  if (t === "nan" || t === "-nan") return NaN;
  if (kind === "double" || kind === "float") return kind === "float" ? Math.fround(Number(text)) : Number(text);
  const n = parseIntLiteral(text);
  if (INT64.has(kind)) {
    const neg = text.startsWith("-");
    const body = neg ? text.slice(1) : text;
    try {
      const b = body.startsWith("0x") || body.startsWith("0X") ? BigInt(body) : /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body);
      return neg ? -b : b;
    } catch {
      return n;
    }
  }
  return Number.isFinite(n) ? n : Number(text);
}

/** Go's `%v` for a float: shortest digits (for float32 when asked), exponent form outside [1e-4, 1e6). */
function goFloat(v: number, f32: boolean): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  let e = v.toExponential();
  if (f32)
    for (let p = 0; p < 9; p++) {
      const t = v.toExponential(p);
      if (Math.fround(Number(t)) === v) {
        e = t;
        break;
      }
    }
  const [mant, expText] = e.split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  const digits = mant.replace("-", "").replace(".", "");
  const sign = v < 0 ? "-" : "";
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${int}${frac ? `.${frac}` : ""}`;
}

function printNumber(v: number | bigint, f32: boolean, isFloat: boolean): string {
  if (typeof v === "bigint") return v.toString();
  return isFloat ? goFloat(v, f32) : String(v);
}

function getDefault(f: Field): DefaultValue {
  const o = option(f.options, "default");
  const kind = fieldKind(f);
  if (kind === "string" || kind === "bytes") {
    const s = o ? o.value.text : "";
    if (kind === "bytes") {
      const bytes = [...Buffer.from(s, "latin1")].map((b) => `0x${b.toString(16).toUpperCase()}`);
      return { str: s, printable: `[${bytes.join(",")}]` };
    }
    return { str: s, printable: q(s) };
  }
  if (kind === "enum") {
    const e = f.target as Enum | undefined;
    const v = o ? e?.values.find((x) => x.name === o.value.text) : e?.values[0];
    return { num: v?.number ?? 0, printable: `${e?.name ?? ""}.${v?.name ?? ""}` };
  }
  if (kind === "bool") {
    const b = o?.value.text === "true";
    return { num: b ? 1 : 0, printable: String(b) };
  }
  const n = o ? numberValue(o.value.kind === "string" ? unescape(o.value.text) : o.value.text, kind) : INT64.has(kind) ? 0n : 0;
  return { num: n, float32: kind === "float", printable: printNumber(n, kind === "float", kind === "float" || kind === "double") };
}

function isZero(d: DefaultValue): boolean {
  if (d.str !== undefined) return d.str === "";
  return d.num === 0 || d.num === 0n;
}

function defaultsEqual(a: DefaultValue, b: DefaultValue): boolean {
  if (a.str !== undefined || b.str !== undefined) return a.str === b.str;
  const x = a.num!;
  const y = b.num!;
  if (typeof x === "bigint" && typeof y === "bigint") return x === y;
  const nx = Number(x);
  const ny = Number(y);
  if (Number.isNaN(nx) || Number.isNaN(ny)) return Number.isNaN(nx) && Number.isNaN(ny);
  if (a.float32 !== b.float32 && typeof x === "number" && typeof y === "number") return Math.fround(nx) === Math.fround(ny);
  if (typeof x === "bigint" || typeof y === "bigint") {
    try {
      return BigInt(x) === BigInt(y);
    } catch {
      return nx === ny;
    }
  }
  return nx === ny;
}

// ---- C++ / Java string settings ----

function cppStringType(f: Field): [type: string, piece: boolean] {
  if (f.file.syntax !== "editions" || f.file.edition === "2023") {
    const ctype = option(f.options, "ctype")?.value.text;
    if (ctype === "CORD") return ["CORD", false];
    if (ctype === "STRING_PIECE") return ["STRING", true];
    if (ctype === "STRING") return ["STRING", false];
  }
  return [f.file.syntax === "editions" ? f.features.cppStringType : "STRING", false];
}

function javaUtf8(f: Field): string {
  const def = f.features.utf8Validation;
  const fileOpt = option(f.file.options, "java_string_check_utf8");
  if (f.file.syntax !== "editions" || fileOpt) return fileOpt?.value.text === "true" ? "VERIFY" : def;
  return f.features.javaUtf8Validation === "VERIFY" ? "VERIFY" : def;
}

const ownOption = (f: Field, name: string): OptionDecl | undefined => option(f.options, name);

/** A field option whose effective value changed, pointing at the option where declared, else at the field. */
function changedOption(ctx: RuleContext, f: Field, pf: Field, name: string, a: string, b: string): void {
  ctx.report({
    path: f.fullName,
    message: `${fieldDescription(f)} changed option "${name}" from ${q(a)} to ${q(b)}.`,
    at: at(f.file, ownOption(f, name)?.span ?? f.span),
    old: at(pf.file, ownOption(pf, name)?.span ?? pf.span),
  });
}

const rules: ProtoRule[] = [
  cardinalityRule("FIELD_SAME_CARDINALITY", FILE_PACKAGE, "Checks that fields have the same cardinalities in a given message."),
  cardinalityRule("FIELD_WIRE_COMPATIBLE_CARDINALITY", ["WIRE"], "Checks that fields have wire-compatible cardinalities in a given message.", CARD_WIRE),
  cardinalityRule(
    "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
    ["WIRE_JSON"],
    "Checks that fields have wire and JSON compatible cardinalities in a given message.",
    CARD_WIRE_JSON,
  ),
  {
    id: "FIELD_SAME_TYPE",
    categories: FILE_PACKAGE,
    summary: "Checks that fields have the same types in a given message.",
    why: "Generated accessors change type, and most type changes also change the wire encoding.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (fieldKind(f) !== fieldKind(pf)) return changedType(ctx, f, pf);
        if ((f.type === "enum" || f.type === "message" || f.type === "group") && f.typeName !== pf.typeName) changedTypeName(ctx, f, pf);
      });
    },
  },
  {
    id: "FIELD_WIRE_COMPATIBLE_TYPE",
    categories: ["WIRE"],
    summary: "Checks that fields have wire-compatible types in a given message.",
    why: "Old and new peers decode each other's bytes differently when the wire type changes.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        const a = fieldKind(pf);
        const b = fieldKind(f);
        if (WIRE_GROUP[a] !== WIRE_GROUP[b]) {
          if (a === "string" && b === "bytes") return;
          let extra = "See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.";
          if (a === "bytes" && b === "string")
            extra += " Note that while string and bytes are compatible if the data is valid UTF-8, there is no way to enforce that a bytes field is UTF-8, so these fields may be incompatible.";
          return changedType(ctx, f, pf, extra);
        }
        if (f.typeName === pf.typeName) return;
        if (f.type === "enum") enumCompatible(ctx, f, pf);
        else if (f.type === "message" || f.type === "group") changedTypeName(ctx, f, pf);
      });
    },
  },
  {
    id: "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
    categories: ["WIRE_JSON"],
    summary: "Checks that fields have wire and JSON compatible types in a given message.",
    why: "Old and new peers decode each other's bytes or JSON differently when the type changes.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        const a = fieldKind(pf);
        const b = fieldKind(f);
        if (WIRE_JSON_GROUP[a] !== WIRE_JSON_GROUP[b])
          return changedType(
            ctx,
            f,
            pf,
            "See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules.",
          );
        if (f.typeName === pf.typeName) return;
        if (b === "enum") enumCompatible(ctx, f, pf);
        else if (b === "message" || b === "group") changedTypeName(ctx, f, pf);
      });
    },
  },
  {
    id: "FIELD_SAME_NAME",
    categories: FILE_PACKAGE_WIRE_JSON,
    summary: "Checks that fields have the same names in a given message.",
    why: "JSON and text formats use the name, and generated accessors are named after it.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        const a = pf.extendee !== undefined ? pf.fullName : pf.name;
        const b = f.extendee !== undefined ? f.fullName : f.name;
        if (a === b) return;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f, false)} changed name from ${q(a)} to ${q(b)}.`,
          at: at(f.file, f.nameSpan),
          old: at(pf.file, pf.nameSpan),
        });
      });
    },
  },
  {
    id: "FIELD_SAME_JSON_NAME",
    categories: FILE_PACKAGE_WIRE_JSON,
    summary: "Checks that fields have the same value for the json_name option.",
    why: "JSON clients send and read the field under its JSON name.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (pf.extendee !== undefined) return;
        const a = ownOption(pf, "json_name")?.value.text ?? defaultJsonName(pf.name);
        const b = ownOption(f, "json_name")?.value.text ?? defaultJsonName(f.name);
        if (a !== b) changedOption(ctx, f, pf, "json_name", a, b);
      });
    },
  },
  {
    id: "FIELD_SAME_JSTYPE",
    categories: FILE_PACKAGE,
    summary: "Checks that fields have the same value for the jstype option.",
    why: "JavaScript generated code switches between number and string representations of 64-bit values.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (!INT64.has(f.type) || !INT64.has(pf.type)) return;
        const a = ownOption(pf, "jstype")?.value.text ?? "JS_NORMAL";
        const b = ownOption(f, "jstype")?.value.text ?? "JS_NORMAL";
        if (a !== b) changedOption(ctx, f, pf, "jstype", a, b);
      });
    },
  },
  {
    id: "FIELD_SAME_CPP_STRING_TYPE",
    categories: FILE_PACKAGE,
    summary: "Checks that fields have the same C++ string type, based on ctype field option or (pb.cpp).string_type feature.",
    why: "C++ code that reads or sets the field through its generated accessors stops compiling, because their signatures change with the string type.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (inMapEntries(f, pf)) return;
        const kinds = ["string", "bytes"];
        if (!kinds.includes(fieldKind(f)) || !kinds.includes(fieldKind(pf))) return;
        const [pt, pp] = cppStringType(pf);
        const [t, p] = cppStringType(f);
        if ((pt === t && pp === p) || (pp && t === "STRING")) return;
        const loc = (x: Field) => ownOption(x, "ctype")?.span ?? featureOption(x.options, "(pb.cpp).string_type")?.span ?? x.span;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} changed C++ string type from ${q(pp ? "STRING_PIECE" : pt)} to ${q(p ? "STRING_PIECE" : t)}.`,
          at: at(f.file, loc(f)),
          old: at(pf.file, loc(pf)),
        });
      });
    },
  },
  {
    id: "FIELD_SAME_JAVA_UTF8_VALIDATION",
    categories: FILE_PACKAGE,
    summary:
      "Checks that fields have the same Java string UTF8 validation, based on java_string_check_utf8 file option or (pb.java).utf8_validation feature.",
    why: "Java parsers start or stop rejecting invalid UTF-8.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (fieldKind(f) !== "string" || fieldKind(pf) !== "string") return;
        const a = javaUtf8(pf);
        const b = javaUtf8(f);
        if (a === b) return;
        const loc = (x: Field) =>
          option(x.file.options, "java_string_check_utf8")?.span ?? featureOption(x.options, "(pb.java).utf8_validation")?.span ?? x.span;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} changed Java string UTF8 validation from ${q(a)} to ${q(b)}.`,
          at: at(f.file, loc(f)),
          old: at(pf.file, loc(pf)),
        });
      });
    },
  },
  {
    id: "FIELD_SAME_UTF8_VALIDATION",
    categories: FILE_PACKAGE,
    summary: "Checks that string fields have the same UTF8 validation mode.",
    why: "Parsers start or stop rejecting invalid UTF-8 in this field.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (fieldKind(f) !== "string" || fieldKind(pf) !== "string") return;
        const a = pf.features.utf8Validation;
        const b = f.features.utf8Validation;
        if (a === b) return;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} changed UTF8 validation from ${a} to ${b}.`,
          at: at(f.file, featureOption(f.options, "utf8_validation")?.span ?? f.span),
          old: at(pf.file, featureOption(pf.options, "utf8_validation")?.span ?? pf.span),
        });
      });
    },
  },
  {
    id: "FIELD_SAME_DEFAULT",
    categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
    summary: "Checks that fields have the same default value, if a default is specified.",
    why: "Readers fill in the default for absent fields: changing it changes the meaning of data already written.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        const can = (x: Field) => x.label !== "repeated" && !x.isMap && x.type !== "message" && x.type !== "group";
        if (!can(f) || !can(pf)) return;
        const a = getDefault(pf);
        const b = getDefault(f);
        if (isZero(a) && isZero(b)) return;
        if (defaultsEqual(a, b)) return;
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} changed default value from ${a.printable} to ${b.printable}.`,
          at: at(f.file, ownOption(f, "default")?.span ?? f.span),
          old: at(pf.file, ownOption(pf, "default")?.span ?? pf.span),
        });
      });
    },
  },
  {
    id: "FIELD_SAME_ONEOF",
    categories: ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"],
    summary: "Checks that fields have the same oneofs in a given message.",
    why: "Moving a field into or out of a oneof changes which fields clear each other when set.",
    check(ctx) {
      eachFieldPair(ctx, (f, pf) => {
        if (pf.extendee !== undefined) return;
        const po = pf.oneof && !pf.oneof.synthetic ? pf.oneof : undefined;
        const o = f.oneof && !f.oneof.synthetic ? f.oneof : undefined;
        if (!po && !o) return;
        if (po && o) {
          if (po.name !== o.name)
            ctx.report({
              // The stray "q" is in buf's own message; kept so the text matches buf's output.
              path: f.fullName,
              message: `${fieldDescription(f)}q moved from oneof ${q(po.name)} to oneof ${q(o.name)}.`,
              at: at(f.file, f.span),
              old: at(pf.file, pf.span),
            });
          return;
        }
        ctx.report({
          path: f.fullName,
          message: `${fieldDescription(f)} moved from ${po ? "inside" : "outside"} to ${o ? "inside" : "outside"} a oneof.`,
          at: at(f.file, f.span),
          old: at(pf.file, pf.span),
        });
      });
    },
  },
];

export default rules;
