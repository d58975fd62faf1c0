import { rule } from "./define.ts";

export const operationRules = [
  rule("OPERATION_INVALID", "breaking", ["usage"], "A consumer operation that validated against the old schema does not validate against the new one.", {
    why: "The client that sends this operation gets a validation error for every request once the new schema is deployed.",
    fix: "Keep the elements the operation uses (deprecate them instead), or update and ship the client first.",
  }),
];
