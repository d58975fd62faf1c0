import type { RuleInfo } from "../../core/rule.ts";
import { AVRO_RULES } from "../../schemas/avro/rules/index.ts";

/** Contract-level rules of a directory of schemas, beside the resolution rules of each schema. */
export const SCHEMA_REMOVED: RuleInfo = {
  id: "SCHEMA_FILE_REMOVED",
  kind: "avro",
  severity: "dangerous",
  categories: ["contract"],
  summary: "A top-level schema (an .avsc file of a directory contract) is gone.",
  why: "Producers or consumers that still use the schema lose its definition; the registry keeps accepting data under its subject.",
  fix: "Keep the schema until no topic uses it, or release the removal as a major version.",
};

export const SCHEMA_ADDED: RuleInfo = {
  id: "SCHEMA_FILE_ADDED",
  kind: "avro",
  severity: "safe",
  categories: ["contract"],
  summary: "A new top-level schema (an .avsc file of a directory contract).",
  why: "A new schema affects no existing producer or consumer.",
  fix: "Nothing to do.",
};

export const AVRO_KIND_RULES: readonly RuleInfo[] = [...AVRO_RULES, SCHEMA_REMOVED, SCHEMA_ADDED];
