import type { RuleInfo } from "../core/rule.ts";

/**
 * Findings about the gate's own configuration: comms.yaml compared with its version at the base ref
 * (`--against`) or at HEAD. Each loosening is breaking; a reviewer accepts one only with a
 * `policy.accept` entry naming its rule and path exactly (no `*`), so no wildcard accepts itself.
 */
export const POLICY_COMPATIBILITY_LOOSENED = "policy-compatibility-loosened";
export const POLICY_RULE_LOWERED = "policy-rule-lowered";
export const POLICY_FAIL_ON_RAISED = "policy-fail-on-raised";
export const POLICY_ACCEPT_WIDENED = "policy-accept-widened";
export const POLICY_LENIENT_ENABLED = "policy-lenient-enabled";
export const POLICY_DEPRECATION_SHORTENED = "policy-deprecation-shortened";
export const POLICY_REGISTRY_MOVED = "policy-registry-moved";
export const CONTRACT_REMOVED = "contract-removed";
export const CONTRACT_RENAMED = "contract-renamed";
export const CONTRACT_REPOINTED = "contract-repointed";

const ACCEPT =
  "If the new setting is intended, a reviewer accepts it in the same change with a policy.accept entry naming the rule and the path of the finding exactly (`comms check --accept` writes it); the entry then shows in the report with its reason. Or restore the previous setting.";

const rule = (id: string, summary: string, why: string, example: { old: string; new: string }, fix = ACCEPT): RuleInfo => ({
  id,
  kind: "policy",
  severity: "breaking",
  categories: ["config"],
  summary,
  why,
  example,
  fix,
});

export const TRUST_RULES: readonly RuleInfo[] = [
  rule(
    POLICY_COMPATIBILITY_LOOSENED,
    "A compatibility mode in comms.yaml (policy.compatibility or a contract's compatibility) checks less than at the base: none < backward or forward < full, and a -transitive mode more than its plain form. backward and forward check different things, so a switch between them is reported too.",
    "The change under review would otherwise decide how strictly it is judged: `compatibility: none` next to a breaking edit passes the gate.",
    { old: "policy:\n  compatibility: backward", new: "policy:\n  compatibility: none" },
  ),
  rule(
    POLICY_RULE_LOWERED,
    "A rule reports less than at the base: an OpenAPI level lowered (policy.openapi.levels), protobuf rules dropped from use/except or paths ignored (in comms.yaml, the buf.yaml of the contract folder, or the buf.yaml of a module its buf.work.yaml lists), a module dropped from buf.work.yaml while its files stay, GraphQL strict-enums turned off or directives ignored, a GraphQL contract switched to usage: required.",
    "Lowering a rule's level turns its breaking findings into warnings or nothing, in the same change that may contain such a break.",
    { old: "policy:\n  openapi: {}", new: "policy:\n  openapi:\n    levels: { response-property-removed: INFO }" },
  ),
  rule(
    POLICY_FAIL_ON_RAISED,
    "`policy.fail-on` was raised from dangerous to breaking: dangerous changes no longer fail the gate.",
    "A team that fails on dangerous changes relies on it; the change under review must not switch it off for itself.",
    { old: "policy:\n  fail-on: dangerous", new: "policy:\n  fail-on: breaking" },
  ),
  rule(
    POLICY_ACCEPT_WIDENED,
    "A policy.accept entry accepts more than at the base: a `*` pattern not covered by an entry of the base, a contract no longer named, or an `until` date extended or removed. New entries that name one rule and one path exactly are how a reviewer accepts a break; they are not reported.",
    "The accept ledger is how reviewers approve breaks one by one; a wildcard entry approves breaks nobody has seen.",
    { old: "accept: []", new: "accept:\n  - { rule: '*', path: '*', reason: later }" },
  ),
  rule(
    POLICY_LENIENT_ENABLED,
    "`policy.jsonschema.lenient` or `policy.asyncapi.lenient` was turned on: the schema registry's lenient changes are accepted.",
    "Lenient mode accepts changes that reject data some producers still write.",
    { old: "policy:\n  jsonschema: {}", new: "policy:\n  jsonschema: { lenient: true }" },
  ),
  rule(
    POLICY_DEPRECATION_SHORTENED,
    "A deprecation period was shortened: policy.deprecation.min-days or policy.openapi.deprecation-days is lower than at the base.",
    "A shorter period lets a removal pass as safe before consumers had the promised time to move.",
    { old: "deprecation: { min-days: 30 }", new: "deprecation: { min-days: 0 }" },
  ),
  rule(
    POLICY_REGISTRY_MOVED,
    "The registry (where released versions are kept) moved: comms.yaml `registry` differs from the base.",
    "Pointing the registry at an empty folder turns every contract into one with no release yet, so nothing is compared.",
    { old: "registry: .comms", new: "registry: .comms-empty" },
  ),
  rule(
    CONTRACT_REMOVED,
    "A contract of the base is no longer declared in comms.yaml, so the gate no longer checks it.",
    "Dropping a contract from the list removes it from every check, including the one judging the change that drops it.",
    { old: "contracts:\n  users: { kind: openapi, path: users.yaml }", new: "contracts: {}" },
    "If the contract is retired, accept the removal with a policy.accept entry for this rule and path (`comms check --accept`). Else declare it again.",
  ),
  rule(
    CONTRACT_RENAMED,
    "A contract's path is declared under a new name: the old name is removed, and the new one has no release history, so it is not compared with anything in release mode.",
    "Renaming a contract's key loses its baseline: its breaking changes read as a first release.",
    { old: "contracts:\n  users: { kind: openapi, path: users.yaml }", new: "contracts:\n  people: { kind: openapi, path: users.yaml }" },
    "Keep the old name, or accept the rename with a policy.accept entry for this rule and path, then release the contract under its new name.",
  ),
  rule(
    CONTRACT_REPOINTED,
    "A contract now points at another path (or is of another kind) than at the base.",
    "A contract pointed at another file is compared with that file's history, not with the contract's: its breaking changes can read as a new contract.",
    { old: "users: { kind: openapi, path: users.yaml }", new: "users: { kind: openapi, path: users-v2.yaml }" },
  ),
];
