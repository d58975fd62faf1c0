/**
 * The text of a double-quoted YAML key when its escapes are also JSON's; undefined otherwise (YAML has
 * escapes JSON lacks, such as `\e` or `\x41`), which leaves the key to the exact parser.
 */
function doubleQuoted(body: string): string | undefined {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}

/** A block mapping's key on its line: double-quoted, single-quoted or plain, then `:`. */
const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#:{}[\],][^:#\n]*?))\s*:(?=\s|$)/;

/** A line that is an entry of a block: its number, indent and where its content starts. */
interface LineEntry {
  line: number;
  indent: number;
  at: number;
}

interface BlockHit {
  key: number;
  value: number;
  line: number;
  indent: number;
  childIndent: number;
  sameLine: boolean;
}

/**
 * Finds where a member is written in YAML text by reading lines and indentation (and brackets for
 * flow collections), without building a document: locating a few findings in a large file must not
 * cost a full parse. Returns undefined when unsure; the exact parser is the fallback.
 */
export class YamlLines {
  private readonly starts: number[] = [];
  private readonly indents: number[] = [];
  private readonly content: number[] = [];
  /** Whether the text has no tabs, directives or document markers (which the line reading cannot follow). */
  private plain?: boolean;
  /** The members of each block mapping looked up so far, by key: a block is read once, not once per lookup. */
  private readonly blocks = new Map<string, Map<string, BlockHit>>();
  /** Where each block looked up so far ends: a lookup under a large block must not rescan its lines. */
  private readonly ends = new Map<string, number>();

  constructor(private readonly text: string) {
    let pos = 0;
    while (pos <= text.length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = text.length;
      let i = pos;
      while (i < end && text[i] === " ") i++;
      const blank = i >= end || text[i] === "#" || text[i] === "\r";
      if (!blank) {
        this.starts.push(pos);
        this.indents.push(i - pos);
        this.content.push(i);
      }
      pos = end + 1;
    }
  }

  /** Where the collection at `path` starts: its bracket, or its first entry for block style. */
  start(path: Array<string | number>): number | undefined {
    if (!path.length) return this.content[0];
    return this.find(path, "value");
  }

  /** Where a value starts: after the spaces that follow its key, or on the next line for block style. */
  private nodeStart(offset: number): number | undefined {
    const v = this.valueStart(offset) ?? offset;
    if (v < this.text.length && this.text[v] !== "\n" && this.text[v] !== "\r" && this.text[v] !== "#") return v;
    // The first non-blank line starting after `v` (binary search: lines are in order).
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    return lo < this.starts.length ? this.content[lo] : undefined;
  }

  /** Offset of the key (or value) of `path`'s last segment, or of the root for an empty path. */
  find(path: Array<string | number>, which: "key" | "value"): number | undefined {
    this.plain ??= !this.text.includes("\t") && !/^\s*(---|%)/m.test(this.text);
    if (!this.plain) return undefined;
    let lo = 0;
    let hi = this.starts.length;
    let parent = -1;
    // The first line of an item may start after "- ": a virtual indent inside that line.
    let first: LineEntry | undefined;
    for (let s = 0; s < path.length; s++) {
      const seg = path[s]!;
      const hit = this.block(lo, hi, parent, seg, first);
      if (!hit) return undefined;
      if (s === path.length - 1) return which === "key" ? hit.key : this.nodeStart(hit.value);
      const after = this.valueStart(hit.value);
      if (after !== undefined && (this.text[after] === "{" || this.text[after] === "[")) return this.flow(after, path.slice(s + 1), which);
      lo = hit.line + (hit.sameLine ? 0 : 1);
      first = hit.sameLine ? { line: hit.line, indent: hit.childIndent, at: hit.value } : undefined;
      hi = this.blockEnd(hit.line + 1, hit.indent);
      parent = hit.indent;
    }
    return 0;
  }

  private blockEnd(from: number, indent: number): number {
    const id = `${from}:${indent}`;
    const known = this.ends.get(id);
    if (known !== undefined) return known;
    const end = this.scanBlockEnd(from, indent);
    this.ends.set(id, end);
    return end;
  }

  private scanBlockEnd(from: number, indent: number): number {
    let i = from;
    while (i < this.starts.length && this.indents[i]! > indent) i++;
    // A block sequence may sit at its key's indent ("key:\n- a").
    while (i < this.starts.length && this.indents[i] === indent && this.text[this.content[i]!] === "-" && this.text[this.content[i]! + 1] === " ") {
      i++;
      while (i < this.starts.length && this.indents[i]! > indent) i++;
    }
    return i;
  }

  private valueStart(offset: number): number | undefined {
    let i = offset;
    while (i < this.text.length && this.text[i] === " ") i++;
    return i < this.text.length ? i : undefined;
  }

  private block(lo: number, hi: number, parent: number, seg: string | number, first?: LineEntry): BlockHit | undefined {
    if (typeof seg === "string") {
      const id = `${lo}:${hi}:${parent}:${first ? `${first.line}:${first.indent}:${first.at}` : ""}`;
      let members = this.blocks.get(id);
      if (!members) {
        members = this.members(lo, hi, parent, first);
        this.blocks.set(id, members);
      }
      return members.get(seg);
    }
    // A sequence: its items are the "- " lines at the block's indent.
    const t = this.text;
    let indent = -1;
    let index = 0;
    for (let i = lo; i < hi; i++) {
      const l = this.entry(i, parent, first);
      if (!l) continue;
      if (indent < 0) indent = l.indent;
      if (l.indent !== indent) continue;
      if (t[l.at] !== "-" || (t[l.at + 1] !== " " && t[l.at + 1] !== "\n")) return undefined;
      if (index++ === seg) {
        // An item is located at its node, after the dash (or on the next line for "-" alone).
        const v = this.valueStart(l.at + 1) ?? l.at;
        const node = this.nodeStart(l.at + 1) ?? v;
        return { key: node, value: node, line: l.line, indent, childIndent: indent + (v - l.at), sameLine: t[v] !== "\n" };
      }
    }
    return undefined;
  }

  /** Line `i` as an entry of the block below indent `parent` (the first line may start inside its parent's line), if it is one. */
  private entry(i: number, parent: number, first?: LineEntry): LineEntry | undefined {
    if (first && i === first.line) return first;
    if (this.indents[i]! > parent || (this.text[this.content[i]!] === "-" && this.indents[i] === parent)) return { line: i, indent: this.indents[i]!, at: this.content[i]! };
    return undefined;
  }

  /** The keys of the block mapping in lines [lo, hi) below indent `parent`, each at its first occurrence. */
  private members(lo: number, hi: number, parent: number, first?: LineEntry): Map<string, BlockHit> {
    const out = new Map<string, BlockHit>();
    let indent = -1;
    const t = this.text;
    for (let i = lo; i < hi; i++) {
      const l = this.entry(i, parent, first);
      if (!l) continue;
      if (indent < 0) indent = l.indent;
      if (l.indent !== indent) continue;
      const end = t.indexOf("\n", l.at);
      const m = KEY.exec(t.slice(l.at, end < 0 ? t.length : end));
      if (!m) continue;
      const key = m[1] !== undefined ? doubleQuoted(m[1]) : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3]!.trim();
      // A key the line reading cannot decode ends what is known of this block: the exact parser decides.
      if (key === undefined) break;
      if (!out.has(key)) out.set(key, { key: l.at, value: l.at + m[0].length, line: l.line, indent, childIndent: indent, sameLine: false });
    }
    return out;
  }

  /** Inside a flow collection at `open`: the member at `path`. */
  private flow(open: number, path: Array<string | number>, which: "key" | "value"): number | undefined {
    const t = this.text;
    let at = open;
    for (let s = 0; s < path.length; s++) {
      const seg = path[s]!;
      const isSeq = t[at] === "[";
      let i = at + 1;
      let depth = 0;
      let index = 0;
      let entry = i;
      let found: { key: number; value: number } | undefined;
      for (; i < t.length && !found; i++) {
        const c = t[i];
        if (c === '"' || c === "'") {
          const q = c;
          i++;
          while (i < t.length && t[i] !== q) i += t[i] === "\\" && q === '"' ? 2 : 1;
          continue;
        }
        if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && c === ",") {
          index++;
          entry = i + 1;
        } else if (depth === 0 && !isSeq && c === ":" && /[\s,]/.test(t[i + 1] ?? " ")) {
          const keyStart = this.valueStart(entry) ?? entry;
          const raw = t.slice(keyStart, i).trim();
          const key = raw.startsWith('"') ? doubleQuoted(raw.slice(1, -1)) : raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
          if (key === undefined) return undefined;
          if (key === seg) found = { key: keyStart, value: this.valueStart(i + 1) ?? i + 1 };
        }
        if (isSeq && depth === 0 && index === seg && c !== "," && c !== " " && c !== "\n") {
          const v = this.valueStart(entry) ?? entry;
          found = { key: v, value: v };
        }
      }
      if (!found) return undefined;
      if (s === path.length - 1) return which === "key" ? found.key : found.value;
      at = found.value;
      if (t[at] !== "{" && t[at] !== "[") return undefined;
    }
    return undefined;
  }
}
