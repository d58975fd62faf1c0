/**
 * Shared pieces of the fuzzer: the seeded random source, the case shape, and mutations that work on
 * any text (bytes) or any YAML/JSON document (trees). Kind plugins in ./kinds/ build on these.
 */
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

/** A small, fast, seedable generator (sfc32); every input derives its own from (seed, kind, index). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...parts: Array<string | number>) {
    // Mix the parts into four 32-bit words with a string hash (cyrb128).
    const key = parts.join("\u0000");
    let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
    for (let i = 0; i < key.length; i++) {
      const k = key.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.a = h1 >>> 0;
    this.b = h2 >>> 0;
    this.c = h3 >>> 0;
    this.d = h4 >>> 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  /** A size skewed towards small values, sometimes large: most bugs need little, bombs need a lot. */
  size(max: number): number {
    const r = this.next();
    return r < 0.6 ? 1 + this.int(4) : r < 0.9 ? 1 + this.int(64) : 1 + this.int(max);
  }
}

/** One input: the files of a working directory and the comms arguments run there. */
export interface FuzzCase {
  files: Record<string, string>;
  args: string[];
  /** Symbolic links to create: path in the case → target (may point outside the case). */
  links?: Record<string, string>;
  /** Exits a right answer allows (class cases built to hide a change): any other is a wrong verdict. */
  expectExit?: number[];
}

/** A kind of input the fuzzer knows how to build and mutate (one file per kind in ./kinds/). */
export interface FuzzKind {
  name: string;
  /** Valid starting points; `build` runs the CLI in a scratch directory (to record releases, say). */
  seeds(build: SeedBuilder): Promise<FuzzCase[]>;
  /** A new input derived from `base`; `pool` holds the other seeds for splicing. */
  mutate(base: FuzzCase, rng: Rng, pool: FuzzCase[]): FuzzCase;
  /** Hostile classes built whole (see classes.ts): each runs once right after the seeds, then one input in fifty. */
  classes?: Record<string, (rng: Rng) => FuzzCase>;
}

/** Runs comms in a scratch directory holding `files` and returns the directory's files afterwards. */
export type SeedBuilder = (files: Record<string, string>, commands: string[][]) => Promise<Record<string, string> | undefined>;

/** File contents written to a directory next to each case: any of it in an output means comms read outside its root. */
export const CANARY = "CANARY_OUTSIDE_ROOT_7f3a9c";

/** Strings that have broken parsers and lookups before: properties of Object.prototype, paths out, control characters. */
export const HOSTILE_STRINGS = [
  "",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "../victim/secret.yaml",
  "../../victim/secret.yaml",
  "../victim",
  "/etc/passwd",
  "/dev/zero",
  "/dev/stdin",
  "victim-link/secret.yaml",
  ".",
  "..",
  "#/",
  "#/%",
  "#/%zz",
  "#/components/schemas/constructor",
  "#/components/schemas/__proto__",
  "#/info/title",
  "#/paths",
  "#",
  "x\n::error file=evil,line=1::pwned",
  "\u001b[31mred\u001b[0m\u0007",
  "\u001b]8;;https://example.invalid\u0007link\u001b]8;;\u0007",
  "\u0000",
  "\r",
  "a\u2028b",
  "💥",
  "x".repeat(300),
  "http://127.0.0.1:1/x.yaml",
  "file:///etc/passwd",
  "1.0.0",
  "99999999999999999999.0.0",
  "v1",
  "2026-13-45",
  "*",
  "**/*",
  "{",
  "'",
  '"',
  "%",
  "~1",
];

export const HOSTILE_SCALARS: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, NaN, Infinity, [], {}, ...HOSTILE_STRINGS];

// ---- byte-level mutations ----

const BYTE_INSERTS = ["\u0000", "\u001b", "\uFEFF", "\r", "\n", "\t", "{", "}", "[", "]", ":", "&a", "*a", "*nope", "!!binary", "$ref", "'", '"', "\\", "#", "- ", "?", "<<: *a", "\uD800", "\u2028"];

/** One byte-level change: flip, insert, delete, duplicate or splice a region. */
export function mutateBytes(text: string, rng: Rng, donor?: string): string {
  const len = text.length;
  const at = rng.int(len + 1);
  switch (rng.int(8)) {
    case 0: {
      // Replace one character with a random code unit (mostly ASCII).
      if (!len) return text + String.fromCharCode(rng.int(128));
      const code = rng.chance(0.8) ? rng.int(128) : rng.int(0x10000);
      return text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
    }
    case 1:
      return text.slice(0, at) + rng.pick(BYTE_INSERTS) + text.slice(at);
    case 2: {
      const n = rng.size(Math.max(1, len >> 2));
      return text.slice(0, at) + text.slice(at + n);
    }
    case 3: {
      const n = rng.size(200);
      const chunk = text.slice(at, at + n);
      return text.slice(0, at) + chunk.repeat(1 + rng.int(rng.chance(0.1) ? 200 : 4)) + text.slice(at);
    }
    case 4:
      return text.slice(0, at);
    case 5: {
      if (!donor) return text;
      const from = rng.int(donor.length + 1);
      return text.slice(0, at) + donor.slice(from, from + rng.size(500)) + text.slice(at);
    }
    case 6: {
      // Swap two lines.
      const lines = text.split("\n");
      if (lines.length < 2) return text;
      const i = rng.int(lines.length);
      const j = rng.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
    default: {
      // Duplicate a line (duplicate keys, duplicate definitions).
      const lines = text.split("\n");
      const i = rng.int(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
  }
}

// ---- tree mutations for YAML and JSON documents ----

type Json = unknown;
type Slot = { parent: Record<string, Json> | Json[]; key: string | number; value: Json; depth: number };

/** Every slot of a document (capped), for picking one uniformly. */
function slots(root: Json, cap = 5000): Slot[] {
  const out: Slot[] = [];
  const stack: Array<[Json, number]> = [[root, 0]];
  while (stack.length && out.length < cap) {
    const [node, depth] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        out.push({ parent: node, key: i, value: v, depth: depth + 1 });
        if (v && typeof v === "object") stack.push([v, depth + 1]);
      });
    } else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node as Record<string, Json>)) {
        out.push({ parent: node as Record<string, Json>, key: k, value: v, depth: depth + 1 });
        if (v && typeof v === "object") stack.push([v, depth + 1]);
      }
    }
  }
  return out;
}

function setSlot(s: Slot, value: Json): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = value;
  else Object.defineProperty(s.parent, s.key as string, { value, enumerable: true, writable: true, configurable: true });
}

function deleteSlot(s: Slot): void {
  if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
  else delete s.parent[s.key as string];
}

/** Adds a key (own property, even `__proto__`) to an object. */
function addKey(obj: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Domain words a kind offers the tree mutator: keys it knows and values that mean something there. */
export interface Vocabulary {
  keys: string[];
  values: Json[];
}

/** Deepest nesting of brackets and braces in a text (quotes ignored: an estimate is enough). */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** Most nodes a mutated document may have once shared subtrees are written out in full. */
const LIMIT_NODES = 200_000;

/** Nodes of a document counting shared subtrees at every use, stopping past `cap`. */
function expandedSize(root: Json, cap: number): number {
  let n = 0;
  const stack: Json[] = [root];
  while (stack.length && n <= cap) {
    const node = stack.pop();
    n++;
    if (Array.isArray(node)) for (const v of node) stack.push(v);
    else if (node && typeof node === "object") for (const v of Object.values(node)) stack.push(v);
  }
  return n;
}

/** Placeholder replaced after serialisation by deeply nested flow collections (built as text, never as a tree). */
const DEEP = "__FUZZ_DEEP_PLACEHOLDER__";

function deepText(rng: Rng): string {
  const n = rng.pick([100, 1000, 5000, 20000]);
  const kind = rng.int(3);
  if (kind === 0) return "[".repeat(n) + "]".repeat(n);
  if (kind === 1) return "{a: ".repeat(n) + "1" + "}".repeat(n);
  return '{"a": '.repeat(n) + "1" + "}".repeat(n);
}

/**
 * One structural change to a YAML or JSON document: delete, replace, rename, copy, wrap, add `$ref`s
 * and keys from the kind's vocabulary. Text that does not parse falls back to a byte mutation.
 */
export function mutateTree(text: string, rng: Rng, vocab: Vocabulary, donors: string[] = []): string {
  const json = text.trimStart().startsWith("{") || text.trimStart().startsWith("[");
  // The YAML parser is slow on deep flow nesting (itself a finding); such texts only get byte edits here.
  if (text.length > 300_000 || bracketDepth(text) > 200) return mutateBytes(text, rng);
  let doc: Json;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 50, uniqueKeys: false, logLevel: "error" });
  } catch {
    return mutateBytes(text, rng);
  }
  if (doc === null || typeof doc !== "object") doc = { value: doc };
  // Aliases come back as shared objects, which serialise expanded: a small alias DAG would explode here.
  if (expandedSize(doc, LIMIT_NODES) > LIMIT_NODES) return mutateBytes(text, rng);
  let deep: string | undefined;
  const ops = 1 + (rng.chance(0.3) ? rng.int(4) : 0);
  for (let o = 0; o < ops; o++) {
    const all = slots(doc);
    const s = all.length ? rng.pick(all) : undefined;
    const value = (): Json => (rng.chance(0.5) ? structuredClone(rng.pick(vocab.values)) : structuredClone(rng.pick(HOSTILE_SCALARS)));
    switch (rng.int(10)) {
      case 0:
        if (s) deleteSlot(s);
        break;
      case 1:
        if (s) setSlot(s, value());
        break;
      case 2: {
        // Rename a key.
        if (s && !Array.isArray(s.parent)) {
          const v = s.value;
          deleteSlot(s);
          addKey(s.parent, rng.chance(0.5) ? rng.pick(vocab.keys) : String(rng.pick(HOSTILE_STRINGS)), v);
        }
        break;
      }
      case 3: {
        // Add a key with a vocabulary value to some object.
        const objs = all.filter((x) => x.value && typeof x.value === "object" && !Array.isArray(x.value));
        const target = (objs.length ? rng.pick(objs).value : doc) as Record<string, Json>;
        if (target && typeof target === "object" && !Array.isArray(target)) addKey(target, rng.pick(vocab.keys), value());
        break;
      }
      case 4: {
        // Copy a subtree somewhere else (shared nodes, recursion through refs, type confusion).
        const src = all.length ? rng.pick(all) : undefined;
        if (s && src) setSlot(s, structuredClone(src.value));
        break;
      }
      case 5: {
        // A $ref to something plausible or hostile.
        if (s) {
          const targets = vocab.values.filter((v): v is string => typeof v === "string" && (v.startsWith("#") || v.includes(".yaml") || v.includes(".json")));
          setSlot(s, { $ref: rng.chance(0.6) && targets.length ? rng.pick(targets) : String(rng.pick(HOSTILE_STRINGS)) });
        }
        break;
      }
      case 6: {
        // Type flips.
        if (s) {
          const v = s.value;
          setSlot(s, Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : v && typeof v === "object" ? Object.values(v) : typeof v === "string" ? rng.pick([Number(v) || 0, [v], { v }]) : String(v));
        }
        break;
      }
      case 7: {
        // Splice a subtree from another document of the same kind.
        if (s && donors.length) {
          try {
            const d = parseYaml(rng.pick(donors), { maxAliasCount: 50, logLevel: "error" });
            const pieces = slots(d, 2000);
            if (pieces.length) setSlot(s, structuredClone(rng.pick(pieces).value));
          } catch {
            // An unparsable donor contributes nothing.
          }
        }
        break;
      }
      case 8:
        if (s && !deep && rng.chance(0.3)) {
          setSlot(s, DEEP);
          deep = deepText(rng);
        }
        break;
      default: {
        // Many copies: fan-out and big collections.
        // Copies are capped so that the document stays under LIMIT_NODES: a copy of a copy of a big
        // subtree would otherwise grow the fuzzer itself to gigabytes before any size check.
        const fits = s ? Math.floor(LIMIT_NODES / Math.max(1, expandedSize(s.value, LIMIT_NODES))) : 0;
        if (s && Array.isArray(s.parent)) for (let i = Math.min(rng.size(2000), fits); i > 0; i--) s.parent.push(structuredClone(s.value));
        else if (s) for (let i = Math.min(rng.size(500), fits); i > 0; i--) addKey(s.parent as Record<string, Json>, `${String(s.key)}_${i}`, structuredClone(s.value));
        break;
      }
    }
    if (expandedSize(doc, LIMIT_NODES) > LIMIT_NODES) return mutateBytes(text, rng);
  }
  if (expandedSize(doc, LIMIT_NODES) > LIMIT_NODES) return mutateBytes(text, rng);
  let out: string;
  try {
    out = json || rng.chance(0.1) ? JSON.stringify(doc, null, rng.chance(0.5) ? 2 : undefined) : stringifyYaml(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
  } catch {
    return mutateBytes(text, rng);
  }
  if (out.length > 300_000) return mutateBytes(text, rng);
  if (deep) out = out.replace(json ? `"${DEEP}"` : DEEP, deep);
  return rng.chance(0.15) ? yamlAliasMutation(out, rng) : out;
}

/** Anchors and aliases added as text: undefined, self-referencing, and exponential (billion laughs). */
export function yamlAliasMutation(text: string, rng: Rng): string {
  const lines = text.split("\n");
  const i = rng.int(lines.length);
  const line = lines[i]!;
  const m = /^(\s*(?:- )?[^:#\s][^:#]*:)\s*(.*)$/.exec(line);
  switch (rng.int(4)) {
    case 0:
      if (m) lines[i] = `${m[1]} *nope`;
      break;
    case 1:
      if (m) lines[i] = `${m[1]} &self [*self]`;
      break;
    case 2: {
      const levels = 3 + rng.int(rng.chance(0.2) ? 25 : 6);
      const bomb = ["x-bomb0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
      for (let l = 1; l < levels; l++) bomb.push(`x-bomb${l}: &b${l} [${Array(9).fill(`*b${l - 1}`).join(", ")}]`);
      if (m && !/^\s/.test(line)) lines.splice(i, 0, ...bomb);
      else lines.push(...bomb);
      break;
    }
    default: {
      // Anchor one value and alias it elsewhere.
      const j = rng.int(lines.length);
      const n = /^(\s*(?:- )?[^:#\s][^:#]*:)\s*(.*)$/.exec(lines[j]!);
      if (m && n && m[2]) {
        lines[i] = `${m[1]} &anc ${m[2]}`;
        if (j !== i) lines[j] = `${n[1]} *anc`;
      }
    }
  }
  return lines.join("\n");
}

/** Applies `count` edits to one file of a case, chosen by `pickFile`. */
export function editCase(base: FuzzCase, rng: Rng, paths: string[], edit: (text: string, path: string) => string): FuzzCase {
  const files = { ...base.files };
  const path = rng.pick(paths);
  files[path] = edit(files[path] ?? "", path);
  return { ...base, files };
}

/** Case-level changes shared by the kinds: identical sides, a deleted file, a link pointing out of the root. */
export function mutateLayout(c: FuzzCase, rng: Rng): FuzzCase {
  const files = { ...c.files };
  const names = Object.keys(files);
  if (!names.length) return c;
  switch (rng.int(4)) {
    case 0: {
      if (names.length > 1) delete files[rng.pick(names)];
      return { ...c, files };
    }
    case 1: {
      // Replace a file by a link out of the project (the fuzzer places a `victim` directory next to each case).
      const name = rng.pick(names);
      delete files[name];
      const depth = name.split("/").length;
      const target = rng.pick([`${"../".repeat(depth)}victim/secret.yaml`, "/dev/zero", "/etc/hostname", `${"../".repeat(depth)}victim`, name]);
      return { ...c, files, links: { ...(c.links ?? {}), [name]: target } };
    }
    case 2: {
      const link = rng.pick(["victim-link", "sub/victim-link"]);
      return { ...c, files, links: { ...(c.links ?? {}), [link]: `${"../".repeat(link.split("/").length)}victim` } };
    }
    default: {
      if (names.length > 1) files[rng.pick(names)] = files[rng.pick(names)]!;
      return { ...c, files };
    }
  }
}
