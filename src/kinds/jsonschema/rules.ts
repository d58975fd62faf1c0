import type { RuleInfo } from "../../core/rule.ts";
import { JSONSCHEMA_RULES } from "../../schemas/jsonschema/rules/index.ts";

/** Contract-level rules of a directory of schemas, beside the registry's difference types. */
export const JSONSCHEMA_SCHEMA_REMOVED: RuleInfo = {
  id: "SCHEMA_FILE_REMOVED",
  kind: "jsonschema",
  severity: "dangerous",
  categories: ["contract"],
  summary: "A top-level schema file of a directory contract is gone.",
  why: "Producers or consumers that still validate with it lose its definition.",
  fix: "Keep the file until no topic uses it, or release the removal as a major version.",
};

export const JSONSCHEMA_SCHEMA_ADDED: RuleInfo = {
  id: "SCHEMA_FILE_ADDED",
  kind: "jsonschema",
  severity: "safe",
  categories: ["contract"],
  summary: "A new top-level schema file in a directory contract.",
  why: "A new schema affects no existing producer or consumer.",
  fix: "Nothing to do.",
};

export const JSONSCHEMA_KIND_RULES: readonly RuleInfo[] = [...JSONSCHEMA_RULES, JSONSCHEMA_SCHEMA_REMOVED, JSONSCHEMA_SCHEMA_ADDED];
