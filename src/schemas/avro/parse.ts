import avro from "avsc";
import { ContractError } from "../../core/errors.ts";
import type { Location } from "../../core/location.ts";
import { isObject, JsonDocument, member, type SourceDocument } from "../json/parse.ts";
import {
  type AvroModel,
  type AvroSchemaFile,
  type AvroType,
  type EnumType,
  type FixedType,
  type NamedType,
  PRIMITIVES,
  type PrimitiveName,
  type RecordField,
  type RecordType,
} from "./model.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Bounds work on hostile input: more definitions than this is not a schema anyone writes by hand. */
const MAX_NODES = 200_000;

function isPrimitive(s: string): s is PrimitiveName {
  return (PRIMITIVES as readonly string[]).includes(s);
}

function validFullName(s: string): boolean {
  return s.split(".").every((p) => NAME.test(p));
}

/** A name reference waiting for every file to be read (named types may be defined in another file). */
interface Pending {
  /** Index of the source the reference is written in. */
  source: number;
  name: string;
  namespace: string;
  loc: Location;
  set(t: AvroType): void;
}

/** One `.avsc` text of a contract, or a schema inside an already parsed document (an AsyncAPI payload). */
export type AvroSource = { file: string; text: string } | { doc: SourceDocument; root: unknown };

/**
 * Reads the `.avsc` files of one contract into a model with positions. Named types may be referenced
 * across files by full name. Every problem is a ContractError at the offending place; avsc then
 * validates each schema too, as a second reading of the specification.
 */
export function parseAvro(sources: AvroSource[], opts: { separate?: boolean } = {}): AvroModel {
  const named = new Map<string, NamedType>();
  // With `separate`, each source is a schema of its own (AsyncAPI payloads): it may define a name
  // another source defines too, uses its own definition first, and others' only for names it lacks.
  const own = sources.map(() => new Map<string, NamedType>());
  const pending: Pending[] = [];
  const schemas: AvroSchemaFile[] = [];
  const docs: Array<{ doc: SourceDocument; root: unknown }> = [];
  let nodes = 0;

  for (const [index, src] of sources.entries()) {
    const doc = "text" in src ? new JsonDocument(src.file, src.text) : src.doc;
    const rootValue = "text" in src ? doc.value : src.root;
    docs.push({ doc, root: rootValue });

    const fail = (message: string, container: unknown, key?: string | number, which: "key" | "value" = "value"): never => {
      throw new ContractError(message, doc.loc(container, key, which));
    };

    const defineNamed = (t: NamedType, container: Record<string, unknown>) => {
      if (isPrimitive(t.name)) fail(`'${t.name}' is a primitive type name and cannot name a ${t.type}`, container, "name");
      if ((opts.separate ? own[index]! : named).has(t.fullName)) fail(`type '${t.fullName}' is defined twice`, container, "name");
      own[index]!.set(t.fullName, t);
      if (!named.has(t.fullName)) named.set(t.fullName, t);
    };

    const nameOf = (o: Record<string, unknown>, ns: string, what: string) => {
      const raw = member(o, "name");
      if (typeof raw !== "string" || !validFullName(raw)) fail(`a ${what} needs a valid 'name' (letters, digits and '_', dot-separated)`, o, Object.hasOwn(o, "name") ? "name" : undefined);
      const rawNs = member(o, "namespace");
      if (rawNs !== undefined && rawNs !== null && (typeof rawNs !== "string" || (rawNs !== "" && !validFullName(rawNs))))
        fail("'namespace' must be a dot-separated name", o, "namespace");
      const name = raw as string;
      const dot = name.lastIndexOf(".");
      const namespace = dot >= 0 ? name.slice(0, dot) : typeof rawNs === "string" ? rawNs : ns;
      const short = dot >= 0 ? name.slice(dot + 1) : name;
      const fullName = namespace ? `${namespace}.${short}` : short;
      const aliasesRaw = member(o, "aliases");
      if (aliasesRaw !== undefined && (!Array.isArray(aliasesRaw) || aliasesRaw.some((a) => typeof a !== "string" || !validFullName(a))))
        fail("'aliases' must be a list of names", o, "aliases");
      const aliases = ((aliasesRaw as string[] | undefined) ?? []).map((a) => (a.includes(".") || !namespace ? a : `${namespace}.${a}`));
      const doc = member(o, "doc");
      return { name: short, namespace, fullName, aliases, doc: typeof doc === "string" ? doc : undefined };
    };

    const logical = (o: Record<string, unknown>) => {
      const lt = member(o, "logicalType");
      if (typeof lt !== "string") return {};
      const precision = member(o, "precision");
      const scale = member(o, "scale");
      const out: { logicalType: string; logical?: { precision?: number; scale?: number } } = { logicalType: lt };
      if (typeof precision === "number" || typeof scale === "number")
        out.logical = { precision: typeof precision === "number" ? precision : undefined, scale: typeof scale === "number" ? scale : undefined };
      return out;
    };

    const parse = (v: unknown, ns: string, pointer: string, holder: unknown, key: string | number | undefined, set: (t: AvroType) => void): void => {
      if (++nodes > MAX_NODES) fail(`more than ${MAX_NODES} type definitions`, holder, key);
      const loc = doc.loc(holder, key, "value");
      if (typeof v === "string") {
        if (isPrimitive(v)) return set({ type: v, loc, pointer });
        if (!validFullName(v)) fail(`'${v}' is not a valid type name`, holder, key);
        pending.push({ source: index, name: v, namespace: ns, loc, set });
        return;
      }
      if (Array.isArray(v)) {
        const union = { type: "union" as const, branches: [] as AvroType[], loc, pointer };
        set(union);
        v.forEach((b, i) => {
          if (Array.isArray(b)) fail("a union may not directly contain another union", v, i);
          parse(b, ns, `${pointer}/${i}`, v, i, (t) => {
            union.branches[i] = t;
          });
        });
        return;
      }
      if (!isObject(v)) return fail("expected a type: a name, an object with 'type', or a union list", holder, key);
      if (!Object.hasOwn(v, "type")) fail("a schema object needs a 'type'", v);
      const type = v.type;
      const tloc = doc.loc(v, "type", "value");
      if (typeof type !== "string") {
        // `{"type": {...}}` and `{"type": [...]}` wrap another schema.
        return parse(type, ns, `${pointer}/type`, v, "type", set);
      }
      if (isPrimitive(type)) return set({ type, loc: tloc, pointer, ...logical(v) });
      switch (type) {
        case "record":
        case "error": {
          const n = nameOf(v, ns, "record");
          const fieldsRaw = member(v, "fields");
          if (!Array.isArray(fieldsRaw)) fail("a record needs a 'fields' list", v, Object.hasOwn(v, "fields") ? "fields" : "type");
          const rec: RecordType = { type: "record", ...n, fields: [], loc: doc.loc(v, "name", "value"), pointer, ...logical(v) };
          defineNamed(rec, v);
          set(rec);
          const seen = new Set<string>();
          (fieldsRaw as unknown[]).forEach((f, i) => {
            if (!isObject(f)) return fail("a record field must be an object", fieldsRaw, i);
            const fname = member(f, "name");
            if (typeof fname !== "string" || !NAME.test(fname)) fail("a field needs a valid 'name'", f, Object.hasOwn(f, "name") ? "name" : undefined);
            if (seen.has(fname as string)) fail(`field '${fname}' is defined twice in '${rec.fullName}'`, f, "name");
            seen.add(fname as string);
            if (!Object.hasOwn(f, "type")) fail(`field '${fname}' needs a 'type'`, f);
            const aliasesRaw = member(f, "aliases");
            if (aliasesRaw !== undefined && (!Array.isArray(aliasesRaw) || aliasesRaw.some((a) => typeof a !== "string" || !NAME.test(a))))
              fail("'aliases' must be a list of names", f, "aliases");
            const fdoc = member(f, "doc");
            const field: RecordField = {
              name: fname as string,
              aliases: (aliasesRaw as string[] | undefined) ?? [],
              type: undefined as unknown as AvroType,
              hasDefault: Object.hasOwn(f, "default"),
              default: member(f, "default"),
              doc: typeof fdoc === "string" ? fdoc : undefined,
              loc: doc.loc(f, "name", "value"),
              pointer: `${pointer}/fields/${i}`,
            };
            if (field.hasDefault) field.defaultLoc = doc.loc(f, "default", "value");
            rec.fields.push(field);
            parse(f.type, rec.namespace, `${pointer}/fields/${i}/type`, f, "type", (t) => {
              field.type = t;
            });
          });
          return;
        }
        case "enum": {
          const n = nameOf(v, ns, "enum");
          const symbols = member(v, "symbols");
          if (!Array.isArray(symbols)) return fail("an enum needs a 'symbols' list", v, Object.hasOwn(v, "symbols") ? "symbols" : "type");
          // A set, not indexOf: an enum of 50,000 symbols must not cost their square.
          const listed = new Set<string>();
          symbols.forEach((s, i) => {
            if (typeof s !== "string" || !NAME.test(s)) fail("enum symbols are names (letters, digits and '_')", symbols, i);
            if (listed.has(s as string)) fail(`enum symbol '${s}' is listed twice`, symbols, i);
            listed.add(s as string);
          });
          const def = member(v, "default");
          if (def !== undefined && (typeof def !== "string" || !symbols.includes(def))) fail("an enum's 'default' must be one of its symbols", v, "default");
          const e: EnumType = { type: "enum", ...n, symbols: symbols as string[], loc: doc.loc(v, "name", "value"), pointer, ...logical(v) };
          if (typeof def === "string") e.default = def;
          defineNamed(e, v);
          return set(e);
        }
        case "fixed": {
          const n = nameOf(v, ns, "fixed");
          const size = member(v, "size");
          if (typeof size !== "number" || !Number.isInteger(size) || size < 0) return fail("a fixed type needs a non-negative integer 'size'", v, Object.hasOwn(v, "size") ? "size" : "type");
          const fx: FixedType = { type: "fixed", ...n, size, loc: doc.loc(v, "name", "value"), pointer, ...logical(v) };
          defineNamed(fx, v);
          return set(fx);
        }
        case "array": {
          if (!Object.hasOwn(v, "items")) fail("an array needs 'items'", v, "type");
          const arr = { type: "array" as const, items: undefined as unknown as AvroType, loc: tloc, pointer, ...logical(v) };
          set(arr);
          return parse(v.items, ns, `${pointer}/items`, v, "items", (t) => {
            arr.items = t;
          });
        }
        case "map": {
          if (!Object.hasOwn(v, "values")) fail("a map needs 'values'", v, "type");
          const map = { type: "map" as const, values: undefined as unknown as AvroType, loc: tloc, pointer, ...logical(v) };
          set(map);
          return parse(v.values, ns, `${pointer}/values`, v, "values", (t) => {
            map.values = t;
          });
        }
        default:
          // `{"type": "com.acme.Money"}` refers to a named type.
          if (!validFullName(type)) fail(`unknown type '${type}'`, v, "type");
          pending.push({ source: index, name: type, namespace: ns, loc: tloc, set });
      }
    };

    // A root that names a type defined in another file is only known once every file is read: the
    // setter runs again when the pending name is resolved, so it must write into the entry itself.
    const entry = { file: doc.file } as AvroSchemaFile;
    parse(rootValue, "", "", undefined, undefined, (t) => {
      entry.root = t;
    });
    schemas.push(entry);
  }

  for (const p of pending) {
    const t = (opts.separate ? lookup(own[p.source]!, p.name, p.namespace) : undefined) ?? lookup(named, p.name, p.namespace);
    if (!t) throw new ContractError(`unknown type '${p.name}': no record, enum or fixed of that name is defined`, p.loc);
    p.set(t);
  }
  checkUnions(schemas);
  checkDefaults(schemas);
  if (opts.separate) for (const d of docs) validateWithAvsc([d], named);
  else validateWithAvsc(docs, named);
  return { schemas, named };
}

/** A name as written, looked up in the enclosing namespace first, then as a full name (Java does the same). */
function lookup(named: Map<string, NamedType>, name: string, ns: string): NamedType | undefined {
  if (!name.includes(".") && ns) {
    const t = named.get(`${ns}.${name}`);
    if (t) return t;
  }
  return named.get(name);
}

/** A union may hold one branch per unnamed type and one per name (specification, "Unions"). */
function checkUnions(schemas: AvroSchemaFile[]): void {
  const seen = new Set<AvroType>();
  const walk = (t: AvroType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.type === "union") {
      const keys = new Set<string>();
      for (const b of t.branches) {
        const key = b.type === "record" || b.type === "enum" || b.type === "fixed" ? b.fullName : b.type;
        if (b.type === "union") throw new ContractError("a union may not directly contain another union", b.loc);
        if (keys.has(key)) throw new ContractError(`union lists '${key}' twice`, b.loc);
        keys.add(key);
        walk(b);
      }
    } else if (t.type === "record") for (const f of t.fields) walk(f.type);
    else if (t.type === "array") walk(t.items);
    else if (t.type === "map") walk(t.values);
  };
  for (const s of schemas) walk(s.root);
}

/** Whether `v` is a valid default for `t` (a union's default may match any branch, as Java accepts). */
export function validDefault(t: AvroType, v: unknown, depth = 0): boolean {
  if (depth > 256) return false;
  switch (t.type) {
    case "null":
      return v === null;
    case "boolean":
      return typeof v === "boolean";
    case "int":
      return typeof v === "number" && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
    case "long":
      return typeof v === "number" && Number.isInteger(v);
    case "float":
    case "double":
      return typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity";
    case "bytes":
    case "string":
      return typeof v === "string";
    case "fixed":
      return typeof v === "string" && v.length === t.size;
    case "enum":
      return typeof v === "string" && t.symbols.includes(v);
    case "array":
      return Array.isArray(v) && v.every((x) => validDefault(t.items, x, depth + 1));
    case "map":
      return isObject(v) && Object.values(v).every((x) => validDefault(t.values, x, depth + 1));
    case "record":
      return isObject(v) && t.fields.every((f) => (Object.hasOwn(v, f.name) ? validDefault(f.type, v[f.name], depth + 1) : f.hasDefault));
    case "union":
      return t.branches.some((b) => validDefault(b, v, depth + 1));
  }
}

function checkDefaults(schemas: AvroSchemaFile[]): void {
  const seen = new Set<AvroType>();
  const walk = (t: AvroType): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.type === "record")
      for (const f of t.fields) {
        if (f.hasDefault && !validDefault(f.type, f.default))
          throw new ContractError(`invalid default for field '${f.name}': not a value of its type`, f.defaultLoc ?? f.loc);
        walk(f.type);
      }
    else if (t.type === "union") t.branches.forEach(walk);
    else if (t.type === "array") walk(t.items);
    else if (t.type === "map") walk(t.values);
  };
  for (const s of schemas) walk(s.root);
}

/** Fields and symbols of all named types beyond which avsc's second opinion is not asked. */
const AVSC_MAX_MEMBERS = 10_000;

/**
 * avsc reads each schema as a second opinion on validity. Files are tried until every one parses,
 * since a file may use types another defines. Known departures of avsc from the specification are
 * tolerated: the empty union (valid in Java), and names our own resolution already found.
 */
function validateWithAvsc(docs: Array<{ doc: SourceDocument; root: unknown }>, named: Map<string, NamedType>): void {
  // avsc generates code for every record (seconds and hundreds of MB for 50,000 fields); beyond a size no
  // real schema reaches, the checks above (names, duplicates, references, unions, defaults) decide alone.
  let members = 0;
  for (const t of named.values()) members += t.type === "record" ? t.fields.length : t.type === "enum" ? t.symbols.length : 0;
  if (members > AVSC_MAX_MEMBERS) return;
  const registry: Record<string, unknown> = Object.create(null);
  let todo = docs.map((d) => ({ doc: d.doc, root: d.root, value: forAvsc(d.root) }));
  while (todo.length) {
    const failed: Array<{ doc: SourceDocument; root: unknown; value: unknown; error: string }> = [];
    for (const item of todo) {
      const before = new Set(Object.keys(registry));
      try {
        avro.Type.forSchema(item.value as avro.Schema, { registry: registry as Record<string, avro.Type>, wrapUnions: true });
      } catch (e) {
        // avsc registers the names it met before failing; the retry would see them as duplicates.
        for (const k of Object.keys(registry)) if (!before.has(k)) delete registry[k];
        failed.push({ ...item, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (failed.length === todo.length) {
      const real = failed.find((f) => !/undefined type name|unknown type/i.test(f.error) || !named.size);
      if (real) throw new ContractError(`invalid Avro schema: ${real.error.split("\n")[0]}`, real.doc.loc(real.root));
      return;
    }
    todo = failed.map(({ doc, root, value }) => ({ doc, root, value }));
  }
}

/**
 * A copy of a schema for avsc. Empty unions (valid in Java, refused by avsc) become `["null"]`;
 * defaults are checked here; every name gets a prefix, because avsc looks names up in plain objects
 * and would take `toString` or `__proto__` for a duplicate.
 */
function forAvsc(v: unknown): unknown {
  const name = (n: unknown) => (typeof n === "string" && n ? n.split(".").map((p) => `n${p}`).join(".") : n);
  const names = (xs: unknown) => (Array.isArray(xs) ? xs.map(name) : xs);
  if (typeof v === "string") return (PRIMITIVES as readonly string[]).includes(v) ? v : name(v);
  if (Array.isArray(v)) return v.length === 0 ? ["null"] : v.map(forAvsc);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === "default" || k === "__proto__") continue;
    if (k === "type" && typeof x === "string" && ["record", "error", "enum", "fixed", "array", "map"].includes(x)) out[k] = x;
    else if (k === "type" || k === "items" || k === "values") out[k] = forAvsc(x);
    else if (k === "fields" && Array.isArray(x)) out[k] = x.map((f) => (isObject(f) ? { ...forAvsc(f) as object, name: name(f.name), aliases: names(f.aliases) } : f));
    else if (k === "name" || k === "namespace") out[k] = name(x);
    else if (k === "aliases" || k === "symbols") out[k] = names(x);
    else out[k] = x;
  }
  return out;
}
