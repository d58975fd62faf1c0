import type { Locator } from "./locate.ts";

/**
 * Locator for large block-style YAML that reads lines instead of building a YAML tree: a mapping's
 * entries are the lines at its indentation, a sequence's items its "- " lines, and flow collections
 * (`{ a: 1 }`, `[x, y]`) are scanned in place. A full parse with positions of a 10 MB file takes
 * several seconds and a gigabyte; this touches only the lines on the looked-up paths. Whatever it
 * cannot follow (anchors, complex keys) falls back to the nearest ancestor found.
 */
export class YamlLineLocator implements Locator {
  private starts?: number[];
  private readonly indexes = new Map<string, { keys: Map<string, number>; items: number[] }>();

  constructor(private readonly text: string) {}

  offset(segments: string[]): number {
    let at = this.firstContent(0);
    // A container: a block one (entries at `col` from line `line` on) or a flow one (at `flow`).
    let node: Container | undefined = at === -1 ? undefined : this.blockAt(at);
    for (const seg of segments) {
      if (!node) return Math.max(at, 0);
      const found = node.kind === "flow" ? this.flowChild(node.offset, seg) : this.blockChild(node, seg);
      if (!found) return Math.max(at, 0);
      at = found.at;
      node = found.value;
    }
    return Math.max(at, 0);
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const s = [0];
      const t = this.text;
      for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", i + 1)) s.push(i + 1);
      this.starts = s;
    }
    return this.starts;
  }

  private lineOf(offset: number): number {
    const s = this.lineStarts();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset of the first non-blank, non-comment character at or after the start of line `line`. */
  private firstContent(line: number): number {
    const s = this.lineStarts();
    for (let l = line; l < s.length; l++) {
      const c = this.indentEnd(s[l]!);
      const ch = this.text[c];
      if (ch !== undefined && ch !== "\n" && ch !== "\r" && ch !== "#" && !this.text.startsWith("---", c) && !this.text.startsWith("%", c)) return c;
    }
    return -1;
  }

  private indentEnd(i: number): number {
    const t = this.text;
    while (t[i] === " ") i++;
    return i;
  }

  /** The container whose first entry starts at `offset` (block mapping, block sequence or flow). */
  private blockAt(offset: number): Container | undefined {
    const c = this.text[offset];
    if (c === "{" || c === "[") return { kind: "flow", offset };
    const s = this.lineStarts();
    const line = this.lineOf(offset);
    return { kind: "block", line, col: offset - s[line]! };
  }

  /** Entries of a block container: [offset of the entry, "-" item or key text]. */
  private *entries(node: { line: number; col: number }): Generator<{ at: number; key?: string; dash: boolean }> {
    const s = this.lineStarts();
    const t = this.text;
    for (let l = node.line; l < s.length; l++) {
      const start = l === node.line ? s[l]! + node.col : this.indentEnd(s[l]!);
      const col = start - s[l]!;
      const ch = t[start];
      if (ch === undefined || ch === "\n" || ch === "\r" || ch === "#") continue;
      if (l !== node.line && col < node.col) return;
      if (col !== node.col) continue;
      if (ch === "-" && (t[start + 1] === " " || t[start + 1] === "\n" || t[start + 1] === "\r")) {
        yield { at: start, dash: true };
        continue;
      }
      const key = this.readKey(start);
      if (key !== undefined) yield { at: start, key, dash: false };
    }
  }

  /** The key of a `key: value` entry starting at `i`, unquoted; undefined when the line is not one. */
  private readKey(i: number): string | undefined {
    return this.keyAt(i)?.key;
  }

  /** Key text and the offset just after its ':'. */
  private keyAt(i: number): { key: string; end: number } | undefined {
    const t = this.text;
    const q = t[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      for (; j < t.length && t[j] !== "\n"; j++) {
        if (q === '"' && t[j] === "\\") j++;
        else if (t[j] === q) {
          if (q === "'" && t[j + 1] === "'") j++;
          else break;
        }
      }
      if (t[j + 1] !== ":") return undefined;
      const raw = t.slice(i, j + 1);
      return { key: q === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1).replace(/''/g, "'"), end: j + 2 };
    }
    const eol = t.indexOf("\n", i);
    const m = /^([^\n#]*?):(?=[ \t\r]|$)/.exec(t.slice(i, eol === -1 ? t.length : eol));
    return m ? { key: m[1]!.trimEnd(), end: i + m[0].length } : undefined;
  }

  private blockChild(node: { line: number; col: number }, seg: string): { at: number; value?: Container } | undefined {
    const index = this.indexOf(node);
    if (/^\d+$/.test(seg) && index.items.length) {
      const dash = index.items[Number(seg)];
      if (dash === undefined) return undefined;
      const item = this.indentEnd(dash + 1);
      const ch = this.text[item];
      if (ch === "\n" || ch === "\r" || ch === undefined || ch === "#") {
        // "-" alone on its line: the item is the block below it.
        const value = this.nested(dash);
        const at = value?.kind === "block" ? this.lineStarts()[value.line]! + value.col : dash;
        return { at, value };
      }
      if (ch === "{" || ch === "[") return { at: item, value: { kind: "flow", offset: item } };
      // `- key: value` starts a mapping at the item's column.
      return { at: item, value: this.readKey(item) !== undefined ? this.blockAt(item) : undefined };
    }
    const at = index.keys.get(seg);
    return at === undefined ? undefined : { at, value: this.valueOf(at) };
  }

  /** Entries of a block container, scanned once: keys of a mapping, "- " positions of a sequence. */
  private indexOf(node: { line: number; col: number }): { keys: Map<string, number>; items: number[] } {
    const id = `${node.line}:${node.col}`;
    let index = this.indexes.get(id);
    if (!index) {
      index = { keys: new Map(), items: [] };
      for (const e of this.entries(node)) {
        if (e.dash) index.items.push(e.at);
        else if (e.key !== undefined && !index.keys.has(e.key)) index.keys.set(e.key, e.at);
      }
      this.indexes.set(id, index);
    }
    return index;
  }

  /** The value of the `key:` entry at `at`: a flow collection on the same line or a block below it. */
  private valueOf(at: number): Container | undefined {
    const t = this.text;
    let i = this.keyAt(at)?.end ?? t.length;
    while (t[i] === " " || t[i] === "\t") i++;
    const ch = t[i];
    if (ch === "{" || ch === "[") return { kind: "flow", offset: i };
    if (ch === "\n" || ch === "\r" || ch === "#" || ch === undefined) return this.nested(at);
    return undefined;
  }

  private quotedLength(at: number): number {
    const t = this.text;
    const q = t[at];
    let j = at + 1;
    for (; j < t.length; j++) {
      if (q === '"' && t[j] === "\\") j++;
      else if (t[j] === q) break;
    }
    return j - at + 1;
  }

  /** The block container on the lines after the entry at `at` (deeper, or an indentless "- " list). */
  private nested(at: number): Container | undefined {
    const s = this.lineStarts();
    const line = this.lineOf(at);
    const col = at - s[line]!;
    const next = this.firstContent(line + 1);
    if (next === -1) return undefined;
    const nl = this.lineOf(next);
    const ncol = next - s[nl]!;
    const t = this.text;
    if (ncol > col || (ncol === col && t[next] === "-" && t[next + 1] === " " && this.readKey(at) !== undefined)) return this.blockAt(next);
    return undefined;
  }

  /** Member `seg` of the flow collection at `open`: [offset of the key or item, its value]. */
  private flowChild(open: number, seg: string): { at: number; value?: Container } | undefined {
    const t = this.text;
    const isMap = t[open] === "{";
    let i = open + 1;
    let index = 0;
    const skipWs = () => {
      for (;;) {
        while (i < t.length && " \t\r\n".includes(t[i]!)) i++;
        if (t[i] !== "#") return;
        while (i < t.length && t[i] !== "\n") i++;
      }
    };
    for (;;) {
      skipWs();
      const c = t[i];
      if (c === undefined || c === "}" || c === "]") return undefined;
      const itemAt = i;
      if (isMap) {
        let key: string;
        if (c === '"' || c === "'") {
          const len = this.quotedLength(i);
          const raw = t.slice(i, i + len);
          key = c === '"' ? (JSON.parse(raw) as string) : raw.slice(1, -1).replace(/''/g, "'");
          i += len;
        } else {
          const start = i;
          while (i < t.length && !(t[i] === ":" && " \t\r\n,}".includes(t[i + 1] ?? " ")) && t[i] !== "," && t[i] !== "}") i++;
          key = t.slice(start, i).trim();
        }
        skipWs();
        if (t[i] === ":") i++;
        skipWs();
        const valueAt = i;
        if (key === seg) return { at: itemAt, value: t[valueAt] === "{" || t[valueAt] === "[" ? { kind: "flow", offset: valueAt } : undefined };
      } else if (String(index) === seg) {
        return { at: itemAt, value: c === "{" || c === "[" ? { kind: "flow", offset: i } : undefined };
      }
      index++;
      i = this.skipFlowValue(i);
      skipWs();
      if (t[i] === ",") i++;
    }
  }

  private skipFlowValue(i: number): number {
    const t = this.text;
    let depth = 0;
    for (; i < t.length; i++) {
      const c = t[i];
      if (c === '"' || c === "'") i += this.quotedLength(i) - 1;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        if (depth === 0) return i;
        depth--;
      } else if (c === "," && depth === 0) return i;
    }
    return i;
  }
}

type Container = { kind: "block"; line: number; col: number } | { kind: "flow"; offset: number };
