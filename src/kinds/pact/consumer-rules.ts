import type { RuleInfo } from "../../core/rule.ts";

/**
 * Rules of the consumer check (a provider judged against the consumers that name it), listed with the
 * pact kind so `comms rules` explains them. Findings of a kind's own judge on a consumer (an Avro
 * reader, a vendored proto) carry that kind's rule id with a `consumer-` prefix.
 */
const rule = (id: string, severity: RuleInfo["severity"], summary: string, why: string, fix: string, example?: RuleInfo["example"]): RuleInfo => ({
  id,
  kind: "pact",
  severity,
  categories: ["consumers"],
  summary,
  why,
  fix,
  ...(example ? { example } : {}),
});

const PROVIDER_FIRST = "Keep what the consumer uses (add beside it, deprecate, remove once no deployed consumer expects it: comms can-i-deploy tells), or change the consumer first.";

export const CONSUMER_RULES: readonly RuleInfo[] = [
  rule("consumer-request-path-unknown", "breaking", "A consumer's request goes to a path the provider no longer has.", "Every such request gets a 404 once the provider deploys.", PROVIDER_FIRST, { old: "paths: /orders/{id}", new: "paths: /pedidos/{id}" }),
  rule("consumer-request-method-unknown", "breaking", "A consumer's request uses a method the provider no longer offers on that path.", "The request gets a 405 once the provider deploys.", PROVIDER_FIRST),
  rule("consumer-request-parameter-missing", "breaking", "The provider requires a parameter (query, header, path) the consumer does not send.", "The provider rejects the consumer's request as invalid.", "Make the parameter optional with a default, or have the consumer send it first."),
  rule("consumer-request-parameter-invalid", "breaking", "A parameter value the consumer sends no longer fits the provider's schema.", "The provider rejects the consumer's request as invalid.", "Keep accepting the value the consumer sends."),
  rule("consumer-request-parameter-unknown", "dangerous", "The consumer sends a query parameter the provider does not declare.", "The provider may ignore it, so the consumer silently loses what the parameter asked for.", "Declare the parameter, or have the consumer stop sending it."),
  rule("consumer-request-body-missing", "breaking", "The provider requires a request body the consumer does not send.", "The provider rejects every such request as invalid.", "Keep the body optional until the consumer sends one."),
  rule("consumer-request-body-unknown", "dangerous", "The consumer sends a request body the provider does not declare.", "The provider may ignore or reject it.", "Declare the body, or have the consumer stop sending it."),
  rule("consumer-request-media-type-unsupported", "breaking", "The consumer sends a body in a media type the provider no longer accepts.", "The provider answers 415 Unsupported Media Type to every such request.", "Keep accepting the media type the consumer sends."),
  rule("consumer-request-body-invalid", "breaking", "The consumer's request body no longer fits the provider's request schema (a new required field, a type, a bound).", "The provider rejects the consumer's request as invalid.", "Keep accepting what the consumer sends (new fields optional, bounds as wide).", { old: "required: [sku]", new: "required: [sku, canal]" }),
  rule("consumer-response-status-unknown", "breaking", "The consumer expects a response status the provider no longer declares.", "The consumer's handling for that status never runs, and what it gets instead it does not expect.", PROVIDER_FIRST),
  rule("consumer-response-media-type-unknown", "breaking", "The consumer expects a response media type the provider no longer produces.", "The consumer cannot parse what it receives.", "Keep producing the media type the consumer reads."),
  rule("consumer-response-body-unknown", "breaking", "The consumer reads a response body the provider's response no longer has.", "The consumer reads nothing where it expects data.", PROVIDER_FIRST),
  rule("consumer-response-field-unknown", "breaking", "The consumer reads a response field the provider's schema no longer defines.", "The provider stops sending it; the consumer's matching (and its code) fails.", PROVIDER_FIRST, { old: "properties: { total: { type: number } }", new: "(total removed)" }),
  rule("consumer-response-field-type-mismatch", "breaking", "A response field the consumer reads has a type its matching rule does not accept (an integer matcher on a number, a decimal on an integer, an array become an object).", "The provider may send values the consumer's matcher rejects.", "Keep the field's type, or add a new field with the new type.", { old: "id: { type: integer }   # pact: integer(1)", new: "id: { type: number }" }),
  rule("consumer-response-field-value-mismatch", "breaking", "A response field's values no longer fit what the consumer expects: an exact value, or a regex every declared enum value must match.", "The provider may send a value the consumer rejects.", "Keep the values the consumer accepts, or update the consumer's expectation first.", { old: "enum: [open, closed]   # pact: regex(open|closed)", new: "enum: [open, closed, archived]" }),
  rule("consumer-response-array-length", "dangerous", "The consumer reads an array with a minimum or maximum length the provider's schema does not promise.", "The provider may send fewer or more items than the consumer's matcher accepts.", "Declare minItems/maxItems the consumer relies on, or relax the consumer's matcher."),
  rule("consumer-response-header-unknown", "dangerous", "The consumer reads a response header the provider does not declare.", "The provider may stop sending it.", "Declare the header in the response."),
  rule("consumer-message-channel-unknown", "breaking", "A consumer reads messages from a channel (topic, queue) on which the producer sends nothing, or which it no longer has.", "The consumer never receives the messages it waits for.", PROVIDER_FIRST, { old: "channels: { pedidos: ... send }", new: "(pedidos removed)" }),
  rule("consumer-message-payload-format-mismatch", "breaking", "A consumer reads a payload in one schema format (Avro, JSON Schema) and the producer writes another.", "The consumer cannot decode what the producer sends.", "Read the payload in the format the producer writes."),
  rule("consumer-operation-invalid", "breaking", "A consumer's GraphQL operation does not validate against the provider's schema.", "Every request with this operation fails validation once the provider deploys.", PROVIDER_FIRST),
];
