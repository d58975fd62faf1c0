import { ContractError } from "../../core/errors.ts";
import { LineIndex } from "../../core/location.ts";
import { option, spanEnd, spanStart, type Enum, type Features, type Field, type Message, type OptionDecl, type ProtoFile, type Span } from "./model.ts";

type SymbolKind = "package" | "message" | "enum" | "service";

interface Sym {
  kind: SymbolKind;
  file: ProtoFile;
  el?: Message | Enum;
  span?: Span;
}

/** A name part in the symbol tree: its full name, its symbol (none for the root), the parts inside it and the part around it. */
interface ScopeNode {
  full: string;
  sym?: Sym;
  children?: Map<string, ScopeNode>;
  parent?: ScopeNode;
}

/**
 * Parts of a package name. Real packages have a handful; a reference is looked up in every
 * enclosing scope, so thousands of parts would make each lookup cost thousands of steps.
 */
export const MAX_PACKAGE_PARTS = 100;

const lineIndexes = new WeakMap<ProtoFile, LineIndex>();

/** 1-based location of an offset in a file, with a cached line index per file. */
export function locate(file: ProtoFile, span: Span | undefined) {
  if (span === undefined) return { file: file.display, line: 1, column: 1 };
  let idx = lineIndexes.get(file);
  if (!idx) {
    idx = new LineIndex(file.text);
    lineIndexes.set(file, idx);
  }
  return idx.location(file.display, spanStart(span), spanEnd(span));
}

function fail(file: ProtoFile, span: Span | undefined, message: string): never {
  throw new ContractError(message, locate(file, span));
}

const PROTO2: Features = {
  fieldPresence: "EXPLICIT",
  enumType: "CLOSED",
  utf8Validation: "NONE",
  messageEncoding: "LENGTH_PREFIXED",
  jsonFormat: "LEGACY_BEST_EFFORT",
  cppStringType: "STRING",
  javaUtf8Validation: "DEFAULT",
};
const PROTO3: Features = { ...PROTO2, fieldPresence: "IMPLICIT", enumType: "OPEN", utf8Validation: "VERIFY", jsonFormat: "ALLOW" };
const EDITION_2023: Features = { ...PROTO3, fieldPresence: "EXPLICIT" };
const EDITION_2024: Features = { ...EDITION_2023, cppStringType: "VIEW" };

const FEATURE_KEYS: Record<string, keyof Features> = {
  field_presence: "fieldPresence",
  enum_type: "enumType",
  utf8_validation: "utf8Validation",
  message_encoding: "messageEncoding",
  json_format: "jsonFormat",
  "(pb.cpp).string_type": "cppStringType",
  "(pb.java).utf8_validation": "javaUtf8Validation",
};

/** The model key of a feature name written in a file (an own key only: names come from the file). */
function featureKey(name: string): keyof Features | undefined {
  return Object.hasOwn(FEATURE_KEYS, name) ? FEATURE_KEYS[name] : undefined;
}

/** Features of an element: its parent's, overridden by its own `features.*` options. */
function applyFeatures(parent: Features, options: OptionDecl[]): Features {
  let out = parent;
  for (const o of options) {
    if (!o.name.startsWith("features")) continue;
    if (o.name === "features" && o.value.kind === "aggregate") {
      for (const m of o.value.text.matchAll(/([A-Za-z_][\w]*|\([\w.]+\)(?:\.\w+)?)\s*:\s*([A-Za-z_]\w*)/g)) {
        const key = featureKey(m[1]!);
        if (key) out = { ...out, [key]: m[2] };
      }
      continue;
    }
    const key = featureKey(o.name.slice("features.".length));
    if (key && o.value.kind === "ident") out = { ...out, [key]: o.value.text };
  }
  return out;
}

/** The option declaring one feature on an element (for locations), if any. */
export function featureOption(options: OptionDecl[], feature: string): OptionDecl | undefined {
  return option(options, `features.${feature}`);
}

/** json_name as protoc computes it when none is given. */
export function defaultJsonName(name: string): string {
  if (name.indexOf("_") === -1) return name;
  let out = "";
  let cap = false;
  for (const ch of name) {
    if (ch === "_") cap = true;
    else if (cap) {
      out += ch.toUpperCase();
      cap = false;
    } else out += ch;
  }
  return out;
}

/** protoc rejects two fields of one message with the same number or name. */
const seenNumbers = new Map<number, Field>();
const seenNames = new Set<string>();

function checkFieldClashes(m: Message): void {
  // Shared scratch collections: this runs for every message of large trees.
  const numbers = seenNumbers;
  const names = seenNames;
  try {
    for (const f of m.fields) {
      const prev = numbers.get(f.number);
      if (prev) fail(f.file, f.span, `field number ${f.number} has already been used in "${m.fullName}" by field "${prev.name}"`);
      numbers.set(f.number, f);
      if (names.has(f.name)) fail(f.file, f.nameSpan, `field "${f.name}" is already defined in "${m.fullName}"`);
      names.add(f.name);
    }
  } finally {
    // Emptied after use, not before: a field left here would keep its whole file alive after the run.
    numbers.clear();
    names.clear();
  }
}

/**
 * Resolves every type reference, extendee and rpc type of `files` against one symbol table built
 * from all of them (protoc's scoping rules), and computes resolved features. Throws ContractError
 * on duplicate definitions and unresolvable references.
 */
export function link(files: ProtoFile[]): void {
  const table = new Map<string, Sym>();
  // The same symbols as a tree of name parts, so a lookup walks out of its scope one part at a
  // time without building and hashing a full name at every level.
  const root: ScopeNode = { full: "" };
  const define = (parent: ScopeNode, part: string, name: string, sym: Sym): ScopeNode => {
    const prev = table.get(name);
    if (prev) {
      if (prev.kind === "package" && sym.kind === "package") return parent.children!.get(part)!;
      const where = prev.file === sym.file ? "" : ` in "${prev.file.path}"`;
      fail(sym.file, sym.span, `symbol "${name}" already defined${where}`);
    }
    table.set(name, sym);
    const node: ScopeNode = { full: name, sym, parent };
    (parent.children ??= new Map()).set(part, node);
    return node;
  };
  const defineMessage = (m: Message, parent: ScopeNode) => {
    const node = define(parent, m.name, m.fullName, { kind: "message", file: m.file, el: m, span: m.span });
    for (const n of m.messages) defineMessage(n, node);
    for (const e of m.enums) define(node, e.name, e.fullName, { kind: "enum", file: e.file, el: e, span: e.span });
  };
  /** The scope of each file's top-level elements: its package, or the root. */
  const packageScopes = new Map<ProtoFile, ScopeNode>();
  for (const f of files) {
    let scope = root;
    if (f.package) {
      const parts = f.package.split(".");
      if (parts.length > MAX_PACKAGE_PARTS) fail(f, f.packageSpan, `package name has more than ${MAX_PACKAGE_PARTS} parts`);
      let i = -1;
      for (const part of parts) {
        i = f.package.indexOf(".", i + 1);
        scope = define(scope, part, i === -1 ? f.package : f.package.slice(0, i), { kind: "package", file: f, span: f.packageSpan });
      }
    }
    packageScopes.set(f, scope);
    for (const m of f.messages) defineMessage(m, scope);
    for (const e of f.enums) define(scope, e.name, e.fullName, { kind: "enum", file: f, el: e, span: e.span });
    for (const s of f.services) define(scope, s.name, s.fullName, { kind: "service", file: f, span: s.span });
  }

  // Like protoc, a file sees its own symbols, its imports, and what those re-export with `import public`.
  const byPath = new Map(files.map((f) => [f.path, f]));
  const publicClosure = new Map<ProtoFile, ProtoFile[]>();
  const reexports = (f: ProtoFile): ProtoFile[] => {
    let out = publicClosure.get(f);
    if (out) return out;
    out = [f];
    publicClosure.set(f, out);
    for (const imp of f.imports) {
      const dep = imp.modifier === "public" ? byPath.get(imp.path) : undefined;
      if (dep) for (const x of reexports(dep)) if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const visibleSets = new Map<ProtoFile, Set<ProtoFile>>();
  const visibleFrom = (f: ProtoFile): Set<ProtoFile> => {
    let set = visibleSets.get(f);
    if (!set) {
      set = new Set([f]);
      for (const imp of f.imports) {
        const dep = byPath.get(imp.path);
        if (dep) for (const x of reexports(dep)) set.add(x);
      }
      visibleSets.set(f, set);
    }
    return set;
  };
  /** The last symbol a lookup found but could not see, for the error message. */
  let hidden: Sym | undefined;
  const visible = (sym: Sym | undefined, from: ProtoFile): Sym | undefined => {
    if (!sym || sym.kind === "package" || sym.file === from || visibleFrom(from).has(sym.file)) return sym;
    hidden = sym;
    return undefined;
  };
  const get = (name: string, from: ProtoFile): Sym | undefined => visible(table.get(name), from);

  /**
   * protoc's lookup: innermost scope first; a compound name binds to the first scope holding its
   * first part. The scopes are walked through their parents, so a lookup allocates nothing.
   */
  const resolve = (ref: string, scope: ScopeNode, typesOnly: boolean, from: ProtoFile): Sym | undefined => {
    hidden = undefined;
    if (ref.charCodeAt(0) === 46) return get(ref.slice(1), from);
    const dot = ref.indexOf(".");
    const first = dot === -1 ? ref : ref.slice(0, dot);
    for (let k: ScopeNode | undefined = scope; k; k = k.parent) {
      const s = k.full;
      const sym = visible(k.children?.get(first)?.sym, from);
      if (sym) {
        if (dot === -1) {
          if (!typesOnly || sym.kind === "message" || sym.kind === "enum") return sym;
        } else if (sym.kind !== "service") {
          return get(s ? `${s}.${ref}` : ref, from);
        }
      }
    }
    return undefined;
  };
  const notFound = (what: string, ref: string, from: ProtoFile): string =>
    hidden
      ? `${what} "${ref}" seems to be defined in "${hidden.file.path}", which is not imported by "${from.path}"`
      : `${what} "${ref}" is not defined`;

  const fieldType = (f: Field, scope: ScopeNode) => {
    if (f.typeRef === undefined) return;
    const sym = resolve(f.typeRef, scope, true, f.file);
    if (!sym || (sym.kind !== "message" && sym.kind !== "enum")) fail(f.file, f.typeSpan, `field "${f.fullName}": ${notFound("type", f.typeRef, f.file)}`);
    f.target = sym.el;
    f.typeName = `.${sym.el!.fullName}`;
    if (sym.kind === "enum") {
      if (f.type === "group") fail(f.file, f.typeSpan, `group "${f.typeRef}" must be a message`);
      f.type = "enum";
    }
  };

  const linkField = (f: Field, scope: ScopeNode, inherited: Features) => {
    fieldType(f, scope);
    if (f.extendeeRef !== undefined) {
      const sym = resolve(f.extendeeRef, scope, true, f.file);
      if (!sym || sym.kind !== "message") fail(f.file, f.span, `extension "${f.fullName}": ${notFound("extendee", f.extendeeRef, f.file)}`);
      f.extendee = sym.el!.fullName;
    }
    let base = inherited;
    if (f.oneof && !f.oneof.synthetic && f.oneof.options.length) base = applyFeatures(base, f.oneof.options);
    f.features = f.options.length ? applyFeatures(base, f.options) : base;
  };

  const linkEnum = (e: Enum, parent: Features) => {
    e.features = e.options.length ? applyFeatures(parent, e.options) : parent;
  };

  /** `outer` is the scope the message is defined in; its own scope is the child of that named after it. */
  const linkMessage = (m: Message, parent: Features, outer: ScopeNode) => {
    const scope = outer.children!.get(m.name)!;
    m.features = m.options.length ? applyFeatures(parent, m.options) : parent;
    if (m.fields.length > 1) checkFieldClashes(m);
    for (const f of m.fields) linkField(f, scope, m.features);
    for (const f of m.extensions) linkField(f, scope, m.features);
    for (const n of m.messages) linkMessage(n, m.features, scope);
    for (const e of m.enums) linkEnum(e, m.features);
  };

  for (const f of files) {
    const base = f.syntax === "proto3" ? PROTO3 : f.syntax === "proto2" ? PROTO2 : f.edition === "2024" ? EDITION_2024 : EDITION_2023;
    f.features = applyFeatures(base, f.options);
    const scope = packageScopes.get(f)!;
    for (const m of f.messages) linkMessage(m, f.features, scope);
    for (const e of f.enums) linkEnum(e, f.features);
    for (const x of f.extensions) linkField(x, scope, f.features);
    for (const s of f.services) {
      const inner = scope.children!.get(s.name)!;
      for (const m of s.methods) {
        const i = resolve(m.inputRef, inner, true, f);
        if (!i || i.kind !== "message") fail(f, m.inputSpan, `rpc "${s.fullName}.${m.name}": ${notFound("request type", m.inputRef, f)}`);
        const o = resolve(m.outputRef, inner, true, f);
        if (!o || o.kind !== "message") fail(f, m.outputSpan, `rpc "${s.fullName}.${m.name}": ${notFound("response type", m.outputRef, f)}`);
        m.inputType = i.el!.fullName;
        m.outputType = o.el!.fullName;
      }
    }
  }
}
