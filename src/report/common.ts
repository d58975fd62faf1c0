import { isAbsolute, relative } from "node:path";
import { fingerprint, type Finding, type Severity } from "../core/finding.ts";
import type { Location } from "../core/location.ts";
import { isVersionFinding } from "../policy/steps/version.ts";
import type { ContractResult } from "./model.ts";

/**
 * Counts people care about: accepted breaks are counted apart so they never read as failures, and a
 * version that does not follow the changes is counted apart from the changes themselves.
 */
export interface Counts {
  breaking: number;
  dangerous: number;
  safe: number;
  accepted: number;
  cosmetic: number;
  /** `version-not-bumped` findings: a wrong declared version, not a change of the contract. */
  versionMismatch: number;
}

/** Whether a finding is about the declared version rather than a change of the contract. */
export const isVersionMismatch: (f: Finding) => boolean = isVersionFinding;

/** Counts of one contract's findings; accepted findings only count as accepted. */
export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { breaking: 0, dangerous: 0, safe: 0, accepted: 0, cosmetic: 0, versionMismatch: 0 };
  for (const f of findings) {
    if (f.accepted) c.accepted++;
    else if (isVersionMismatch(f)) c.versionMismatch++;
    else c[f.severity]++;
    if (f.cosmetic) c.cosmetic++;
  }
  return c;
}

/** Sum of the counts of several contracts. */
export function addCounts(all: readonly Counts[]): Counts {
  const total: Counts = { breaking: 0, dangerous: 0, safe: 0, accepted: 0, cosmetic: 0, versionMismatch: 0 };
  for (const c of all) {
    total.breaking += c.breaking;
    total.dangerous += c.dangerous;
    total.safe += c.safe;
    total.accepted += c.accepted;
    total.cosmetic += c.cosmetic;
    total.versionMismatch += c.versionMismatch;
  }
  return total;
}

/** "2 breaking, 1 version mismatch" style parts; the version part only when there is one. */
export function versionMismatchText(n: number): string {
  return plural(n, "version mismatch", "es");
}

/**
 * Display form of a finding's file: readers already give repository-relative POSIX paths; an
 * absolute path (a contract outside the repository) is made relative to the working directory.
 */
export function displayPath(file: string, cwd: string): string {
  const posixFile = file.replace(/\\/g, "/");
  if (!isAbsolute(file)) return posixFile.replace(/^\.\//, "");
  return relative(cwd, file).replace(/\\/g, "/") || ".";
}

/** `file:line:col` with the display path. */
export function locationText(loc: Location, cwd: string): string {
  return `${displayPath(loc.file, cwd)}:${loc.line}:${loc.column}`;
}

/** The finding's fingerprint, computed like the policy does when a finding reaches us without one. */
export function findingFingerprint(result: ContractResult, f: Finding): string {
  return f.fingerprint ?? fingerprint(result.contract, f.rule, f.path);
}

/** `ref (version)`, leaving the version out when the ref already names it. */
export function sideText(side: { ref: string; version?: string }): string {
  if (!side.version || side.ref.includes(side.version)) return side.ref;
  return `${side.ref} (${side.version})`;
}

/** "1 breaking change" / "2 breaking changes". */
export function plural(n: number, word: string, suffix = "s"): string {
  return `${n} ${word}${n === 1 ? "" : suffix}`;
}

/** Severities in report order. */
export const SEVERITY_ORDER: readonly Severity[] = ["breaking", "dangerous", "safe"];

/** Findings grouped in report order: breaking, dangerous, safe, then accepted ones of any severity. */
export function groupFindings(findings: readonly Finding[]): { breaking: Finding[]; dangerous: Finding[]; safe: Finding[]; accepted: Finding[] } {
  const groups = { breaking: [] as Finding[], dangerous: [] as Finding[], safe: [] as Finding[], accepted: [] as Finding[] };
  for (const f of findings) (f.accepted ? groups.accepted : groups[f.severity]).push(f);
  return groups;
}

/** "until 2027-01-31" suffix of an accept entry, or "". */
export function acceptedText(a: { reason: string; until?: string }): string {
  return a.until ? `${a.reason} (until ${a.until})` : a.reason;
}

/** How many affected operations a line lists before it counts the rest. */
export const AFFECTS_SHOWN = 10;

/**
 * The operations a change affects, for one line: a shared schema used by many operations is still one
 * finding, and its line stays readable (`GET /a, POST /b and 12 more`). JSON lists them all.
 */
export function affectsText(operations: readonly string[], show: (op: string) => string = (op) => op): string {
  const shown = operations.slice(0, AFFECTS_SHOWN).map(show).join(", ");
  const more = operations.length - AFFECTS_SHOWN;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
