import type { Severity } from "../../../core/finding.ts";
import { featureOption } from "../link.ts";
import type { Enum, Field, Message, OptionDecl, ProtoFile, ProtoModel, Service, Span } from "../model.ts";

/** Where a finding points: a span in a file, or the file alone (printed as 1:1, as buf does). */
export interface Where {
  file: ProtoFile;
  span?: Span;
}

/** What a rule reports; the engine turns it into a Finding and applies ignores. */
export interface Report {
  path: string;
  message: string;
  /** Location in the new version; absent for deleted files and packages. */
  at?: Where;
  /** Location in the old version. */
  old?: Where;
  /** For removals: the removed element was marked `deprecated = true` in the old version. */
  deprecated?: boolean;
  /** For deletions: the element's number or name is not reserved, so it may be reused. */
  unreserved?: boolean;
}

/** Whether options mark an element `deprecated = true`. */
export function isDeprecated(options: OptionDecl[]): boolean {
  for (const o of options) if (o.name === "deprecated" && o.value.text === "true") return true;
  return false;
}

/** The checked elements of one version, indexed once by stable identity (buf's pair handlers). */
export interface Index {
  model: ProtoModel;
  files: Map<string, ProtoFile>;
  messages: Map<string, Message>;
  enums: Map<string, Enum>;
  services: Map<string, Service>;
  /** Extensions by extendee, then number. */
  extensions: Map<string, Map<number, Field>>;
  /** Per file: nested name → message / enum / extension. */
  fileMessages(f: ProtoFile): Map<string, Message>;
  fileEnums(f: ProtoFile): Map<string, Enum>;
  fileExtensions(f: ProtoFile): Map<string, Field>;
}

export interface RuleContext {
  before: Index;
  after: Index;
  report(r: Report): void;
  /** Matched pairs, computed once per diff and shared by the rules. */
  /** Flat [current, previous, current, previous, …] lists: no tuple per pair on large trees. */
  messagePairs?: Message[];
  fieldPairs?: Field[];
  changedMessagePairs?: Message[];
  changedEnumPairs?: Enum[];
  changedFilePairs?: ProtoFile[];
}

/** A breaking rule, declared with buf's id and the categories it belongs to. */
export interface ProtoRule {
  id: string;
  categories: readonly string[];
  summary: string;
  why?: string;
  /** Default: breaking for buf's rules (with categories), dangerous for comms' hints (without). */
  severity?: Severity;
  /** How to evolve the contract without the break (shown by `comms rules <id>`). */
  fix?: string;
  /** Deprecated ids are accepted in config but do nothing. */
  deprecated?: boolean;
  check(ctx: RuleContext): void;
}

export const ALL4 = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"] as const;
export const FILE_PACKAGE = ["FILE", "PACKAGE"] as const;
export const FILE_PACKAGE_WIRE_JSON = ["FILE", "PACKAGE", "WIRE_JSON"] as const;

const indexes = new WeakMap<ProtoModel, Index>();

/** Index of a model, built once and shared by all rules. */
export function indexOf(model: ProtoModel): Index {
  const hit = indexes.get(model);
  if (hit) return hit;
  const messages = new Map<string, Message>();
  const enums = new Map<string, Enum>();
  const services = new Map<string, Service>();
  const extensions = new Map<string, Map<number, Field>>();
  const addExt = (x: Field) => {
    let m = extensions.get(x.extendee ?? "");
    if (!m) extensions.set(x.extendee ?? "", (m = new Map()));
    m.set(x.number, x);
  };
  const walk = (m: Message) => {
    messages.set(m.fullName, m);
    for (const e of m.enums) enums.set(e.fullName, e);
    for (const x of m.extensions) addExt(x);
    for (const n of m.messages) walk(n);
  };
  for (const f of model.files.values()) {
    for (const m of f.messages) walk(m);
    for (const e of f.enums) enums.set(e.fullName, e);
    for (const s of f.services) services.set(s.fullName, s);
    for (const x of f.extensions) addExt(x);
  }
  const cache = <T>(build: (f: ProtoFile) => Map<string, T>) => {
    const c = new Map<ProtoFile, Map<string, T>>();
    return (f: ProtoFile) => {
      let m = c.get(f);
      if (!m) c.set(f, (m = build(f)));
      return m;
    };
  };
  const idx: Index = {
    model,
    files: model.files,
    messages,
    enums,
    services,
    extensions,
    fileMessages: cache((f) => {
      const out = new Map<string, Message>();
      const walk2 = (m: Message) => {
        out.set(m.nestedName, m);
        for (const n of m.messages) walk2(n);
      };
      for (const m of f.messages) walk2(m);
      return out;
    }),
    fileEnums: cache((f) => {
      const out = new Map<string, Enum>();
      const walk2 = (m: Message) => {
        for (const e of m.enums) out.set(e.nestedName, e);
        for (const n of m.messages) walk2(n);
      };
      for (const e of f.enums) out.set(e.nestedName, e);
      for (const m of f.messages) walk2(m);
      return out;
    }),
    fileExtensions: cache((f) => {
      const out = new Map<string, Field>();
      const walk2 = (m: Message) => {
        for (const x of m.extensions) out.set(`${m.nestedName}.${x.name}`, x);
        for (const n of m.messages) walk2(n);
      };
      for (const x of f.extensions) out.set(x.name, x);
      for (const m of f.messages) walk2(m);
      return out;
    }),
  };
  indexes.set(model, idx);
  return idx;
}

/** Calls `fn` for every message present in both versions (by full name). */
export function eachMessagePair(ctx: RuleContext, fn: (m: Message, prev: Message) => void): void {
  if (!ctx.messagePairs) {
    const pairs: Message[] = [];
    for (const [name, prev] of ctx.before.messages) {
      const m = ctx.after.messages.get(name);
      if (m) pairs.push(m, prev);
    }
    ctx.messagePairs = pairs;
  }
  eachFlat(ctx.messagePairs, fn);
}

const fileComparisons = new WeakMap<ProtoFile, { prev: ProtoFile; changed: boolean }>();

/**
 * Whether a file kept its path and its exact text. Everything a message, enum or file rule reads is
 * syntax of that one file (names, numbers, labels, reserved ranges, options, features), so such rules
 * can skip elements of unchanged files. Field and rpc rules also read resolved type names, which can
 * change through other files; they do not use this shortcut.
 */
export function sourceChanged(f: ProtoFile, prev: ProtoFile): boolean {
  const hit = fileComparisons.get(f);
  if (hit && hit.prev === prev) return hit.changed;
  // Comparing texts is cheap once per file but not once per message, so the answer is kept.
  const changed = f.path !== prev.path || f.text !== prev.text;
  fileComparisons.set(f, { prev, changed });
  return changed;
}

/** Calls `fn` for each pair of a flat [current, previous, …] list. */
function eachFlat<T>(pairs: T[], fn: (cur: T, prev: T) => void): void {
  for (let i = 0; i < pairs.length; i += 2) fn(pairs[i]!, pairs[i + 1]!);
}

/** The pairs `each` yields whose file changed (see sourceChanged), as a flat list. */
function changedPairs<T>(ctx: RuleContext, each: (ctx: RuleContext, fn: (cur: T, prev: T) => void) => void, fileOf: (x: T) => ProtoFile): T[] {
  const pairs: T[] = [];
  each(ctx, (cur, prev) => {
    if (sourceChanged(fileOf(cur), fileOf(prev))) pairs.push(cur, prev);
  });
  return pairs;
}

/** Message pairs whose file changed (see sourceChanged). */
export function eachChangedMessagePair(ctx: RuleContext, fn: (m: Message, prev: Message) => void): void {
  ctx.changedMessagePairs ??= changedPairs(ctx, eachMessagePair, (m) => m.file);
  eachFlat(ctx.changedMessagePairs, fn);
}

/** Enum pairs whose file changed (see sourceChanged). */
export function eachChangedEnumPair(ctx: RuleContext, fn: (e: Enum, prev: Enum) => void): void {
  ctx.changedEnumPairs ??= changedPairs(ctx, eachEnumPair, (e) => e.file);
  eachFlat(ctx.changedEnumPairs, fn);
}

/** File pairs (same path) whose text changed. */
export function eachChangedFilePair(ctx: RuleContext, fn: (f: ProtoFile, prev: ProtoFile) => void): void {
  ctx.changedFilePairs ??= changedPairs(ctx, eachFilePair, (f) => f);
  eachFlat(ctx.changedFilePairs, fn);
}

export function eachEnumPair(ctx: RuleContext, fn: (e: Enum, prev: Enum) => void): void {
  for (const [name, prev] of ctx.before.enums) {
    const e = ctx.after.enums.get(name);
    if (e) fn(e, prev);
  }
}

export function eachServicePair(ctx: RuleContext, fn: (s: Service, prev: Service) => void): void {
  for (const [name, prev] of ctx.before.services) {
    const s = ctx.after.services.get(name);
    if (s) fn(s, prev);
  }
}

export function eachFilePair(ctx: RuleContext, fn: (f: ProtoFile, prev: ProtoFile) => void): void {
  for (const [path, prev] of ctx.before.files) {
    const f = ctx.after.files.get(path);
    if (f) fn(f, prev);
  }
}

/** Field options some rule reads; custom options such as `(google.api.field_behavior)` are not among them. */
function hasRuleOption(f: Field): boolean {
  for (const o of f.options) {
    const n = o.name;
    if (n === "json_name" || n === "jstype" || n === "ctype" || n === "default" || n.startsWith("features")) return true;
  }
  return false;
}

const javaCheck = new WeakMap<ProtoFile, string>();
function javaStringCheck(f: ProtoFile): string {
  let v = javaCheck.get(f);
  if (v === undefined) {
    v = "";
    for (const o of f.options) if (o.name === "java_string_check_utf8") v = o.value.text;
    javaCheck.set(f, v);
  }
  return v;
}

/**
 * True when nothing any field rule reads differs between the two fields: same full name, number,
 * label, declared and resolved type, no option a rule reads on either side, the same resolved features object,
 * oneof and syntax. Enum-typed fields are never skipped (their default depends on the enum's values).
 * On large trees almost every pair is unchanged, so the rules only look at the rest.
 */
function unchangedField(f: Field, pf: Field): boolean {
  return (
    f.name === pf.name &&
    (f.extendee === undefined || f.fullName === pf.fullName) &&
    f.type === pf.type &&
    f.type !== "enum" &&
    f.typeName === pf.typeName &&
    f.label === pf.label &&
    !hasRuleOption(f) &&
    !hasRuleOption(pf) &&
    f.features === pf.features &&
    f.isMap === pf.isMap &&
    f.proto3Optional === pf.proto3Optional &&
    f.extendee === pf.extendee &&
    f.oneof?.name === pf.oneof?.name &&
    f.oneof?.synthetic === pf.oneof?.synthetic &&
    f.parent?.mapEntry === pf.parent?.mapEntry &&
    (f.target as Message | undefined)?.mapEntry === (pf.target as Message | undefined)?.mapEntry &&
    f.file.syntax === pf.file.syntax &&
    f.file.edition === pf.file.edition &&
    javaStringCheck(f.file) === javaStringCheck(pf.file)
  );
}

/** Fields of matched messages by number, then extensions by (extendee, number); unchanged pairs are skipped. */
export function eachFieldPair(ctx: RuleContext, fn: (f: Field, prev: Field) => void): void {
  if (!ctx.fieldPairs) {
    const pairs: Field[] = [];
    const add = (f: Field, pf: Field) => {
      if (!unchangedField(f, pf)) pairs.push(f, pf);
    };
    eachMessagePair(ctx, (m, prev) => {
      const cur = m.fields;
      const old = prev.fields;
      if (!old.length || !cur.length) return;
      // Fields usually keep their order: pair by position while numbers agree, then by number.
      let i = 0;
      while (i < old.length && i < cur.length && old[i]!.number === cur[i]!.number) {
        add(cur[i]!, old[i]!);
        i++;
      }
      if (i === old.length) return;
      const byNumber = new Map<number, Field>();
      for (const f of cur) byNumber.set(f.number, f);
      for (; i < old.length; i++) {
        const f = byNumber.get(old[i]!.number);
        if (f) add(f, old[i]!);
      }
    });
    for (const [extendee, prevByNumber] of ctx.before.extensions) {
      const byNumber = ctx.after.extensions.get(extendee);
      if (!byNumber) continue;
      for (const [n, pf] of prevByNumber) {
        const f = byNumber.get(n);
        if (f) add(f, pf);
      }
    }
    ctx.fieldPairs = pairs;
  }
  eachFlat(ctx.fieldPairs, fn);
}

/** Where an element is: its file and span. */
export function at(file: ProtoFile, span?: Span): Where {
  return { file, span };
}

/** buf's description of a field: `Field "2" with name "foo" on message "Bar"` (extensions by full name). */
export function fieldDescription(f: Field, withName = true): string {
  const name = f.extendee !== undefined ? f.fullName : f.name;
  const named = withName ? ` with name "${name}"` : "";
  if (f.extendee !== undefined) return `Extension "${f.number}"${named} on message "${f.extendee}"`;
  return `Field "${f.number}"${named} on message "${f.parent?.name ?? ""}"`;
}

/** Go-style %q quoting. */
export function q(s: string): string {
  return JSON.stringify(s);
}

/** protoreflect Kind of a field: delimited messages in editions count as groups. */
export function fieldKind(f: Field): string {
  if (f.type === "message" && !f.isMap && f.features.messageEncoding === "DELIMITED" && !(f.target as Message | undefined)?.mapEntry)
    return "group";
  return f.type;
}

export type Cardinality = "optional with explicit presence" | "optional with implicit presence" | "required" | "repeated" | "map";

export function hasPresence(f: Field): boolean {
  if (f.label === "repeated") return false;
  if (f.oneof || f.type === "message" || f.type === "group" || f.extendee !== undefined) return true;
  if (f.file.syntax === "proto3") return f.proto3Optional;
  if (f.file.syntax === "proto2") return true;
  return f.features.fieldPresence !== "IMPLICIT";
}

export function cardinality(f: Field): Cardinality {
  if (f.isMap) return "map";
  if (f.label === "repeated") return "repeated";
  if (f.label === "required" || (f.file.syntax === "editions" && f.features.fieldPresence === "LEGACY_REQUIRED")) return "required";
  return hasPresence(f) ? "optional with explicit presence" : "optional with implicit presence";
}

/** MESSAGE_/ENUM_SAME_JSON_FORMAT: reports a message or enum that no longer allows JSON. */
export function jsonFormatDropped(ctx: RuleContext, kind: "Message" | "Enum", el: Message | Enum, prev: Message | Enum): void {
  if (prev.features.jsonFormat !== "ALLOW" || el.features.jsonFormat === "ALLOW") return;
  ctx.report({
    path: el.fullName,
    message: `${kind} ${q(el.name)} JSON format support changed from ${prev.features.jsonFormat} to ${el.features.jsonFormat}.`,
    at: at(el.file, featureOption(el.options, "json_format")?.span ?? el.span),
    old: at(prev.file, featureOption(prev.options, "json_format")?.span ?? prev.span),
  });
}

