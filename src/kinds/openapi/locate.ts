import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from "yaml";

/** Finds the character offset of the element at a JSON pointer, only when a location is needed. */
export interface Locator {
  /** Offset of the member key (object members) or of the value (array items, the root); the nearest ancestor when missing. */
  offset(segments: string[]): number;
}

const SPACE = new Set([0x20, 0x0a, 0x0d, 0x09]);

type Children = Map<string, { key: number; value: number }>;

/**
 * Locator over JSON text that never builds a full tree: each container on a looked-up path is
 * scanned once and its members' offsets cached, so GitHub-sized files cost nothing until a finding
 * needs a position, and the total work stays linear in the text however many findings there are.
 */
export class JsonLocator implements Locator {
  private readonly cache = new Map<number, Children>();

  constructor(private readonly text: string) {}

  offset(segments: string[]): number {
    let pos = this.ws(0);
    let at = pos;
    for (const seg of segments) {
      const child = this.children(pos).get(seg);
      if (!child) return at;
      pos = child.value;
      at = child.key;
    }
    return at;
  }

  private ws(i: number): number {
    const t = this.text;
    while (i < t.length && SPACE.has(t.charCodeAt(i))) i++;
    return i;
  }

  private children(pos: number): Children {
    let out = this.cache.get(pos);
    if (out) return out;
    out = new Map();
    this.cache.set(pos, out);
    const t = this.text;
    const open = t[pos];
    if (open !== "{" && open !== "[") return out;
    let i = this.ws(pos + 1);
    let index = 0;
    while (i < t.length && t[i] !== "}" && t[i] !== "]") {
      if (open === "{") {
        const keyStart = i;
        const keyEnd = this.skipString(i);
        const raw = t.slice(keyStart + 1, keyEnd - 1);
        const key = raw.includes("\\") ? (JSON.parse(t.slice(keyStart, keyEnd)) as string) : raw;
        i = this.ws(keyEnd);
        i = this.ws(i + 1); // ':'
        out.set(key, { key: keyStart, value: i });
      } else {
        out.set(String(index++), { key: i, value: i });
      }
      i = this.ws(this.skipValue(i));
      if (t[i] === ",") i = this.ws(i + 1);
    }
    return out;
  }

  private skipString(i: number): number {
    const t = this.text;
    for (let j = i + 1; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x5c) j++;
      else if (c === 0x22) return j + 1;
    }
    return t.length;
  }

  private skipValue(i: number): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.skipString(i);
    if (c === "{" || c === "[") {
      let depth = 0;
      for (let j = i; j < t.length; j++) {
        const d = t.charCodeAt(j);
        if (d === 0x22) j = this.skipString(j) - 1;
        else if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          if (--depth === 0) return j + 1;
        }
      }
      return t.length;
    }
    let j = i;
    while (j < t.length && !",}] \n\r\t".includes(t[j]!)) j++;
    return j;
  }
}

/** Locator over a parsed YAML document, walking its node tree (which keeps source ranges). */
export class YamlLocator implements Locator {
  constructor(private readonly doc: Document) {}

  offset(segments: string[]): number {
    let node = this.deref(this.doc.contents as YamlNode | null);
    let at = node?.range?.[0] ?? 0;
    for (const seg of segments) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) return at;
        const key = pair.key as YamlNode | null;
        node = this.deref(pair.value as YamlNode | null);
        at = key?.range?.[0] ?? node?.range?.[0] ?? at;
      } else if (isSeq(node)) {
        const item = this.deref(node.items[Number(seg)] as YamlNode | null | undefined);
        if (!item) return at;
        node = item;
        at = item.range?.[0] ?? at;
      } else return at;
    }
    return at;
  }

  private deref(node: YamlNode | null | undefined): YamlNode | null {
    if (node && isAlias(node)) return (node.resolve(this.doc) as YamlNode | undefined) ?? null;
    return node ?? null;
  }
}
