import semver from "semver";
import type { DiffContext } from "../context.ts";
import { isObj } from "../load.ts";

/**
 * Rule family: `info.version` going backwards. Whether the version fits the changes is judged once,
 * for every kind, by the gate (`version-not-bumped`), not here.
 */
export const ids = ["api-version-decreased"];

/**
 * A semantic version read from `info.version` ("1.2.3", "v1.2", "2"), or undefined for anything else.
 * Coercing freely would read the date version "2024-06-01" as 2024.0.0 and equate every date of a year.
 */
function semverOf(v: string | undefined): string | undefined {
  const s = v?.trim().replace(/^v/i, "") ?? "";
  return semver.valid(s) ?? (/^\d+(\.\d+){0,2}$/.test(s) ? (semver.valid(semver.coerce(s)) ?? undefined) : undefined);
}

export function check(cx: DiffContext): void {
  const version = (doc: Record<string, unknown>) => (isObj(doc.info) && doc.info.version !== undefined ? String(doc.info.version) : undefined);
  const a = semverOf(version(cx.before.doc));
  const b = semverOf(version(cx.after.doc));
  if (!a || !b) return;
  const at = { path: "/info/version", old: { f: cx.before.spec.rootPath, p: "/info/version" }, new: { f: cx.after.spec.rootPath, p: "/info/version" } };
  if (semver.lt(b, a)) cx.report({ id: "api-version-decreased", message: `info.version decreased from ${a} to ${b}`, ...at });
}
