import type { RuleInfo } from "../../core/rule.ts";

/**
 * What `comms rules <id>` says about an OpenAPI rule. The catalogue has over 500 ids: the ids users
 * meet most are written out in full; every other summary is a sentence built from a written noun
 * for the element and a written predicate for what happened to it; the reason why it matters is
 * shared per area, refined by what happened (a bound tightened, a value removed...).
 */
export type Explanation = Pick<RuleInfo, "summary" | "why" | "example" | "fix">;

/** Why each area matters and the usual way to evolve it without breaking anyone. */
const AREAS: Record<string, { why: string; fix: string }> = {
  "request-properties": {
    why: "Clients built against the old schema keep sending what it allowed; the server must still accept it.",
    fix: "Only ever widen what a request accepts. Put a stricter shape in a new property, operation or API version.",
  },
  "response-properties": {
    why: "Clients parse responses with the old schema; anything it did not allow may crash or mislead them.",
    fix: "Only add optional properties to responses. Put a different shape in a new property, media type or API version.",
  },
  parameters: {
    why: "Clients keep sending the parameters they were built with, with the values and in the form they were built with.",
    fix: "Keep parameters optional and their accepted values wide; add new behaviour through new optional parameters.",
  },
  "request-body": {
    why: "Clients keep sending the bodies they were built to send, in the media types they know.",
    fix: "Keep accepting the old body and media types; make additions optional.",
  },
  responses: {
    why: "Clients only handle the status codes, media types and body shapes they were built for.",
    fix: "Keep documented statuses and media types; introduce new ones alongside, not instead.",
  },
  "response-headers": {
    why: "Clients may read the headers they were promised and fail when one is missing or differently typed.",
    fix: "Keep sending promised headers with the same type; add new headers as optional.",
  },
  paths: {
    why: "Clients call the endpoints they were built against; an endpoint that disappears fails every such call.",
    fix: "Deprecate first (`deprecated: true` plus an `x-sunset` date), and remove only after the sunset date.",
  },
  lifecycle: {
    why: "Deprecation and sunset dates tell clients how long they may rely on an element; they plan migrations around them.",
    fix: "Give every deprecation a sunset date far enough away, never move it closer, and keep stability levels from going down.",
  },
  enums: {
    why: "Requests must keep accepting every value they accepted, and clients may not handle response values they have never seen.",
    fix: "Add request values freely but never remove them; treat response enums as open and document that clients must ignore unknown values.",
  },
  security: {
    why: "Security requirements decide which credentials a call needs; a change may make existing credentials insufficient.",
    fix: "Announce new requirements and scopes before enforcing them, and keep old schemes working during a transition.",
  },
  versioning: {
    why: "info.version tells clients what kind of change a release contains; a break under an unchanged major version surprises them.",
    fix: "Bump the major version with breaking changes, and some part of the version with every change.",
  },
};

/** Refinements by what the id says happened, first match wins; direction comes from the prefix. */
const ACTIONS: Array<[RegExp, { why: string; fix: string }]> = [
  [
    /-content-(encoding|media-type)-changed$|^request-.*-content-schema-added$|^response-.*-content-schema-removed$/,
    {
      why: "The encoding of the string content changed; the other side still encodes or decodes it the old way.",
      fix: "Keep the old contentEncoding/contentMediaType; carry differently encoded content in a new property.",
    },
  ],
  [
    /-wrapped-in-one-of$/,
    {
      why: "A plain schema became a choice of alternatives: requests must now match exactly one branch, and responses may take shapes old clients never saw.",
      fix: "Keep the old schema as it was and offer the alternatives in a new property or operation.",
    },
  ],
  [
    /^request-.*-became-required(-with-default)?$|^new-required-request-/,
    {
      why: "Clients that leave the element out, which was allowed until now, get their requests rejected; a default does not make it optional.",
      fix: "Keep it optional and apply the default on the server.",
    },
  ],
  [
    /^request-.*-(const-(added|changed)|contains-added|if-added|then-added|else-added|dependent-required-(added|changed)|dependent-schema-added|pattern-property-added|prefix-items-removed|property-names-added|unevaluated-(items|properties)-added)$/,
    {
      why: "A new or stricter constraint keyword makes the schema accept fewer values; some requests valid until now are rejected.",
      fix: "Leave the constraint out of the request schema and check it in the server only for new fields, or in a new version.",
    },
  ],
  [
    /^response-.*-(const-(changed|removed)|contains-removed|if-removed|then-removed|else-removed|dependent-required-(changed|removed)|dependent-schema-removed|pattern-property-removed|prefix-items-added|property-names-removed|unevaluated-(items|properties)-removed|min-contains-decreased|max-contains-increased)$/,
    {
      why: "A constraint that responses used to satisfy was lifted or changed; responses may now contain values old clients never had to handle.",
      fix: "Keep the response constraint; return the wider values in a new property.",
    },
  ],
  [
    /^request-.*-(max|max-length|max-items|max-contains|exclusive-max)-decreased$|^request-.*-(min|min-length|min-items|min-contains|exclusive-min)-increased$/,
    {
      why: "A tighter bound rejects values clients were allowed to send until now.",
      fix: "Keep the old bound; if the server cannot handle larger values, accept and clamp them, or enforce the new bound in a new version.",
    },
  ],
  [
    /^request-.*-(max|max-length|max-items|min|min-items|exclusive-max|exclusive-min)-set$/,
    {
      why: "A bound where there was none rejects values outside it, which clients may already send.",
      fix: "Set the bound no tighter than what clients really send (check traffic), or add it in a new version.",
    },
  ],
  [
    /^request-.*-pattern-(added|changed)$/,
    {
      why: "A new or different pattern rejects strings that matched the old rules.",
      fix: "Only relax patterns on requests; validate stricter formats in a new field or version.",
    },
  ],
  [
    /^request-.*(enum-value-removed|became-enum)$/,
    {
      why: "Clients that send the removed value (or any value outside the new enum) get their requests rejected.",
      fix: "Keep accepting the value, and deprecate it in the description until clients stop sending it.",
    },
  ],
  [
    /^request-.*-(type-changed|type-specialized|list-of-types-narrowed)$/,
    {
      why: "Values of the old type no longer validate, so requests built for the old schema are rejected.",
      fix: "Keep the old type, or accept both (a list of types or oneOf) and add a new field for the new type.",
    },
  ],
  [
    /^request-.*-became-not-nullable$/,
    { why: "Clients that send null are now rejected.", fix: "Keep accepting null and treat it as absent." },
  ],
  [
    /^request-.*-(one-of|any-of)-removed$|^request-.*-all-of-added$/,
    {
      why: "The schema matches fewer values: bodies that matched the removed alternative (or miss the new allOf part) are rejected.",
      fix: "Keep the alternative; deprecate it in its description before removing it in a new version.",
    },
  ],
  [
    /^request-.*-default-value-(added|changed|removed)$/,
    {
      why: "Clients that omit the parameter get a different behaviour from the server than before.",
      fix: "Keep the default; make the new behaviour opt-in through an explicit value.",
    },
  ],
  [
    /^response-.*-became-nullable$/,
    {
      why: "Clients that read the value without a null check fail when null arrives.",
      fix: "Keep returning a value (or omit an optional property) instead of null; add a new nullable field if needed.",
    },
  ],
  [
    /^response-.*-(type-changed|type-generalized|list-of-types-widened)$/,
    {
      why: "Clients deserialise the value as the old type and fail on the new one.",
      fix: "Keep the old type; return the new representation in a new property.",
    },
  ],
  [
    /^response-.*-(one-of|any-of)-added$/,
    {
      why: "Responses may now take a shape old clients have no code for.",
      fix: "Return new shapes only to clients that ask for them (a new version, media type or parameter).",
    },
  ],
  [
    /^response-.*-(max|max-length|max-items|exclusive-max)-(increased|unset)$|^response-.*-(min|min-length|min-items|exclusive-min)-(decreased|unset)$/,
    {
      why: "Responses may now contain values outside the range clients were promised and may have sized buffers or checks for.",
      fix: "Keep the response bounds; return wider values in a new property.",
    },
  ],
  [
    /^response-.*enum-value-added$/,
    {
      why: "Clients that switch over the documented values may crash or misbehave on a value they have never seen.",
      fix: "Tell clients to handle unknown values (x-extensible-enum), or only return the new value to clients that opt in.",
    },
  ],
  [
    /(^|-)(removed-before-sunset|sunset-date-too-small|sunset-date-changed-too-small|sunset-deleted|deprecated-sunset-missing)$/,
    {
      why: "Clients plan their migration around the sunset date; removing earlier or moving the date closer breaks that promise.",
      fix: "Keep the element until its sunset date, and give deprecations a sunset date at least the policy's number of days away.",
    },
  ],
  [
    /-(sunset-parse|deprecated-sunset-invalid|invalid-stability-level)$/,
    {
      why: "A date or level that cannot be read leaves clients and tools without a usable deprecation schedule.",
      fix: "Write `x-sunset` as a date (YYYY-MM-DD) and `x-stability-level` as draft, alpha, beta or stable.",
    },
  ],
  [
    /-stability-decreased$/,
    {
      why: "A lower stability level withdraws the compatibility promise clients relied on.",
      fix: "Keep the level; introduce the unstable variant as a new element.",
    },
  ],
];

/**
 * What each kind of schema element is called in a sentence, longest prefix first. Summaries are
 * written from these nouns and the predicates below, both written out here, never from the id's words.
 */
const SUBJECTS: Array<[string, string, "request" | "response"]> = [
  ["request-parameter-property-", "A property inside a request parameter's object value", "request"],
  ["request-header-property-", "A property inside a request header's object value", "request"],
  ["request-read-only-property-", "A read-only request property", "request"],
  ["request-required-property-", "A required request property", "request"],
  ["request-optional-property-", "An optional request property", "request"],
  ["request-parameter-", "A request parameter", "request"],
  ["request-property-", "A request body property", "request"],
  ["request-body-", "The request body schema", "request"],
  ["response-required-write-only-property-", "A required write-only response property", "response"],
  ["response-optional-write-only-property-", "An optional write-only response property", "response"],
  ["response-write-only-property-", "A write-only response property", "response"],
  ["response-required-property-", "A required response property", "response"],
  ["response-optional-property-", "An optional response property", "response"],
  ["response-property-", "A response property", "response"],
  ["response-body-", "The response body schema", "response"],
  ["response-header-", "A response header", "response"],
  ["response-mediatype-", "The schema of a response media type", "response"],
];

/** Bounds, by the id's spelling, as a sentence names them. */
const BOUNDS: Record<string, string> = {
  max: "maximum",
  min: "minimum",
  "exclusive-max": "exclusive maximum",
  "exclusive-min": "exclusive minimum",
  "max-length": "maximum length (maxLength)",
  "min-length": "minimum length (minLength)",
  "max-items": "maximum number of items (maxItems)",
  "min-items": "minimum number of items (minItems)",
  "max-contains": "maximum number of matching items (maxContains)",
  "min-contains": "minimum number of matching items (minContains)",
};

const BOUND_CHANGES: Record<string, string> = {
  decreased: "was lowered",
  increased: "was raised",
  set: "was set where there was none",
  unset: "was removed, so there is no limit any more",
};

type Predicate = string | ((side: "request" | "response") => string);

/** What happened to the element, by the end of the id. */
const PREDICATES: Record<string, Predicate> = {
  "added": "was added",
  "removed": "was removed",
  "removed-with-deprecation": "was removed after having been deprecated",
  "all-of-added": "gained an allOf member that its values must also match",
  "all-of-added-annotation-only": "gained an allOf member that only carries annotations such as a description",
  "all-of-removed": "lost one of its allOf members",
  "all-of-removed-annotation-only": "lost an allOf member that only carried annotations",
  "any-of-added": "has one more anyOf alternative",
  "any-of-removed": "lost one of its anyOf alternatives",
  "one-of-added": "has one more oneOf alternative",
  "one-of-removed": "lost one of its oneOf alternatives",
  "became-enum": "was restricted to a fixed list of values (enum)",
  "became-nullable": "may now be null",
  "became-not-nullable": "no longer allows null",
  "became-optional": "is no longer required",
  "became-required": "is now required",
  "became-required-with-default": "is now required, even though it has a default value",
  "became-read-only": "is now readOnly: only the server sends it",
  "became-not-read-only": "is no longer readOnly",
  "became-write-only": "is now writeOnly: the server never returns it",
  "became-not-write-only": "is no longer writeOnly, so responses may now contain it",
  "const-added": "must now equal one fixed value (const)",
  "const-changed": "has a different fixed value (const)",
  "const-removed": "is no longer held to one fixed value (const)",
  "contains-added": "now needs an array element that matches a contains schema",
  "contains-removed": "no longer needs an array element that matches its contains schema",
  "content-encoding-changed": "declares a different contentEncoding for its string content",
  "content-media-type-changed": "declares a different contentMediaType for its string content",
  "content-schema-added": "now describes the structure of its encoded content (contentSchema)",
  "content-schema-removed": "no longer describes the structure of its encoded content (contentSchema)",
  "default-value-added": "got a default value",
  "default-value-changed": "has a different default value",
  "default-value-removed": "lost its default value",
  "dependent-required-added": "requires further properties whenever a given property is present (dependentRequired)",
  "dependent-required-changed": "changed which properties a present property makes required (dependentRequired)",
  "dependent-required-removed": "no longer requires further properties when a given property is present (dependentRequired)",
  "dependent-schema-added": "must match an extra schema whenever a given property is present (dependentSchemas)",
  "dependent-schema-removed": "lost a schema it had to match when a given property was present (dependentSchemas)",
  "deprecated": "was deprecated",
  "deprecated-with-sunset": "was deprecated with a sunset date",
  "deprecated-sunset-missing": "was deprecated without the sunset date the deprecation policy asks for",
  "deprecated-sunset-invalid": "was deprecated with a sunset date that is not a valid date",
  "discriminator-added": "now names a discriminator property that selects its alternative",
  "discriminator-removed": "no longer names a discriminator property to select its alternative",
  "discriminator-mapping-added": "maps more discriminator values to schemas",
  "discriminator-mapping-changed": "maps a discriminator value to a different schema",
  "discriminator-mapping-deleted": "no longer maps some discriminator values to schemas",
  "discriminator-property-name-changed": "reads its discriminator from a different property",
  "if-added": "gained a condition (if) that selects which rules apply",
  "if-removed": "lost the condition (if) that selected which rules apply",
  "then-added": "gained rules (then) that apply when its condition holds",
  "then-removed": "lost the rules (then) that applied when its condition held",
  "else-added": "gained rules (else) that apply when its condition fails",
  "else-removed": "lost the rules (else) that applied when its condition failed",
  "enum-value-added": (side) => (side === "request" ? "accepts one more enum value" : "may return an enum value clients have not seen"),
  "enum-value-removed": (side) => (side === "request" ? "no longer accepts one of its enum values" : "no longer returns one of its enum values"),
  "x-extensible-enum-value-removed": "lost a value of its x-extensible-enum list",
  "list-of-types-narrowed": "allows fewer types than it did",
  "list-of-types-widened": "allows more types than it did",
  "pattern-added": "must now match a pattern",
  "pattern-changed": "must match a different pattern",
  "pattern-removed": "no longer has to match a pattern",
  "pattern-generalized": "has a pattern that matches more strings than the old one",
  "pattern-property-added": "gained a rule for properties whose names match a pattern (patternProperties)",
  "pattern-property-removed": "lost a rule for properties whose names match a pattern (patternProperties)",
  "prefix-items-added": "describes more leading array items by position (prefixItems)",
  "prefix-items-removed": "describes fewer leading array items by position (prefixItems)",
  "property-names-added": "now restricts the names its properties may have (propertyNames)",
  "property-names-removed": "no longer restricts the names its properties may have (propertyNames)",
  "reactivated": "is no longer deprecated",
  "stability-decreased": "has a lower x-stability-level than before",
  "stability-increased": "has a higher x-stability-level than before",
  "sunset-date-too-small": "was deprecated with a sunset date closer than the deprecation policy allows",
  "sunset-date-changed-too-small": "had its sunset date moved closer than the deprecation policy allows",
  "sunset-deleted": "lost its sunset date while still deprecated",
  "sunset-parse": "carries a sunset date that cannot be read as a date",
  "type-changed": "has a different type",
  "type-compatible": "switched between object and string in a loosely typed media type (XML, forms, text)",
  "type-generalized": "has a wider type or format than before (integer to number, for example)",
  "type-specialized": "has a narrower type or format than before (number to integer, for example)",
  "unevaluated-items-added": "now restricts array items no other keyword describes (unevaluatedItems)",
  "unevaluated-items-removed": "no longer restricts array items no other keyword describes (unevaluatedItems)",
  "unevaluated-properties-added": "now restricts properties no other keyword describes (unevaluatedProperties)",
  "unevaluated-properties-removed": "no longer restricts properties no other keyword describes (unevaluatedProperties)",
  "wrapped-in-one-of": "was wrapped in a oneOf of alternatives",
  "format-added": "now declares a format (such as int32 or int64) where it had none",
};

/** Summaries of the ids that are not about one schema element, written one by one. */
const SUMMARIES: Record<string, string> = {
  "api-deprecated-sunset-missing": "An operation was deprecated without the sunset date the deprecation policy asks for.",
  "api-deprecated-sunset-parse": "An operation was deprecated with a sunset date that cannot be read as a date.",
  "api-global-security-removed": "A security requirement of the whole API was removed.",
  "api-global-security-scope-removed": "A global security requirement asks for fewer scopes.",
  "api-security-removed": "A security requirement of an operation was removed.",
  "api-security-scope-removed": "An operation's security requirement asks for fewer scopes.",
  "api-invalid-stability-level": "An element carries an x-stability-level that is not draft, alpha, beta or stable.",
  "api-operation-id-added": "An operation got an operationId.",
  "api-operation-id-removed": "An operation lost its operationId (or it was renamed).",
  "api-path-removed-with-deprecation": "A deprecated path was removed.",
  "api-removed-with-deprecation": "A deprecated operation was removed.",
  "api-path-sunset-parse": "A path or operation carries a sunset date that cannot be read as a date.",
  "api-schema-removed": "A reusable schema was removed from components.",
  "api-security-component-added": "A security scheme was added to components.",
  "api-security-component-removed": "A security scheme was removed from components.",
  "api-security-component-type-changed": "A security scheme changed its type (API key, HTTP, OAuth 2, OpenID Connect).",
  "api-security-component-oauth-scope-added": "An OAuth 2 flow of a security scheme offers a new scope.",
  "api-security-component-oauth-scope-changed": "The description of a scope of an OAuth 2 flow changed.",
  "api-security-component-oauth-scope-removed": "An OAuth 2 flow of a security scheme no longer offers a scope.",
  "api-security-component-oauth-token-url-changed": "The token URL of an OAuth 2 flow changed.",
  "api-security-component-oauth-url-changed": "The authorization URL of an OAuth 2 flow changed.",
  "api-stability-increased": "An operation's x-stability-level went up.",
  "api-sunset-date-changed-too-small": "An operation's sunset date was moved closer than the deprecation policy allows.",
  "api-tag-added": "An operation got a new tag.",
  "api-tag-removed": "An operation lost a tag.",
  "api-version-decreased": "The version in info.version went down compared with the previous version.",
  "endpoint-added": "An operation was added.",
  "endpoint-deprecated": "An operation was deprecated.",
  "endpoint-deprecated-with-sunset": "An operation was deprecated with a sunset date.",
  "endpoint-reactivated": "An operation is no longer deprecated.",
  "new-optional-request-default-parameter-to-existing-path": "An optional parameter was added to every operation of a path.",
  "new-optional-request-parameter": "An optional parameter was added to an operation.",
  "new-optional-request-property": "An optional property was added to a request body.",
  "new-optional-request-header-property": "An optional property was added to an object sent in a request header.",
  "request-body-added-optional": "An optional request body was added to an operation.",
  "request-body-became-optional": "A required request body became optional.",
  "request-body-media-type-added": "The operation accepts a new request media type.",
  "request-body-media-type-schema-added": "A request media type that had no schema got one.",
  "request-body-media-type-schema-removed": "A request media type lost its schema.",
  "request-parameter-became-optional": "A required parameter became optional.",
  "request-parameter-sunset-date-changed-too-small": "A parameter's sunset date was moved closer than the deprecation policy allows.",
  "request-parameter-deprecated-sunset-missing": "A parameter was deprecated without the sunset date the deprecation policy asks for.",
  "request-property-became-optional": "A required request property became optional.",
  "response-body-media-type-schema-added": "A response media type that had no schema got one.",
  "response-body-media-type-schema-removed": "A response media type lost its schema.",
  "response-header-added": "A response header was added.",
  "response-media-type-added": "An operation may return a new response media type.",
  "response-media-type-name-changed": "A response media type was renamed (the same type with other parameters).",
  "response-media-type-name-specialized": "A response media type range was narrowed to a more specific type.",
  "response-non-success-status-added": "An operation documents a new error status code.",
  "response-non-success-status-removed": "An operation no longer documents an error status code.",
  "response-success-status-added": "An operation documents a new success status code.",
  "response-optional-property-added": "An optional property was added to a response.",
  "response-required-property-added": "A required property was added to a response.",
  "response-optional-write-only-property-added": "An optional write-only property was added to a response schema.",
  "response-required-write-only-property-added": "A required write-only property was added to a response schema.",
  "response-optional-write-only-property-removed": "An optional write-only property was removed from a response schema.",
  "response-required-write-only-property-removed": "A required write-only property was removed from a response schema.",
  "response-property-became-required": "An optional response property became required.",
  "response-write-only-property-became-optional": "A required write-only response property became optional.",
  "response-write-only-property-became-required": "An optional write-only response property became required.",
  "response-header-became-not-nullable": "A response header no longer allows null.",
  "request-header-property-became-required": "A property of an object sent in a request header became required.",
  "sunset-deleted": "A deprecated element lost its sunset date.",
  "webhook-added": "A webhook was added.",
};

/** Why a safe change is listed at all. */
const SAFE_WHY = "Nothing existing clients rely on stops working; the change is listed so that it appears in the changelog and reviews.";

/**
 * The one-sentence summary of an id: its own text, the summary written for it, or the element's
 * noun with what happened to it. Undefined when none applies (a test keeps that from happening).
 */
export function summarise(id: string): string | undefined {
  const own = RULES[id]?.summary ?? SUMMARIES[id];
  if (own) return own;
  const subject = SUBJECTS.find(([prefix]) => id.startsWith(prefix));
  if (!subject) return undefined;
  const [prefix, noun, side] = subject;
  const rest = id.slice(prefix.length);
  const bound = /^(exclusive-max|exclusive-min|max-length|min-length|max-items|min-items|max-contains|min-contains|max|min)-(decreased|increased|set|unset)$/.exec(rest);
  if (bound) return `The ${BOUNDS[bound[1]!]} of ${noun.charAt(0).toLowerCase()}${noun.slice(1)} ${BOUND_CHANGES[bound[2]!]}.`;
  const p = PREDICATES[rest];
  if (p === undefined) return undefined;
  return `${noun} ${typeof p === "string" ? p : p(side)}.`;
}

const ex = (old: string, next: string) => ({ old, new: next });

/** The ids users meet most, explained one by one. */
const WIDENED =
  "Responses may now carry values of a shape old clients have never seen. Clients that ignore or pass over unknown shapes keep working; clients that handle every documented alternative exhaustively may fail. " +
  "comms judges every way of widening a response alike: a new oneOf or anyOf alternative, a schema rewritten as alternatives and a new enum value are dangerous, as GraphQL judges a new member of a returned union or a new value of a returned enum. oasdiff rates the oneOf forms breaking and the anyOf forms informational.";
const WIDENED_FIX = "Make sure clients handle unknown alternatives and values (a default branch), or return the new shape only to clients that ask for it (a new version, media type or parameter).";

export const RULES: Record<string, Explanation> = {
  "request-parameter-removed": {
    summary: "A parameter was removed from an operation.",
    why: "Clients still send it; a server that rejects unknown parameters fails them, and one that ignores it silently changes what they get.",
    example: ex("parameters: [{ name: limit, in: query }]", "parameters: []"),
    fix: "Keep accepting the parameter (ignore it if it no longer has an effect), deprecate it with a sunset date, and remove it after.",
  },
  "request-parameter-became-required": {
    summary: "An optional parameter became required.",
    why: "Clients that leave it out, which was allowed until now, get their requests rejected.",
    example: ex("{ name: limit, in: query, required: false }", "{ name: limit, in: query, required: true }"),
    fix: "Keep it optional and give it a server-side default.",
  },
  "new-required-request-parameter": {
    summary: "A required parameter was added to an existing operation.",
    why: "No existing client sends it, so every existing call is rejected.",
    example: ex("parameters: []", "parameters: [{ name: tenant, in: header, required: true }]"),
    fix: "Add it as optional with a server-side default, or require it only in a new operation or version.",
  },
  "new-request-path-parameter": {
    summary: "A path parameter was added to an existing operation.",
    why: "The URL template changed; URLs that clients build from the old template no longer match.",
    example: ex("/users", "/orgs/{org}/users"),
    fix: "Add the new path as a new endpoint and keep the old one until it is deprecated and sunset.",
  },
  "new-required-request-default-parameter-to-existing-path": {
    summary: "A required parameter was added to every operation of a path.",
    why: "No existing client sends it, so every call to the path is rejected.",
    example: ex("/users: { parameters: [] }", "/users: { parameters: [{ name: tenant, in: header, required: true }] }"),
    fix: "Add it as optional with a server-side default.",
  },
  "request-parameter-type-changed": {
    summary: "The type of a parameter changed.",
    why: "Values of the old type no longer validate, so calls that worked are rejected.",
    example: ex("{ name: id, in: path, schema: { type: integer } }", "{ name: id, in: path, schema: { type: boolean } }"),
    fix: "Keep the old type, or widen it (integer → number, anything → string); add a new parameter for the new type.",
  },
  "request-parameter-enum-value-removed": {
    summary: "A value was removed from a parameter's enum.",
    why: "Clients that send the removed value get their requests rejected.",
    example: ex("sort: { enum: [asc, desc] }", "sort: { enum: [asc] }"),
    fix: "Keep accepting the value and mark it deprecated in the description until clients stop sending it.",
  },
  "request-parameter-max-length-decreased": {
    summary: "A parameter's maxLength was lowered.",
    why: "Strings between the new and the old maximum length, which clients may send, are now rejected.",
    example: ex("q: { type: string, maxLength: 200 }", "q: { type: string, maxLength: 100 }"),
    fix: "Keep the old maxLength; truncate server-side if needed.",
  },
  "request-parameter-pattern-added": {
    summary: "A parameter got a pattern it did not have.",
    why: "Strings that do not match the new pattern were accepted until now and are rejected from now on.",
    example: ex("code: { type: string }", "code: { type: string, pattern: '^[A-Z]{3}$' }"),
    fix: "Drop the pattern, or make it match everything clients really send.",
  },
  "request-parameter-max-decreased": {
    summary: "A parameter's maximum was lowered.",
    why: "Numbers between the new and the old maximum are now rejected.",
    example: ex("limit: { type: integer, maximum: 100 }", "limit: { type: integer, maximum: 50 }"),
    fix: "Keep the old maximum and clamp on the server (for example, return at most 50 items).",
  },
  "request-parameter-min-increased": {
    summary: "A parameter's minimum was raised.",
    why: "Numbers between the old and the new minimum are now rejected.",
    example: ex("page: { type: integer, minimum: 0 }", "page: { type: integer, minimum: 1 }"),
    fix: "Keep the old minimum and map low values on the server.",
  },
  "request-parameter-became-not-nullable": {
    summary: "A parameter no longer accepts null.",
    why: "Clients that send null are now rejected.",
    example: ex("{ type: string, nullable: true }", "{ type: string }"),
    fix: "Keep accepting null and treat it as absent.",
  },
  "request-parameter-style-changed": {
    summary: "A parameter is serialised differently (style, explode or Swagger 2.0 collectionFormat).",
    why: "Clients keep writing the parameter the old way, which the server now misreads or rejects: `?ids=1&ids=2` is not `?ids=1,2`.",
    example: ex("{ name: ids, in: query, schema: { type: array } }  # ?ids=1&ids=2", "{ name: ids, in: query, explode: false, schema: { type: array } }  # ?ids=1,2"),
    fix: "Keep the old style and explode; when migrating from Swagger 2.0, write the style that matches the old collectionFormat (csv is `explode: false`).",
  },
  "request-parameter-removed-with-deprecation": {
    summary: "A deprecated request parameter was removed.",
    why: "Clients may still send it. It is judged as the removal of a parameter never deprecated (request-parameter-removed), no more: deprecation only ever softens a removal, and policy (a deprecation released at least `min-days` ago, or a passed sunset) makes it safe.",
    example: ex("{ name: page, in: query, deprecated: true }", "(parameter removed)"),
    fix: "Release the deprecation first and remove the parameter once the policy allows it.",
  },
  "request-parameter-removed-before-sunset": {
    summary: "A deprecated parameter was removed before its sunset date.",
    why: "Clients were promised the parameter until the sunset date and may not have migrated yet. It is judged as the removal of a parameter never deprecated (request-parameter-removed), no more: deprecation only ever softens a removal.",
    example: ex("{ name: v, deprecated: true, x-sunset: '2030-01-01' }", "(parameter removed in 2026)"),
    fix: "Keep the parameter until the sunset date has passed.",
  },
  "request-property-removed": {
    summary: "A property was removed from a request schema.",
    why: "Clients keep sending it: a server that rejects unknown properties fails their requests, and one that ignores it silently drops their data.",
    example: ex("properties: { name, nickname }", "properties: { name }"),
    fix: "Keep the property in the schema, deprecated, and ignore it on the server until its sunset date.",
  },
  "request-body-removed": {
    summary: "The request body of an operation was removed.",
    why: "Clients keep sending a body the server no longer reads; servers that reject unexpected bodies fail their calls.",
    example: ex("post: { requestBody: … }", "post: {}"),
    fix: "Keep accepting (and ignoring) the body until it is deprecated and sunset.",
  },
  "request-body-became-required": {
    summary: "An optional request body became required.",
    why: "Clients that call the operation without a body are now rejected.",
    example: ex("requestBody: { required: false }", "requestBody: { required: true }"),
    fix: "Keep the body optional and apply defaults when it is missing.",
  },
  "request-body-added-required": {
    summary: "A required request body was added to an existing operation.",
    why: "Existing clients send no body, so all their calls are rejected.",
    example: ex("post: { responses: … }", "post: { requestBody: { required: true, … } }"),
    fix: "Add the body as optional, or require it only in a new operation.",
  },
  "request-body-media-type-removed": {
    summary: "A request media type is no longer accepted.",
    why: "Clients that send that Content-Type get 415 Unsupported Media Type.",
    example: ex("content: { application/json: …, application/xml: … }", "content: { application/json: … }"),
    fix: "Keep accepting the media type; deprecate it before removing it in a new version.",
  },
  "request-body-type-changed": {
    summary: "The type of the request body changed.",
    why: "Bodies built for the old type no longer validate.",
    example: ex("schema: { type: object }", "schema: { type: array }"),
    fix: "Keep the old body type; accept the new shape in a new operation or media type.",
  },
  "request-body-enum-value-removed": {
    summary: "A value was removed from the enum of the request body.",
    why: "Clients that send the removed value get their requests rejected.",
    example: ex("schema: { enum: [a, b] }", "schema: { enum: [a] }"),
    fix: "Keep accepting the value and deprecate it in the description.",
  },
  "request-property-became-required": {
    summary: "An optional request property became required.",
    why: "Clients that leave the property out, which was allowed until now, get their requests rejected.",
    example: ex("required: [name]", "required: [name, email]"),
    fix: "Keep the property optional and fill a default on the server.",
  },
  "new-required-request-property": {
    summary: "A required property was added to a request schema.",
    why: "No existing client sends the new property, so their requests fail validation.",
    example: ex("properties: { name: … }, required: [name]", "properties: { name: …, email: … }, required: [name, email]"),
    fix: "Add the property as optional with a server-side default.",
  },
  "new-required-request-property-with-default": {
    summary: "A required property with a default was added to a request schema.",
    why: "`default` does not make a property optional: validators still reject requests without it.",
    example: ex("required: [name]", "required: [name, role]  # role: { default: user }"),
    fix: "Leave the property out of `required`; the server applies the default when it is missing.",
  },
  "new-required-request-header-property": {
    summary: "A required property was added to an object in a request header.",
    why: "No existing client sends it in the header value, so their requests fail validation.",
    example: ex("X-Ctx: { properties: { a: … } }", "X-Ctx: { properties: { a: …, b: … }, required: [b] }"),
    fix: "Add the property as optional.",
  },
  "request-property-type-changed": {
    summary: "The type of a request property changed.",
    why: "Values of the old type no longer validate, so requests built for the old schema are rejected.",
    example: ex("age: { type: string }", "age: { type: integer }"),
    fix: "Keep the old type, or accept both; add a new property for the new type.",
  },
  "request-property-enum-value-removed": {
    summary: "A value was removed from a request property's enum.",
    why: "Clients that send the removed value get their requests rejected.",
    example: ex("role: { enum: [admin, user] }", "role: { enum: [admin] }"),
    fix: "Keep accepting the value and mark it deprecated in the description until clients stop sending it.",
  },
  "request-property-became-enum": {
    summary: "A free request property was restricted to an enum.",
    why: "Any value outside the list, valid until now, is rejected.",
    example: ex("color: { type: string }", "color: { type: string, enum: [red, blue] }"),
    fix: "List every value clients really send, or keep the property free and validate in a new field.",
  },
  "request-property-max-length-decreased": {
    summary: "A request property's maxLength was lowered.",
    why: "Strings between the new and the old maximum length are now rejected.",
    example: ex("name: { type: string, maxLength: 20 }", "name: { type: string, maxLength: 10 }"),
    fix: "Keep the old maxLength; truncate server-side if storage requires it.",
  },
  "request-property-max-length-set": {
    summary: "A request property got a maxLength it did not have.",
    why: "Strings longer than the new limit were accepted until now; clients may already send them.",
    example: ex("note: { type: string }", "note: { type: string, maxLength: 500 }"),
    fix: "Choose a limit above what clients send (check traffic), or add it in a new version.",
  },
  "request-property-min-length-increased": {
    summary: "A request property's minLength was raised.",
    why: "Strings shorter than the new minimum, valid until now, are rejected.",
    example: ex("code: { type: string, minLength: 1 }", "code: { type: string, minLength: 4 }"),
    fix: "Keep the old minimum.",
  },
  "request-property-max-decreased": {
    summary: "A request property's maximum was lowered.",
    why: "Numbers between the new and the old maximum are now rejected.",
    example: ex("qty: { type: integer, maximum: 100 }", "qty: { type: integer, maximum: 10 }"),
    fix: "Keep the old maximum and handle large values on the server.",
  },
  "request-property-pattern-added": {
    summary: "A request property got a pattern it did not have.",
    why: "Strings that do not match the new pattern were accepted until now and are rejected from now on.",
    example: ex("name: { type: string }", "name: { type: string, pattern: '^[a-z]+$' }"),
    fix: "Drop the pattern, or make it match everything clients really send.",
  },
  "request-property-pattern-changed": {
    summary: "A request property's pattern changed.",
    why: "Unless the new pattern matches everything the old one did, some valid strings are now rejected.",
    example: ex("pattern: '^[a-z]+$'", "pattern: '^[a-z]{3,}$'"),
    fix: "Only widen patterns on requests (for example add alternatives), and check the new one accepts every old value.",
  },
  "request-property-became-not-nullable": {
    summary: "A request property no longer accepts null.",
    why: "Clients that send null for it are now rejected.",
    example: ex("nick: { type: string, nullable: true }", "nick: { type: string }"),
    fix: "Keep accepting null and treat it as absent.",
  },
  "request-property-one-of-removed": {
    summary: "An alternative was removed from a request property's oneOf.",
    why: "Values that only matched the removed alternative are now rejected.",
    example: ex("oneOf: [Card, Transfer]", "oneOf: [Card]"),
    fix: "Keep the alternative; deprecate it before removing it in a new version.",
  },
  "request-property-list-of-types-narrowed": {
    summary: "A request property accepts fewer types.",
    why: "Values of a type that was dropped are now rejected.",
    example: ex("type: [string, integer]", "type: [string]"),
    fix: "Keep accepting every type it accepted.",
  },
  "response-required-property-removed": {
    summary: "A required property was removed from a response.",
    why: "Clients were promised the property in every response and read it without checking; they fail when it is missing.",
    example: ex("required: [id, name], properties: { id, name }", "required: [id], properties: { id }"),
    fix: "Keep returning the property; deprecate it (with a sunset date) and remove it in a new version.",
  },
  "response-optional-property-removed": {
    summary: "An optional property was removed from a response.",
    why: "Clients that handle a missing value keep working, but they lose the data; clients that assumed it was always sent break.",
    example: ex("properties: { id, nickname }", "properties: { id }"),
    fix: "Keep returning the property while it is deprecated, then remove it after the sunset date.",
  },
  "response-property-type-changed": {
    summary: "The type of a response property changed.",
    why: "Clients deserialise the property as the old type and fail on the new one.",
    example: ex("id: { type: integer }", "id: { type: string }"),
    fix: "Keep the old type; return the new representation in a new property.",
  },
  "response-body-type-changed": {
    summary: "The type of the response body changed.",
    why: "Clients deserialise the body as the old type and fail on the new one.",
    example: ex("schema: { type: array }", "schema: { type: object }"),
    fix: "Keep the body type; return the new shape in a new operation, version or media type.",
  },
  "response-property-enum-value-added": {
    summary: "A response property may return a new enum value.",
    why: WIDENED,
    example: ex("status: { enum: [active, banned] }", "status: { enum: [active, banned, pending] }"),
    fix: "Make sure clients handle unknown values (document it, or use x-extensible-enum), or only return the value to clients that opt in.",
  },
  "response-property-became-nullable": {
    summary: "A response property may now be null.",
    why: "Clients that read the value without a null check fail when null arrives.",
    example: ex("nick: { type: string }", "nick: { type: string, nullable: true }"),
    fix: "Keep returning a value, or omit the property when it is optional, instead of returning null.",
  },
  "response-property-became-optional": {
    summary: "A required response property became optional.",
    why: "Clients were promised the property in every response; they fail when it is now left out.",
    example: ex("required: [id, name]", "required: [id]"),
    fix: "Keep the property required and always return it.",
  },
  "response-property-one-of-added": {
    summary: "A new alternative was added to a response property's oneOf.",
    why: WIDENED,
    example: ex("oneOf: [Card, Transfer]", "oneOf: [Card, Transfer, Wallet]"),
    fix: WIDENED_FIX,
  },
  "response-body-one-of-added": {
    summary: "A new alternative was added to a response body's oneOf.",
    why: WIDENED,
    example: ex("schema: { oneOf: [Card, Transfer] }", "schema: { oneOf: [Card, Transfer, Wallet] }"),
    fix: WIDENED_FIX,
  },
  "response-property-any-of-added": {
    summary: "A new alternative was added to a response property's anyOf.",
    why: WIDENED,
    example: ex("anyOf: [Card, Transfer]", "anyOf: [Card, Transfer, Wallet]"),
    fix: WIDENED_FIX,
  },
  "response-body-any-of-added": {
    summary: "A new alternative was added to a response body's anyOf.",
    why: WIDENED,
    example: ex("schema: { anyOf: [Card, Transfer] }", "schema: { anyOf: [Card, Transfer, Wallet] }"),
    fix: WIDENED_FIX,
  },
  "response-property-wrapped-in-one-of": {
    summary: "A response property was rewritten as a oneOf of alternatives.",
    why: `${WIDENED} Where an alternative does not require a property the old schema required, response-property-became-optional is reported too, as breaking.`,
    example: ex("owner: { $ref: '#/components/schemas/user' }", "owner: { oneOf: [{ $ref: '#/components/schemas/user' }, { $ref: '#/components/schemas/enterprise' }] }"),
    fix: WIDENED_FIX,
  },
  "response-body-wrapped-in-one-of": {
    summary: "A response body was rewritten as a oneOf of alternatives.",
    why: `${WIDENED} Where an alternative does not require a property the old schema required, response-property-became-optional is reported too, as breaking.`,
    example: ex("schema: { $ref: '#/components/schemas/user' }", "schema: { oneOf: [{ $ref: '#/components/schemas/user' }, { $ref: '#/components/schemas/bot' }] }"),
    fix: WIDENED_FIX,
  },
  "request-property-wrapped-in-one-of": {
    summary: "A request property was rewritten as a oneOf of alternatives that no longer takes every value it took.",
    why: "A value must now match exactly one alternative: old values that match none, or several, are rejected.",
    example: ex("amount: { type: integer }", "amount: { oneOf: [{ type: integer, minimum: 0 }, { type: string }] }"),
    fix: "Keep one alternative that accepts every old value and make the others disjoint from it.",
  },
  "response-success-status-removed": {
    summary: "A success status code was removed from an operation's responses.",
    why: "Clients check for that status and treat anything else as a failure.",
    example: ex("responses: { '200': …, '201': … }", "responses: { '200': … }"),
    fix: "Keep returning the documented status; change status codes only in a new version.",
  },
  "response-media-type-removed": {
    summary: "A response media type is no longer produced.",
    why: "Clients that ask for it (Accept header) get 406 or content they cannot parse.",
    example: ex("content: { application/json: …, application/xml: … }", "content: { application/json: … }"),
    fix: "Keep producing the media type until it is deprecated and sunset.",
  },
  "response-media-type-name-generalized": {
    summary: "A response media type was widened to a range.",
    why: "The response may now come in any media type of the range, which clients may not be able to parse.",
    example: ex("content: { application/json: … }", "content: { application/*: … }"),
    fix: "Document the concrete media types the operation returns.",
  },
  "required-response-header-removed": {
    summary: "A required response header was removed.",
    why: "Clients were promised the header and read it without checking.",
    example: ex("headers: { X-Rate-Limit: { required: true } }", "headers: {}"),
    fix: "Keep sending the header; deprecate it before removing it.",
  },
  "optional-response-header-removed": {
    summary: "An optional response header was removed.",
    why: "Clients that use the header lose its information; those that assumed it is always there break.",
    example: ex("headers: { X-Trace: … }", "headers: {}"),
    fix: "Keep sending the header while it is deprecated.",
  },
  "response-header-became-optional": {
    summary: "A required response header became optional.",
    why: "Clients were promised the header in every response and fail when it is left out.",
    example: ex("X-Rate-Limit: { required: true }", "X-Rate-Limit: { required: false }"),
    fix: "Keep the header required and always send it.",
  },
  "api-path-removed-without-deprecation": {
    summary: "A path was removed without having been deprecated.",
    why: "Clients get 404 for calls that worked, with no warning period to migrate.",
    example: ex("paths: { /users: …, /health: … }", "paths: { /users: … }"),
    fix: "Mark the operations `deprecated: true` with an `x-sunset` date in one release, and remove them after that date.",
  },
  "api-removed-without-deprecation": {
    summary: "An operation was removed without having been deprecated.",
    why: "Clients get 404 or 405 for calls that worked, with no warning period to migrate.",
    example: ex("/users/{id}: { get: …, delete: … }", "/users/{id}: { get: … }"),
    fix: "Mark the operation `deprecated: true` with an `x-sunset` date in one release, and remove it after that date.",
  },
  "api-removed-before-sunset": {
    summary: "A deprecated operation was removed before its sunset date.",
    why: "Clients were promised the operation until the sunset date and may not have migrated yet.",
    example: ex("delete: { deprecated: true, x-sunset: '2030-01-01' }", "(operation removed in 2026)"),
    fix: "Keep the operation until its sunset date has passed.",
  },
  "api-path-removed-before-sunset": {
    summary: "A deprecated path was removed before its sunset date.",
    why: "Clients were promised the path until the sunset date and may not have migrated yet.",
    example: ex("/old: { get: { deprecated: true, x-sunset: '2030-01-01' } }", "(path removed in 2026)"),
    fix: "Keep the path until its sunset date has passed.",
  },
  "api-sunset-date-too-small": {
    summary: "An operation was deprecated with a sunset date closer than the policy allows.",
    why: "Clients get less time to migrate than the deprecation policy (deprecation-days) promises.",
    example: ex("get: {}", "get: { deprecated: true, x-sunset: <in 10 days> }  # policy: 30 days"),
    fix: "Set `x-sunset` at least the policy's number of days after the release.",
  },
  "api-stability-decreased": {
    summary: "An operation's x-stability-level went down.",
    why: "Clients chose the operation for its stability promise; a lower level withdraws it.",
    example: ex("x-stability-level: stable", "x-stability-level: beta"),
    fix: "Keep the level; put the unstable variant in a new operation.",
  },
  "api-global-security-added": {
    summary: "A security requirement now applies to the whole API where it did not before.",
    why: "Clients that call without these credentials, which worked until now, are rejected; comms rates this breaking (oasdiff only informs) because the calls really fail.",
    example: ex("security: []", "security: [{ apiKey: [] }]"),
    fix: "Add the requirement as an alternative next to the old ones (`- {}` keeps anonymous access) until clients have credentials, then remove the old alternative in a major version.",
  },
  "api-security-added": {
    summary: "An operation now requires credentials it did not require before.",
    why: "Clients that call the operation without these credentials, which worked until now, are rejected; comms rates this breaking (oasdiff only informs) because the calls really fail.",
    example: ex("get: { security: [] }", "get: { security: [{ oauth: [read] }] }"),
    fix: "Offer the new requirement as an alternative to the old one first, and enforce it only in a major version.",
  },
  "api-global-security-scope-added": {
    summary: "A global security requirement now asks for an additional scope.",
    why: "Tokens issued with the old scopes lack the new one, so calls that worked are rejected.",
    example: ex("security: [{ oauth: [read] }]", "security: [{ oauth: [read, write] }]"),
    fix: "Keep the old scopes sufficient; require the new scope only for new operations or in a major version.",
  },
  "api-security-scope-added": {
    summary: "An operation's security requirement now asks for an additional scope.",
    why: "Tokens issued with the old scopes lack the new one, so calls that worked are rejected.",
    example: ex("security: [{ oauth: [read] }]", "security: [{ oauth: [read, write] }]"),
    fix: "Keep the old scopes sufficient; require the new scope only for new operations or in a major version.",
  },
  "api-global-security-alternative-added": {
    summary: "The API accepts one more way to authenticate, next to the ones it already accepted.",
    why: "Security requirements are alternatives: every client that satisfied an old one still does, so nothing breaks.",
    example: ex("security: [{ apiKey: [] }]", "security: [{ apiKey: [] }, { oauth: [read] }]"),
    fix: "Nothing to fix; clients may move to the new scheme at their own pace.",
  },
  "api-security-alternative-added": {
    summary: "An operation accepts one more way to authenticate, next to the ones it already accepted.",
    why: "Security requirements are alternatives: every client that satisfied an old one still does, so nothing breaks.",
    example: ex("security: [{ apiKey: [] }]", "security: [{ apiKey: [] }, { oauth: [read] }]"),
    fix: "Nothing to fix; clients may move to the new scheme at their own pace.",
  },
  "request-parameter-format-added": {
    summary: "A numeric parameter that had no format now declares one (such as int32 or int64).",
    why: "The server now promises to accept only values of that size; clients rarely send larger ones, but any that do are rejected, so comms rates it dangerous rather than a type change.",
    example: ex("{ name: id, in: path, schema: { type: integer } }", "{ name: id, in: path, schema: { type: integer, format: int64 } }"),
    fix: "Check that the format covers every value clients send (int64 almost always does); choose a wider format otherwise.",
  },
  "request-property-format-added": {
    summary: "A numeric request property that had no format now declares one (such as int32 or int64).",
    why: "The server now promises to accept only values of that size; clients rarely send larger ones, but any that do are rejected, so comms rates it dangerous rather than a type change.",
    example: ex("quantity: { type: integer }", "quantity: { type: integer, format: int32 }"),
    fix: "Check that the format covers every value clients send (int64 almost always does); choose a wider format otherwise.",
  },
  "request-body-format-added": {
    summary: "A numeric request body that had no format now declares one (such as int32 or int64).",
    why: "The server now promises to accept only values of that size; clients sending larger numbers are rejected, so comms rates it dangerous rather than a type change.",
    example: ex("schema: { type: integer }", "schema: { type: integer, format: int64 }"),
    fix: "Check that the format covers every value clients send; choose a wider format otherwise.",
  },
  "request-parameter-property-format-added": {
    summary: "A numeric property inside a parameter's object value now declares a format (such as int32 or int64).",
    why: "The server now promises to accept only values of that size; clients sending larger numbers are rejected, so comms rates it dangerous rather than a type change.",
    example: ex("filter: { properties: { max: { type: integer } } }", "filter: { properties: { max: { type: integer, format: int32 } } }"),
    fix: "Check that the format covers every value clients send; choose a wider format otherwise.",
  },
  "request-header-property-format-added": {
    summary: "A numeric property inside a request header's object value now declares a format (such as int32 or int64).",
    why: "The server now promises to accept only values of that size; clients sending larger numbers are rejected, so comms rates it dangerous rather than a type change.",
    example: ex("X-Ctx: { properties: { n: { type: integer } } }", "X-Ctx: { properties: { n: { type: integer, format: int32 } } }"),
    fix: "Check that the format covers every value clients send; choose a wider format otherwise.",
  },
  "webhook-removed": {
    summary: "A webhook was removed.",
    why: "Subscribers stop receiving events they were built to handle.",
    example: ex("webhooks: { newPet: … }", "webhooks: {}"),
    fix: "Keep sending the webhook while it is deprecated, and remove it after announcing a date.",
  },
};

/** The explanation of one id: its own text when written, else the area's refined by the action. */
export function explain(id: string, area: string, level?: "ERR" | "WARN" | "INFO"): Explanation {
  const own = RULES[id];
  const action = ACTIONS.find(([re]) => re.test(id))?.[1];
  const base = level === "INFO" && !own?.why ? { why: SAFE_WHY, fix: "Nothing to fix." } : (action ?? AREAS[area]);
  return {
    summary: summarise(id) ?? `A change of kind '${id}' was found.`,
    ...((own?.why ?? base?.why) ? { why: own?.why ?? base?.why } : {}),
    ...(own?.example ? { example: own.example } : {}),
    ...((own?.fix ?? base?.fix) ? { fix: own?.fix ?? base?.fix } : {}),
  };
}
