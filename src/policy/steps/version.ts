import { major, minor, valid } from "semver";
import type { Finding } from "../../core/finding.ts";
import type { Location } from "../../core/location.ts";

/** Rule id of the finding for a breaking change released without a new major version. */
export const VERSION_NOT_BUMPED = "version-not-bumped";

export interface VersionContext {
  /** Version of the baseline (the release compared with). */
  old?: string;
  /** Version the new side declares (OpenAPI `info.version`, or comms.yaml `contracts.<name>.version`). */
  new?: string;
  /** Where the new version is declared, so every format can point at the line to change. */
  location?: Location;
  /** Path of the declaration, shown as the finding path (`info.version`, `contracts.users.version`). */
  path: string;
}

/** Below 1.0.0 the minor number acts as the major one, as semver and oasdiff treat it. */
export function isMajorBump(from: string, to: string): boolean {
  if (major(to) !== major(from)) return major(to) > major(from);
  return major(from) === 0 && minor(to) > minor(from);
}

/** The smallest version a breaking change may be released as. */
export function nextMajor(from: string): string {
  return major(from) === 0 ? `0.${minor(from) + 1}.0` : `${major(from) + 1}.0.0`;
}

/**
 * Ties breaking changes to the declared version: a new major version allows them (they stay reported,
 * marked accepted with that reason); otherwise one more breaking finding says the version must move.
 * Silent when either version is missing or not semver, as oasdiff's version checks are.
 */
export function checkVersion(findings: Finding[], ctx: VersionContext): Finding[] {
  const from = ctx.old && valid(ctx.old);
  const to = ctx.new && valid(ctx.new);
  if (!from || !to) return findings;
  const breaking = findings.filter((f) => f.severity === "breaking" && !f.accepted);
  if (!breaking.length) return findings;
  if (isMajorBump(from, to)) {
    const reason = `new major version ${to} (was ${from})`;
    return findings.map((f) => (f.severity === "breaking" && !f.accepted ? { ...f, accepted: { reason } } : f));
  }
  const finding: Finding = {
    rule: VERSION_NOT_BUMPED,
    severity: "breaking",
    path: ctx.path,
    message: `${breaking.length} breaking change${breaking.length === 1 ? "" : "s"} since ${from} need${breaking.length === 1 ? "s" : ""} a new major version, but the declared version is ${to} (expected ${nextMajor(from)} or later)`,
  };
  if (ctx.location) finding.new = ctx.location;
  return [...findings, finding];
}
