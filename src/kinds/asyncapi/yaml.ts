import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ContractError } from "../../core/errors.ts";
import { DuplicateKeyError, judgeRepeats, yamlDuplicateSuspect, yamlRepeats } from "../../core/duplicate-keys.ts";
import { aliasTargets, isMergeKey, MAX_MERGED_MEMBERS, MERGE, mergeSources, nestingTooDeep, QUIET } from "../../core/yaml-guard.ts";
import type { Location } from "../../core/location.ts";
import { LineIndex } from "../../core/location.ts";
import { JsonDocument, memberOffset, type Positions, type SourceDocument } from "../../schemas/json/parse.ts";
import { YamlLines } from "./yaml-lines.ts";

const MAX_DEPTH = 512;
/** Aliases expanded per document; more is a billion-laughs input, not an API description. */
const MAX_ALIASES = 1000;

/** Anchors and aliases: such documents take the exact parser, which bounds alias expansion. */
const ALIASING = /(^|[\s,[{:-])[&*][A-Za-z0-9_-]/m;

/** Whether a value nests deeper than documents may (iteratively: the value may be very deep). */
function tooDeep(root: unknown): boolean {
  // Values and their depths on two parallel stacks: no pair allocated per value.
  const values: unknown[] = [root];
  const depths: number[] = [0];
  const seen = new Set<object>();
  while (values.length) {
    const v = values.pop();
    const d = depths.pop()!;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    if (d > MAX_DEPTH) return true;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        depths.push(d + 1);
      }
    } else {
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        values.push((v as Record<string, unknown>)[key]);
        depths.push(d + 1);
      }
    }
  }
  return false;
}

/** Bun's native YAML parser when present (it is much faster); values only, no positions. */
function nativeYaml(text: string): unknown {
  const native = (globalThis as { Bun?: { YAML?: { parse(t: string): unknown } } }).Bun?.YAML;
  // A key written twice is kept silently by the native parser (the last one wins): the exact parser names both places.
  if (!native || ALIASING.test(text) || yamlDuplicateSuspect(text)) return undefined;
  try {
    return native.parse(text);
  } catch {
    return undefined; // the exact parser says where the error is
  }
}

/**
 * A YAML or JSON document whose members can be located. JSON is read by the JSON reader, which
 * records positions as it goes; YAML is read by the native parser when available, and positions come
 * from a second, exact parse the first time a finding needs one, matched by path.
 */
export class YamlDocument implements SourceDocument {
  readonly value: unknown;
  private exact?: PositionedYaml;
  private json?: JsonDocument;
  private parents?: Map<object, { up: object; key: string | number } | null>;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      try {
        this.json = new JsonDocument(file, text);
        this.value = this.json.value;
        return;
      } catch (e) {
        // A duplicate key is refused in any syntax; other failures may be YAML flow style that is not
        // strict JSON, which the YAML readers decide.
        if (e instanceof DuplicateKeyError) throw e;
      }
    }
    // Parsers slow down sharply on deep nesting (a second for 16,000 flow levels): refuse it before parsing.
    const deep = nestingTooDeep(text, MAX_DEPTH);
    if (deep !== undefined) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, new LineIndex(text).location(file, deep));
    const fast = nativeYaml(text);
    if (fast !== undefined && fast !== null && !tooDeep(fast)) {
      this.value = fast;
      return;
    }
    this.exact = new PositionedYaml(file, text);
    this.value = this.exact.value;
  }

  loc(container: unknown, key?: string | number, which: "key" | "value" = "key"): Location {
    if (this.json) return this.json.loc(container, key, which);
    if (this.exact && this.exact.value === this.value) return this.exact.loc(container, key, which);
    // Line and column are worked out when first read: most elements never appear in a finding.
    let known: Location | undefined;
    const get = () => (known ??= this.locate(container, key, which));
    const loc = { file: this.file } as Location;
    Object.defineProperty(loc, "line", { enumerable: true, get: () => get().line });
    Object.defineProperty(loc, "column", { enumerable: true, get: () => get().column });
    return loc;
  }

  private lineReader?: { lines: YamlLines; index: LineIndex };

  private locate(container: unknown, key: string | number | undefined, which: "key" | "value"): Location {
    const path = typeof container === "object" && container !== null ? this.pathOf(container) : undefined;
    if (path && !this.exact) {
      this.lineReader ??= { lines: new YamlLines(this.text), index: new LineIndex(this.text) };
      const offset = key === undefined ? this.lineReader.lines.start(path) : this.lineReader.lines.find([...path, key], which);
      if (offset !== undefined) return this.lineReader.index.location(this.file, offset);
    }
    this.exact ??= new PositionedYaml(this.file, this.text);
    return this.exactLoc(path, container, key, which);
  }

  /** The path of a value in the document, climbing its recorded parents (recorded once, on first use). */
  private pathOf(container: object): Array<string | number> | undefined {
    if (!this.parents) {
      const parents = new Map<object, { up: object; key: string | number } | null>();
      // No per-object entry arrays: on a large document they are most of the garbage of this walk.
      const visit = (v: object, key: string | number, x: unknown) => {
        if (typeof x !== "object" || x === null || parents.has(x)) return;
        parents.set(x, { up: v, key });
        walk(x);
      };
      const walk = (v: object) => {
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v, i, v[i]);
        else for (const key in v) if (Object.hasOwn(v, key)) visit(v, key, (v as Record<string, unknown>)[key]);
      };
      if (typeof this.value === "object" && this.value !== null) {
        parents.set(this.value, null);
        walk(this.value);
      }
      this.parents = parents;
    }
    if (!this.parents.has(container)) return undefined;
    const path: Array<string | number> = [];
    for (let at = this.parents.get(container); at; at = this.parents.get(at.up)) path.push(at.key);
    return path.reverse();
  }

  private exactLoc(path: Array<string | number> | undefined, _container: unknown, key: string | number | undefined, which: "key" | "value"): Location {
    let target: unknown = this.exact!.value;
    for (const seg of path ?? []) {
      if (typeof target !== "object" || target === null) break;
      target = Array.isArray(target) ? target[seg as number] : Object.hasOwn(target, seg) ? (target as Record<string, unknown>)[seg as string] : undefined;
    }
    return this.exact!.loc(target, key, which);
  }
}

/**
 * A YAML (or JSON) document as plain values with the position of every member. Objects have no
 * prototype, so user keys never reach Object.prototype; an alias yields the same value as its anchor.
 */
export class PositionedYaml implements SourceDocument {
  private readonly positions = new WeakMap<object, Positions>();
  private readonly lines = new LineCounter();
  readonly value: unknown;

  constructor(
    readonly file: string,
    text: string,
  ) {
    let doc;
    try {
      doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: false, ...MERGE, ...QUIET });
    } catch (e) {
      if (e instanceof RangeError) throw new ContractError("invalid YAML: nesting too deep", { file, line: 1, column: 1 });
      throw e;
    }
    const err = doc.errors[0];
    // Repeated keys written before the first syntax error are judged first, as they come first in the text.
    judgeRepeats(file, text, yamlRepeats(doc, text, true).filter((r) => !err || r.second < err.pos[0]));
    if (err) throw new ContractError(`invalid YAML/JSON: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, this.at(err.pos[0]));
    // Before any alias is resolved: the library finds an alias's anchor by visiting the whole document,
    // which takes quadratic time in the nesting depth.
    const deep = deepestNode(doc.contents);
    if (deep !== undefined) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, this.at(rangeStart(deep)));
    let aliases = 0;
    let merged = 0;
    let targets: Map<Node, Node> | undefined;
    const resolve = (a: Node): Node | undefined => (targets ??= aliasTargets(doc.contents) as Map<Node, Node>).get(a);
    const converted = new Map<Node, unknown>();
    const convert = (node: unknown, depth: number): unknown => {
      if (depth > MAX_DEPTH) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, this.at(rangeStart(node)));
      if (isAlias(node)) {
        if (++aliases > MAX_ALIASES) throw new ContractError(`more than ${MAX_ALIASES} aliases`, this.at(rangeStart(node)));
        const target = resolve(node);
        if (!target) throw new ContractError(`unknown alias *${node.source}`, this.at(rangeStart(node)));
        return converted.has(target) ? converted.get(target) : convert(target, depth + 1);
      }
      if (isMap(node)) {
        const obj: Record<string, unknown> = Object.create(null);
        const keys = new Map<string, { key: number; value: number }>();
        converted.set(node, obj);
        this.positions.set(obj, { start: rangeStart(node), keys });
        const merges: unknown[] = [];
        for (const pair of node.items) {
          if (isMergeKey(pair.key)) {
            merges.push(pair);
            continue;
          }
          // A collection as a key reads as JavaScript (and js-yaml) spell it: "[object Object]", or its items joined.
          const k = isScalar(pair.key) ? String(pair.key.value) : keyString(pair.key == null ? null : convert(pair.key, depth + 1));
          keys.set(k, { key: rangeStart(pair.key), value: rangeStart(pair.value ?? pair.key) });
          obj[k] = pair.value == null ? null : convert(pair.value, depth + 1);
        }
        // `<<` merge keys: the mapping's own keys win, then earlier merged mappings over later ones.
        for (const pair of merges as Array<{ key: unknown; value: unknown }>) {
          const sources = mergeSources(pair.value, (a) => {
            if (++aliases > MAX_ALIASES) throw new ContractError(`more than ${MAX_ALIASES} aliases`, this.at(rangeStart(a)));
            const target = resolve(a);
            if (!target) throw new ContractError(`unknown alias *${a.source}`, this.at(rangeStart(a)));
            return target;
          });
          if (!sources) throw new ContractError("a merge key '<<' takes a mapping, an alias of one, or a list of them", this.at(rangeStart(pair.value ?? pair.key)));
          for (const source of sources) {
            const from = (converted.has(source) ? converted.get(source) : convert(source, depth + 1)) as Record<string, unknown>;
            const at = this.positions.get(from)?.keys;
            for (const k of Object.keys(from)) {
              if (Object.hasOwn(obj, k)) continue;
              if (++merged > MAX_MERGED_MEMBERS) throw new ContractError(`merge keys copy more than ${MAX_MERGED_MEMBERS} members; write the shared parts out`, this.at(rangeStart(pair.key)));
              obj[k] = from[k];
              const p = at?.get(k);
              if (p) keys.set(k, p);
            }
          }
        }
        return obj;
      }
      if (isSeq(node)) {
        const arr: unknown[] = [];
        converted.set(node, arr);
        this.positions.set(arr, { start: rangeStart(node), items: node.items.map((i) => rangeStart(i)) });
        for (const item of node.items) arr.push(item == null ? null : convert(item, depth + 1));
        return arr;
      }
      if (isScalar(node)) return node.value;
      return null;
    };
    this.value = doc.contents == null ? null : convert(doc.contents, 0);
  }

  private at(offset: number): Location {
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, column: p.col };
  }

  loc(container: unknown, key?: string | number, which: "key" | "value" = "key"): Location {
    return this.at(memberOffset(typeof container === "object" && container !== null ? this.positions.get(container) : undefined, key, which));
  }
}

/** The first node nested deeper than MAX_DEPTH, walking without recursion and without following aliases. */
function deepestNode(root: unknown): unknown {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) return node;
    if (isMap(node)) for (const pair of node.items) stack.push([pair.key, depth + 1], [pair.value, depth + 1]);
    else if (isSeq(node)) for (const item of node.items) stack.push([item, depth + 1]);
  }
  return undefined;
}

function keyString(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => (typeof x === "object" && x !== null && !Array.isArray(x) ? "[object Object]" : String(x))).join(",");
  return typeof v === "object" && v !== null ? "[object Object]" : String(v);
}

function rangeStart(node: unknown): number {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : 0;
}
