/** Result of matching two collections by stable identity. */
export interface Paired<T> {
  added: T[];
  removed: T[];
  kept: Array<[key: string, before: T, after: T]>;
}

/**
 * Matches elements of two versions by key, once, so that rules only compare matched pairs.
 * Order follows `before` for removed/kept and `after` for added, which keeps output stable.
 */
export function pair<T>(
  before: Iterable<T> | Map<string, T>,
  after: Iterable<T> | Map<string, T>,
  key?: (item: T) => string,
): Paired<T> {
  const a = toMap(before, key);
  const b = toMap(after, key);
  const out: Paired<T> = { added: [], removed: [], kept: [] };
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w === undefined) out.removed.push(v);
    else out.kept.push([k, v, w]);
  }
  for (const [k, v] of b) if (!a.has(k)) out.added.push(v);
  return out;
}

function toMap<T>(items: Iterable<T> | Map<string, T>, key?: (item: T) => string): Map<string, T> {
  if (items instanceof Map) return items;
  if (!key) throw new TypeError("pair() needs a key function for non-Map inputs");
  const m = new Map<string, T>();
  for (const item of items) m.set(key(item), item);
  return m;
}
