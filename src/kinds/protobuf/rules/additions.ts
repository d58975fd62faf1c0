import type { Enum, EnumValue, Field, Message, ProtoFile, Service } from "../model.ts";
import { at, fieldDescription, isDeprecated, q, sourceChanged, type ProtoRule, type Report, type RuleContext } from "./context.ts";

/**
 * Not buf rules: buf only reports what breaks, but a release needs to know what grew (a minor bump)
 * and a changelog what was added or newly deprecated. These findings are `safe`.
 *
 * Identity follows the deletion rules: packages and files by name, messages, enums and services by
 * full name, fields and extensions by number, oneofs, enum values and rpcs by name. Only the topmost
 * new element is reported: the fields of a new message are part of MESSAGE_ADDED, the types of a new
 * package part of PACKAGE_ADDED. Files are not part of a declaration's identity (a type moved to a new
 * file is not new), so FILE_ADDED is reported alongside the new declarations a file brings.
 *
 * `new` is the added element; `old` is the element it was added to (message, enum or service) in the
 * old version, absent for files, packages and top-level declarations. Deprecations point at the
 * element in both versions.
 */

export const ADDITION_IDS = [
  "FILE_ADDED",
  "PACKAGE_ADDED",
  "MESSAGE_ADDED",
  "FIELD_ADDED",
  "ONEOF_ADDED",
  "ENUM_ADDED",
  "ENUM_VALUE_ADDED",
  "SERVICE_ADDED",
  "RPC_ADDED",
  "EXTENSION_ADDED",
  "MESSAGE_DEPRECATED",
  "FIELD_DEPRECATED",
  "ENUM_DEPRECATED",
  "ENUM_VALUE_DEPRECATED",
  "SERVICE_DEPRECATED",
  "RPC_DEPRECATED",
] as const;

type AdditionId = (typeof ADDITION_IDS)[number];

/** ` to message "User"`, ` to package "acme.v1"`, or nothing for a file without package. */
function scope(file: ProtoFile, parent?: Message): string {
  if (parent) return ` to message ${q(parent.name)}`;
  return file.package ? ` to package ${q(file.package)}` : "";
}

/** Findings per id, computed in one pass over the new version and shared by the rules of one diff. */
const found = new WeakMap<RuleContext, Map<AdditionId, Report[]>>();

function collect(ctx: RuleContext): Map<AdditionId, Report[]> {
  const hit = found.get(ctx);
  if (hit) return hit;
  const out = new Map<AdditionId, Report[]>(ADDITION_IDS.map((id) => [id, []]));
  const add = (id: AdditionId, r: Report) => out.get(id)!.push(r);
  const { before, after } = ctx;

  const oldPackages = new Set<string>();
  for (const f of before.files.values()) oldPackages.add(f.package);
  const newPackages = new Map<string, ProtoFile[]>();
  for (const f of after.files.values()) {
    if (oldPackages.has(f.package) || f.package === "") continue;
    const files = newPackages.get(f.package);
    if (files) files.push(f);
    else newPackages.set(f.package, [f]);
  }
  for (const [pkg, files] of newPackages) {
    const first = files.reduce((a, b) => (b.path < a.path ? b : a));
    const count = files.length === 1 ? "1 file" : `${files.length} files`;
    add("PACKAGE_ADDED", { path: pkg, message: `Package ${q(pkg)} was added (${count}).`, at: at(first, first.packageSpan) });
  }

  /** A group's message comes with its field (as a map entry does): the field is the addition. */
  const implicit = (fieldLists: Field[][]): Set<Message> => {
    const targets = new Set<Message>();
    for (const fields of fieldLists) for (const f of fields) if (f.type === "group" && f.target) targets.add(f.target as Message);
    return targets;
  };

  const extension = (x: Field, prevParent?: Message) => {
    if (before.extensions.get(x.extendee ?? "")?.has(x.number)) return;
    add("EXTENSION_ADDED", {
      path: x.fullName,
      message: `${fieldDescription(x)} was added.`,
      at: at(x.file, x.span),
      ...(prevParent ? { old: at(prevParent.file, prevParent.span) } : {}),
    });
  };

  const enumType = (e: Enum, prevParent?: Message) => {
    const pe = before.enums.get(e.fullName);
    if (!pe) {
      add("ENUM_ADDED", {
        path: e.fullName,
        message: `Enum ${q(e.name)} was added${scope(e.file, prevParent)}.`,
        at: at(e.file, e.span),
        ...(prevParent ? { old: at(prevParent.file, prevParent.span) } : {}),
      });
      return;
    }
    if (isDeprecated(e.options) && !isDeprecated(pe.options))
      add("ENUM_DEPRECATED", { path: e.fullName, message: `Enum ${q(e.name)} was deprecated.`, at: at(e.file, e.span), old: at(pe.file, pe.span) });
    // Values usually keep their order: pair by position while names agree, then by name.
    let oldByName: Map<string, EnumValue> | undefined;
    let names: Set<string> | undefined;
    let oldNames: Map<number, string[]> | undefined;
    for (let i = 0; i < e.values.length; i++) {
      const v = e.values[i]!;
      let pv = pe.values[i];
      if (pv?.name !== v.name) {
        oldByName ??= new Map(pe.values.map((x) => [x.name, x]));
        pv = oldByName.get(v.name);
      }
      if (pv) {
        if (isDeprecated(v.options) && !isDeprecated(pv.options))
          add("ENUM_VALUE_DEPRECATED", {
            path: `${e.fullName}.${v.name}`,
            message: `Enum value "${v.number}" with name ${q(v.name)} on enum ${q(e.name)} was deprecated.`,
            at: at(e.file, v.span),
            old: at(pe.file, pv.span),
          });
        continue;
      }
      // A new name on a known number is a rename (reported by buf) unless every old name of that number stays: an alias.
      names ??= new Set(e.values.map((x) => x.name));
      if (!oldNames) {
        oldNames = new Map();
        for (const x of pe.values) {
          const list = oldNames.get(x.number);
          if (list) list.push(x.name);
          else oldNames.set(x.number, [x.name]);
        }
      }
      if (oldNames.get(v.number)?.some((n) => !names!.has(n))) continue;
      add("ENUM_VALUE_ADDED", {
        path: `${e.fullName}.${v.name}`,
        message: `Enum value "${v.number}" with name ${q(v.name)} on enum ${q(e.name)} was added.`,
        at: at(e.file, v.span),
        old: at(pe.file, pe.span),
      });
    }
  };

  const message = (m: Message, skip: Set<Message>, prevParent?: Message) => {
    if (m.mapEntry || skip.has(m)) return;
    const pm = before.messages.get(m.fullName);
    if (!pm) {
      add("MESSAGE_ADDED", {
        path: m.fullName,
        message: `Message ${q(m.name)} was added${scope(m.file, prevParent)}.`,
        at: at(m.file, m.span),
        ...(prevParent ? { old: at(prevParent.file, prevParent.span) } : {}),
      });
      return;
    }
    if (isDeprecated(m.options) && !isDeprecated(pm.options))
      add("MESSAGE_DEPRECATED", { path: m.fullName, message: `Message ${q(m.name)} was deprecated.`, at: at(m.file, m.span), old: at(pm.file, pm.span) });
    const oldOneofs = new Set<string>();
    if (m.oneofs.length) for (const o of pm.oneofs) if (!o.synthetic) oldOneofs.add(o.name);
    for (const o of m.oneofs) {
      if (o.synthetic || oldOneofs.has(o.name)) continue;
      add("ONEOF_ADDED", {
        path: `${m.fullName}.${o.name}`,
        message: `Oneof ${q(o.name)} on message ${q(m.name)} was added.`,
        at: at(m.file, o.span),
        old: at(pm.file, pm.span),
      });
    }
    // Fields usually keep their order: pair by position while numbers agree, then by number.
    let oldFields: Map<number, Field> | undefined;
    for (let i = 0; i < m.fields.length; i++) {
      const f = m.fields[i]!;
      let pf = pm.fields[i];
      if (pf?.number !== f.number) {
        if (!oldFields) {
          oldFields = new Map();
          for (const x of pm.fields) oldFields.set(x.number, x);
        }
        pf = oldFields.get(f.number);
      }
      if (pf) {
        if (isDeprecated(f.options) && !isDeprecated(pf.options))
          add("FIELD_DEPRECATED", { path: f.fullName, message: `${fieldDescription(f)} was deprecated.`, at: at(f.file, f.span), old: at(pf.file, pf.span) });
        continue;
      }
      // The fields of a new oneof are part of ONEOF_ADDED.
      if (f.oneof && !f.oneof.synthetic && !oldOneofs.has(f.oneof.name)) continue;
      add("FIELD_ADDED", { path: f.fullName, message: `${fieldDescription(f)} was added.`, at: at(f.file, f.span), old: at(pm.file, pm.span) });
    }
    const nested = m.messages.length ? implicit([m.fields, m.extensions]) : skip;
    for (const n of m.messages) message(n, nested, pm);
    for (const e of m.enums) enumType(e, pm);
    for (const x of m.extensions) extension(x, pm);
  };

  const service = (s: Service) => {
    const ps = before.services.get(s.fullName);
    if (!ps) {
      add("SERVICE_ADDED", { path: s.fullName, message: `Service ${q(s.name)} was added${scope(s.file)}.`, at: at(s.file, s.span) });
      return;
    }
    if (isDeprecated(s.options) && !isDeprecated(ps.options))
      add("SERVICE_DEPRECATED", { path: s.fullName, message: `Service ${q(s.name)} was deprecated.`, at: at(s.file, s.span), old: at(ps.file, ps.span) });
    const old = new Map(ps.methods.map((x) => [x.name, x]));
    for (const r of s.methods) {
      const pr = old.get(r.name);
      const path = `${s.fullName}.${r.name}`;
      if (!pr) add("RPC_ADDED", { path, message: `RPC ${q(r.name)} on service ${q(s.name)} was added.`, at: at(s.file, r.span), old: at(ps.file, ps.span) });
      else if (isDeprecated(r.options) && !isDeprecated(pr.options))
        add("RPC_DEPRECATED", { path, message: `RPC ${q(r.name)} on service ${q(s.name)} was deprecated.`, at: at(s.file, r.span), old: at(ps.file, pr.span) });
    }
  };

  for (const f of after.files.values()) {
    const prev = before.files.get(f.path);
    // Everything reported here is syntax of the file itself: an unchanged file adds nothing.
    if (prev && !sourceChanged(f, prev)) continue;
    if (!prev) add("FILE_ADDED", { path: f.path, message: `File ${q(f.path)} was added.`, at: at(f) });
    if (newPackages.has(f.package)) continue;
    const skip = implicit([f.extensions]);
    for (const m of f.messages) message(m, skip);
    for (const e of f.enums) enumType(e);
    for (const s of f.services) service(s);
    for (const x of f.extensions) extension(x);
  }
  found.set(ctx, out);
  return out;
}

const ADDED_WHY = "Additions are backward compatible: existing clients ignore what they do not know. They call for a minor release and belong in the changelog.";
const DEPRECATED_WHY = "Not a break yet: it announces a removal. Clients should move away before the element is deleted (see policy.deprecation).";

const SUMMARIES: Record<AdditionId, string> = {
  FILE_ADDED: "A file was added.",
  PACKAGE_ADDED: "A package was added (its files' declarations are part of this finding).",
  MESSAGE_ADDED: "A message was added (its fields and nested types are part of this finding).",
  FIELD_ADDED: "A field was added to an existing message.",
  ONEOF_ADDED: "A oneof was added to an existing message (its new fields are part of this finding).",
  ENUM_ADDED: "An enum was added (its values are part of this finding).",
  ENUM_VALUE_ADDED: "A value (or an alias of an existing number) was added to an existing enum.",
  SERVICE_ADDED: "A service was added (its rpcs are part of this finding).",
  RPC_ADDED: "An rpc was added to an existing service.",
  EXTENSION_ADDED: "An extension was added.",
  MESSAGE_DEPRECATED: "A message became `deprecated = true`.",
  FIELD_DEPRECATED: "A field became `deprecated = true`.",
  ENUM_DEPRECATED: "An enum became `deprecated = true`.",
  ENUM_VALUE_DEPRECATED: "An enum value became `deprecated = true`.",
  SERVICE_DEPRECATED: "A service became `deprecated = true`.",
  RPC_DEPRECATED: "An rpc became `deprecated = true`.",
};

const rules: ProtoRule[] = ADDITION_IDS.map((id) => ({
  id,
  categories: [],
  severity: "safe",
  summary: SUMMARIES[id],
  why: id.endsWith("_ADDED") ? ADDED_WHY : DEPRECATED_WHY,
  check(ctx: RuleContext) {
    for (const r of collect(ctx).get(id)!) ctx.report(r);
  },
}));

export default rules;
