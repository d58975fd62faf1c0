/** Deprecation, sunset and stability of an operation, parameter or property (oasdiff's extensions). */
export interface Lifecycle {
  deprecated: boolean;
  /** Valid sunset date, `YYYY-MM-DD`. */
  sunset?: string;
  /** `x-sunset` as written, when present (valid or not). */
  sunsetRaw?: unknown;
  stability?: string;
}

const LEVELS = ["draft", "alpha", "beta", "stable"];

/** Rank of an `x-stability-level` (absent means stable); undefined when the value is not a level. */
export function stabilityRank(level: string | undefined): number | undefined {
  if (level === undefined) return LEVELS.length - 1;
  const i = LEVELS.indexOf(level);
  return i === -1 ? undefined : i;
}

/** Parses a sunset date: a calendar date or an RFC 3339 timestamp, as oasdiff accepts them. */
export function parseSunset(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.exec(v.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.getUTCDate() !== Number(m[3])) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function lifecycleOf(v: Record<string, unknown>): Lifecycle {
  const raw = v["x-sunset"];
  const stab = v["x-stability-level"];
  const out: Lifecycle = { deprecated: v.deprecated === true };
  if (raw !== undefined) {
    out.sunsetRaw = raw;
    const s = parseSunset(raw);
    if (s) out.sunset = s;
  }
  if (stab !== undefined) out.stability = String(stab);
  return out;
}

/** Whole days from `now` (UTC date) to a `YYYY-MM-DD` date; negative when past. */
export function daysUntil(date: string, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - today) / 86_400_000);
}
