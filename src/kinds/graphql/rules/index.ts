import type { RuleInfo } from "../../../core/rule.ts";
import { directiveRules, directiveUsageRules } from "./directives.ts";
import { enumRules, unionRules } from "./enums.ts";
import { argumentRules, fieldRules } from "./fields.ts";
import { inputRules } from "./inputs.ts";
import { operationRules } from "./operations.ts";
import { typeRules } from "./types.ts";

/** Every change type comms reports for GraphQL: GraphQL Inspector's 80, plus usage-aware checks. */
export const GRAPHQL_RULES: readonly RuleInfo[] = [
  ...typeRules,
  ...fieldRules,
  ...argumentRules,
  ...inputRules,
  ...enumRules,
  ...unionRules,
  ...directiveRules,
  ...directiveUsageRules,
  ...operationRules,
];
