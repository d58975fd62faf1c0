import type { VersionEntry } from "./store.ts";

/**
 * Releases of a contract by schema registry subject. A subject's history is judged as the registry
 * judges it, so a break needs a new subject (a versioned topic), never just a major version: the
 * releases of one contract form a succession of subjects, each new one recording its predecessor.
 */

/**
 * Whether a release belongs to `subject`'s history. Releases recorded without a subject (before the
 * contract named one) belong to whichever subject the contract has, until some release started a new one.
 */
export function underSubject(e: VersionEntry, subject: string, all: readonly VersionEntry[]): boolean {
  if (e.subject === subject) return true;
  return e.subject === undefined && !all.some((x) => x.predecessor !== undefined);
}

/** The releases (newest first) of one subject. */
export function subjectVersions(versions: readonly VersionEntry[], subject: string): VersionEntry[] {
  return versions.filter((e) => underSubject(e, subject, versions));
}

/** A subject's place in the succession: the subject it follows and the one that followed it. */
export function succession(versions: readonly VersionEntry[], subject: string): { predecessor?: string; successor?: string } {
  const predecessor = versions.find((e) => e.subject === subject && e.predecessor !== undefined)?.predecessor;
  const successor = versions.find((e) => e.predecessor === subject)?.subject;
  return { ...(predecessor ? { predecessor } : {}), ...(successor ? { successor } : {}) };
}

/** Structurally the gate's sides (registry/baseline.ts): only the ref is read here. */
interface Side {
  ref: string;
}

/**
 * Narrows the baselines `check` compares with to the releases of the declared subject. When the contract
 * names a subject no release has yet (a new subject, declared before its first release), there is nothing
 * to compare with: the note says how to record it.
 */
export function narrowToSubject<S extends Side, B extends { old?: S; earlier: S[]; note: string }>(base: B, name: string, versions: readonly VersionEntry[], subject: string | undefined): B {
  if (!subject || !base.old || !versions.length || !base.old.ref.startsWith(`${name}@`)) return base;
  const mine = new Set(subjectVersions(versions, subject).map((e) => `${name}@${e.version}`));
  const sides = [base.old, ...base.earlier].filter((s) => mine.has(s.ref));
  if (sides.length) return { ...base, old: sides[0], earlier: sides.slice(1) };
  const latest = versions[0]!;
  const { old: _old, ...rest } = base;
  return {
    ...rest,
    earlier: [],
    note: `new subject ${subject}: ${name}@${latest.version} was released under ${latest.subject ?? "no subject"}, and nothing is released under ${subject} yet; run 'comms release ${name} --subject ${subject}' to start it`,
  } as unknown as B;
}
