import type { Finding } from "../core/finding.ts";

/**
 * Classes of rule ids across kinds, read from the ids users already know (oasdiff's kebab-case
 * `*-removed`/`*-deleted`, GraphQL Inspector's `*_REMOVED`, buf's `*_NO_DELETE*`/`*_NO_REMOVE_*`, the
 * schema registry's `*_REMOVED_*`), so that the bump and deprecation policy treat every kind alike.
 */

/** A word of the id (between `-`/`_` or the ends) says something was taken away (Avro: a writer field no reader reads). */
const REMOVAL = /(?:^|[-_])(?:removed|deleted|delete|remove|not[-_]read)(?:[-_]|$)/i;

/** What is accepted grew: the schema registry's `*_EXTENDED` types, Avro's promoted primitives. */
const EXTENSION = /_(?:EXTENDED|PROMOTED)$/;

/** Something was added: oasdiff's `*-added` and `new-*`, the inspector's and the registry's `*_ADDED`. */
const ADDITION = /(?:^|[-_])added(?:[-_]|$)|^new-/i;

/** An element was marked deprecated: oasdiff's `*-deprecated*`, buf-style `*_DEPRECATED`, the inspector's `*_DEPRECATION_ADDED`. */
const DEPRECATION = /(?:^|[-_])deprecated(?:[-_]|$)|_DEPRECATION_ADDED$/i;

/**
 * Changes to documentation only: descriptions, deprecation reasons, annotation-only `allOf` edits,
 * and an element that stops being deprecated. They change nothing a consumer can observe.
 */
const DOCUMENTATION = /(?:^|[-_])(?:description|deprecation[-_]reason)(?:[-_]|$)|annotation-only|_DEPRECATION_REMOVED$/i;

export function isDocumentation(f: Pick<Finding, "rule" | "cosmetic">): boolean {
  return f.cosmetic === true || DOCUMENTATION.test(f.rule);
}

/** Whether a finding reports that an element (or part of one) was removed from the contract. */
export function isRemoval(f: Pick<Finding, "rule" | "cosmetic">): boolean {
  return REMOVAL.test(f.rule) && !isDocumentation(f);
}

/** Whether a finding reports that something was added to the contract. */
export function isAddition(f: Pick<Finding, "rule" | "cosmetic">): boolean {
  return ADDITION.test(f.rule) && !isDocumentation(f);
}

/** Whether a finding widens what is accepted (an enum extended, int promoted to long), which semver counts as an addition. */
export function isExtension(f: Pick<Finding, "rule" | "cosmetic">): boolean {
  return EXTENSION.test(f.rule) && !isDocumentation(f);
}

/** Whether a finding marks an element deprecated, which semver counts as a minor change. */
export function isDeprecation(f: Pick<Finding, "rule" | "cosmetic">): boolean {
  return DEPRECATION.test(f.rule) && !isRemoval(f) && !isDocumentation(f);
}

/** buf's rules that stop a deleted number or name from being reused: a deprecation does nothing against that. */
const REUSE_GUARD = /_UNLESS_(?:NUMBER|NAME)_RESERVED$/;

export function isReuseGuard(f: Pick<Finding, "rule">): boolean {
  return REUSE_GUARD.test(f.rule);
}
