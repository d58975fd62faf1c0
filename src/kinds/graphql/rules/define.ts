import type { Severity } from "../../../core/finding.ts";
import type { RuleInfo } from "../../../core/rule.ts";

/** One catalogue entry; the id and default severity are GraphQL Inspector's change type and criticality. */
export function rule(
  id: string,
  severity: Severity,
  categories: string[],
  summary: string,
  extra: { why?: string; fix?: string; example?: { old: string; new: string } } = {},
): RuleInfo {
  return { id, kind: "graphql", severity, categories, summary, ...extra };
}
