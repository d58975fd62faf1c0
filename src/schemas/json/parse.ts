import { ContractError } from "../../core/errors.ts";
import { LineIndex, type Location } from "../../core/location.ts";
import { currentDuplicateKeysMode, duplicateKeyError, judgeRepeats, type Repeat, sameJson } from "../../core/duplicate-keys.ts";

/** Offsets of one object or array of a parsed document: its own start, and each member's key and value. */
export interface Positions {
  start: number;
  keys?: Map<string, { key: number; value: number }>;
  items?: number[];
}

/** Deeper documents are refused: no schema needs them, and recursion over them must stay bounded. */
export const MAX_DEPTH = 512;

/** A parsed document (JSON or YAML) that can say where each member is written. */
export interface SourceDocument {
  readonly file: string;
  readonly value: unknown;
  loc(container: unknown, key?: string | number, which?: "key" | "value"): Location;
}

/**
 * A strict JSON document with the position of every member, for schema formats whose files are JSON
 * (`.avsc`, JSON Schema). Objects have no prototype, so user keys never reach Object.prototype.
 */
export class JsonDocument implements SourceDocument {
  private readonly positions = new WeakMap<object, Positions>();
  private lines?: LineIndex;
  readonly value: unknown;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.value = new Parser(text, file, this.positions).parse();
  }

  private at(offset: number): Location {
    this.lines ??= new LineIndex(this.text);
    return this.lines.location(this.file, offset);
  }

  /**
   * Where `key` of `container` is written (the key itself for object members, the element for array
   * items), or the container when no key is given or it is not a member.
   */
  loc(container: unknown, key?: string | number, which: "key" | "value" = "key"): Location {
    return this.at(memberOffset(typeof container === "object" && container !== null ? this.positions.get(container) : undefined, key, which));
  }
}

const WS = new Set([0x20, 0x0a, 0x0d, 0x09]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  private i = 0;
  /** Member names and item numbers down to the value being read, for the pointer of a repeated key. */
  private readonly segments: Array<string | number> = [];
  private readonly repeats: Repeat[] = [];

  constructor(
    private readonly t: string,
    private readonly file: string,
    private readonly positions: WeakMap<object, Positions>,
  ) {}

  private fail(message: string, offset = this.i): never {
    throw new ContractError(`invalid JSON: ${message}`, new LineIndex(this.t).location(this.file, Math.min(offset, this.t.length)));
  }

  /** A key written again: refused at once when the values differ and the mode refuses, else kept for judging. */
  private repeat(key: string, prev: { key: number; value: number; end?: number }, keyAt: number, valueAt: number): void {
    const same = sameJson(this.t.slice(prev.value, prev.end), this.t.slice(valueAt, this.i));
    const path = this.segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("") + `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    const r: Repeat = { key, path, first: prev.key, second: keyAt, same };
    if (!same && currentDuplicateKeysMode() === "error") throw duplicateKeyError(this.file, this.t, r, true);
    this.repeats.push(r);
  }

  private ws(): void {
    while (this.i < this.t.length && WS.has(this.t.charCodeAt(this.i))) this.i++;
  }

  parse(): unknown {
    if (this.t.charCodeAt(0) === 0xfeff) this.i = 1;
    const v = this.value(0);
    this.ws();
    if (this.i < this.t.length) this.fail("unexpected text after the JSON value");
    judgeRepeats(this.file, this.t, this.repeats);
    return v;
  }

  private value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.ws();
    const start = this.i;
    const c = this.t[this.i];
    if (c === "{") {
      this.i++;
      const obj: Record<string, unknown> = Object.create(null);
      const keys = new Map<string, { key: number; value: number; end?: number }>();
      this.positions.set(obj, { start, keys });
      this.ws();
      if (this.t[this.i] === "}") {
        this.i++;
        return obj;
      }
      for (;;) {
        this.ws();
        const keyAt = this.i;
        if (this.t[this.i] !== '"') this.fail("expected a property name in double quotes");
        const k = this.string();
        const prev = keys.get(k);
        this.ws();
        if (this.t[this.i] !== ":") this.fail("expected ':' after a property name");
        this.i++;
        this.ws();
        const valueAt = this.i;
        this.segments.push(k);
        obj[k] = this.value(depth + 1);
        this.segments.pop();
        // The last of two equal keys is the one kept, as JSON.parse, Jackson and avsc keep it.
        if (prev) this.repeat(k, prev, keyAt, valueAt);
        keys.set(k, { key: keyAt, value: valueAt, end: this.i });
        this.ws();
        if (this.t[this.i] === ",") this.i++;
        else if (this.t[this.i] === "}") {
          this.i++;
          return obj;
        } else this.fail("expected ',' or '}' after a property value");
      }
    }
    if (c === "[") {
      this.i++;
      const arr: unknown[] = [];
      const items: number[] = [];
      this.positions.set(arr, { start, items });
      this.ws();
      if (this.t[this.i] === "]") {
        this.i++;
        return arr;
      }
      for (;;) {
        this.ws();
        items.push(this.i);
        this.segments.push(arr.length);
        arr.push(this.value(depth + 1));
        this.segments.pop();
        this.ws();
        if (this.t[this.i] === ",") this.i++;
        else if (this.t[this.i] === "]") {
          this.i++;
          return arr;
        } else this.fail("expected ',' or ']' after an array element");
      }
    }
    if (c === '"') return this.string();
    for (const [lit, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.t.startsWith(lit, this.i)) {
        this.i += lit.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.t);
    if (m && m[0].length) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    return this.fail(this.i >= this.t.length ? "unexpected end of input" : `unexpected character '${c}'`);
  }

  private string(): string {
    const start = this.i;
    let j = this.i + 1;
    let escaped = false;
    for (;;) {
      if (j >= this.t.length) this.fail("unterminated string", start);
      const c = this.t.charCodeAt(j);
      if (c === 0x22) break;
      if (c < 0x20) this.fail("control character in a string", j);
      if (c === 0x5c) {
        escaped = true;
        j += 2;
        continue;
      }
      j++;
    }
    this.i = j + 1;
    const raw = this.t.slice(start, j + 1);
    if (!escaped) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail("invalid escape in a string", start);
    }
  }
}

/** Whether a parsed JSON value is an object (not an array or null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Own member of a parsed object; never reaches the prototype chain. */
export function member(o: Record<string, unknown>, k: string): unknown {
  return Object.hasOwn(o, k) ? o[k] : undefined;
}

/** Where `key` of a container with these offsets is written; the container itself when it is not a member. */
export function memberOffset(p: Positions | undefined, key: string | number | undefined, which: "key" | "value"): number {
  if (!p) return 0;
  if (key === undefined) return p.start;
  if (typeof key === "number" && p.items) return p.items[key] ?? p.start;
  const m = p.keys?.get(String(key));
  return m ? m[which] : p.start;
}
