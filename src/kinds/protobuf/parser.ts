import { ContractError } from "../../core/errors.ts";
import { LineIndex } from "../../core/location.ts";
import type {
  Enum,
  EnumValue,
  Features,
  Field,
  Message,
  Method,
  Oneof,
  OptionDecl,
  OptionValue,
  ProtoFile,
  ScalarType,
  Service,
  Span,
  TagRange,
} from "./model.ts";
import { span, spanStart } from "./model.ts";

// Token kinds.
const EOF = 0;
const IDENT = 1;
const NUMBER = 2;
const STRING = 3;
const SYMBOL = 4;

const SCALARS = new Set<string>([
  "double",
  "float",
  "int64",
  "uint64",
  "int32",
  "fixed64",
  "fixed32",
  "bool",
  "string",
  "bytes",
  "uint32",
  "sfixed32",
  "sfixed64",
  "sint32",
  "sint64",
]);

/**
 * Each scalar type name once: a field keeps this shared string rather than a slice of the text,
 * which would be one more string per field for as long as the model lives.
 */
const SCALAR_NAMES = new Map<string, ScalarType>([...SCALARS].map((t) => [t, t as ScalarType]));

/** Largest field number; message-set messages allow more. */
export const MESSAGE_MAX = 536870911;
export const MESSAGE_SET_MAX = 2147483646;
export const ENUM_MAX = 2147483647;

/**
 * Deepest message nesting accepted (protoc and buf stop at 32). Everything that walks the model
 * recurses over nested messages, so this bound also protects the linker and the rules.
 */
export const MAX_NESTING = 32;

/** Shared by every element without options (frozen so that nobody appends to it). */
const NO_OPTIONS: OptionDecl[] = Object.freeze([]) as unknown as OptionDecl[];

/** Shares one frozen empty array among all elements whose list stayed empty, to keep big trees small. */
function compact<T extends object>(el: T, keys: Array<keyof T>): T {
  for (const k of keys) if ((el[k] as unknown[]).length === 0) (el[k] as unknown) = NO_OPTIONS;
  return el;
}
const MESSAGE_LISTS = ["oneofs", "messages", "enums", "extensions", "reservedRanges", "reservedNames", "extensionRanges", "options"] as const;
const ENUM_LISTS = ["reservedRanges", "reservedNames", "options"] as const;

/** Placeholder until linking resolves features. */
const NO_FEATURES = {} as Features;

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Name protoc gives the synthetic entry message of a map field. */
export function mapEntryName(fieldName: string): string {
  let out = "";
  let cap = true;
  for (const ch of fieldName) {
    if (ch === "_") cap = true;
    else if (cap) {
      out += ch >= "a" && ch <= "z" ? ch.toUpperCase() : ch;
      cap = false;
    } else out += ch;
  }
  return `${out}Entry`;
}

/** Decodes the body of a quoted literal (without quotes) with C-style escapes. */
export function unescape(raw: string): string {
  if (raw.indexOf("\\") === -1) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const n = raw[++i] ?? "";
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "\t";
        break;
      case "r":
        out += "\r";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "v":
        out += "\v";
        break;
      case "x":
      case "X": {
        let hex = "";
        while (hex.length < 2 && /[0-9a-fA-F]/.test(raw[i + 1] ?? "")) hex += raw[++i];
        out += String.fromCharCode(parseInt(hex || "0", 16));
        break;
      }
      case "u":
      case "U": {
        const len = n === "u" ? 4 : 8;
        const hex = raw.slice(i + 1, i + 1 + len);
        i += len;
        out += String.fromCodePoint(parseInt(hex, 16) || 0);
        break;
      }
      default:
        if (n >= "0" && n <= "7") {
          let oct = n;
          while (oct.length < 3 && /[0-7]/.test(raw[i + 1] ?? "")) oct += raw[++i];
          out += String.fromCharCode(parseInt(oct, 8) & 0xff);
        } else out += n;
    }
  }
  return out;
}

/** Parses an integer literal (decimal, hex, octal) as protoc does. */
export function parseIntLiteral(text: string): number {
  let s = text;
  let neg = false;
  if (s.startsWith("-")) {
    neg = true;
    s = s.slice(1);
  }
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]+$/.test(s)) v = parseInt(s, 8);
  else if (/^[0-9]+$/.test(s)) v = parseInt(s, 10);
  else v = NaN;
  return neg ? -v : v;
}

/**
 * Recursive-descent parser for one .proto file. The scanner walks the text by char code; token
 * text is sliced only when a rule needs it, and line/column are computed only for errors.
 */
class Parser {
  private pos = 0;
  private kind = EOF;
  private start = 0;
  private end = 0;
  private prevEnd = 0;
  /** Messages (and groups) currently open. */
  private depth = 0;
  private lines?: LineIndex;
  private readonly file: ProtoFile;

  constructor(
    private readonly text: string,
    path: string,
    display: string,
  ) {
    this.file = {
      path,
      display,
      text,
      syntax: "proto2",
      package: "",
      imports: [],
      options: [],
      messages: [],
      enums: [],
      services: [],
      extensions: [],
      features: NO_FEATURES,
    };
    this.next();
  }

  // ---- scanner ----

  private fail(message: string, offset = this.start): never {
    this.lines ??= new LineIndex(this.text);
    throw new ContractError(message, this.lines.location(this.file.display, offset));
  }

  private next(): void {
    this.prevEnd = this.end;
    const t = this.text;
    const len = t.length;
    let p = this.pos;
    for (;;) {
      if (p >= len) {
        this.kind = EOF;
        this.start = this.end = this.pos = len;
        return;
      }
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11 || c === 0xfeff) {
        p++;
      } else if (c === 47 && t.charCodeAt(p + 1) === 47) {
        const nl = t.indexOf("\n", p);
        p = nl === -1 ? len : nl + 1;
      } else if (c === 47 && t.charCodeAt(p + 1) === 42) {
        const close = t.indexOf("*/", p + 2);
        if (close === -1) {
          this.start = p;
          this.fail("unterminated block comment");
        }
        p = close + 2;
      } else break;
    }
    this.start = p;
    const c = t.charCodeAt(p);
    if (isIdentStart(c)) {
      p++;
      while (p < len && isIdentPart(t.charCodeAt(p))) p++;
      this.kind = IDENT;
    } else if (isDigit(c) || (c === 46 && isDigit(t.charCodeAt(p + 1)))) {
      const hex = c === 48 && (t.charCodeAt(p + 1) | 32) === 120;
      p++;
      while (p < len) {
        const d = t.charCodeAt(p);
        if (isIdentPart(d) || d === 46) {
          p++;
          if (!hex && (d | 32) === 101) {
            const s = t.charCodeAt(p);
            if (s === 43 || s === 45) p++;
          }
        } else break;
      }
      this.kind = NUMBER;
    } else if (c === 34 || c === 39) {
      p++;
      for (;;) {
        if (p >= len) this.fail("unterminated string literal");
        const d = t.charCodeAt(p);
        if (d === 92) p += 2;
        else if (d === c) {
          p++;
          break;
        } else if (d === 10) this.fail("unterminated string literal");
        else p++;
      }
      this.kind = STRING;
    } else {
      p++;
      this.kind = SYMBOL;
    }
    this.end = this.pos = p;
  }

  private eof(): boolean {
    return this.kind === EOF;
  }

  private tokenText(): string {
    return this.text.slice(this.start, this.end);
  }

  private describe(): string {
    if (this.kind === EOF) return "end of file";
    const t = this.tokenText();
    // A stray control character is shown by its code, never written raw into a message.
    return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(t) ? JSON.stringify(t).replace(/^"|"$/g, "'") : `'${t}'`;
  }

  private isSym(ch: number): boolean {
    return this.kind === SYMBOL && this.text.charCodeAt(this.start) === ch;
  }

  private isWord(word: string): boolean {
    return (
      this.kind === IDENT &&
      this.end - this.start === word.length &&
      this.text.startsWith(word, this.start)
    );
  }

  private expectSym(ch: string): number {
    if (!this.isSym(ch.charCodeAt(0))) this.fail(`expected '${ch}', found ${this.describe()}`);
    const end = this.end;
    this.next();
    return end;
  }

  private trySym(ch: string): boolean {
    if (this.isSym(ch.charCodeAt(0))) {
      this.next();
      return true;
    }
    return false;
  }

  private ident(what = "identifier"): string {
    if (this.kind !== IDENT) this.fail(`expected ${what}, found ${this.describe()}`);
    const s = this.tokenText();
    this.next();
    return s;
  }

  /** Peeks at the token after the current one without consuming anything. */
  private peekIsSym(ch: number): boolean {
    const pos = this.pos;
    const kind = this.kind;
    const start = this.start;
    const end = this.end;
    const prevEnd = this.prevEnd;
    this.next();
    const r = this.isSym(ch);
    this.pos = pos;
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.prevEnd = prevEnd;
    return r;
  }

  /** True when the token after the current one is an identifier or a dot (the start of a type name). */
  private peekIsTypeStart(): boolean {
    const p = this.pos;
    const t = this.text;
    // Scanning from the current token's end: skip trivia, then look at one character.
    let i = p;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 11) i++;
      else if (c === 47 && (t.charCodeAt(i + 1) === 47 || t.charCodeAt(i + 1) === 42)) return !this.peekIsSym(61) && !this.peekIsSym(59);
      else return isIdentStart(c) || c === 46;
    }
  }

  private stringLit(what = "string"): string {
    if (this.kind !== STRING) this.fail(`expected ${what}, found ${this.describe()}`);
    let s = "";
    while (this.kind === STRING) {
      s += unescape(this.text.slice(this.start + 1, this.end - 1));
      this.next();
    }
    return s;
  }

  /** A possibly dotted (and possibly fully qualified) type or package name. */
  private dottedName(what = "name"): string {
    let s = "";
    if (this.isSym(46)) {
      s = ".";
      this.next();
    }
    s += this.ident(what);
    while (this.isSym(46)) {
      this.next();
      s += `.${this.ident(what)}`;
    }
    return s;
  }

  private intLit(what: string): number {
    let neg = false;
    if (this.isSym(45)) {
      neg = true;
      this.next();
    }
    if (this.kind !== NUMBER) this.fail(`expected ${what}, found ${this.describe()}`);
    const v = parseIntLiteral(this.tokenText());
    if (!Number.isFinite(v)) this.fail(`invalid ${what} '${this.tokenText()}'`);
    this.next();
    return neg ? -v : v;
  }

  // ---- grammar ----

  parse(): ProtoFile {
    const f = this.file;
    let first = true;
    while (this.kind !== EOF) {
      const s = this.start;
      if (this.trySym(";")) continue;
      if (this.kind !== IDENT) this.fail(`unexpected ${this.describe()}`);
      const word = this.tokenText();
      if ((word === "syntax" || word === "edition") && first && this.peekIsSym(61)) {
        this.next();
        this.expectSym("=");
        const strStart = this.start;
        const v = this.stringLit(word === "syntax" ? "syntax" : "edition");
        const end = this.expectSym(";");
        f.syntaxSpan = span(s, end);
        if (word === "syntax") {
          if (v !== "proto2" && v !== "proto3")
            this.fail(`syntax value must be "proto2" or "proto3", found "${v}"`, strStart);
          f.syntax = v;
        } else {
          if (v !== "2023" && v !== "2024") this.fail(`unsupported edition "${v}"`, strStart);
          f.syntax = "editions";
          f.edition = v;
        }
        first = false;
        continue;
      }
      first = false;
      this.visibility();
      switch (this.kind === IDENT ? this.tokenText() : word) {
        case "package": {
          this.next();
          if (f.packageSpan) this.fail("multiple package declarations", s);
          f.package = this.dottedName("package name");
          f.packageSpan = span(s, this.expectSym(";"));
          break;
        }
        case "import": {
          this.next();
          let modifier: "public" | "weak" | "option" | undefined;
          if (this.isWord("public") || this.isWord("weak") || this.isWord("option")) modifier = this.ident() as "public" | "weak" | "option";
          const path = this.stringLit("import path");
          const end = this.expectSym(";");
          f.imports.push({ path, modifier, span: span(s, end) });
          break;
        }
        case "option":
          f.options.push(this.optionStatement());
          break;
        case "message":
          f.messages.push(this.message(f.package ? `${f.package}.` : "", "", undefined));
          break;
        case "enum":
          f.enums.push(this.enumDecl(f.package ? `${f.package}.` : "", "", undefined));
          break;
        case "service":
          f.services.push(this.service());
          break;
        case "extend":
          this.extend(f.extensions, f.package ? `${f.package}.` : "", "", undefined);
          break;
        default:
          this.fail(`unexpected '${word}' at top level`);
      }
    }
    return f;
  }

  /** Edition 2024 symbol visibility (`export message`, `local enum`): accepted and not modelled. */
  private visibility(): void {
    if ((this.isWord("export") || this.isWord("local")) && this.file.syntax === "editions") {
      const save = [this.pos, this.kind, this.start, this.end, this.prevEnd] as const;
      this.next();
      if (!this.isWord("message") && !this.isWord("enum")) [this.pos, this.kind, this.start, this.end, this.prevEnd] = save;
    }
  }

  private optionName(): string {
    let name = "";
    for (;;) {
      if (this.isSym(40)) {
        this.next();
        name += `(${this.dottedName("option name")})`;
        this.expectSym(")");
      } else name += this.ident("option name");
      if (!this.isSym(46)) break;
      this.next();
      name += ".";
    }
    return name;
  }

  private optionValue(): OptionValue {
    if (this.kind === STRING) return { kind: "string", text: this.stringLit() };
    if (this.isSym(123)) {
      const s = this.start;
      let depth = 0;
      do {
        if (this.isSym(123) || this.isSym(60)) depth++;
        else if (this.isSym(125) || this.isSym(62)) depth--;
        if (this.eof()) this.fail("unterminated aggregate value", s);
        this.next();
      } while (depth > 0);
      return { kind: "aggregate", text: this.text.slice(s, this.start) };
    }
    let sign = "";
    if (this.isSym(45) || this.isSym(43)) {
      sign = this.isSym(45) ? "-" : "";
      this.next();
    }
    if (this.kind === NUMBER) {
      const t = sign + this.tokenText();
      this.next();
      return { kind: "number", text: t };
    }
    if (this.kind === IDENT) {
      const t = this.tokenText();
      this.next();
      if (sign || t === "inf" || t === "nan") return { kind: "number", text: sign + t };
      return { kind: "ident", text: t };
    }
    this.fail(`expected option value, found ${this.describe()}`);
  }

  private optionStatement(): OptionDecl {
    const s = this.start;
    this.next();
    const name = this.optionName();
    this.expectSym("=");
    const value = this.optionValue();
    const end = this.expectSym(";");
    return { name, value, span: span(s, end) };
  }

  /** `[name = value, …]`, or a shared empty list when there are none (most elements have none). */
  private compactOptions(): OptionDecl[] {
    if (!this.trySym("[")) return NO_OPTIONS;
    const into: OptionDecl[] = [];
    for (;;) {
      const s = this.start;
      const name = this.optionName();
      this.expectSym("=");
      const value = this.optionValue();
      into.push({ name, value, span: span(s, this.lastEnd) });
      if (this.trySym(",")) continue;
      this.expectSym("]");
      return into;
    }
  }

  /** End offset of the token consumed last. */
  private get lastEnd(): number {
    return this.prevEnd;
  }

  private newMessage(name: string, prefix: string, nestedPrefix: string, parent: Message | undefined, span: Span): Message {
    return {
      name,
      fullName: prefix + name,
      nestedName: nestedPrefix + name,
      span,
      file: this.file,
      parent,
      fields: [],
      oneofs: [],
      messages: [],
      enums: [],
      extensions: [],
      reservedRanges: [],
      reservedNames: [],
      extensionRanges: [],
      options: [],
      mapEntry: false,
      features: NO_FEATURES,
    };
  }

  private message(prefix: string, nestedPrefix: string, parent: Message | undefined): Message {
    const s = this.start;
    this.next();
    const name = this.ident("message name");
    const m = this.newMessage(name, prefix, nestedPrefix, parent, span(s, s));
    this.expectSym("{");
    this.messageBody(m);
    m.span = span(s, this.expectSym("}"));
    return compact(m, [...MESSAGE_LISTS]);
  }

  /** Statements up to the closing brace of `what` (left for the caller); empty statements are skipped. */
  private block(what: string, statement: () => void): void {
    while (!this.isSym(125)) {
      if (this.eof()) this.fail(`expected '}' to close ${what}`);
      if (this.trySym(";")) continue;
      statement();
    }
  }

  private messageBody(m: Message): void {
    if (++this.depth > MAX_NESTING) this.fail(`message nesting is deeper than ${MAX_NESTING} levels (at '${m.name}')`, spanStart(m.span));
    const prefix = `${m.fullName}.`;
    const nested = `${m.nestedName}.`;
    const oneofsReal: Oneof[] = [];
    const synthetic: Oneof[] = [];
    this.block(`message '${m.name}'`, () => {
      if (this.kind !== IDENT && !this.isSym(46)) this.fail(`unexpected ${this.describe()} in message '${m.name}'`);
      this.visibility();
      const word = this.kind === IDENT ? this.tokenText() : "";
      switch (word) {
        case "message":
          m.messages.push(this.message(prefix, nested, m));
          return;
        case "enum":
          m.enums.push(this.enumDecl(prefix, nested, m));
          return;
        case "extend":
          this.extend(m.extensions, prefix, nested, m);
          return;
        case "option":
          m.options.push(this.optionStatement());
          return;
        case "reserved":
          this.reserved(m.reservedRanges, m.reservedNames, MESSAGE_MAX);
          return;
        case "extensions": {
          this.next();
          const ranges: TagRange[] = [];
          this.ranges(ranges, MESSAGE_MAX);
          this.compactOptions();
          this.expectSym(";");
          m.extensionRanges.push(...ranges);
          return;
        }
        case "oneof": {
          const s = this.start;
          this.next();
          const o: Oneof = { name: this.ident("oneof name"), span: span(s, s), synthetic: false, options: [], fields: [] };
          this.expectSym("{");
          this.block(`oneof '${o.name}'`, () => {
            if (this.isWord("option")) {
              o.options.push(this.optionStatement());
              return;
            }
            const f = this.field(m, prefix, nested, m, undefined, true);
            f.oneof = o;
            o.fields.push(f);
          });
          o.span = span(s, this.expectSym("}"));
          oneofsReal.push(o);
          return;
        }
        default: {
          const f = this.field(m, prefix, nested, m, undefined, false);
          if (f.proto3Optional) {
            const o: Oneof = { name: `_${f.name}`, span: f.span, synthetic: true, options: [], fields: [f] };
            f.oneof = o;
            synthetic.push(o);
          }
        }
      }
    });
    m.oneofs = [...oneofsReal, ...synthetic];
    this.depth--;
  }

  /**
   * One field (normal, extension, group or map). Normal fields are added to `owner.fields`,
   * extensions to `extensions`; nested group and map-entry messages to `scope.messages`.
   */
  private field(
    owner: Message | undefined,
    prefix: string,
    nestedPrefix: string,
    scope: Message | undefined,
    extension: { extendeeRef: string; into: Field[] } | undefined,
    inOneof: boolean,
  ): Field {
    const s = this.start;
    let label: Field["label"];
    // A label is followed by a type; `optional = 1` would be a field named like a label.
    if ((this.isWord("optional") || this.isWord("required") || this.isWord("repeated")) && this.peekIsTypeStart()) {
      label = this.tokenText() as Field["label"];
      this.next();
    }
    if (inOneof && label) this.fail(`fields in oneofs must not have labels`, s);
    const typeStart = this.start;
    const f: Field = {
      name: "",
      fullName: "",
      number: 0,
      label,
      type: "message",
      file: this.file,
      parent: scope,
      proto3Optional: label === "optional" && this.file.syntax === "proto3" && !extension,
      isMap: false,
      options: NO_OPTIONS,
      span: span(s, s),
      nameSpan: span(s, s),
      typeSpan: span(s, s),
      features: NO_FEATURES,
      // Every field gets every property up front so that all fields share one object shape.
      typeRef: undefined,
      typeName: undefined,
      target: undefined,
      oneof: undefined,
      extendeeRef: extension?.extendeeRef,
      extendee: undefined,
    };
    if (this.isWord("group") && !this.peekIsSym(61)) {
      this.next();
      const nameStart = this.start;
      const groupName = this.ident("group name");
      const nameSpan = span(nameStart, nameStart + groupName.length);
      f.name = groupName.toLowerCase();
      f.type = "group";
      f.typeRef = groupName;
      f.nameSpan = nameSpan;
      f.typeSpan = nameSpan;
      this.expectSym("=");
      f.number = this.intLit("field number");
      f.options = this.compactOptions();
      const g = this.newMessage(groupName, prefix, nestedPrefix, scope, span(s, s));
      this.expectSym("{");
      this.messageBody(g);
      g.span = f.span = span(s, this.expectSym("}"));
      compact(g, [...MESSAGE_LISTS]);
      if (scope) scope.messages.push(g);
      else this.file.messages.push(g);
    } else if (this.isWord("map") && this.peekIsSym(60)) {
      this.next();
      this.expectSym("<");
      const keyStart = this.start;
      const keyType = this.dottedName("map key type");
      this.expectSym(",");
      const valType = this.dottedName("map value type");
      const typeEnd = this.expectSym(">");
      f.typeSpan = span(typeStart, typeEnd);
      this.fieldRest(f, s);
      if (!SCALARS.has(keyType) || keyType === "double" || keyType === "float" || keyType === "bytes")
        this.fail(`invalid map key type '${keyType}'`, keyStart);
      if (label) this.fail("map fields must not have labels", s);
      const entryName = mapEntryName(f.name);
      const entry = this.newMessage(entryName, prefix, nestedPrefix, scope, f.typeSpan);
      entry.mapEntry = true;
      // protoc copies the map field's features onto its synthetic entry message.
      entry.options = f.options.filter((o) => o.name.startsWith("features"));
      const mk = (name: string, number: number, type: string): Field => {
        const ef: Field = {
          name,
          fullName: `${entry.fullName}.${name}`,
          number,
          label: "optional",
          type: "message",
          file: this.file,
          parent: entry,
          proto3Optional: false,
          isMap: false,
          options: NO_OPTIONS,
          span: f.typeSpan,
          nameSpan: f.typeSpan,
          typeSpan: f.typeSpan,
          features: NO_FEATURES,
          typeRef: undefined,
          typeName: undefined,
          target: undefined,
          oneof: undefined,
          extendeeRef: undefined,
          extendee: undefined,
        };
        const scalar = SCALAR_NAMES.get(type);
        if (scalar) ef.type = scalar;
        else ef.typeRef = type;
        return ef;
      };
      entry.fields.push(mk("key", 1, keyType), mk("value", 2, valType));
      compact(entry, [...MESSAGE_LISTS]);
      f.label = "repeated";
      f.isMap = true;
      f.typeRef = entryName;
      if (scope) scope.messages.push(entry);
      else this.file.messages.push(entry);
    } else {
      const t = this.dottedName("field type");
      if (this.isSym(61)) this.fail(`missing field type before '${t}'`, typeStart);
      f.typeSpan = span(typeStart, this.lastEnd);
      const scalar = SCALAR_NAMES.get(t);
      if (scalar) f.type = scalar;
      else f.typeRef = t;
      this.fieldRest(f, s);
    }
    if (this.file.syntax === "proto3" && label === "required") this.fail("required fields are not allowed in proto3", s);
    if (this.file.syntax === "editions" && (label === "required" || (label === "optional" && !extension)))
      this.fail(`label '${label}' is not allowed in editions`, s);
    // A field's owner is the message `prefix` names (`Outer.Inner.`), so the prefix serves both.
    f.fullName = prefix + f.name;
    if (extension) extension.into.push(f);
    else owner?.fields.push(f);
    return f;
  }

  /** What follows a map or plain field's type: `name = number [options];` (the field starts at `s`). */
  private fieldRest(f: Field, s: number): void {
    const nameStart = this.start;
    f.name = this.ident("field name");
    f.nameSpan = span(nameStart, nameStart + f.name.length);
    this.expectSym("=");
    f.number = this.intLit("field number");
    f.options = this.compactOptions();
    f.span = span(s, this.expectSym(";"));
  }

  private extend(into: Field[], prefix: string, nestedPrefix: string, scope: Message | undefined): void {
    this.next();
    const extendeeRef = this.dottedName("extendee");
    this.expectSym("{");
    this.block("extend block", () => this.field(undefined, prefix, nestedPrefix, scope, { extendeeRef, into }, false));
    this.expectSym("}");
  }

  private ranges(into: TagRange[], max: number): void {
    for (;;) {
      const start = this.intLit("range start");
      let end = start;
      if (this.isWord("to")) {
        this.next();
        if (this.isWord("max")) {
          this.next();
          end = max;
        } else end = this.intLit("range end");
      }
      into.push({ start, end });
      if (!this.trySym(",")) return;
    }
  }

  private reserved(ranges: TagRange[], names: string[], max: number): void {
    this.next();
    if (this.kind === STRING || this.kind === IDENT) {
      for (;;) {
        if (this.kind === STRING) names.push(this.stringLit());
        else names.push(this.ident("reserved name"));
        if (!this.trySym(",")) break;
      }
    } else this.ranges(ranges, max);
    this.expectSym(";");
  }

  private enumDecl(prefix: string, nestedPrefix: string, parent: Message | undefined): Enum {
    const s = this.start;
    this.next();
    const name = this.ident("enum name");
    const e: Enum = {
      name,
      fullName: prefix + name,
      nestedName: nestedPrefix + name,
      span: span(s, s),
      file: this.file,
      parent,
      values: [],
      reservedRanges: [],
      reservedNames: [],
      options: [],
      features: NO_FEATURES,
    };
    this.expectSym("{");
    this.block(`enum '${name}'`, () => {
      if (this.isWord("option") && !this.peekIsSym(61)) {
        e.options.push(this.optionStatement());
        return;
      }
      if (this.isWord("reserved") && !this.peekIsSym(61)) {
        this.reserved(e.reservedRanges, e.reservedNames, ENUM_MAX);
        return;
      }
      const vs = this.start;
      const vname = this.ident("enum value name");
      this.expectSym("=");
      const ns = this.start;
      const number = this.intLit("enum value number");
      const numberSpan = span(ns, this.lastEnd);
      const v: EnumValue = { name: vname, number, span: 0, numberSpan, options: this.compactOptions() };
      v.span = span(vs, this.expectSym(";"));
      e.values.push(v);
    });
    e.span = span(s, this.expectSym("}"));
    return compact(e, [...ENUM_LISTS]);
  }

  private service(): Service {
    const s = this.start;
    this.next();
    const name = this.ident("service name");
    const pkg = this.file.package;
    const svc: Service = { name, fullName: pkg ? `${pkg}.${name}` : name, span: span(s, s), file: this.file, methods: [], options: [] };
    this.expectSym("{");
    this.block(`service '${name}'`, () => {
      if (this.isWord("option")) {
        svc.options.push(this.optionStatement());
        return;
      }
      if (!this.isWord("rpc")) this.fail(`expected 'rpc', found ${this.describe()}`);
      const ms = this.start;
      this.next();
      const mname = this.ident("rpc name");
      const sig = (): [string, Span, boolean] => {
        this.expectSym("(");
        let streaming = false;
        if (this.isWord("stream") && !this.peekIsSym(41) && !this.peekIsSym(46)) {
          this.next();
          streaming = true;
        }
        const ts = this.start;
        const ref = this.dottedName("message type");
        const sp = span(ts, this.lastEnd);
        this.expectSym(")");
        return [ref, sp, streaming];
      };
      const [inputRef, inputSpan, clientStreaming] = sig();
      if (!this.isWord("returns")) this.fail(`expected 'returns', found ${this.describe()}`);
      this.next();
      const [outputRef, outputSpan, serverStreaming] = sig();
      const m: Method = {
        name: mname,
        span: span(ms, ms),
        inputRef,
        outputRef,
        inputType: "",
        outputType: "",
        inputSpan,
        outputSpan,
        clientStreaming,
        serverStreaming,
        options: [],
      };
      if (this.trySym("{")) {
        this.block(`rpc '${mname}'`, () => {
          if (!this.isWord("option")) this.fail(`expected 'option', found ${this.describe()}`);
          m.options.push(this.optionStatement());
        });
        m.span = span(ms, this.expectSym("}"));
      } else m.span = span(ms, this.expectSym(";"));
      svc.methods.push(m);
    });
    svc.span = span(s, this.expectSym("}"));
    return svc;
  }
}

/** Parses one .proto file; throws ContractError `file:line:col: message` on a syntax error. */
export function parseProto(text: string, path: string, display = path): ProtoFile {
  return new Parser(text, path, display).parse();
}
