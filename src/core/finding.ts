import { createHash } from "node:crypto";
import type { Location } from "./location.ts";

/** How a change affects existing consumers. */
export type Severity = "breaking" | "dangerous" | "safe";

export const SEVERITIES: readonly Severity[] = ["breaking", "dangerous", "safe"];

/** Numeric weight for comparisons: breaking > dangerous > safe. */
export function severityRank(s: Severity): number {
  return s === "breaking" ? 2 : s === "dangerous" ? 1 : 0;
}

/** One classified difference between two versions of a contract. */
export interface Finding {
  /** Rule id, kept from the tool users know for the kind (buf, oasdiff, GraphQL Inspector). */
  rule: string;
  severity: Severity;
  /** JSON pointer (openapi), schema coordinate (graphql), full name or file (protobuf). */
  path: string;
  message: string;
  /** Where the element was; absent for additions. */
  old?: Location;
  /** Where the element is now (or the enclosing element, for a removal); absent when unknown. */
  new?: Location;
  /** Stable hash of rule + path, set by `finalizeFindings`. */
  fingerprint?: string;
  /** API operations affected (OpenAPI `GET /users/{id}`) or consumer operations broken (GraphQL). */
  operations?: string[];
  /** Set by the engine on removals: the removed element was marked deprecated in the old version. */
  deprecated?: { sunset?: string };
  /**
   * Set by the engine on a deletion that leaves the element's number or name free for a later, different
   * element (a protobuf field or enum value deleted without `reserved`). No deprecation softens it.
   */
  unreserved?: boolean;
  /**
   * Set on a finding about a consumer's expectation: the consumer contract, its interaction or operation,
   * and where the consumer writes it (`new` then locates the provider's side).
   */
  consumer?: { contract: string; interaction: string; location?: Location };
  /** Documentation-only change (descriptions, examples): hidden from text output unless asked. */
  cosmetic?: boolean;
  /** Set by policy: the break is reviewed and accepted, reported but not failing. */
  accepted?: { reason: string; until?: string };
  /** Set by policy: why the severity differs from the rule's default. */
  note?: string;
  /**
   * Set by policy on findings about the release rather than a change of the contract: `version` for
   * `version-not-bumped`. Summaries and changelogs count them apart from the changes. `config` for
   * findings about the gate's own configuration (comms.yaml compared with its trusted version).
   */
  gate?: "version" | "config";
}

/** Primary location for reporters that show one place: the new one, else the old one. */
export function primaryLocation(f: Finding): Location | undefined {
  return f.new ?? f.old;
}

export function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}

function compareFindings(a: Finding, b: Finding): number {
  const la = primaryLocation(a);
  const lb = primaryLocation(b);
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(la?.file ?? "", lb?.file ?? "") ||
    (la?.line ?? 0) - (lb?.line ?? 0) ||
    (la?.column ?? 0) - (lb?.column ?? 0) ||
    cmp(a.rule, b.rule) ||
    cmp(a.path, b.path) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * De-duplicates (same rule, path and message), sorts (severity, location, rule, path) and assigns
 * fingerprints that are unique within the list, so output is byte-stable and Code Quality tools can
 * track each finding across runs.
 */
export function finalizeFindings(findings: Finding[], scope = ""): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const f of findings) {
    const key = `${f.rule}\u0000${f.path}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(f);
  }
  unique.sort(compareFindings);
  const used = new Map<string, number>();
  for (const f of unique) {
    const base = `${f.rule}\u0000${f.path}`;
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    f.fingerprint = n === 0 ? fingerprint(scope, f.rule, f.path) : fingerprint(scope, f.rule, f.path, String(n));
  }
  return unique;
}
