/**
 * Bounds on what one contract file may ask of comms. A file anyone can propose must not make the
 * gate hang, exhaust memory or overflow the stack: nesting is limited, YAML aliases are never
 * expanded (shared values stay shared) but their expanded size is, and an alias inside itself is
 * refused.
 */

/** Deepest nesting of objects and arrays accepted; real descriptions stay far below it. */
export const MAX_DEPTH = 1000;

/** Objects and arrays a file may describe once aliases are expanded (generous: a 10 MB description written out in full has far fewer). */
export const MAX_EXPANDED = 4_000_000;

/** Comparisons of schema pairs one diff may make before it stops with an error. */
export const MAX_COMPARISONS = 2_000_000;

/** Schema changes one diff may carry up through nested schemas (each copied once per level). */
export const MAX_CARRIED = 1_000_000;

/** A limit exceeded at `segments` (a JSON pointer split into keys). */
export class LimitError {
  constructor(
    readonly segments: string[],
    readonly message: string,
  ) {}
}

/** What the inspection learnt: objects reached through more than one path, by their first path. */
export interface Shape {
  shared: Map<object, string[]>;
}

interface Frame {
  v: object;
  keys: string[];
  i: number;
  /** Expanded size of the subtree so far, and the height below it. */
  size: number;
  height: number;
}

/**
 * Walks a parsed value without recursion. With `aliases`, values met twice are counted once and
 * remembered (they come from YAML aliases); an object that contains itself is refused.
 */
export function inspect(value: unknown, aliases: boolean): Shape {
  const shared = new Map<object, string[]>();
  if (typeof value !== "object" || value === null) return { shared };
  const done = aliases ? new Map<object, { size: number; height: number }>() : undefined;
  const parent = aliases ? new Map<object, { of: object; key: string }>() : undefined;
  const onPath = new Set<object>();
  const stack: Frame[] = [];
  const segs: string[] = [];
  const pathOf = (o: object): string[] => {
    const out: string[] = [];
    for (let p = parent?.get(o); p; p = parent?.get(p.of)) out.push(p.key);
    return out.reverse();
  };
  const open = (v: object) => {
    onPath.add(v);
    stack.push({ v, keys: Array.isArray(v) ? [] : Object.keys(v), i: 0, size: 1, height: 0 });
  };
  open(value);
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const arr = Array.isArray(top.v);
    const len = arr ? (top.v as unknown[]).length : top.keys.length;
    if (top.i >= len) {
      stack.pop();
      onPath.delete(top.v);
      done?.set(top.v, { size: top.size, height: top.height });
      segs.pop();
      const up = stack[stack.length - 1];
      if (up) {
        up.size += top.size;
        up.height = Math.max(up.height, top.height + 1);
        if (aliases && up.size > MAX_EXPANDED) throw new LimitError([...segs], `aliases expand this file to more than ${MAX_EXPANDED} objects and arrays`);
      }
      continue;
    }
    const key = arr ? String(top.i) : top.keys[top.i]!;
    const c = arr ? (top.v as unknown[])[top.i] : (top.v as Record<string, unknown>)[key];
    top.i++;
    if (typeof c !== "object" || c === null) continue;
    if (onPath.has(c)) throw new LimitError([...segs, key], "an alias refers to a value that contains it");
    const known = done?.get(c);
    if (known) {
      if (!shared.has(c)) shared.set(c, pathOf(c));
      top.size += known.size;
      top.height = Math.max(top.height, known.height + 1);
      if (segs.length + 1 + known.height > MAX_DEPTH) throw new LimitError([...segs, key], `nesting deeper than ${MAX_DEPTH} levels`);
      if (top.size > MAX_EXPANDED) throw new LimitError([...segs, key], `aliases expand this file to more than ${MAX_EXPANDED} objects and arrays`);
      continue;
    }
    if (segs.length + 1 > MAX_DEPTH) throw new LimitError([...segs, key], `nesting deeper than ${MAX_DEPTH} levels`);
    parent?.set(c, { of: top.v, key });
    segs.push(key);
    open(c);
  }
  return { shared };
}

/** Whether an error is the engine's stack overflow (a value nested too deeply for a recursive parser). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && /call stack/i.test(e.message));
}

/** A user string as one line: control characters are shown escaped, never written raw into a message. */
export function oneLine(s: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return t.length > max ? `${t.slice(0, max)}…` : t;
}
