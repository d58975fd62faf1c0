/**
 * Guards run around the `yaml` library on untrusted text. The library's cost grows with the square of
 * the nesting depth in places (its `visit` copies the path at every node), so nesting is bounded by a
 * linear scan of the text before any parse, and trees are walked without paths afterwards.
 */
import { type Alias, isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";

/** Options every parse of untrusted YAML passes: the library never prints warnings of its own. */
export const QUIET = { logLevel: "error" } as const;

const LF = 10;
const SPACE = 32;
const TAB = 9;
const CR = 13;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === LF || Number.isNaN(c);
}

function isFlowIndicator(c: number): boolean {
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}

/**
 * Offset of the first collection opened deeper than `max` levels, if any: flow collections (`[`, `{`)
 * plus block collections opened on one line (`- - -`, `? `), outside quoted scalars, comments and block
 * scalars. One pass over the text; where the scan cannot tell plain text from structure it counts the
 * bracket, so a document it accepts is never deeper than `max` (block nesting by indentation costs as
 * many bytes as its depth squared and is bounded by the file size instead).
 */
export function nestingTooDeep(text: string, max: number): number | undefined {
  const n = text.length;
  let flow = 0;
  let compact = 0;
  // A node may begin at the next non-blank character (quotes, block scalars and indicators count only there).
  let start = true;
  let quotedJustEnded = false;
  let lineAt = 0;
  // Column a block scalar's content must exceed: the innermost block node begun on this line.
  let node = -1;
  let i = 0;
  const newLine = (): void => {
    lineAt = i;
    if (flow > 0) return;
    while (text.charCodeAt(i) === SPACE) i++;
    node = i - lineAt;
    compact = 0;
    start = true;
    if (node === 0 && (text.startsWith("---", i) || text.startsWith("...", i)) && isBlank(text.charCodeAt(i + 3))) i += 3;
    else if (node === 0 && text.charCodeAt(i) === 37 /* % directive */) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? n : nl;
    }
  };
  newLine();
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      i++;
      newLine();
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    const wasQuoted = quotedJustEnded;
    quotedJustEnded = false;
    if (c === 35 /* # */ && (i === lineAt || isBlank(text.charCodeAt(i - 1)))) {
      const nl = text.indexOf("\n", i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (start && (c === 34 || c === 39)) {
      // A quoted scalar, possibly over several lines; unterminated, the parser fails on it too.
      let j = i + 1;
      for (; j < n; j++) {
        const q = text.charCodeAt(j);
        if (c === 34 && q === 92) j++;
        else if (q === c) {
          if (c === 39 && text.charCodeAt(j + 1) === 39) j++;
          else break;
        }
      }
      if (j >= n) return undefined;
      i = j + 1;
      start = false;
      quotedJustEnded = true;
      continue;
    }
    if (c === 91 || c === 123) {
      if (start || flow > 0) {
        if (++flow + compact > max) return i;
        start = true;
      }
      i++;
      continue;
    }
    if (c === 93 || c === 125) {
      if (flow > 0) {
        flow--;
        start = false;
      }
      i++;
      continue;
    }
    if (flow > 0 && c === 44) {
      start = true;
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (c === 58 /* : */ && (isBlank(next) || (flow > 0 && (isFlowIndicator(next) || wasQuoted)))) {
      start = true;
      i++;
      continue;
    }
    if (start && flow === 0 && (c === 45 || c === 63) && isBlank(next)) {
      // `- ` and `? ` open a block collection on this line.
      if (++compact > max) return i;
      node = i - lineAt;
      i++;
      continue;
    }
    if (start && flow === 0 && (c === 124 || c === 62)) {
      i = afterBlockScalar(text, i, node);
      lineAt = i;
      newLine();
      continue;
    }
    if (start && (c === 38 || c === 33)) {
      // An anchor or a tag: the node itself follows.
      while (i < n && !isBlank(text.charCodeAt(i)) && !(flow > 0 && isFlowIndicator(text.charCodeAt(i)))) i++;
      continue;
    }
    if (start) {
      start = false;
      if (flow === 0) node = i - lineAt;
    }
    i++;
  }
  return undefined;
}

/** Offset of the first line after the block scalar whose header is at `at` (content indented beyond `node`). */
function afterBlockScalar(text: string, at: number, node: number): number {
  const n = text.length;
  let i = text.indexOf("\n", at);
  if (i === -1) return n;
  i++;
  let indent = -1;
  while (i < n) {
    let j = i;
    while (text.charCodeAt(j) === SPACE) j++;
    const c = text.charCodeAt(j);
    const blank = j >= n || c === LF || (c === CR && text.charCodeAt(j + 1) === LF);
    if (!blank) {
      if (indent === -1) {
        if (j - i <= node) return i;
        indent = j - i;
      } else if (j - i < indent) return i;
    }
    const nl = text.indexOf("\n", j);
    if (nl === -1) return n;
    i = nl + 1;
  }
  return n;
}

/** Characters of a complex key's source text that name it in a path or a message. */
const KEY_LABEL_CHARS = 40;

/**
 * A short name for a mapping key that is itself a collection (`? [a]`, `{ {x: 1}: 2 }`), from its
 * source text. Never the library's `String(key)`: its block rendering of a key that holds complex keys
 * doubles at each level, so 30 nested keys in 150 bytes of YAML render to gigabytes.
 */
export function complexKeyLabel(key: unknown, text: string): string {
  const range = (key as Node | null)?.range;
  if (!range) return "?";
  const cut = text.slice(range[0], Math.min(range[1], range[0] + KEY_LABEL_CHARS + 1)).replace(/\s+/g, " ").trim();
  return cut.length > KEY_LABEL_CHARS ? `${cut.slice(0, KEY_LABEL_CHARS).trimEnd()}…` : cut;
}

/** Calls `fn` on every node below `root` (aliases included, not followed), without recursion or paths. */
export function eachNode(root: unknown, fn: (node: Node) => boolean | void): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    if (isPair(v)) {
      stack.push(v.value, v.key);
      continue;
    }
    if (fn(v as Node) === false) return;
    if (isAlias(v)) continue;
    if (isMap(v) || isSeq(v)) for (let k = v.items.length - 1; k >= 0; k--) stack.push(v.items[k]);
  }
}

/**
 * The aliases below `root` in document order, with whether each has an anchor before it: one pass,
 * where the library's `Alias.resolve` walks the whole document again for every alias.
 */
export function aliases(root: unknown): Array<{ alias: Alias; defined: boolean }> {
  const anchors = new Set<string>();
  const out: Array<{ alias: Alias; defined: boolean }> = [];
  eachNode(root, (node) => {
    if (isAlias(node)) out.push({ alias: node, defined: anchors.has(node.source) });
    else if (node.anchor) anchors.add(node.anchor);
  });
  return out;
}

/**
 * The node each alias below `root` names (the closest anchor of that name before it), in one pass:
 * the library's `Alias.resolve` walks the whole document for every alias, quadratic in a document
 * of many aliases. An alias with no anchor before it is absent from the map.
 */
export function aliasTargets(root: unknown): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const out = new Map<Alias, Node>();
  eachNode(root, (node) => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) out.set(node, target);
    } else if (node.anchor) anchors.set(node.anchor, node);
  });
  return out;
}

/**
 * Work the library does to resolve the first alias of a document: it walks every node, copying the
 * path to it, so the cost is the sum of all node depths (quadratic in the nesting depth). The first
 * alias when that sum exceeds `budget`, else undefined (also when there is no alias at all).
 */
export function aliasCostExceeded(root: unknown, budget: number): Alias | undefined {
  let cost = 0;
  let first: Alias | undefined;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    cost += depth;
    if (isPair(v)) {
      stack.push([v.value, depth + 1], [v.key, depth + 1]);
      continue;
    }
    if (isAlias(v)) first ??= v;
    else if (isMap(v) || isSeq(v)) for (let k = v.items.length - 1; k >= 0; k--) stack.push([v.items[k], depth + 1]);
  }
  return first && cost > budget ? first : undefined;
}

/**
 * Merge keys (`<<: *base`), applied by every YAML reader as the tools of the field do (js-yaml, the
 * OpenAPI and AsyncAPI parsers, Go's yaml.v3): parsed with `merge: true`, a plain `<<` key holds a symbol.
 */
export const MERGE = { merge: true } as const;

/** Members copied by merge keys in one document; beyond this the input is hostile (each merge copies a whole mapping). */
export const MAX_MERGED_MEMBERS = 1_000_000;

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol";
}

/**
 * The mappings a merge key's value names, in the order they apply (an earlier one wins over a later
 * one, and the mapping's own keys over all of them): a mapping, an alias of one, or a list of those.
 * Undefined when the value is anything else.
 */
export function mergeSources(value: unknown, resolve: (alias: Alias) => unknown): Node[] | undefined {
  const one = (v: unknown): Node | undefined => {
    const target = isAlias(v) ? resolve(v) : v;
    return isMap(target) ? (target as Node) : undefined;
  };
  if (isSeq(value)) {
    const out: Node[] = [];
    for (const item of value.items) {
      const m = one(item);
      if (!m) return undefined;
      out.push(m);
    }
    return out;
  }
  const m = one(value);
  return m ? [m] : undefined;
}
