import { posix } from "node:path";
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { MAP_KEYS_UNIQUE, yamlRepeats } from "../../core/duplicate-keys.ts";
import { isMergeKey, MERGE, mergeSources } from "../../core/yaml-guard.ts";
import { ConfigError } from "../../core/errors.ts";
import { LineIndex, type Location } from "../../core/location.ts";
import type { BreakingConfig } from "./model.ts";

/** A module root: a directory whose relative paths are import paths, minus excluded subtrees. */
export interface Root {
  dir: string;
  excludes: string[];
}

const MAX_FLOW_DEPTH = 64;

/** Offset of the first `[`/`{` deeper than `max` (outside quotes and comments), if any. */
function flowDepthExceeded(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 92 && quote === 34) i++;
      else if (c === quote || c === 10) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 35 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? text.length : nl;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * One buf.yaml or buf.work.yaml, read node by node (never through `toJS`) so that every error names
 * the key and its line, aliases cannot expand or loop, and no user key is looked up on an object.
 */
class BufYamlFile {
  private readonly doc: Document;
  private readonly lines: LineIndex;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.lines = new LineIndex(text);
    // The YAML parser slows down sharply on deep flow collections; no buf config needs more than a few levels.
    const deep = flowDepthExceeded(text, MAX_FLOW_DEPTH);
    if (deep !== undefined) throw new ConfigError(`nesting deeper than ${MAX_FLOW_DEPTH} levels`, this.at(deep));
    // Keys written twice are found by yamlRepeats, in linear time; whichever problem comes first in the text is reported.
    this.doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, logLevel: "error", ...MERGE });
    const error = this.doc.errors[0];
    const repeat = yamlRepeats(this.doc, text, true)[0];
    if (repeat && (!error || repeat.second < error.pos[0])) throw new ConfigError(`invalid YAML: ${MAP_KEYS_UNIQUE}`, this.at(repeat.second));
    if (error) throw new ConfigError(`invalid YAML: ${error.message.split("\n")[0]}`, this.at(error.pos[0]));
  }

  private at(offset: number | undefined): Location {
    return this.lines.location(this.file, offset ?? 0);
  }

  fail(node: Node | null | undefined, message: string): never {
    throw new ConfigError(message, this.at(node?.range?.[0]));
  }

  /** Follows an alias to its anchor; a missing anchor is a config error. */
  deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) this.fail(node, `alias '*${node.source}' has no anchor`);
      if (isAlias(target)) this.fail(node, `alias '*${node.source}' points at another alias`);
      return target as Node;
    }
    return node as Node;
  }

  root(): Node | null {
    const r = this.deref(this.doc.contents);
    if (r === null || (isScalar(r) && (r.value === null || r.value === ""))) return null;
    if (!isMap(r)) this.fail(r, "expected a mapping at the top level");
    return r;
  }

  /**
   * The entries of a mapping node with `<<` merge keys applied, as buf's YAML reader does: its own keys
   * first, then those of the merged mappings (an earlier one wins over a later one).
   */
  pairs(map: Node, depth = 0, budget = { left: 100_000 }): Array<{ key: unknown; value: unknown }> {
    if (!isMap(map)) return [];
    if ((budget.left -= map.items.length) < 0) this.fail(map, "merge keys copy too many entries; write the shared parts out");
    const own = map.items.filter((p) => !isMergeKey(p.key));
    const out: Array<{ key: unknown; value: unknown }> = [...own];
    // A key that is a collection is never looked up, so it stands for itself: rendering it as a string
    // is exponential in its nesting.
    const id = (key: unknown): unknown => (isScalar(key) ? String(key.value) : key);
    const seen = new Set(own.map((p) => id(p.key)));
    for (const pair of map.items) {
      if (!isMergeKey(pair.key)) continue;
      const sources = mergeSources(pair.value, (a) => this.deref(a));
      if (!sources || depth > 16) this.fail(pair.key as Node, "a merge key '<<' takes a mapping, an alias of one, or a list of them");
      for (const source of sources)
        for (const p of this.pairs(source, depth + 1, budget)) {
          const k = id(p.key);
          if (seen.has(k)) continue;
          seen.add(k);
          out.push(p);
        }
    }
    return out;
  }

  /** The value node of `key` in a mapping node (null when absent or null). */
  get(map: Node | null, key: string): Node | null {
    if (!map || !isMap(map)) return null;
    for (const pair of this.pairs(map)) {
      const k = this.deref(pair.key);
      if (isScalar(k) && String(k.value) === key) {
        const v = this.deref(pair.value);
        return v && isScalar(v) && v.value === null ? null : v;
      }
    }
    return null;
  }

  mapping(node: Node | null, what: string): Node | null {
    if (node === null) return null;
    if (!isMap(node)) this.fail(node, `'${what}' must be a mapping`);
    return node;
  }

  string(node: Node | null, what: string): string | undefined {
    if (node === null) return undefined;
    if (!isScalar(node) || typeof node.value === "object") this.fail(node, `'${what}' must be a string`);
    return String(node.value);
  }

  strings(node: Node | null, what: string): Array<{ value: string; node: Node }> | undefined {
    if (node === null) return undefined;
    if (!isSeq(node)) this.fail(node, `'${what}' must be a list of strings`);
    return node.items.map((item, i) => {
      const n = this.deref(item);
      if (n === null || !isScalar(n) || n.value === null || typeof n.value === "object") this.fail(n ?? node, `'${what}[${i}]' must be a string`);
      return { value: String(n.value), node: n };
    });
  }

  /**
   * A directory named in the config, relative to the config's directory. buf refuses paths that
   * leave the workspace; here they would also read outside the project, so they are errors.
   */
  relativeDir(node: Node, value: string, what: string): string {
    const p = posix.normalize(value.replaceAll("\\", "/"));
    if (posix.isAbsolute(p) || /^[A-Za-z]:/.test(p)) this.fail(node, `'${what}' must be a relative path, found "${value}"`);
    if (p === ".." || p.startsWith("../")) this.fail(node, `'${what}' "${value}" points outside the directory of ${posix.basename(this.file)}`);
    return p.replace(/\/$/, "") || ".";
  }

  breaking(node: Node | null, what: string): BreakingConfig | undefined {
    const b = this.mapping(node, what);
    if (!b) return undefined;
    const list = (key: string) => this.strings(this.get(b, key), `${what}.${key}`)?.map((s) => s.value);
    const out: BreakingConfig = {};
    const use = list("use");
    if (use) out.use = use;
    const except = list("except");
    if (except) out.except = except;
    const ignore = list("ignore");
    if (ignore) out.ignore = ignore;
    const only = this.mapping(this.get(b, "ignore_only"), `${what}.ignore_only`);
    if (only && isMap(only)) {
      // Keys are rule ids chosen by the user: a null-prototype record keeps `__proto__` an ordinary key.
      const rec: Record<string, string[]> = Object.create(null);
      for (const pair of this.pairs(only)) {
        const k = this.deref(pair.key);
        const key = this.string(k, `${what}.ignore_only`) ?? "";
        rec[key] = this.strings(this.deref(pair.value), `${what}.ignore_only.${key}`)?.map((s) => s.value) ?? [];
      }
      out.ignore_only = rec;
    }
    const unstable = this.get(b, "ignore_unstable_packages");
    if (unstable !== null) {
      if (!isScalar(unstable) || typeof unstable.value !== "boolean") this.fail(unstable, `'${what}.ignore_unstable_packages' must be true or false`);
      out.ignore_unstable_packages = unstable.value;
    }
    return out;
  }
}

const join = (dir: string, p: string) => posix.normalize(dir === "." || dir === "" ? p : `${dir}/${p}`);

function excludesUnder(root: string, list: Array<{ value: string }>): string[] {
  return list.map((e) => posix.normalize(posix.relative(root, posix.normalize(e.value)) || "."));
}

/** Module roots and breaking settings from a buf.yaml (v1beta1 `build.roots`, v1, v2 `modules`). */
export function readBufYaml(text: string, file: string, dir: string): { roots: Root[]; breaking?: BreakingConfig } {
  const y = new BufYamlFile(text, file);
  const doc = y.root();
  const versionNode = y.get(doc, "version");
  const version = y.string(versionNode, "version") ?? "v1beta1";
  if (version !== "v1beta1" && version !== "v1" && version !== "v2") y.fail(versionNode, `'version' must be v1beta1, v1 or v2, found "${version}"`);
  let breaking = y.breaking(y.get(doc, "breaking"), "breaking");
  const roots: Root[] = [];
  if (version === "v2") {
    const modulesNode = y.get(doc, "modules");
    if (modulesNode === null) roots.push({ dir, excludes: [] });
    else {
      const items = isSeq(modulesNode) ? modulesNode.items : y.fail(modulesNode, "'modules' must be a list");
      items.forEach((item: unknown, i: number) => {
        const m = y.deref(item);
        const what = `modules[${i}]`;
        if (m === null || !isMap(m)) y.fail(m ?? modulesNode, `'${what}' must be a mapping with a 'path'`);
        const pathNode = y.get(m, "path");
        const p = pathNode === null ? "." : y.relativeDir(pathNode, y.string(pathNode, `${what}.path`)!, `${what}.path`);
        const excludes = excludesUnder(p, y.strings(y.get(m, "excludes"), `${what}.excludes`) ?? []);
        roots.push({ dir: join(dir, p), excludes });
        const b = y.breaking(y.get(m, "breaking"), `${what}.breaking`);
        breaking ??= b;
      });
    }
  } else {
    const build = y.mapping(y.get(doc, "build"), "build");
    const excludes = y.strings(y.get(build, "excludes"), "build.excludes") ?? [];
    const rootsList = version === "v1beta1" ? y.strings(y.get(build, "roots"), "build.roots") : undefined;
    const list = rootsList?.length ? rootsList.map((r, i) => y.relativeDir(r.node, r.value, `build.roots[${i}]`)) : ["."];
    for (const p of list) roots.push({ dir: join(dir, p), excludes: excludesUnder(p, excludes) });
  }
  return { roots, breaking };
}

/** The module directories of a buf.work.yaml, relative to its directory. */
export function readBufWork(text: string, file: string): string[] {
  const y = new BufYamlFile(text, file);
  const doc = y.root();
  const dirs = y.strings(y.get(doc, "directories"), "directories") ?? [];
  return dirs.map((d, i) => y.relativeDir(d.node, d.value, `directories[${i}]`));
}
