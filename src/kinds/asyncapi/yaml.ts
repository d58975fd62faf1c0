import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { ContractError } from "../../core/errors.ts";
import type { Location } from "../../core/location.ts";
import type { SourceDocument } from "../../schemas/json/parse.ts";

interface Positions {
  start: number;
  keys?: Map<string, { key: number; value: number }>;
  items?: number[];
}

const MAX_DEPTH = 512;
/** Aliases expanded per document; more is a billion-laughs input, not an API description. */
const MAX_ALIASES = 1000;

/**
 * A YAML (or JSON) document as plain values with the position of every member. Objects have no
 * prototype, so user keys never reach Object.prototype; an alias yields the same value as its anchor.
 */
export class YamlDocument implements SourceDocument {
  private readonly positions = new WeakMap<object, Positions>();
  private readonly lines = new LineCounter();
  readonly value: unknown;

  constructor(
    readonly file: string,
    text: string,
  ) {
    let doc;
    try {
      doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, merge: false });
    } catch (e) {
      if (e instanceof RangeError) throw new ContractError("invalid YAML: nesting too deep", { file, line: 1, column: 1 });
      throw e;
    }
    const err = doc.errors[0];
    if (err) throw new ContractError(`invalid YAML/JSON: ${err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`, this.at(err.pos[0]));
    let aliases = 0;
    const converted = new Map<Node, unknown>();
    const convert = (node: unknown, depth: number): unknown => {
      if (depth > MAX_DEPTH) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, this.at(rangeStart(node)));
      if (isAlias(node)) {
        if (++aliases > MAX_ALIASES) throw new ContractError(`more than ${MAX_ALIASES} aliases`, this.at(rangeStart(node)));
        const target = node.resolve(doc);
        if (!target) throw new ContractError(`unknown alias *${node.source}`, this.at(rangeStart(node)));
        return converted.has(target) ? converted.get(target) : convert(target, depth + 1);
      }
      if (isMap(node)) {
        const obj: Record<string, unknown> = Object.create(null);
        const keys = new Map<string, { key: number; value: number }>();
        converted.set(node, obj);
        this.positions.set(obj, { start: rangeStart(node), keys });
        for (const pair of node.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          keys.set(k, { key: rangeStart(pair.key), value: rangeStart(pair.value ?? pair.key) });
          obj[k] = pair.value == null ? null : convert(pair.value, depth + 1);
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
    const p = typeof container === "object" && container !== null ? this.positions.get(container) : undefined;
    if (!p) return this.at(0);
    if (key === undefined) return this.at(p.start);
    if (typeof key === "number" && p.items) return this.at(p.items[key] ?? p.start);
    const m = p.keys?.get(String(key));
    return this.at(m ? m[which] : p.start);
  }
}

function rangeStart(node: unknown): number {
  const r = (node as { range?: [number, number, number] } | null)?.range;
  return r ? r[0] : 0;
}
