import { posix } from "node:path";
import { CommsError, ContractError, InputError } from "../../core/errors.ts";
import { readBufWork, readBufYaml, type Root } from "./buf-config.ts";
import type { ContractSource } from "../../core/source.ts";
import { link, locate } from "./link.ts";
import type { BreakingConfig, ProtoFile, ProtoModel } from "./model.ts";
import { parseProto } from "./parser.ts";
import { wellKnownSource } from "./wkt.ts";

const join = (dir: string, p: string) => posix.normalize(dir === "." || dir === "" ? p : `${dir}/${p}`);

/**
 * Why an import path cannot be used, if it cannot: like protoc, import paths are relative to a module
 * root and never climb out of it, so they cannot name files outside the project either.
 */
function importPathProblem(p: string): string | undefined {
  if (p.startsWith("/") || p.startsWith("\\") || /^[A-Za-z]:/.test(p)) return "is absolute; import paths are relative to a module root";
  if (p.split(/[\\/]/).includes("..")) return 'contains ".."; import paths are relative to a module root and may not leave it';
  if (p.includes("\0")) return "contains a NUL character";
  return undefined;
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
  /** The buf files that decided the module roots: a release keeps them, so its snapshot has the same roots. */
  const config: string[] = [];
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
      config.push(join(path, "buf.yaml"));
      const r = readBufYaml(own, join(path, "buf.yaml"), path);
      roots.push(...r.roots);
      breaking = r.breaking;
    } else if (work !== undefined) {
      config.push(join(path, "buf.work.yaml"));
      for (const d of readBufWork(work, join(path, "buf.work.yaml"))) {
        const modDir = join(path, d);
        const modYaml = reader.read(join(modDir, "buf.yaml"));
        if (modYaml !== undefined) {
          config.push(join(modDir, "buf.yaml"));
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
  const resolveImport = (f: ProtoFile, imp: ProtoFile["imports"][number]): ProtoFile => {
    const problem = importPathProblem(imp.path);
    if (problem) throw new ContractError(`import ${JSON.stringify(imp.path)} ${problem}`, locate(f, imp.span));
    let dep: ProtoFile | undefined;
    try {
      dep = find(imp.path);
    } catch (e) {
      // The reader refuses links and special files; say which import led there.
      if (e instanceof CommsError && !(e instanceof ContractError)) throw new ContractError(`import ${JSON.stringify(imp.path)}: ${e.message}`, locate(f, imp.span));
      throw e;
    }
    if (!dep) throw new ContractError(`import ${JSON.stringify(imp.path)} not found`, locate(f, imp.span));
    return dep;
  };
  // Depth-first over imports with an explicit stack: import chains can be as long as the file count.
  const state = new Map<ProtoFile, 1 | 2>();
  const order: ProtoFile[] = [];
  for (const top of files.values()) {
    if (state.has(top)) continue;
    const stack: Array<{ file: ProtoFile; next: number }> = [{ file: top, next: 0 }];
    state.set(top, 1);
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      const imp = frame.file.imports[frame.next++];
      if (!imp) {
        stack.pop();
        state.set(frame.file, 2);
        order.push(frame.file);
        continue;
      }
      const dep = resolveImport(frame.file, imp);
      const st = state.get(dep);
      if (st === 1) {
        const from = stack.findIndex((x) => x.file === dep);
        const cycle = [...stack.slice(from).map((x) => x.file), dep].map((x) => x.path).join(" -> ");
        throw new ContractError(`import cycle: ${cycle}`, locate(frame.file, imp.span));
      }
      if (st === undefined) {
        state.set(dep, 1);
        stack.push({ file: dep, next: 0 });
      }
    }
  }
  link(order);
  const model: ProtoModel = { files, roots: rootOf, breaking, dir: single === undefined ? posix.normalize(path) : posix.dirname(path), config };
  if (single !== undefined) model.single = single;
  return model;
}

