import type { Engine, EngineOptions, LoadedContract } from "../../core/engine.ts";
import { ContractError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import type { RuleInfo } from "../../core/rule.ts";
import type { ContractSource } from "../../core/source.ts";
import { CATALOGUE, levelSeverity } from "./catalogue.ts";
import { DiffContext } from "./context.ts";
import { explain } from "./explain.ts";
import { isObj, lookup, Spec, splitPointer, type N } from "./load.ts";
import { buildModel, type OpenApiModel } from "./model.ts";
import { families } from "./rules/index.ts";
import { lifecycleOf } from "./rules/lifecycle.ts";

const ROOT_NAMES = /(^|\/)(openapi|swagger|api)[^/]*\.(ya?ml|json)$/i;

/** The root file of a contract: the declared file, or the OpenAPI document inside a directory. */
function rootFile(source: ContractSource): string {
  const { reader, path } = source;
  if (reader.stat(path) !== "dir") return path;
  const candidates = reader.list(path).filter((f) => /\.(ya?ml|json)$/i.test(f));
  const ordered = [...candidates.filter((f) => ROOT_NAMES.test(f)), ...candidates.filter((f) => !ROOT_NAMES.test(f))];
  for (const f of ordered) {
    const head = (reader.read(f) ?? "").slice(0, 4096);
    if (/^\s*["']?(openapi|swagger)["']?\s*:/m.test(head)) return f;
  }
  throw new ContractError("no OpenAPI document (a file with an 'openapi' or 'swagger' field) in this directory", { file: path, line: 1, column: 1 });
}

async function load(source: ContractSource, options: EngineOptions): Promise<LoadedContract<OpenApiModel>> {
  const allow = (options.settings["allow-remote-refs"] as string[] | undefined) ?? [];
  const spec = new Spec(source.reader, rootFile(source), allow, options.warn);
  const root = spec.root;
  const doc = root.value;
  const openapi = isObj(doc) ? doc.openapi : undefined;
  const swagger = isObj(doc) ? doc.swagger : undefined;
  if (!isObj(doc) || (openapi === undefined && swagger === undefined)) {
    throw new ContractError("not an OpenAPI document: expected an 'openapi' (3.x) or 'swagger' (2.0) field at the top level", { file: root.path, line: 1, column: 1 });
  }
  if (openapi !== undefined && !/^3\./.test(String(openapi))) {
    throw new ContractError(`unsupported OpenAPI version '${String(openapi)}' (expected 3.0 or 3.1)`, root.locate("/openapi"));
  }
  if (swagger !== undefined && openapi === undefined && String(swagger) !== "2.0") {
    throw new ContractError(`unsupported Swagger version '${String(swagger)}' (expected 2.0)`, root.locate("/swagger"));
  }
  spec.checkRefs();
  const model = buildModel(spec);
  const info = isObj(doc.info) ? doc.info : {};
  return {
    model,
    files: [...spec.files.keys()],
    ...(info.version !== undefined ? { version: String(info.version), versionLocation: root.locate("/info/version") } : {}),
  };
}

const UNSTABLE = new Set(["draft", "alpha"]);
const LIFECYCLE = /^(api-path-removed|api-removed|api-stability|api-invalid-stability|endpoint-|sunset-)/;

async function diff(before: LoadedContract<OpenApiModel>, after: LoadedContract<OpenApiModel>, options: EngineOptions): Promise<Finding[]> {
  const cx = new DiffContext(before.model, after.model, options.settings);
  for (const family of families) family.check(cx);
  // oasdiff does not hold draft and alpha endpoints to compatibility: their breaks are not reported.
  const unstable = new Set<string>();
  for (const op of before.model.ops.values()) {
    const s = lifecycleOf(isObj(op.node.v) ? op.node.v : {}).stability;
    if (s && UNSTABLE.has(s)) unstable.add(op.label);
  }
  if (!unstable.size) return cx.findings;
  return cx.findings.filter(
    (f) => f.severity === "safe" || LIFECYCLE.test(f.rule) || !f.operations?.length || !f.operations.every((o) => unstable.has(o)),
  );
}

/** Follows a finding path through the model, resolving `$ref`s on the way. */
function walk(model: OpenApiModel, pointer: string): N | undefined {
  let cur: N = { v: model.doc, f: model.spec.rootPath, p: "" };
  const segs = splitPointer(pointer);
  for (let i = 0; i < segs.length; i++) {
    cur = model.spec.deref(cur);
    let seg = segs[i]!;
    // Parameters are named by `in` and name in finding paths (`parameters/query/limit`).
    if (Array.isArray(cur.v) && !/^\d+$/.test(seg) && i + 1 < segs.length) {
      const [where, name] = [seg, segs[++i]];
      const list = cur;
      const items = cur.v as unknown[];
      const at = items.findIndex((item, k) => {
        const p = model.spec.deref({ v: item, f: list.f, p: `${list.p}/${k}` }).v;
        return isObj(p) && p.in === where && p.name === name;
      });
      if (at === -1) return undefined;
      seg = String(at);
    }
    const v = lookup(cur.v, [seg]);
    if (v === undefined) return undefined;
    cur = { v, f: cur.f, p: `${cur.p}/${seg}` };
  }
  return model.spec.deref(cur);
}

function deprecation(contract: LoadedContract<OpenApiModel>, path: string): { sunset?: string } | undefined {
  const n = walk(contract.model, path);
  if (!n || !isObj(n.v)) return undefined;
  const lc = lifecycleOf(n.v);
  if (!lc.deprecated) return undefined;
  return lc.sunset ? { sunset: lc.sunset } : {};
}

function rules(): RuleInfo[] {
  const out: RuleInfo[] = [];
  for (const e of CATALOGUE.values()) {
    out.push({
      id: e.id,
      kind: "openapi",
      severity: levelSeverity(e.level),
      categories: [e.area],
      ...explain(e.id, e.area, e.level),
    });
  }
  return out;
}

const engine: Engine<OpenApiModel> = {
  kind: "openapi",
  extensions: [".yaml", ".yml", ".json"],
  load,
  diff,
  rules,
  deprecation,
};

export default engine;
