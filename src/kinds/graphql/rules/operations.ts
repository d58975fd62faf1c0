import { rule } from "./define.ts";

export const operationRules = [
  rule("OPERATION_INVALID", "breaking", ["usage"], "A consumer operation that validated against the old schema does not validate against the new one.", {
    why: "The client that sends this operation gets a validation error for every request once the new schema is deployed.",
    fix: "Keep the elements the operation uses (deprecate them instead), or update and ship the client first.",
  }),
  rule("OPERATION_ADDED", "safe", ["operations"], "A contract of consumer operations has a new operation.", {
    why: "A new operation is a new expectation of the provider; the provider's check judges whether its schema serves it.",
    fix: "Nothing to do here.",
  }),
  rule("OPERATION_REMOVED", "safe", ["operations"], "A contract of consumer operations no longer has an operation.", {
    why: "The provider is no longer held to it by this consumer once this version is deployed everywhere.",
    fix: "Nothing to do.",
  }),
  rule("OPERATION_CHANGED", "safe", ["operations"], "An operation of a contract of consumer operations changed.", {
    why: "The changed operation must validate against the provider's schema before this consumer deploys.",
    fix: "Run comms check or comms can-i-deploy before deploying the consumer.",
  }),
];
