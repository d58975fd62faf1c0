import type { RuleInfo } from "../core/rule.ts";
import { DUPLICATE_KEY_RULE } from "../core/duplicate-keys.ts";
import { VERSION_NOT_BUMPED } from "../policy/steps/version.ts";
import { TRUST_RULES } from "../policy/trust-rules.ts";

/** Kind name of the rules the gate's policy adds on top of every engine's findings. */
export const POLICY_KIND = "policy";

/**
 * Findings the policy itself reports, whatever the contract's kind. They are explained by `comms rules`
 * and described in SARIF like every engine rule.
 */
export const POLICY_RULES: readonly RuleInfo[] = [
  {
    id: VERSION_NOT_BUMPED,
    kind: POLICY_KIND,
    severity: "breaking",
    categories: ["version"],
    summary:
      "The contract has breaking changes since its last release, but its declared version does not start a new major version.",
    why: "Consumers pick versions by semver: a minor or patch number promises that their code keeps working, so releasing a break under one upgrades them into failures without warning.",
    example: { old: "version: 1.4.0 (released), a response field removed since", new: "version: 1.5.0" },
    fix: "Declare the next major version (2.0.0, or 0.x+1.0 below 1.0.0) where the contract's version is declared, or undo the breaking change; a change accepted with `comms check --accept` still needs the major version.",
  },
  ...TRUST_RULES,
  {
    id: DUPLICATE_KEY_RULE,
    kind: POLICY_KIND,
    severity: "dangerous",
    categories: ["document"],
    summary:
      "A key is written twice in one object with different values, and the document was read as JSON.parse, Jackson and avsc read it: the last value wins (--duplicate-keys last).",
    why: "A reviewer reading the first value sees a different contract from the one tools build; editors and generators disagree on which value counts. Without --duplicate-keys last such a document is refused.",
    example: { old: '"type": "string"', new: '"type": "string",\n"type": "integer"' },
    fix: "Remove one of the two values in the document (or ask its owner to); keys written twice with the same value are only a warning.",
  },
];
