import { posix } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError, ContractError, InputError } from "../../core/errors.ts";
import type { ContractSource } from "../../core/source.ts";
import { link, locate } from "./link.ts";
import type { BreakingConfig, ProtoFile, ProtoModel } from "./model.ts";
import { parseProto } from "./parser.ts";
import { wellKnownSource } from "./wkt.ts";

/** A module root: a directory whose relative paths are import paths, minus excluded subtrees. */
interface Root {
  dir: string;
  excludes: string[];
}

const join = (dir: string, p: string) => posix.normalize(dir === "." || dir === "" ? p : `${dir}/${p}`);

function asStrings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

function breakingOf(v: unknown): BreakingConfig | undefined {
  if (!v || typeof v !== "object") return undefined;
  const b = v as Record<string, unknown>;
  const out: BreakingConfig = {};
  if (asStrings(b.use)) out.use = asStrings(b.use);
  if (asStrings(b.except)) out.except = asStrings(b.except);
  if (asStrings(b.ignore)) out.ignore = asStrings(b.ignore);
  if (b.ignore_only && typeof b.ignore_only === "object") {
    out.ignore_only = {};
    for (const [k, val] of Object.entries(b.ignore_only as Record<string, unknown>)) out.ignore_only[k] = asStrings(val) ?? [];
  }
  if (typeof b.ignore_unstable_packages === "boolean") out.ignore_unstable_packages = b.ignore_unstable_packages;
  return out;
}

/** Module roots and breaking settings from a buf.yaml (v1beta1 `build.roots`, v1, v2 `modules`). */
function readBufYaml(text: string, file: string, dir: string): { roots: Root[]; breaking?: BreakingConfig } {
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(`invalid buf.yaml: ${(e as Error).message.split("\n")[0]}`, { file, line: 1, column: 1 });
  }
  const version = String(doc.version ?? "v1beta1");
  const build = (doc.build ?? {}) as Record<string, unknown>;
  let breaking = breakingOf(doc.breaking);
  const roots: Root[] = [];
  if (version === "v2") {
    const modules = Array.isArray(doc.modules) ? (doc.modules as Array<Record<string, unknown>>) : [{ path: "." }];
    for (const m of modules) {
      const p = posix.normalize(String(m.path ?? "."));
      const excludes = (asStrings(m.excludes) ?? []).map((e) => posix.normalize(posix.relative(p, e) || "."));
      roots.push({ dir: join(dir, p === "." ? "." : p), excludes });
      if (!breaking && m.breaking) breaking = breakingOf(m.breaking);
    }
  } else {
    const excludes = asStrings(build.excludes) ?? [];
    const list = version === "v1beta1" ? (asStrings(build.roots) ?? ["."]) : ["."];
    for (const r of list) {
      const p = posix.normalize(r);
      roots.push({ dir: join(dir, p), excludes: excludes.map((e) => posix.normalize(posix.relative(p, e) || ".")) });
    }
  }
  return { roots, breaking };
}

function excluded(rel: string, excludes: string[]): boolean {
  for (const e of excludes) if (e === "." || rel === e || rel.startsWith(`${e}/`)) return true;
  return false;
}

/**
 * Loads a protobuf contract: one file, a directory (the import root), or a buf module/workspace
 * (a directory holding buf.yaml or buf.work.yaml). Imports resolve against the module roots, then
 * the bundled well-known types. Throws ContractError for syntax errors, missing imports, duplicate
 * definitions and import cycles.
 */
export function loadProto(source: ContractSource): ProtoModel {
  const { reader } = source;
  const path = source.path;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory`);

  let roots: Root[];
  let breaking: BreakingConfig | undefined;
  let single: string | undefined;
  if (kind === "file") {
    // A lone file: imports resolve from its directory, then from each enclosing directory.
    const dir = posix.dirname(path);
    roots = [];
    for (let d = dir; ; d = posix.dirname(d)) {
      roots.push({ dir: d, excludes: [] });
      if (d === "." || d === "/" || d === "") break;
    }
    single = posix.basename(path);
  } else {
    roots = [];
    const work = reader.read(join(path, "buf.work.yaml"));
    const own = reader.read(join(path, "buf.yaml"));
    if (own !== undefined) {
      const r = readBufYaml(own, join(path, "buf.yaml"), path);
      roots.push(...r.roots);
      breaking = r.breaking;
    } else if (work !== undefined) {
      const doc = (parseYaml(work) ?? {}) as Record<string, unknown>;
      for (const d of asStrings(doc.directories) ?? []) {
        const modDir = join(path, posix.normalize(d));
        const modYaml = reader.read(join(modDir, "buf.yaml"));
        if (modYaml !== undefined) {
          const r = readBufYaml(modYaml, join(modDir, "buf.yaml"), modDir);
          roots.push(...r.roots);
          breaking ??= r.breaking;
        } else roots.push({ dir: modDir, excludes: [] });
      }
    }
    if (!roots.length) roots.push({ dir: path, excludes: [] });
  }

  const files = new Map<string, ProtoFile>();
  const rootOf = new Map<string, string>();
  const loaded = new Map<string, ProtoFile>();
  const parse = (importPath: string, display: string, text: string): ProtoFile => {
    const f = parseProto(text, importPath, display);
    loaded.set(importPath, f);
    return f;
  };

  if (single !== undefined) {
    const text = reader.read(path);
    if (text === undefined) throw new InputError(`${path}: cannot read`);
    const f = parse(single, path, text);
    files.set(single, f);
    rootOf.set(single, posix.dirname(path));
  } else {
    for (const root of roots) {
      const prefix = root.dir === "." ? "" : `${root.dir}/`;
      for (const p of reader.list(root.dir)) {
        if (!p.endsWith(".proto")) continue;
        const rel = p.slice(prefix.length);
        if (excluded(rel, root.excludes)) continue;
        const prev = files.get(rel);
        if (prev) throw new ContractError(`file "${rel}" is defined in two module roots (also "${prev.display}")`, { file: p, line: 1, column: 1 });
        const text = reader.read(p);
        if (text === undefined) continue;
        files.set(rel, parse(rel, p, text));
        rootOf.set(rel, root.dir);
      }
    }
  }

  // Resolve imports transitively; anything outside the module comes from the roots or the bundled WKTs.
  const find = (imp: string): ProtoFile | undefined => {
    const hit = loaded.get(imp);
    if (hit) return hit;
    for (const root of roots) {
      const p = join(root.dir, imp);
      if (reader.stat(p) === "file") {
        const text = reader.read(p);
        if (text !== undefined) return parse(imp, p, text);
      }
    }
    const wkt = wellKnownSource(imp);
    if (wkt !== undefined) {
      const f = parse(imp, imp, wkt);
      f.builtin = true;
      return f;
    }
    return undefined;
  };
  const state = new Map<ProtoFile, 1 | 2>();
  const order: ProtoFile[] = [];
  const visit = (f: ProtoFile, stack: ProtoFile[]) => {
    state.set(f, 1);
    stack.push(f);
    for (const imp of f.imports) {
      const dep = find(imp.path);
      if (!dep) throw new ContractError(`import "${imp.path}" not found`, locate(f, imp.span));
      const st = state.get(dep);
      if (st === 1) {
        const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((x) => x.path).join(" -> ");
        throw new ContractError(`import cycle: ${cycle}`, locate(f, imp.span));
      }
      if (st === undefined) visit(dep, stack);
    }
    stack.pop();
    state.set(f, 2);
    order.push(f);
  };
  for (const f of files.values()) if (!state.has(f)) visit(f, []);
  link(order);
  const model: ProtoModel = { files, roots: rootOf, breaking, dir: single === undefined ? posix.normalize(path) : posix.dirname(path) };
  if (single !== undefined) model.single = single;
  return model;
}

