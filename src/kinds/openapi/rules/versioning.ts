import semver from "semver";
import type { DiffContext } from "../context.ts";
import { isObj } from "../load.ts";

/** Rule family: `info.version` against the changes found (runs after every other family). */
export const ids = ["api-version-decreased", "api-major-version-not-bumped", "api-version-not-bumped"];

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
  if (semver.lt(b, a)) {
    cx.report({ id: "api-version-decreased", message: `info.version decreased from ${a} to ${b}`, ...at });
    return;
  }
  const breaking = cx.findings.some((f) => f.severity === "breaking");
  if (breaking && semver.major(b) === semver.major(a)) {
    cx.report({ id: "api-major-version-not-bumped", message: `breaking changes without a major version bump (${a} → ${b})`, ...at });
  } else if (cx.findings.length && semver.eq(a, b)) {
    cx.report({ id: "api-version-not-bumped", message: `changes without a version bump (still ${b})`, ...at });
  }
}
