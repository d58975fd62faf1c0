import { major, minor, valid } from "semver";
import type { Finding } from "../../core/finding.ts";
import type { Location } from "../../core/location.ts";

/** Rule id of the gate's one version rule: breaking changes released without a new major version. */
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
  /**
   * Schema registry subject of the contract. A subject's history is judged as the registry judges it:
   * a new major version does not make a break compatible (a new subject does), so breaks stay failing.
   */
  subject?: string;
}

/** Whether a finding is about the declared version rather than a change of the contract. */
export function isVersionFinding(f: Pick<Finding, "rule" | "gate">): boolean {
  return f.gate === "version" || f.rule === VERSION_NOT_BUMPED;
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

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * What the declared version says about a set of breaking findings: nothing when it fits (or either
 * version is missing or not semver, as oasdiff's version checks are silent then), else the message of
 * the version finding. Semver follows the findings: accepted breaks need a major version too.
 */
export function versionProblem(findings: Finding[], ctx: Pick<VersionContext, "old" | "new">): string | undefined {
  const from = ctx.old && valid(ctx.old);
  const to = ctx.new && valid(ctx.new);
  if (!from || !to) return undefined;
  const breaking = findings.filter((f) => f.severity === "breaking" && !isVersionFinding(f));
  if (!breaking.length || isMajorBump(from, to)) return undefined;
  const accepted = breaking.filter((f) => f.accepted).length;
  const versions = `the declared version is ${to} (was ${from}; expected ${nextMajor(from)} or later)`;
  if (accepted === breaking.length) {
    return `accepted breaking changes still need a major version: ${plural(accepted, "accepted breaking change")} since ${from}, but ${versions}`;
  }
  const of = accepted ? `, ${accepted} of them accepted,` : "";
  return `${plural(breaking.length, "breaking change")} since ${from}${of} need${breaking.length === 1 ? "s" : ""} a new major version, but ${versions}`;
}

/**
 * Ties breaking changes to the declared version. A new major version allows them (they stay reported,
 * marked accepted with that reason). Otherwise one finding, at the declaration, says the version must
 * move; it is marked `gate: "version"` so that it is never counted as a change of the contract.
 */
export function checkVersion(findings: Finding[], ctx: VersionContext): Finding[] {
  const from = ctx.old && valid(ctx.old);
  const to = ctx.new && valid(ctx.new);
  if (!from || !to) return findings;
  if (ctx.subject) {
    if (isMajorBump(from, to)) return findings;
    // Unaccepted breaks fail on their own; accepted ones still need a major version, as everywhere.
    const accepted = findings.filter((f) => f.accepted && f.severity === "breaking" && !isVersionFinding(f));
    const message = accepted.length ? versionProblem(accepted, ctx) : undefined;
    if (!message) return findings;
    const finding: Finding = { rule: VERSION_NOT_BUMPED, severity: "breaking", path: ctx.path, message, gate: "version" };
    if (ctx.location) finding.new = ctx.location;
    return [...findings, finding];
  }
  if (isMajorBump(from, to)) {
    const reason = `new major version ${to} (was ${from})`;
    return findings.map((f) => (f.severity === "breaking" && !f.accepted ? { ...f, accepted: { reason } } : f));
  }
  const message = versionProblem(findings, ctx);
  if (!message) return findings;
  const finding: Finding = { rule: VERSION_NOT_BUMPED, severity: "breaking", path: ctx.path, message, gate: "version" };
  if (ctx.location) finding.new = ctx.location;
  return [...findings, finding];
}
