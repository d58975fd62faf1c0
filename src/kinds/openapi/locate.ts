import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair } from "yaml";

/** Finds the character offset of the element at a JSON pointer, only when a location is needed. */
export interface Locator {
  /** Offset of the member key (object members) or of the value (array items, the root); the nearest ancestor when missing. */
  offset(segments: string[]): number;
}

/**
 * Locator over JSON text that builds no object tree: on the first lookup one pass records every
 * key and value offset in flat arrays (a "tape" with skip links), and lookups then walk only the
 * members of the containers on the path. GitHub-sized files cost nothing until a finding needs a
 * position, and one pass (not one per finding) when it does.
 */
export class JsonLocator implements Locator {
  private keyStart: number[] = [];
  private keyEnd: number[] = [];
  private valueStart: number[] = [];
  private next: number[] = [];
  private built = false;
  /** Member name → entry index, per object container already looked into. */
  private readonly members = new Map<number, Map<string, number>>();

  constructor(private readonly text: string) {}

  offset(segments: string[]): number {
    if (!this.built) this.build();
    let idx = 0;
    let at = this.valueStart[0] ?? 0;
    for (const seg of segments) {
      const open = this.text.charCodeAt(this.valueStart[idx]!);
      let j = idx + 1;
      const stop = this.next[idx]!;
      let found = -1;
      if (open === 0x5b) {
        const want = Number(seg);
        for (let k = 0; j < stop; k++, j = this.next[j]!) {
          if (k === want) {
            found = j;
            break;
          }
        }
      } else if (open === 0x7b) {
        let m = this.members.get(idx);
        if (!m) {
          m = new Map();
          for (; j < stop; j = this.next[j]!) {
            const k = this.key(j);
            if (!m.has(k)) m.set(k, j);
          }
          this.members.set(idx, m);
        }
        found = m.get(seg) ?? -1;
      }
      if (found === -1) return at;
      idx = found;
      at = this.keyStart[idx]! >= 0 ? this.keyStart[idx]! : this.valueStart[idx]!;
    }
    return at;
  }

  private key(j: number): string {
    const raw = this.text.slice(this.keyStart[j]! + 1, this.keyEnd[j]! - 1);
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private build(): void {
    this.built = true;
    const t = this.text;
    const n = t.length;
    const stack: number[] = [];
    const isObject: boolean[] = [];
    let expectKey = false;
    let ks = -1;
    let ke = -1;
    const add = (at: number): number => {
      const idx = this.valueStart.length;
      this.valueStart.push(at);
      this.keyStart.push(ks);
      this.keyEnd.push(ke);
      this.next.push(idx + 1);
      ks = ke = -1;
      return idx;
    };
    let i = 0;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a) {
        i++;
        continue;
      }
      if (c === 0x22) {
        // Strings are most of a description's text: jump between quotes natively, then check escapes.
        let j = i + 1;
        for (;;) {
          j = t.indexOf('"', j);
          if (j === -1) {
            j = n;
            break;
          }
          let b = j - 1;
          while (t.charCodeAt(b) === 0x5c) b--;
          if ((j - 1 - b) % 2 === 0) break;
          j++;
        }
        if (expectKey) {
          ks = i;
          ke = j + 1;
          expectKey = false;
        } else {
          add(i);
          expectKey = isObject[isObject.length - 1] === true;
        }
        i = j + 1;
        continue;
      }
      if (c === 0x7b || c === 0x5b) {
        stack.push(add(i));
        isObject.push(c === 0x7b);
        expectKey = c === 0x7b;
        i++;
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        const idx = stack.pop();
        if (idx !== undefined) this.next[idx] = this.valueStart.length;
        isObject.pop();
        expectKey = isObject[isObject.length - 1] === true;
        i++;
        continue;
      }
      add(i);
      while (i < n && !",}] \n\r\t".includes(t[i]!)) i++;
      expectKey = isObject[isObject.length - 1] === true;
    }
  }
}

/** Locator over a parsed YAML document, walking its node tree (which keeps source ranges). */
export class YamlLocator implements Locator {
  /** Pairs by key, per mapping already looked into (large `paths` and `schemas` maps are searched often). */
  private readonly keys = new Map<unknown, Map<string, Pair>>();

  constructor(private readonly doc: Document) {}

  offset(segments: string[]): number {
    let node = this.deref(this.doc.contents as YamlNode | null);
    let at = node?.range?.[0] ?? 0;
    for (const seg of segments) {
      if (isMap(node)) {
        let keys = this.keys.get(node);
        if (!keys) {
          keys = new Map();
          for (const p of node.items) {
            const k = String(isScalar(p.key) ? p.key.value : p.key);
            if (!keys.has(k)) keys.set(k, p);
          }
          this.keys.set(node, keys);
        }
        const pair = keys.get(seg);
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
