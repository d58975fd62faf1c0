/**
 * Duplicate keys, which JSON.parse, Jackson, avsc and fast YAML parsers keep silently (the last one
 * wins). A repeat with a different value hides one of them from a reviewer, so every contract reader
 * refuses it unless asked to read documents as those tools do (`--duplicate-keys last`, then it is a
 * dangerous finding at the key); a repeat with an identical value hides nothing and is only a warning.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { type Document, isAlias, isMap, isScalar, isSeq, type Node } from "yaml";
import { ContractError } from "./errors.ts";
import { LineIndex, type Location } from "./location.ts";
import { complexKeyLabel } from "./yaml-guard.ts";

/** How a key written twice with different values is read: refused (exit 2), or the last one, as JSON.parse does. */
export type DuplicateKeysMode = "error" | "last";
export const DUPLICATE_KEYS_MODES: readonly DuplicateKeysMode[] = ["error", "last"];

/** Rule id of the finding at a key read as its last value. */
export const DUPLICATE_KEY_RULE = "duplicate-key";

/**
 * A key written again in one mapping, found by a reader: offsets of this key and of the one it
 * replaces (the previous occurrence), and whether the two values are equal.
 */
export interface Repeat {
  key: string;
  /** JSON pointer of the repeated member. */
  path: string;
  first: number;
  second: number;
  same: boolean;
}

/** A repeat a reader accepted, with both places. */
export interface RepeatedKey {
  key: string;
  path: string;
  first: Location;
  second: Location;
  same: boolean;
}

interface Scope {
  mode: DuplicateKeysMode;
  repeats: RepeatedKey[];
}

// Each contract load runs in its own scope (both sides load at once), so readers deep inside a kind
// report to the comparison that asked without every loader passing options down.
const scopes = new AsyncLocalStorage<Scope>();
let override: DuplicateKeysMode | undefined;
let projectMode: DuplicateKeysMode | undefined;

/** The command line's `--duplicate-keys`, which wins over comms.yaml. */
export function setDuplicateKeysOverride(mode: DuplicateKeysMode | undefined): void {
  override = mode;
}

/** The project's `policy.duplicate-keys`, for loads that are not part of a comparison (a release's files). */
export function setProjectDuplicateKeys(mode: DuplicateKeysMode | undefined): void {
  projectMode = mode;
}

/** The mode in force: the command line's, else the comparison's comms.yaml, else the project's, else refusal. */
export function duplicateKeysMode(configured?: DuplicateKeysMode): DuplicateKeysMode {
  return override ?? configured ?? projectMode ?? "error";
}

/** Runs a contract load, collecting the repeated keys its readers accepted. */
export async function collectRepeats<T>(configured: DuplicateKeysMode | undefined, load: () => Promise<T>): Promise<{ value: T; repeats: RepeatedKey[] }> {
  const scope: Scope = { mode: duplicateKeysMode(configured), repeats: [] };
  const value = await scopes.run(scope, load);
  return { value, repeats: scope.repeats };
}

/** The mode of the load running now. */
export function currentDuplicateKeysMode(): DuplicateKeysMode {
  return scopes.getStore()?.mode ?? duplicateKeysMode();
}

/**
 * Judges the repeats one reader found in `text`: the first (in text order) whose values differ is a
 * DuplicateKeyError unless the mode is `last`; every accepted one is recorded for the comparison.
 */
export function judgeRepeats(file: string, text: string, repeats: readonly Repeat[], mode = currentDuplicateKeysMode()): void {
  if (!repeats.length) return;
  const sorted = [...repeats].sort((a, b) => a.second - b.second);
  const differing = sorted.find((r) => !r.same);
  if (differing && mode === "error") throw duplicateKeyError(file, text, differing, true);
  const scope = scopes.getStore();
  if (!scope) return;
  const index = new LineIndex(text);
  for (const r of sorted) scope.repeats.push({ key: r.key, path: r.path, first: index.location(file, r.first), second: index.location(file, r.second), same: r.same });
}

/** Whether two JSON texts of values are the same value (whitespace aside). */
export function sameJson(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

const escapeSegment = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** A key written twice in one mapping: refused whatever the syntax, so readers that try several never retry it. */
export class DuplicateKeyError extends ContractError {}

/** The error for a key written twice in one mapping, at the second one and naming the first. */
export function duplicateKeyError(file: string, text: string, dup: { key: string; first: number; second: number }, differs = false): DuplicateKeyError {
  const index = new LineIndex(text);
  const a = index.position(dup.first);
  const key = dup.key.length > 200 ? `${dup.key.slice(0, 200)}...` : dup.key;
  if (differs) {
    return new DuplicateKeyError(
      `duplicate key '${key}' (first defined at line ${a.line}, column ${a.column}) with a different value, which the duplicate silently hides: fix the document, or read it as JSON.parse does (the last value, reported as a dangerous finding) with --duplicate-keys last or policy.duplicate-keys: last in comms.yaml`,
      index.location(file, dup.second),
    );
  }
  return new DuplicateKeyError(`duplicate key '${key}' (first defined at line ${a.line}, column ${a.column}); a duplicate silently hides one of the two values`, index.location(file, dup.second));
}

/**
 * Every key written twice in one object of a valid JSON text, with its pointer, both offsets and
 * whether the two values are the same. Slower than `jsonDuplicateKey` (it follows every value), so it
 * runs only once that has found a repeat. Nesting is bounded by the caller.
 */
export function jsonRepeats(t: string): Repeat[] {
  const out: Repeat[] = [];
  const n = t.length;
  let i = 0;
  const ws = () => {
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) i++;
      else break;
    }
  };
  const str = (): string => {
    const start = i;
    let j = i + 1;
    for (;;) {
      j = t.indexOf('"', j);
      if (j === -1) throw new SyntaxError("unterminated string");
      let b = j - 1;
      while (t.charCodeAt(b) === 0x5c) b--;
      if ((j - 1 - b) % 2 === 0) break;
      j++;
    }
    i = j + 1;
    const raw = t.slice(start + 1, j);
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  // An explicit stack of open containers keeps deep documents off the call stack.
  type Frame = { obj: boolean; path: string; count: number; seen?: Map<string, { key: number; start: number; end: number }>; cur?: { name: string; key: number; start: number } };
  const stack: Frame[] = [];
  const close = (f: Frame, end: number) => {
    const m = f.cur;
    if (!m || !f.seen) return;
    let v = end;
    while (v > m.start && /\s/.test(t[v - 1]!)) v--;
    const prev = f.seen.get(m.name);
    if (prev) out.push({ key: m.name, path: `${f.path}/${escapeSegment(m.name)}`, first: prev.key, second: m.key, same: sameJson(t.slice(prev.start, prev.end), t.slice(m.start, v)) });
    // Each repeat is compared with the value it replaces.
    f.seen.set(m.name, { key: m.key, start: m.start, end: v });
    f.cur = undefined;
  };
  const childPath = (): string => {
    const f = stack[stack.length - 1];
    if (!f) return "";
    return f.obj ? `${f.path}/${escapeSegment(f.cur?.name ?? "")}` : `${f.path}/${f.count}`;
  };
  ws();
  while (i < n) {
    const c = t.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x22) {
      const at = i;
      const s = str();
      if (top?.obj && !top.cur) {
        ws();
        i++; // the ':'
        ws();
        top.cur = { name: s, key: at, start: i };
      }
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      stack.push({ obj: c === 0x7b, path: childPath(), count: 0, ...(c === 0x7b ? { seen: new Map() } : {}) });
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      if (top?.obj) close(top, i);
      stack.pop();
      i++;
    } else if (c === 0x2c) {
      if (top?.obj) close(top, i);
      else if (top) top.count++;
      i++;
    } else i++;
  }
  return out;
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
 * Every key written twice in one mapping of a YAML document parsed with `uniqueKeys` off, with its
 * pointer, both offsets and whether the values are the same (the same text, or the same data).
 * Aliases are not followed; `<<` merge keys may repeat when `merge` is on.
 */
export function yamlRepeats(doc: Document, text: string, merge = false): Repeat[] {
  const out: Repeat[] = [];
  const same = (a: unknown, b: unknown): boolean => {
    const ra = (a as Node | null)?.range;
    const rb = (b as Node | null)?.range;
    if (ra && rb && text.slice(ra[0], ra[1]).trimEnd() === text.slice(rb[0], rb[1]).trimEnd()) return true;
    try {
      const js = (v: unknown) => JSON.stringify((v as Node | null)?.toJS?.(doc, { maxAliasCount: 100 }) ?? v ?? null);
      return js(a) === js(b);
    } catch {
      return false;
    }
  };
  const stack: Array<[unknown, string]> = [[doc.contents, ""]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (isAlias(node)) continue;
    if (isSeq(node)) node.items.forEach((item, k) => stack.push([item, `${path}/${k}`]));
    if (!isMap(node)) continue;
    const seen = new Map<string, { key: number; value: unknown }>();
    for (const pair of node.items) {
      const k = pair.key;
      // Parsed with merge keys on, a plain `<<` holds a symbol: a merge, which may repeat.
      const name = isScalar(k) ? (typeof k.value === "symbol" ? "<<" : String(k.value)) : undefined;
      // Under a complex key (`? [a]`) too: the library turns it into a string key, and its value is data.
      stack.push([pair.value, `${path}/${escapeSegment(name ?? complexKeyLabel(k, text))}`]);
      if (name === undefined || !isScalar(k) || !k.range || (merge && name === "<<")) continue;
      const prev = seen.get(name);
      if (prev !== undefined) out.push({ key: name, path: `${path}/${escapeSegment(name)}`, first: prev.key, second: k.range[0], same: same(prev.value, pair.value) });
      // Each repeat is compared with the value it replaces.
      seen.set(name, { key: k.range[0], value: pair.value });
    }
  }
  return out.sort((a, b) => a.second - b.second);
}

/** The YAML library's own words for a repeated key, kept where comms.yaml and buf config errors use them. */
export const MAP_KEYS_UNIQUE = "Map keys must be unique";

