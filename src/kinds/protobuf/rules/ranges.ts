import type { Enum, Message, TagRange } from "../model.ts";
import { at, q, type RuleContext, type Where } from "./context.ts";

/** Sorted, merged copy of ranges (adjacent ranges join). */
function collapse(ranges: TagRange[]): TagRange[] {
  const sorted = ranges.map((r) => ({ ...r })).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TagRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

/** Index of the first collapsed range that ends at or after `n` (binary search: ranges can be many). */
function firstEndingFrom(n: number, collapsed: TagRange[]): number {
  let lo = 0;
  let hi = collapsed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (collapsed[mid]!.end < n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Parts of [start, end] not covered by the collapsed ranges. */
function missing(start: number, end: number, collapsed: TagRange[]): TagRange[] {
  const out: TagRange[] = [];
  let cur = start;
  for (let i = firstEndingFrom(start, collapsed); i < collapsed.length; i++) {
    const r = collapsed[i]!;
    if (r.start > end) break;
    if (r.start > cur) out.push({ start: cur, end: r.start - 1 });
    cur = r.end + 1;
    if (cur > end) return out;
  }
  if (cur <= end) out.push({ start: cur, end });
  return out;
}

interface Reservations {
  ranges: TagRange[];
  names: Set<string>;
}

const reservations = new WeakMap<Message | Enum, Reservations>();

function reservationsOf(el: Message | Enum): Reservations {
  let r = reservations.get(el);
  if (!r) reservations.set(el, (r = { ranges: collapse(el.reservedRanges), names: new Set(el.reservedNames) }));
  return r;
}

/**
 * Whether a message or enum reserves a number, and a name. Looked up once per deleted field or
 * value, so both are indexed: a file may hold tens of thousands of reservations and deletions.
 */
export function reservesNumber(el: Message | Enum, n: number): boolean {
  const ranges = reservationsOf(el).ranges;
  const r = ranges[firstEndingFrom(n, ranges)];
  return r !== undefined && r.start <= n;
}

export function reservesName(el: Message | Enum, name: string): boolean {
  return reservationsOf(el).names.has(name);
}

function rangeString(r: TagRange, max: number): string {
  if (r.start === r.end) return `[${r.start}]`;
  if (r.end === max) return `[${r.start},max]`;
  return `[${r.start},${r.end}]`;
}

/** Reports every previous reserved/extension range that is no longer fully covered. */
export function checkTagRanges(
  ctx: RuleContext,
  rangeKind: "reserved" | "extension",
  elementKind: "message" | "enum",
  name: string,
  path: string,
  max: number,
  previous: TagRange[],
  current: TagRange[],
  where: Where,
  old: Where,
): void {
  if (!previous.length) return;
  const collapsed = collapse(current);
  for (const r of previous) {
    const gone = missing(r.start, r.end, collapsed);
    if (!gone.length) continue;
    const prevString = rangeString(r, max);
    ctx.report({
      path,
      message: `Previously present ${rangeKind} range ${JSON.stringify(prevString)} on ${elementKind} "${name}" is missing values: ${gone.map((g) => rangeString(g, max)).join(", ")} were removed.`,
      at: where,
      old,
    });
  }
}

/** RESERVED_MESSAGE/ENUM_NO_DELETE: every previous reserved range and name must still be reserved. */
export function checkReserved(ctx: RuleContext, elementKind: "message" | "enum", el: Message | Enum, prev: Message | Enum, max: number): void {
  if (!prev.reservedRanges.length && !prev.reservedNames.length) return;
  const where = at(el.file, el.span);
  const old = at(prev.file, prev.span);
  checkTagRanges(ctx, "reserved", elementKind, el.name, el.fullName, max, prev.reservedRanges, el.reservedRanges, where, old);
  const now = new Set(el.reservedNames);
  for (const name of new Set(prev.reservedNames))
    if (!now.has(name))
      ctx.report({
        path: el.fullName,
        message: `Previously present reserved name ${q(name)} on ${elementKind} ${q(el.name)} was deleted.`,
        at: where,
        old,
      });
}
