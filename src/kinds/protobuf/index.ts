import type { DiffOptions, Engine, EngineOptions, LoadedContract } from "../../core/engine.ts";
import type { Finding, Severity } from "../../core/finding.ts";
import type { RuleInfo } from "../../core/rule.ts";
import type { ContractSource } from "../../core/source.ts";
import { locate } from "./link.ts";
import { loadProto } from "./load.ts";
import { option, type BreakingConfig, type ProtoFile, type ProtoModel } from "./model.ts";
import { indexOf, type ProtoRule, type Report } from "./rules/context.ts";
import { ADDITION_IDS } from "./rules/additions.ts";
import { CATEGORIES, REPLACED, RULES } from "./rules/index.ts";

/** Settings accepted as comms.yaml `policy.protobuf` (buf's `breaking:` keys plus comms' own findings). */
export interface ProtobufSettings extends BreakingConfig {
  rename_hints?: boolean;
  /** `false` turns off the safe findings for additions and new deprecations (FIELD_ADDED, …). */
  additions?: boolean;
}

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

const RESERVE = "Keep the element and mark it `deprecated = true`; once no client uses it, delete it and reserve its number and name (`reserved 4; reserved \"email\";`).";

/** How to make common changes without the break, for `comms rules <id>`. */
const FIXES: Record<string, string> = {
  FIELD_NO_DELETE: RESERVE,
  FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: "Reserve the deleted number: `reserved 4;`.",
  FIELD_NO_DELETE_UNLESS_NAME_RESERVED: 'Reserve the deleted name: `reserved "email";`.',
  ENUM_VALUE_NO_DELETE: RESERVE,
  ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED: "Reserve the deleted number in the enum: `reserved 3;`.",
  ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED: 'Reserve the deleted value name in the enum: `reserved "STATUS_GONE";`.',
  FIELD_SAME_NAME: "Add a new field with the new name and a new number, deprecate the old one; or keep the name and set `json_name` for JSON.",
  FIELD_SAME_JSON_NAME: 'Keep the old JSON name explicitly: `string mail = 2 [json_name = "email"];`.',
  FIELD_SAME_TYPE: "Add a new field with the new type and a new number, and deprecate the old field.",
  FIELD_SAME_CARDINALITY: "Add a new field (e.g. `repeated`) with a new number instead of changing the label of the existing one.",
  MESSAGE_NO_DELETE: "Keep the message (deprecated) until no file or client refers to it.",
  ENUM_NO_DELETE: "Keep the enum (deprecated) until no file or client refers to it.",
  FILE_NO_DELETE: "Keep the file; moving types to another file breaks generated code that imports it (use the PACKAGE category if only packages matter to you).",
  RPC_NO_DELETE: "Keep the rpc and mark it `option deprecated = true;` until clients have moved.",
  RPC_SAME_REQUEST_TYPE: "Add a new rpc with the new request type and deprecate the old one.",
  RPC_SAME_RESPONSE_TYPE: "Add a new rpc with the new response type and deprecate the old one.",
  FILE_SAME_PACKAGE: "Create the types in a new file of the new package and keep the old file until clients have moved.",
};

function severityOf(rule: ProtoRule): Severity {
  return rule.severity ?? (rule.categories.length ? "breaking" : "dangerous");
}

/** Expands rule ids and categories to rule ids; unknown entries are reported through `warn`. */
function expand(entries: string[], warn: (m: string) => void): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    if ((CATEGORIES as readonly string[]).includes(e)) {
      for (const r of RULES) if (r.categories.includes(e)) out.add(r.id);
    } else if (Object.hasOwn(REPLACED, e)) for (const id of REPLACED[e]!) out.add(id);
    else if (BY_ID.has(e)) out.add(e);
    else warn(`protobuf: unknown breaking rule or category '${e}' ignored`);
  }
  return out;
}

/** The rules a configuration selects: `use` (default FILE) minus `except`. */
export function selectRules(config: BreakingConfig, warn: (m: string) => void = () => {}): ProtoRule[] {
  const use = expand(config.use?.length ? config.use : ["FILE"], warn);
  const except = expand(config.except ?? [], warn);
  return RULES.filter((r) => use.has(r.id) && !except.has(r.id) && !r.deprecated);
}

/** buf's unstable package versions: v1alpha1, v1beta1, v1test, v1p1beta1 … */
export function isUnstablePackage(pkg: string): boolean {
  const last = pkg.slice(pkg.lastIndexOf(".") + 1);
  return /^v\d+(p\d+)?(alpha|beta)\d*$/.test(last) || /^v\d+test/.test(last);
}

const underCache = new WeakMap<string[], Map<string, boolean>>();

/**
 * Whether a path is one of the prefixes or inside one. Asked for every finding, with lists as long
 * as buf.yaml makes them, so each answer is remembered per list: files are few, findings many.
 */
function underAny(path: string, prefixes: string[]): boolean {
  let cache = underCache.get(prefixes);
  if (!cache) underCache.set(prefixes, (cache = new Map()));
  let hit = cache.get(path);
  if (hit === undefined) {
    hit = false;
    for (const p of prefixes) {
      const n = p.replace(/\/+$/, "");
      if (path === n || path.startsWith(`${n}/`)) {
        hit = true;
        break;
      }
    }
    cache.set(path, hit);
  }
  return hit;
}

/**
 * buf drops a finding when its new or old file is under an ignored path. Paths are matched against
 * the import path, the path relative to the contract directory (where buf.yaml lives, so v2
 * `proto/foo` works) and the reader path.
 */
function ignored(rule: ProtoRule, r: Report, config: BreakingConfig, dirs: { before: string; after: string }): boolean {
  const files: Array<[ProtoFile, string]> = [];
  if (r.at) files.push([r.at.file, dirs.after]);
  if (r.old) files.push([r.old.file, dirs.before]);
  if (config.ignore_unstable_packages && files.some(([f]) => isUnstablePackage(f.package))) return true;
  const paths = ([f, dir]: [ProtoFile, string]) => [f.path, f.display, dir === "." ? f.display : f.display.startsWith(`${dir}/`) ? f.display.slice(dir.length + 1) : f.display];
  if (config.ignore?.length && files.some((f) => paths(f).some((p) => underAny(p, config.ignore!)))) return true;
  for (const [key, list] of Object.entries(config.ignore_only ?? {})) {
    if (key !== rule.id && !rule.categories.includes(key)) continue;
    if (files.some((f) => paths(f).some((p) => underAny(p, list)))) return true;
  }
  return false;
}

/** Runs the selected rules over two loaded versions; buf.yaml settings of the new version, overridden by comms settings. */
export function diffModels(before: ProtoModel, after: ProtoModel, settings: ProtobufSettings = {}, warn: (m: string) => void = () => {}): Finding[] {
  if (before.single !== undefined && after.single !== undefined && before.single !== after.single) {
    const f = before.files.get(before.single)!;
    f.path = after.single;
    before.files = new Map([[after.single, f]]);
    before.single = after.single;
  }
  const config: BreakingConfig = { ...(after.breaking ?? {}) };
  for (const k of ["use", "except", "ignore", "ignore_only", "ignore_unstable_packages"] as const)
    if (settings[k] !== undefined) (config as Record<string, unknown>)[k] = settings[k];
  const rules = selectRules(config, warn);
  // comms' own findings have no buf category: they run whatever `use` says, unless turned off by
  // their setting (rename_hints / additions: false) or named in `except`.
  const own = [...(settings.rename_hints !== false ? ["FIELD_RENAMED_HINT"] : []), ...(settings.additions !== false ? ADDITION_IDS : [])];
  for (const id of own) {
    const rule = BY_ID.get(id)!;
    if (!rules.includes(rule) && !config.except?.includes(id)) rules.push(rule);
  }
  const dirs = { before: before.dir ?? ".", after: after.dir ?? "." };
  const findings: Finding[] = [];
  const ctx = { before: indexOf(before), after: indexOf(after), report: (_: Report) => {} };
  for (const rule of rules) {
    const severity = severityOf(rule);
    ctx.report = (r: Report) => {
      if (ignored(rule, r, config, dirs)) return;
      const f: Finding = { rule: rule.id, severity, path: r.path, message: r.message };
      if (r.old) f.old = locate(r.old.file, r.old.span);
      if (r.at) f.new = locate(r.at.file, r.at.span);
      if (r.deprecated) f.deprecated = {};
      if (r.unreserved) f.unreserved = true;
      findings.push(f);
    };
    rule.check(ctx);
  }
  return findings;
}

const byName = new WeakMap<readonly { name: string }[], Map<string, { name: string }>>();

/**
 * The first element of a list with this name. Asked once per finding, and a message may lose tens
 * of thousands of fields in one change, so each list is indexed on first use.
 */
function named<T extends { name: string }>(list: readonly T[], name: string): T | undefined {
  let index = byName.get(list);
  if (!index) {
    index = new Map();
    for (const x of list) if (!index.has(x.name)) index.set(x.name, x);
    byName.set(list, index);
  }
  return index.get(name) as T | undefined;
}

function deprecatedAt(model: ProtoModel, path: string): boolean {
  const idx = indexOf(model);
  const isDep = (opts: Parameters<typeof option>[0]) => option(opts, "deprecated")?.value.text === "true";
  const m = idx.messages.get(path);
  if (m) return isDep(m.options);
  const e = idx.enums.get(path);
  if (e) return isDep(e.options);
  const s = idx.services.get(path);
  if (s) return isDep(s.options);
  const dot = path.lastIndexOf(".");
  const parent = path.slice(0, dot);
  const name = path.slice(dot + 1);
  const pm = idx.messages.get(parent);
  if (pm) {
    const f = named(pm.fields, name);
    return f ? isDep(f.options) : false;
  }
  const pe = idx.enums.get(parent);
  if (pe) {
    const v = named(pe.values, name);
    return v ? isDep(v.options) : false;
  }
  const ps = idx.services.get(parent);
  if (ps) {
    const x = named(ps.methods, name);
    return x ? isDep(x.options) : false;
  }
  const file = model.files.get(path);
  return file ? isDep(file.options) : false;
}

const engine: Engine<ProtoModel> = {
  kind: "protobuf",
  extensions: [".proto"],
  async load(source: ContractSource, _options: EngineOptions): Promise<LoadedContract<ProtoModel>> {
    const model = loadProto(source);
    // The buf files go with the .proto files: a snapshot without them would resolve other module roots.
    return { model, files: [...model.files.values()].map((f) => f.display).concat(model.config ?? []) };
  },
  async diff(before, after, options: DiffOptions): Promise<Finding[]> {
    return diffModels(before.model, after.model, options.settings as ProtobufSettings, options.warn);
  },
  rules(): RuleInfo[] {
    return RULES.filter((r) => !r.deprecated).map((r) => ({
      id: r.id,
      kind: "protobuf",
      severity: severityOf(r),
      categories: [...r.categories],
      summary: r.summary,
      ...(r.why ? { why: r.why } : {}),
      ...(Object.hasOwn(FIXES, r.id) ? { fix: FIXES[r.id] } : {}),
    }));
  },
  deprecation(contract, path) {
    return deprecatedAt(contract.model, path) ? {} : undefined;
  },
};

export default engine;
