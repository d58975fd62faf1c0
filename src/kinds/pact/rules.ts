import type { RuleInfo } from "../../core/rule.ts";

export const INTERACTION_ADDED: RuleInfo = {
  id: "pact-interaction-added",
  kind: "pact",
  severity: "safe",
  categories: ["interactions"],
  summary: "The consumer expects a new interaction (HTTP request or message) from its provider.",
  why: "A new expectation breaks nothing by itself; the provider's check says whether the provider offers it.",
  example: { old: "(no interaction 'get order')", new: "interaction 'get order': GET /orders/1 → 200" },
  fix: "Nothing to do here; make sure the provider contract offers it before the consumer deploys.",
};

export const INTERACTION_REMOVED: RuleInfo = {
  id: "pact-interaction-removed",
  kind: "pact",
  severity: "safe",
  categories: ["interactions"],
  summary: "The consumer no longer expects an interaction.",
  why: "The provider is no longer held to it by this consumer; it may change or remove what only this interaction used once the consumer version without it is deployed everywhere.",
  example: { old: "interaction 'get order'", new: "(gone)" },
  fix: "Nothing to do.",
};

export const INTERACTION_CHANGED: RuleInfo = {
  id: "pact-interaction-changed",
  kind: "pact",
  severity: "safe",
  categories: ["interactions"],
  summary: "The consumer expects something different from an interaction: its request, response, message or matching rules changed.",
  why: "The changed expectation must be offered by the provider before this consumer version deploys; the provider's check judges it.",
  example: { old: "response body { id: 1 }", new: "response body { id: 1, total: 9.5 }" },
  fix: "Run the provider's check (comms check <provider>) or comms can-i-deploy before deploying the consumer.",
};

export const PACT_RULES: readonly RuleInfo[] = [INTERACTION_ADDED, INTERACTION_REMOVED, INTERACTION_CHANGED];
