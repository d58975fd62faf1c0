import type { Message, ProtoFile, Span } from "../model.ts";
import { at, isDeprecated, q, sourceChanged, type Index, type ProtoRule, type RuleContext, type Where } from "./context.ts";

/** buf points a deleted nested element at the closest enclosing message still present, else at the file. */
function deletedAt(idx: Index, file: ProtoFile, nestedName: string): Where {
  const messages = idx.fileMessages(file);
  const parts = nestedName.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const m: Message | undefined = messages.get(parts.slice(0, i).join("."));
    if (m) return at(file, m.span);
  }
  return at(file);
}

/** Deleted messages look for their closest surviving parent across the whole package. */
function deletedInPackage(idx: Index, pkgMessages: Map<string, { file: ProtoFile; fullName: string }>, file: ProtoFile, nestedName: string): Where {
  const parts = nestedName.split(".");
  for (let i = parts.length - 1; i > 0; i--) {
    const hit = pkgMessages.get(parts.slice(0, i).join("."));
    if (hit) {
      const m = idx.messages.get(hit.fullName);
      if (m) return at(m.file, m.span);
    }
  }
  return at(file);
}

type Kind = "message" | "enum" | "extension";

function fileScoped(kind: Kind, ctx: RuleContext): void {
  for (const [path, prev] of ctx.before.files) {
    const f = ctx.after.files.get(path);
    if (!f || !sourceChanged(f, prev)) continue;
    const get = (idx: Index, file: ProtoFile) =>
      kind === "message" ? idx.fileMessages(file) : kind === "enum" ? idx.fileEnums(file) : idx.fileExtensions(file);
    const now = get(ctx.after, f);
    for (const [name, el] of get(ctx.before, prev)) {
      if (now.has(name)) continue;
      ctx.report({
        path: el.fullName,
        message: `Previously present ${kind} ${q(name)} was deleted from file.`,
        at: deletedAt(ctx.after, f, name),
        old: at(prev, el.span),
        deprecated: isDeprecated(el.options),
      });
    }
  }
}

/** Elements of one kind per package (by nested name) in one version. */
function byPackage(idx: Index, kind: Kind | "service"): Map<string, Map<string, { file: ProtoFile; fullName: string; span: Span }>> {
  const out = new Map<string, Map<string, { file: ProtoFile; fullName: string; span: Span }>>();
  for (const f of idx.files.values()) {
    let m = out.get(f.package);
    if (!m) out.set(f.package, (m = new Map()));
    if (kind === "service") for (const s of f.services) m.set(s.name, s);
    else {
      const els = kind === "message" ? idx.fileMessages(f) : kind === "enum" ? idx.fileEnums(f) : idx.fileExtensions(f);
      for (const [name, el] of els) m.set(name, { file: f, fullName: el.fullName, span: el.span });
    }
  }
  return out;
}

function packageScoped(kind: Kind | "service", ctx: RuleContext): void {
  const before = byPackage(ctx.before, kind);
  const after = byPackage(ctx.after, kind);
  for (const [pkg, prevEls] of before) {
    const now = after.get(pkg);
    if (!now) continue;
    for (const [name, el] of prevEls) {
      if (now.has(name)) continue;
      const file = ctx.after.files.get(el.file.path);
      const message = `Previously present ${kind} ${q(name)} was deleted from package ${q(pkg)}.`;
      const old = at(el.file, el.span);
      if (!file) ctx.report({ path: el.fullName, message, old });
      else if (kind === "service") ctx.report({ path: el.fullName, message, at: at(file), old });
      else if (kind === "message") ctx.report({ path: el.fullName, message, at: deletedInPackage(ctx.after, now, file, name), old });
      else ctx.report({ path: el.fullName, message, at: deletedAt(ctx.after, file, name), old });
    }
  }
}

const WHY_FILE =
  "Generated code is emitted per file: an element that disappears from its file disappears from the generated module that consumers import.";
const WHY_PACKAGE = "Consumers refer to the element by its package-qualified name; without it their code and requests stop resolving.";

const rules: ProtoRule[] = [
  { id: "MESSAGE_NO_DELETE", categories: ["FILE"], summary: "Checks that messages are not deleted from a given file.", why: WHY_FILE, check: (ctx) => fileScoped("message", ctx) },
  { id: "ENUM_NO_DELETE", categories: ["FILE"], summary: "Checks that enums are not deleted from a given file.", why: WHY_FILE, check: (ctx) => fileScoped("enum", ctx) },
  { id: "EXTENSION_NO_DELETE", categories: ["FILE"], summary: "Checks that extensions are not deleted from a given file.", why: WHY_FILE, check: (ctx) => fileScoped("extension", ctx) },
  {
    id: "SERVICE_NO_DELETE",
    categories: ["FILE"],
    summary: "Checks that services are not deleted from a given file.",
    why: WHY_FILE,
    check(ctx) {
      for (const [path, prev] of ctx.before.files) {
        const f = ctx.after.files.get(path);
        if (!f || !sourceChanged(f, prev)) continue;
        const names = new Set(f.services.map((s) => s.name));
        for (const s of prev.services)
          if (!names.has(s.name))
            ctx.report({
              path: s.fullName,
              message: `Previously present service ${q(s.name)} was deleted from file.`,
              at: at(f),
              old: at(prev, s.span),
              deprecated: isDeprecated(s.options),
            });
      }
    },
  },
  { id: "PACKAGE_MESSAGE_NO_DELETE", categories: ["PACKAGE"], summary: "Checks that messages are not deleted from a given package.", why: WHY_PACKAGE, check: (ctx) => packageScoped("message", ctx) },
  { id: "PACKAGE_ENUM_NO_DELETE", categories: ["PACKAGE"], summary: "Checks that enums are not deleted from a given package.", why: WHY_PACKAGE, check: (ctx) => packageScoped("enum", ctx) },
  { id: "PACKAGE_EXTENSION_NO_DELETE", categories: ["PACKAGE"], summary: "Checks that extensions are not deleted from a given package.", why: WHY_PACKAGE, check: (ctx) => packageScoped("extension", ctx) },
  { id: "PACKAGE_SERVICE_NO_DELETE", categories: ["PACKAGE"], summary: "Checks that services are not deleted from a given package.", why: WHY_PACKAGE, check: (ctx) => packageScoped("service", ctx) },
  {
    id: "PACKAGE_NO_DELETE",
    categories: ["PACKAGE"],
    summary: "Checks that packages are not deleted.",
    why: WHY_PACKAGE,
    check(ctx) {
      const now = new Set<string>();
      for (const f of ctx.after.files.values()) now.add(f.package);
      const seen = new Map<string, ProtoFile>();
      for (const f of ctx.before.files.values()) {
        const first = seen.get(f.package);
        if (!first || f.path < first.path) seen.set(f.package, f);
      }
      for (const [pkg, f] of seen)
        if (!now.has(pkg)) ctx.report({ path: pkg, message: `Previously present package ${q(pkg)} was deleted.`, old: at(f) });
    },
  },
];

export default rules;
