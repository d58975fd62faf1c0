/**
 * Duplicate keys, which JSON.parse and fast YAML parsers keep silently (the last one wins): a
 * duplicate can hide a change from the gate, so every contract reader refuses them.
 */
import { type Document, isMap, isScalar, type YAMLError } from "yaml";
import { ContractError } from "./errors.ts";
import { LineIndex } from "./location.ts";
import { eachNode } from "./yaml-guard.ts";

/** A key written twice in one mapping: refused whatever the syntax, so readers that try several never retry it. */
export class DuplicateKeyError extends ContractError {}

/** The error for a key written twice in one mapping, at the second one and naming the first. */
export function duplicateKeyError(file: string, text: string, dup: { key: string; first: number; second: number }): DuplicateKeyError {
  const index = new LineIndex(text);
  const a = index.position(dup.first);
  const key = dup.key.length > 200 ? `${dup.key.slice(0, 200)}...` : dup.key;
  return new DuplicateKeyError(`duplicate key '${key}' (first defined at line ${a.line}, column ${a.column}); a duplicate silently hides one of the two values`, index.location(file, dup.second));
}

/**
 * The first member name that occurs twice in one object of a valid JSON text, with the offsets of
 * both occurrences (`JSON.parse` keeps the last silently), or the offset where nesting goes deeper
 * than `maxDepth`. Only strings are scanned: in valid JSON
 * a string followed by ':' is a member name, and braces outside strings open and close objects.
 */
export function jsonDuplicateKey(t: string, maxDepth = Infinity): { key: string; first: number; second: number } | { tooDeep: number } | undefined {
  const n = t.length;
  // One entry per open container: the names seen so far in an object (created on its second member), or null for an array.
  const stack: Array<Map<string, number> | null | undefined> = [];
  const firstName: Array<[string, number] | undefined> = [];
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = t.indexOf('"', j);
        if (j === -1) return undefined;
        let b = j - 1;
        while (t.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      let k = j + 1;
      while (k < n && (t.charCodeAt(k) === 0x20 || t.charCodeAt(k) === 0x0a || t.charCodeAt(k) === 0x0d || t.charCodeAt(k) === 0x09)) k++;
      const depth = stack.length - 1;
      if (t.charCodeAt(k) === 0x3a && depth >= 0) {
        const raw = t.slice(i + 1, j);
        const name = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        const first = firstName[depth];
        if (first === undefined) firstName[depth] = [name, i];
        else {
          let seen = stack[depth];
          if (!seen) {
            seen = new Map([first]);
            stack[depth] = seen;
          }
          const prev = seen.get(name);
          if (prev !== undefined) return { key: name, first: prev, second: i };
          seen.set(name, i);
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= maxDepth) return { tooDeep: i };
      stack.push(c === 0x5b ? null : undefined);
      firstName[stack.length - 1] = undefined;
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    i++;
  }
  return undefined;
}

const KEY_LINE = /^( *)((?:- +)*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]}&*!|>?-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]|$)/;
const BLOCK_SCALAR = /(?:^|[:\-?][ \t]+|^[ \t]*)[|>][0-9+-]*[ \t]*(?:#.*)?$/;

/**
 * Keys of the flow mappings (`{a: 1, b: {c: 2}}`) of a YAML text, read across lines: a stack of open
 * flow collections (a key set for a mapping, null for a sequence), and whether a key comes next.
 */
class FlowKeys {
  private readonly stack: Array<Set<string> | null> = [];
  private expectKey = false;
  private quote: '"' | "'" | undefined;

  get open(): boolean {
    return this.stack.length > 0 || this.quote !== undefined;
  }

  /** Scans `line` from `from`; true when a flow mapping repeats a key (or a key is too complex to tell). */
  scan(line: string, from: number): boolean {
    for (let i = from; i < line.length; i++) {
      if (this.quote) {
        i = this.quoteEnd(line, i);
        continue;
      }
      const c = line[i]!;
      if (c === " " || c === "\t") continue;
      if (c === "#" && (i === 0 || line[i - 1] === " " || line[i - 1] === "\t")) return false;
      const top = this.stack[this.stack.length - 1];
      if (this.expectKey && top && c !== "}") {
        if (c === "{" || c === "[" || c === "?") return true;
        let j: number;
        let key: string;
        if (c === '"' || c === "'") {
          this.quote = c;
          j = this.quoteEnd(line, i + 1) + 1;
          if (this.quote) return true; // a key over several lines: let the parser judge
          const body = line.slice(i + 1, j - 1);
          key = c === "'" ? body.replace(/''/g, "'") : body.includes("\\") ? line.slice(i, j) : body;
        } else {
          j = i;
          while (j < line.length && line[j] !== "," && line[j] !== "}" && !(line[j] === ":" && (j + 1 === line.length || " \t,[]{}".includes(line[j + 1]!)))) j++;
          key = line.slice(i, j).trim();
        }
        if (top.has(key)) return true;
        top.add(key);
        this.expectKey = false;
        i = j - 1;
        continue;
      }
      if (c === '"' || c === "'") {
        this.quote = c;
        i = this.quoteEnd(line, i + 1);
      } else if (c === "{") {
        this.stack.push(new Set());
        this.expectKey = true;
      } else if (c === "[") {
        this.stack.push(null);
        this.expectKey = false;
      } else if (c === "}" || c === "]") {
        this.stack.pop();
        this.expectKey = false;
        if (!this.stack.length) return false;
      } else if (c === ",") this.expectKey = top !== null && top !== undefined;
    }
    return false;
  }

  /** Index of the closing quote from `i` on (clearing the open quote), or the line's last index. */
  private quoteEnd(line: string, i: number): number {
    for (; i < line.length; i++) {
      if (this.quote === '"' && line[i] === "\\") i++;
      else if (line[i] === this.quote) {
        if (this.quote === "'" && line[i + 1] === "'") i++;
        else {
          this.quote = undefined;
          return i;
        }
      }
    }
    return line.length - 1;
  }
}

/** Where a block line's value starts when it opens a flow collection (after `key:`, `- ` and any anchor or tag). */
const FLOW_VALUE = /^(?:(?:&|!)\S*[ \t]+)*[{[]/;

/**
 * Whether a YAML text may repeat a key in one mapping: a line scan that reads block keys by their
 * indentation (block scalars skipped) and flow mappings by their brackets. A yes is confirmed by a
 * full parse, which names both places; the scan only spares the full parse to large files that have no
 * duplicate.
 */
export function yamlDuplicateSuspect(text: string): boolean {
  const levels: Array<{ col: number; keys: Set<string> }> = [];
  const flow = new FlowKeys();
  let scalarIndent = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, "");
    start = end + 1;
    if (flow.open) {
      if (flow.scan(line, 0)) return true;
      if (end === text.length) break;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const body = line.trimStart();
    if (scalarIndent >= 0) {
      if (!body || indent > scalarIndent) continue;
      scalarIndent = -1;
    }
    if (!body || body.startsWith("#") || body.startsWith("---") || body.startsWith("...")) continue;
    const m = KEY_LINE.exec(line);
    let value = indent;
    if (m) {
      const col = m[1]!.length + m[2]!.length;
      const key = m[3]!.trim();
      while (levels.length && levels[levels.length - 1]!.col > col) levels.pop();
      // An item of a sequence ("- key:") starts a new mapping at its column.
      if (m[2] && levels.length && levels[levels.length - 1]!.col === col) levels.pop();
      const top = levels[levels.length - 1];
      if (top && top.col === col) {
        if (top.keys.has(key)) return true;
        top.keys.add(key);
      } else levels.push({ col, keys: new Set([key]) });
      value = m[0].length;
    } else {
      while (line.startsWith("- ", value) || line.startsWith("-\t", value)) value += 2;
    }
    while (line[value] === " " || line[value] === "\t") value++;
    const rest = line.slice(value);
    const opener = FLOW_VALUE.exec(rest);
    if (opener && flow.scan(line, value + opener[0].length - 1)) return true;
    if (!flow.open && BLOCK_SCALAR.test(body)) scalarIndent = indent;
    if (end === text.length) break;
  }
  return false;
}

/**
 * The key written twice in one mapping of `doc` whose second occurrence comes first in the text, with
 * both offsets, in one pass. Documents are parsed with the library's `uniqueKeys` off: its check
 * compares every key with every other key of a mapping, so a mapping of 60,000 keys takes a minute.
 * Keys are compared as the strings they become in a JavaScript object (`1` and `"1"` are one key);
 * with `merge`, `<<` merge keys may repeat.
 */
export function firstYamlDuplicate(doc: Document, merge = false): { key: string; first: number; second: number } | undefined {
  let out: { key: string; first: number; second: number } | undefined;
  eachNode(doc.contents, (map) => {
    if (!isMap(map)) return;
    const seen = new Map<string, number>();
    for (const pair of map.items) {
      const k = pair.key;
      if (!isScalar(k) || !k.range) continue;
      // Parsed with merge keys on, a plain `<<` holds a symbol: a merge, which may repeat.
      const name = typeof k.value === "symbol" ? "<<" : String(k.value);
      if (merge && name === "<<") continue;
      const prev = seen.get(name);
      if (prev === undefined) seen.set(name, k.range[0]);
      else if (!out || k.range[0] < out.second) out = { key: name, first: prev, second: k.range[0] };
    }
  });
  return out;
}

/** The YAML library's own words for a repeated key, kept where comms.yaml and buf config errors use them. */
export const MAP_KEYS_UNIQUE = "Map keys must be unique";

/**
 * What is first wrong with a document parsed with `uniqueKeys` off, in text order: the library's first
 * error, or the first key written twice.
 */
export function firstYamlProblem(doc: Document, merge = false): { error: YAMLError } | { duplicate: { key: string; first: number; second: number } } | undefined {
  const error = doc.errors[0];
  const duplicate = firstYamlDuplicate(doc, merge);
  if (duplicate && (!error || duplicate.second < error.pos[0])) return { duplicate };
  return error && { error };
}
