import { posix } from "node:path";
import { RE2JS } from "re2js";
import { CommsError, ContractError } from "../../core/errors.ts";
import { pointerSegment } from "../../core/pointer.ts";
import { isObject, member, type SourceDocument as JsonDocument } from "../json/parse.ts";
import type { ArraySchema, At, Criterion, Draft, Lazy, NumberSchema, ObjectSchema, Schema, StringSchema } from "./model.ts";

/** Keywords that do not validate: beside a `$ref` they do not make the schema a combination. */
const ANNOTATIONS = new Set(["$ref", "$schema", "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$comment", "$defs", "definitions", "title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"]);
const TYPES = ["string", "number", "integer", "boolean", "null", "object", "array"];
const STRING_KEYS = ["minLength", "maxLength", "pattern", "format"];
const NUMBER_KEYS = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];
const OBJECT_KEYS = ["properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties", "dependencies", "dependentRequired", "dependentSchemas", "propertyNames", "unevaluatedProperties"];
const ARRAY_KEYS = ["items", "additionalItems", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains", "minContains", "maxContains", "unevaluatedItems"];

/** The draft a document declares with `$schema`; draft-07 when absent, as the schema registry assumes. */
export function draftOf(doc: JsonDocument, root: unknown = doc.value): Draft {
  const s = isObject(root) ? member(root, "$schema") : undefined;
  if (s === undefined) return "draft-07";
  if (typeof s !== "string") throw new ContractError("'$schema' must be a URI string", doc.loc(root, "$schema", "value"));
  if (/draft-0?4\b/.test(s)) return "draft-04";
  if (/draft-0?6\b/.test(s)) return "draft-06";
  if (/draft-0?7\b/.test(s)) return "draft-07";
  if (s.includes("2019-09")) return "2019-09";
  if (s.includes("2020-12")) return "2020-12";
  throw new ContractError(`unknown JSON Schema version '${s}' (drafts 4, 6, 7, 2019-09 and 2020-12 are supported)`, doc.loc(root, "$schema", "value"));
}

/** Reads another schema file named by a relative `$ref` (display path), or undefined when missing. */
export type FileLoader = (file: string) => JsonDocument | undefined;

const REMOTE = /^[a-z][a-z0-9+.-]*:/i;
/** Nodes built for one comparison; beyond this the input is hostile, not a schema. */
const MAX_NODES = 500_000;

export function escapePointer(seg: string): string {
  return seg.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * The schemas of one contract: the root document and the files its `$ref`s name, built lazily into
 * the model the registry's comparison walks. Relative file references are read through `load`,
 * never fetched, and never outside the project root.
 */
export class SchemaSet {
  private readonly cache = new WeakMap<object, Schema>();
  private readonly docs = new Map<string, JsonDocument>();
  /** The schemas each URI names, for every document of the set: identifiers as the declared draft defines them. */
  private readonly indexes: DocIndex[] = [];
  private nodes = 0;
  readonly root: Lazy;
  private readonly start: unknown;

  /**
   * `start` names the schema inside the document when it is not the document itself (an AsyncAPI
   * payload); its pointers are then relative to it, and `draft` applies when it declares none.
   */
  constructor(
    readonly rootDoc: JsonDocument,
    private readonly load: FileLoader,
    start?: { raw: unknown; draft?: Draft; pointer?: string },
    /** URL prefixes read from files inside the project root instead of the network (`ref-map`). */
    private readonly refMap: Record<string, string> = Object.create(null),
  ) {
    this.docs.set(rootDoc.file, rootDoc);
    const draft = start ? (isObject(start.raw) && Object.hasOwn(start.raw, "$schema") ? draftOf(rootDoc, start.raw) : (start.draft ?? "draft-07")) : draftOf(rootDoc);
    const at: At = { doc: rootDoc, raw: start ? start.raw : rootDoc.value, pointer: start ? (start.pointer ?? "") : "" };
    this.start = at.raw;
    const index = docIndex(rootDoc);
    this.indexes.push(index);
    index.add(at, index.baseOf(at.raw) ?? docUri(rootDoc), draft);
    this.check(at);
    this.root = () => this.build(at, draft);
  }

  /** Every file that makes up the contract (the root and the files reached by `$ref`). */
  files(): string[] {
    this.walkRefs();
    return [...this.docs.keys()];
  }

  /** Follows every `$ref` once, so a broken reference fails at load time rather than mid-comparison. */
  walkRefs(): void {
    const seen = new Set<JsonDocument>();
    const todo: Array<{ doc: JsonDocument; raw: unknown }> = [{ doc: this.rootDoc, raw: this.start }];
    while (todo.length) {
      const { doc, raw } = todo.pop()!;
      if (seen.has(doc)) continue;
      seen.add(doc);
      const visited = new Set<object>();
      const visit = (v: unknown, pointer: string, depth: number): void => {
        if (typeof v !== "object" || v === null || visited.has(v)) return;
        visited.add(v);
        if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${pointer}/${i}`, depth + 1));
        if (!isObject(v)) return;
        const ref = member(v, "$ref");
        if (typeof ref === "string") {
          const target = this.resolveRef(ref, { doc, raw: v, pointer });
          if (target.doc !== doc) todo.push({ doc: target.doc, raw: target.doc.value });
        }
        for (const k of Object.keys(v)) {
          if (k === "enum" || k === "const" || k === "default" || k === "examples") continue;
          visit(v[k], `${pointer}/${escapePointer(k)}`, depth + 1);
        }
      };
      visit(raw, "", 0);
    }
  }

  private fail(message: string, at: At, key?: string): never {
    throw new ContractError(message, at.doc.loc(at.raw, key, "value"));
  }

  /** The schema a URI names in any document of the set; a URI two schemas claim cannot be resolved. */
  private named(uri: string, ref: string, from: At): At | undefined {
    for (const index of this.indexes) {
      const twice = index.dups.get(uri);
      if (twice) this.ambiguous(ref, uri, twice, from);
    }
    let found: At | undefined;
    for (const index of this.indexes) {
      const at = index.ids.get(uri);
      if (!at) continue;
      if (found && found.raw !== at.raw) this.ambiguous(ref, uri, [found, at], from);
      found = at;
    }
    return found;
  }

  private ambiguous(ref: string, uri: string, both: At[], from: At): never {
    const where = both
      .map((a) => a.doc.loc(a.raw))
      .sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1))
      .map((l) => `${l.file}:${l.line}:${l.column}`);
    this.fail(`$ref '${ref}' is ambiguous: '${uri}' names two schemas (${where.join(" and ")}); give each its own identifier`, from, "$ref");
  }

  /** Reads another file of the contract (already contained by the caller) and indexes its schemas. */
  private file(file: string, ref: string, from: At, retrieval?: string): JsonDocument {
    let target = this.docs.get(file);
    if (target) return target;
    try {
      target = this.load(file);
    } catch (e) {
      if (e instanceof ContractError) throw e;
      if (e instanceof CommsError) this.fail(`$ref '${ref}' cannot be read: ${e.message}`, from, "$ref");
      throw e;
    }
    if (!target) this.fail(`$ref '${ref}': file '${file}' not found`, from, "$ref");
    this.docs.set(file, target);
    const index = docIndex(target);
    if (!this.indexes.includes(index)) this.indexes.push(index);
    const root: At = { doc: target, raw: target.value, pointer: "" };
    if (retrieval) index.alias(retrieval, root);
    index.add(root, docUri(target), draftOf(target));
    return target;
  }

  /** The local file a remote URL maps to through `ref-map` (longest prefix), contained like any path. */
  private mapped(uri: string, ref: string, from: At): string | undefined {
    let best: string | undefined;
    for (const prefix of Object.keys(this.refMap)) if (uri.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
    if (best === undefined) return undefined;
    const rest = uri.slice(best.length);
    let decoded: string;
    try {
      decoded = decodeURIComponent(rest);
    } catch {
      return this.fail(`$ref '${ref}' has a malformed percent-encoding`, from, "$ref");
    }
    const dir = posix.normalize(this.refMap[best]!.replace(/\\/g, "/")).replace(/\/+$/, "");
    const joined = posix.normalize(`${dir}/${decoded}`);
    // The URL's rest stays inside the mapped folder, which itself stays below the project root.
    const inside = (p: string) => !(p.startsWith("/") || p === ".." || p.startsWith("../") || /^[A-Za-z]:/.test(p));
    if (decoded.includes("\\") || decoded.includes("\0") || !inside(dir) || !inside(joined) || (dir !== "." && joined !== dir && !joined.startsWith(`${dir}/`)))
      this.fail(`$ref '${ref}' maps through ref-map '${best}' to '${joined}', outside ${dir}`, from, "$ref");
    return joined;
  }

  /** The node a `$ref` names, resolved as the draft does: against the base URI of the referring schema. */
  resolveRef(ref: string, from: At): At {
    const hash = ref.indexOf("#");
    const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash + 1) : "";
    const base = this.baseOf(from);
    let resource: At | undefined;
    let resourceUri = base;
    if (!filePart) resource = this.named(base, ref, from);
    else {
      const abs = resolveUri(filePart, base);
      if (abs !== undefined) {
        resource = this.named(abs, ref, from);
        resourceUri = abs;
      }
      if (!resource) {
        const viaMap = abs !== undefined ? this.mapped(abs, ref, from) : undefined;
        let file: string;
        if (viaMap !== undefined) file = viaMap;
        else {
          if (REMOTE.test(filePart) || filePart.startsWith("//")) this.fail(`$ref '${ref}' is remote; comms never fetches schemas (use a relative file, or map the URL to a file with ref-map)`, from, "$ref");
          if (filePart.startsWith("/") || filePart.includes("\\") || filePart.includes("\0")) this.fail(`$ref '${ref}' is absolute; references are relative to the referring file`, from, "$ref");
          const dir = posix.dirname(from.doc.file);
          file = posix.normalize(dir === "." ? filePart : `${dir}/${filePart}`);
          if (file === ".." || file.startsWith("../")) this.fail(`$ref '${ref}' points outside the project root`, from, "$ref");
        }
        const doc = this.file(file, ref, from, viaMap !== undefined ? abs : undefined);
        resource = { doc, raw: doc.value, pointer: "" };
        resourceUri = docIndex(doc).baseOf(doc.value) ?? docUri(doc);
      }
    }
    if (!resource) this.fail(`$ref '${ref}' does not resolve`, from, "$ref");
    if (fragment && !fragment.startsWith("/")) {
      // A plain name: an `$anchor` (or a draft-04/07 fragment identifier) of that resource, never a pointer.
      const key = resolveUri(`#${fragment}`, resourceUri);
      const anchored = key === undefined ? undefined : this.named(key, ref, from);
      if (anchored) return anchored;
      this.fail(`$ref '${ref}': no '$anchor' or '$id' named '${fragment}'`, from, "$ref");
    }
    // A pointer walks any member of the resource: whatever it reaches that is an object or a boolean is a schema.
    const doc = resource.doc;
    let raw: unknown = resource.raw;
    let pointer = resource.pointer;
    for (const seg of fragment.split("/").slice(1)) {
      const key = pointerSegment(seg);
      if (key === undefined) this.fail(`$ref '${ref}' has a malformed percent-encoding`, from, "$ref");
      else if (Array.isArray(raw) && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < raw.length) raw = raw[Number(key)];
      else if (isObject(raw) && Object.hasOwn(raw, key)) raw = raw[key];
      else this.fail(`$ref '${ref}' does not resolve: no '${key}' in ${doc.file}`, from, "$ref");
      pointer += `/${escapePointer(key)}`;
    }
    if (!isObject(raw) && typeof raw !== "boolean") this.fail(`$ref '${ref}' does not name a schema`, from, "$ref");
    const target: At = { doc, raw, pointer };
    // A pointer may reach a schema no keyword leads to (inside an unknown member): it is one from now on.
    const index = docIndex(doc);
    if (isObject(raw) && index.baseOf(raw) === undefined) index.add(target, resourceUri, draftOf(doc));
    return target;
  }

  /** The base URI a `$ref` in this schema is resolved against: its resource's identifier, or its file. */
  private baseOf(at: At): string {
    return docIndex(at.doc).baseOf(at.raw) ?? docUri(at.doc);
  }

  /** Rejects keywords of the wrong shape, at their location. */
  private check(at: At): void {
    const v = at.raw;
    if (typeof v === "boolean") return;
    if (!isObject(v)) this.fail("a schema must be an object or a boolean", at);
    const o = v as Record<string, unknown>;
    const type = member(o, "type");
    if (type !== undefined) {
      const list = Array.isArray(type) ? type : [type];
      if (!list.length || list.some((t) => typeof t !== "string" || !TYPES.includes(t))) this.fail(`invalid 'type': expected one of ${TYPES.join(", ")} (or a list of them)`, at, "type");
    }
    for (const k of [...NUMBER_KEYS.filter((x) => !x.startsWith("exclusive")), "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"]) {
      const n = member(o, k);
      if (n !== undefined && typeof n !== "number") this.fail(`'${k}' must be a number`, at, k);
    }
    for (const k of ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minContains", "maxContains"]) {
      const n = member(o, k);
      if (typeof n === "number" && (!Number.isInteger(n) || n < 0)) this.fail(`'${k}' must be a non-negative integer`, at, k);
    }
    const mult = member(o, "multipleOf");
    if (typeof mult === "number" && !(mult > 0)) this.fail("'multipleOf' must be greater than 0", at, "multipleOf");
    for (const k of ["exclusiveMinimum", "exclusiveMaximum"]) {
      const n = member(o, k);
      if (n !== undefined && typeof n !== "number" && typeof n !== "boolean") this.fail(`'${k}' must be a number`, at, k);
    }
    const req = member(o, "required");
    if (req !== undefined && typeof req !== "boolean" && (!Array.isArray(req) || req.some((r) => typeof r !== "string"))) this.fail("'required' must be a list of property names", at, "required");
    for (const k of ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependentRequired", "dependencies"]) {
      const m = member(o, k);
      if (m !== undefined && !isObject(m)) this.fail(`'${k}' must be an object`, at, k);
    }
    for (const k of ["allOf", "anyOf", "oneOf", "prefixItems"]) {
      const m = member(o, k);
      if (m !== undefined && (!Array.isArray(m) || (k !== "prefixItems" && !m.length))) this.fail(`'${k}' must be a non-empty list of schemas`, at, k);
    }
    const en = member(o, "enum");
    if (en !== undefined && !Array.isArray(en)) this.fail("'enum' must be a list", at, "enum");
    const pattern = member(o, "pattern");
    if (pattern !== undefined) {
      if (typeof pattern !== "string") this.fail("'pattern' must be a string", at, "pattern");
      regex(pattern as string, () => this.fail(`invalid regular expression in 'pattern'`, at, "pattern"));
    }
    const ref = member(o, "$ref");
    if (ref !== undefined && typeof ref !== "string") this.fail("'$ref' must be a string", at, "$ref");
  }

  private sub(parent: At, path: string[], draft: Draft): Lazy {
    let raw: unknown = parent.raw;
    let pointer = parent.pointer;
    let holder: unknown = parent.raw;
    let key: string | number = "";
    for (const seg of path) {
      holder = raw;
      key = Array.isArray(raw) ? Number(seg) : seg;
      raw = Array.isArray(raw) ? raw[Number(seg)] : isObject(raw) ? member(raw, seg) : undefined;
      pointer += `/${escapePointer(seg)}`;
    }
    const at: At = { doc: parent.doc, raw, pointer };
    if (!isObject(raw) && typeof raw !== "boolean") throw new ContractError("expected a schema (an object or a boolean)", parent.doc.loc(holder, key, "value"));
    this.check(at);
    let built: Schema | undefined;
    return () => (built ??= this.build(at, draft));
  }

  /** The model of one schema node, as the registry's loader (everit) reads it. */
  build(at: At, draft: Draft, depth = 0, besideRef = false): Schema {
    if (++this.nodes > MAX_NODES) this.fail(`more than ${MAX_NODES} schema nodes to compare`, at);
    const raw = at.raw;
    if (raw === true) return { k: "empty", at };
    if (raw === false) return { k: "false", at };
    const o = raw as Record<string, unknown>;
    const cached = besideRef ? undefined : this.cache.get(o);
    if (cached) return cached;
    const ref = besideRef ? undefined : member(o, "$ref");
    if (typeof ref === "string") {
      if (depth > 64) this.fail(`$ref '${ref}' leads to a chain of more than 64 references`, at, "$ref");
      const target = this.resolveRef(ref, at);
      this.check(target);
      const s = this.build(target, target.doc === at.doc ? draft : draftOf(target.doc), depth + 1);
      // Since 2019-09 the keywords beside a `$ref` apply too: the schema is both.
      if ((draft === "2019-09" || draft === "2020-12") && Object.keys(o).some((k) => !ANNOTATIONS.has(k))) {
        const rest = this.build(at, draft, depth, true);
        const both: Schema = { k: "combined", at, criterion: "allOf", subschemas: [() => s, () => rest], synthetic: true };
        this.cache.set(o, both);
        return both;
      }
      return s;
    }
    const meta = {
      id: str(member(o, draft === "draft-04" ? "id" : "$id")),
      title: str(member(o, "title")),
      description: str(member(o, "description")),
      ...(Object.hasOwn(o, "default") ? { default: o.default, hasDefault: true } : {}),
    };
    const parts: Schema[] = [];
    const type = member(o, "type");
    const has = (keys: string[]) => keys.some((k) => Object.hasOwn(o, k));
    const typed = (t: string, requires: boolean): Schema => {
      switch (t) {
        case "string":
          return this.string(o, at, requires);
        case "number":
        case "integer":
          return this.number(o, at, requires, t === "integer", draft);
        case "object":
          return this.object(o, at, requires, draft);
        case "array":
          return this.array(o, at, requires, draft);
        case "boolean":
          return { k: "boolean", at };
        default:
          return { k: "null", at };
      }
    };
    if (type !== undefined) {
      const list = [...new Set(Array.isArray(type) ? (type as string[]) : [type as string])];
      if (list.length === 1) parts.push(typed(list[0]!, true));
      else parts.push({ k: "combined", at, criterion: "anyOf", subschemas: list.map((t) => () => typed(t, true)), synthetic: true });
    } else {
      if (has(STRING_KEYS)) parts.push(typed("string", false));
      if (has(NUMBER_KEYS)) parts.push(typed("number", false));
      if (has(OBJECT_KEYS)) parts.push(typed("object", false));
      if (has(ARRAY_KEYS)) parts.push(typed("array", false));
    }
    const en = member(o, "enum");
    if (Array.isArray(en)) parts.push({ k: "enum", at, values: en });
    if (Object.hasOwn(o, "const")) parts.push({ k: "const", at, value: o.const });
    if (Object.hasOwn(o, "not")) parts.push({ k: "not", at, schema: this.sub(at, ["not"], draft) });
    for (const c of ["allOf", "anyOf", "oneOf"] as Criterion[]) {
      const list = member(o, c);
      if (Array.isArray(list)) parts.push({ k: "combined", at, criterion: c, subschemas: list.map((_, i) => this.sub(at, [c, String(i)], draft)), synthetic: false });
    }
    if (Object.hasOwn(o, "if")) {
      parts.push({
        k: "conditional",
        at,
        if: this.sub(at, ["if"], draft),
        then: Object.hasOwn(o, "then") ? this.sub(at, ["then"], draft) : undefined,
        else: Object.hasOwn(o, "else") ? this.sub(at, ["else"], draft) : undefined,
      });
    }
    let s: Schema;
    if (!parts.length) s = { k: "empty", at };
    else if (parts.length === 1) s = parts[0]!;
    else s = { k: "combined", at, criterion: "allOf", subschemas: parts.map((p) => () => p), synthetic: true };
    Object.assign(s, meta);
    if (!besideRef) this.cache.set(o, s);
    return s;
  }

  private string(o: Record<string, unknown>, at: At, requires: boolean): StringSchema {
    return { k: "string", at, requires, minLength: num(o, "minLength"), maxLength: num(o, "maxLength"), pattern: str(member(o, "pattern")), format: str(member(o, "format")) };
  }

  private number(o: Record<string, unknown>, at: At, requires: boolean, integer: boolean, draft: Draft): NumberSchema {
    const s: NumberSchema = { k: "number", at, requires, integer, minimum: num(o, "minimum"), maximum: num(o, "maximum"), multipleOf: num(o, "multipleOf") };
    if (draft === "draft-04") {
      // Draft 4 spells an exclusive bound as a boolean beside the bound itself.
      if (member(o, "exclusiveMinimum") === true && s.minimum !== undefined) [s.exclusiveMinimum, s.minimum] = [s.minimum, undefined];
      if (member(o, "exclusiveMaximum") === true && s.maximum !== undefined) [s.exclusiveMaximum, s.maximum] = [s.maximum, undefined];
    } else {
      s.exclusiveMinimum = num(o, "exclusiveMinimum");
      s.exclusiveMaximum = num(o, "exclusiveMaximum");
    }
    return s;
  }

  private object(o: Record<string, unknown>, at: At, requires: boolean, draft: Draft): ObjectSchema {
    const props = member(o, "properties");
    const properties = new Map<string, Lazy>();
    if (isObject(props)) for (const k of Object.keys(props)) properties.set(k, this.sub(at, ["properties", k], draft));
    const patterns = member(o, "patternProperties");
    const patternProperties = new Map<string, Lazy>();
    if (isObject(patterns))
      for (const k of Object.keys(patterns)) {
        regex(k, () => this.fail(`invalid regular expression '${k}' in 'patternProperties'`, { ...at, raw: patterns }, k));
        patternProperties.set(k, this.sub(at, ["patternProperties", k], draft));
      }
    const req = member(o, "required");
    const required = Array.isArray(req) ? (req as string[]) : [];
    const ap = member(o, "additionalProperties");
    const up = member(o, "unevaluatedProperties");
    const propertyDependencies = new Map<string, string[]>();
    const schemaDependencies = new Map<string, Lazy>();
    const depKey = Object.hasOwn(o, "dependentRequired") ? "dependentRequired" : "dependencies";
    const schemaKey = Object.hasOwn(o, "dependentSchemas") ? "dependentSchemas" : "dependencies";
    for (const key of ["dependencies", "dependentRequired", "dependentSchemas"]) {
      const deps = member(o, key);
      if (!isObject(deps)) continue;
      for (const k of Object.keys(deps)) {
        const d = deps[k];
        if (Array.isArray(d)) {
          if (d.some((x) => typeof x !== "string")) this.fail(`'${key}.${k}' must list property names`, { ...at, raw: deps }, k);
          propertyDependencies.set(k, d as string[]);
        } else schemaDependencies.set(k, this.sub(at, [key, k], draft));
      }
    }
    return {
      k: "object",
      at,
      requires,
      properties,
      required,
      additional: ap !== false,
      additionalSchema: isObject(ap) ? this.sub(at, ["additionalProperties"], draft) : undefined,
      patternProperties,
      unevaluated: up !== false,
      unevaluatedSchema: isObject(up) ? this.sub(at, ["unevaluatedProperties"], draft) : undefined,
      minProperties: num(o, "minProperties"),
      maxProperties: num(o, "maxProperties"),
      propertyDependencies,
      schemaDependencies,
      keys: { dependencies: depKey, schemaDependencies: schemaKey },
    };
  }

  private array(o: Record<string, unknown>, at: At, requires: boolean, draft: Draft): ArraySchema {
    const items = member(o, "items");
    const s: ArraySchema = {
      k: "array",
      at,
      requires,
      additional: true,
      unevaluated: member(o, "unevaluatedItems") !== false,
      minItems: num(o, "minItems"),
      maxItems: num(o, "maxItems"),
      uniqueItems: member(o, "uniqueItems") === true,
      minContains: num(o, "minContains"),
      maxContains: num(o, "maxContains"),
      keys: { tuple: "items", additional: "additionalItems" },
    };
    if (isObject(member(o, "unevaluatedItems"))) s.unevaluatedSchema = this.sub(at, ["unevaluatedItems"], draft);
    if (Object.hasOwn(o, "contains")) s.contains = this.sub(at, ["contains"], draft);
    if (draft === "2020-12") {
      // prefixItems is the tuple and items the rest: the registry reads them as items/additionalItems.
      const prefix = member(o, "prefixItems");
      if (Array.isArray(prefix)) s.tuple = prefix.map((_, i) => this.sub(at, ["prefixItems", String(i)], draft));
      s.keys = { tuple: "prefixItems", additional: "items" };
      if (!Array.isArray(prefix) && isObject(items)) s.allItems = this.sub(at, ["items"], draft);
      else if (items !== undefined) {
        s.additional = items !== false;
        if (isObject(items)) s.additionalSchema = this.sub(at, ["items"], draft);
      }
      return s;
    }
    if (Array.isArray(items)) s.tuple = items.map((_, i) => this.sub(at, ["items", String(i)], draft));
    else if (items !== undefined && items !== true) s.allItems = this.sub(at, ["items"], draft);
    const ai = member(o, "additionalItems");
    s.additional = ai !== false;
    if (isObject(ai)) s.additionalSchema = this.sub(at, ["additionalItems"], draft);
    return s;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(o: Record<string, unknown>, k: string): number | undefined {
  const v = member(o, k);
  return typeof v === "number" ? v : undefined;
}

/**
 * A schema's regular expression, matched in linear time (RE2): patterns and the names they are matched
 * against are both written by whoever wrote the schema, and a backtracking engine takes exponential
 * time on `^(a+)+$`. `exact` is false for what RE2 cannot express (lookaround, backreferences): such a
 * pattern is never evaluated, and callers judge conservatively.
 */
export interface Pattern {
  readonly exact: boolean;
  test(name: string): boolean;
}

const UNKNOWN: Pattern = { exact: false, test: () => false };
const compiled = new Map<string, Pattern>();

/** Checks a schema regex (ECMA 262, with the `u` flag JSON Schema assumes) and compiles it for RE2. */
export function regex(pattern: string, onError: () => never): Pattern {
  const known = compiled.get(pattern);
  if (known) return known;
  // Constructing a RegExp only parses it (nothing is matched): the syntax check of the dialect schemas use.
  try {
    new RegExp(pattern, "u");
  } catch {
    try {
      new RegExp(pattern);
    } catch {
      return onError();
    }
  }
  let out = UNKNOWN;
  try {
    const re = RE2JS.compile(RE2JS.translateRegExp(pattern));
    out = { exact: true, test: (name) => re.matcher(name).find() };
  } catch {
    // Lookaround, backreferences or counts over 1000: not evaluated.
  }
  if (compiled.size >= 10_000) compiled.clear();
  compiled.set(pattern, out);
  return out;
}

/** Keywords whose value is one schema, a list of schemas, or a map of names to schemas (every draft's). */
const ONE_SCHEMA = ["additionalItems", "additionalProperties", "unevaluatedItems", "unevaluatedProperties", "contains", "propertyNames", "not", "if", "then", "else", "contentSchema", "items"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const SCHEMA_MAPS = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas", "dependencies"];

/**
 * The identifiers of one document, as validators read them: only where the declared draft's keywords
 * hold a schema (never in unknown members, `enum`, `const`, `default` or `examples`). Each schema
 * records its base URI; identifiers are absolute URIs (`<resource>#<name>` for anchors).
 */
class DocIndex {
  readonly ids = new Map<string, At>();
  /** URIs claimed by two different schemas: a `$ref` to one of them is ambiguous. */
  readonly dups = new Map<string, At[]>();
  private readonly bases = new WeakMap<object, string>();

  constructor(private readonly doc: JsonDocument) {
    this.ids.set(docUri(doc), { doc, raw: doc.value, pointer: "" });
  }

  baseOf(raw: unknown): string | undefined {
    return typeof raw === "object" && raw !== null ? this.bases.get(raw) : undefined;
  }

  /** Names a whole file by the URL it was mapped from, as a validator that retrieved it would. */
  alias(uri: string, at: At): void {
    this.claim(uri, at);
  }

  private claim(uri: string, at: At): void {
    const known = this.ids.get(uri);
    if (!known) this.ids.set(uri, at);
    else if (known.raw !== at.raw && !this.dups.has(uri)) this.dups.set(uri, [known, at]);
  }

  /** Indexes the schema at `root` and every schema below it, once each (a YAML alias is visited once). */
  add(root: At, base: string, draft: Draft): void {
    const idKey = draft === "draft-04" ? "id" : "$id";
    const anchors = draft === "2019-09" ? ["$anchor"] : draft === "2020-12" ? ["$anchor", "$dynamicAnchor"] : [];
    const stack: Array<{ raw: unknown; pointer: string; base: string }> = [{ raw: root.raw, pointer: root.pointer, base }];
    while (stack.length) {
      const { raw, pointer, base: outer } = stack.pop()!;
      if (!isObject(raw) || this.bases.has(raw)) continue;
      const at: At = { doc: this.doc, raw, pointer };
      let here = outer;
      const id = member(raw, idKey);
      if (typeof id === "string" && id) {
        const uri = resolveUri(id, outer);
        if (uri !== undefined) {
          const fragmentAt = uri.indexOf("#");
          // An identifier with a fragment names this schema inside the enclosing resource (draft-04 to 07 style anchors).
          if (fragmentAt >= 0 && fragmentAt < uri.length - 1) this.claim(uri, at);
          else {
            here = fragmentAt >= 0 ? uri.slice(0, fragmentAt) : uri;
            this.claim(here, at);
          }
        }
      }
      for (const key of anchors) {
        const name = member(raw, key);
        const uri = typeof name === "string" && name ? resolveUri(`#${name}`, here) : undefined;
        if (uri !== undefined) this.claim(uri, at);
      }
      this.bases.set(raw, here);
      const push = (v: unknown, p: string) => {
        if (isObject(v)) stack.push({ raw: v, pointer: p, base: here });
      };
      for (const k of ONE_SCHEMA) if (Object.hasOwn(raw, k)) push(raw[k], `${pointer}/${escapePointer(k)}`);
      for (const k of SCHEMA_LISTS) {
        const list = member(raw, k);
        if (Array.isArray(list)) list.forEach((v, i) => push(v, `${pointer}/${escapePointer(k)}/${i}`));
      }
      for (const k of SCHEMA_MAPS) {
        const map = member(raw, k);
        if (isObject(map)) for (const name of Object.keys(map)) push(map[name], `${pointer}/${escapePointer(k)}/${escapePointer(name)}`);
      }
    }
  }
}

/** One index per document, however many schema sets read it (an AsyncAPI document holds many payloads). */
const indexes = new WeakMap<JsonDocument, DocIndex>();

function docIndex(doc: JsonDocument): DocIndex {
  let index = indexes.get(doc);
  if (!index) indexes.set(doc, (index = new DocIndex(doc)));
  return index;
}

/** The URI a file of the contract is known by when it declares no identifier of its own. */
function docUri(doc: JsonDocument): string {
  return `comms:///${doc.file.split("/").map(encodeURIComponent).join("/")}`;
}

/** `ref` resolved against `base` (RFC 3986), without an empty fragment; undefined when it cannot be. */
function resolveUri(ref: string, base: string): string | undefined {
  try {
    const href = new URL(ref, base).href;
    return href.endsWith("#") ? href.slice(0, -1) : href;
  } catch {
    return undefined;
  }
}

/** The `ref-map` setting (URL prefix → path below the project root) of a kind's settings, as an own-key map. */
export function refMapOf(settings: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const map = settings && Object.hasOwn(settings, "ref-map") ? settings["ref-map"] : undefined;
  if (isObject(map)) for (const k of Object.keys(map)) if (typeof map[k] === "string") out[k] = map[k] as string;
  return out;
}
