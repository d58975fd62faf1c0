import { UsageError } from "../core/errors.ts";

/**
 * "Today" for dated policy (deprecation ages, accept `until`, sunset dates). `COMMS_NOW` (an ISO date or
 * date-time) pins it, so that a CI re-run of an old commit, or a test, judges as of a known day.
 */
export function policyNow(env: Record<string, string | undefined> = process.env): Date {
  const pinned = env.COMMS_NOW;
  if (pinned === undefined || pinned === "") return new Date();
  const t = /^\d{4}-\d\d-\d\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$/.test(pinned) ? Date.parse(pinned) : Number.NaN;
  if (Number.isNaN(t)) throw new UsageError(`COMMS_NOW: expected a date such as 2026-06-15 or 2026-06-15T12:00:00Z, got '${pinned.replace(/[^\x20-\x7e]/g, "?").slice(0, 40)}'`);
  return new Date(t);
}
