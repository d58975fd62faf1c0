import type { Severity } from "../../core/finding.ts";

/** oasdiff's default level names, as users write them in `policy.openapi.levels`. */
export type Level = "ERR" | "WARN" | "INFO";

/** One rule id of the catalogue: its default level and area. */
export interface CatalogueEntry {
  id: string;
  level: Level;
  area: string;
  /** Set on the few ids comms adds where oasdiff has none. */
  origin?: "comms";
}

const AREAS = ["lifecycle", "enums", "parameters", "paths", "request-body", "request-properties", "response-headers", "response-properties", "responses", "security", "versioning"];

/*
 * oasdiff's rule ids with their default levels (id, level, area index), kept as data so that ids the
 * engine derives from a schema attribute ("request-property-max-length-decreased") are checked against
 * the catalogue instead of being spelled out one by one.
 */
const DATA = `
api-deprecated-sunset-missing ERR 0
api-deprecated-sunset-parse ERR 0
api-global-security-added INFO 9
api-global-security-removed INFO 9
api-global-security-scope-added INFO 9
api-global-security-scope-removed INFO 9
api-invalid-stability-level ERR 0
api-operation-id-added INFO 3
api-operation-id-removed INFO 3
api-path-removed-before-sunset ERR 3
api-path-removed-with-deprecation INFO 3
api-path-removed-without-deprecation ERR 3
api-path-sunset-parse ERR 0
api-removed-before-sunset ERR 3
api-removed-with-deprecation INFO 3
api-removed-without-deprecation ERR 3
api-schema-removed INFO 3
api-security-added INFO 9
api-security-component-added INFO 9
api-security-component-oauth-scope-added INFO 9
api-security-component-oauth-scope-changed INFO 9
api-security-component-oauth-scope-removed INFO 9
api-security-component-oauth-token-url-changed INFO 9
api-security-component-oauth-url-changed INFO 9
api-security-component-removed INFO 9
api-security-component-type-changed INFO 9
api-security-removed INFO 9
api-security-scope-added INFO 9
api-security-scope-removed INFO 9
api-stability-decreased ERR 0
api-stability-increased INFO 0
api-sunset-date-changed-too-small ERR 0
api-sunset-date-too-small ERR 0
api-tag-added INFO 3
api-tag-removed INFO 3
api-version-decreased INFO 10
endpoint-added INFO 3
endpoint-deprecated INFO 0
endpoint-deprecated-with-sunset INFO 0
endpoint-reactivated INFO 0
new-optional-request-default-parameter-to-existing-path INFO 2
new-optional-request-parameter INFO 2
new-optional-request-property INFO 5
new-request-path-parameter ERR 2
new-required-request-default-parameter-to-existing-path ERR 2
new-required-request-header-property ERR 2
new-required-request-parameter ERR 2
new-required-request-property ERR 5
new-required-request-property-with-default ERR 5
optional-response-header-removed WARN 6
request-body-added-optional INFO 4
request-body-added-required ERR 4
request-body-all-of-added ERR 4
request-body-all-of-added-annotation-only INFO 4
request-body-all-of-removed WARN 4
request-body-all-of-removed-annotation-only INFO 4
request-body-any-of-added INFO 4
request-body-any-of-removed ERR 4
request-body-became-enum ERR 1
request-body-became-not-nullable ERR 4
request-body-became-nullable INFO 4
request-body-became-optional INFO 4
request-body-became-required ERR 4
request-body-const-added ERR 4
request-body-const-changed ERR 4
request-body-const-removed INFO 4
request-body-contains-added ERR 4
request-body-contains-removed INFO 4
request-body-content-encoding-changed ERR 4
request-body-content-media-type-changed ERR 4
request-body-content-schema-added ERR 4
request-body-content-schema-removed INFO 4
request-body-default-value-added INFO 4
request-body-default-value-changed INFO 4
request-body-default-value-removed INFO 4
request-body-dependent-required-added ERR 4
request-body-dependent-required-changed ERR 4
request-body-dependent-required-removed INFO 4
request-body-dependent-schema-added ERR 4
request-body-dependent-schema-removed INFO 4
request-body-discriminator-added INFO 4
request-body-discriminator-mapping-added INFO 4
request-body-discriminator-mapping-changed INFO 4
request-body-discriminator-mapping-deleted INFO 4
request-body-discriminator-property-name-changed INFO 4
request-body-discriminator-removed INFO 4
request-body-else-added ERR 4
request-body-else-removed INFO 4
request-body-enum-value-removed ERR 1
request-body-exclusive-max-decreased ERR 4
request-body-exclusive-max-increased INFO 4
request-body-exclusive-max-set WARN 4
request-body-exclusive-min-decreased INFO 4
request-body-exclusive-min-increased ERR 4
request-body-exclusive-min-set WARN 4
request-body-if-added ERR 4
request-body-if-removed INFO 4
request-body-list-of-types-narrowed ERR 4
request-body-list-of-types-widened INFO 4
request-body-max-contains-decreased ERR 4
request-body-max-contains-increased INFO 4
request-body-max-decreased ERR 4
request-body-max-increased INFO 4
request-body-max-length-decreased ERR 4
request-body-max-length-increased INFO 4
request-body-max-length-set WARN 4
request-body-max-set WARN 4
request-body-media-type-added INFO 4
request-body-media-type-removed ERR 4
request-body-media-type-schema-added ERR 4
request-body-media-type-schema-removed INFO 4
request-body-min-contains-decreased INFO 4
request-body-min-contains-increased ERR 4
request-body-min-decreased INFO 4
request-body-min-increased ERR 4
request-body-min-items-increased ERR 4
request-body-min-items-set WARN 4
request-body-min-length-decreased INFO 4
request-body-min-length-increased ERR 4
request-body-min-set WARN 4
request-body-one-of-added INFO 4
request-body-one-of-removed ERR 4
request-body-pattern-property-added ERR 4
request-body-pattern-property-removed INFO 4
request-body-prefix-items-added INFO 4
request-body-prefix-items-removed ERR 4
request-body-property-names-added ERR 4
request-body-property-names-removed INFO 4
request-body-removed ERR 4
request-body-then-added ERR 4
request-body-then-removed INFO 4
request-body-type-changed ERR 4
request-body-type-compatible INFO 4
request-body-type-generalized INFO 4
request-body-unevaluated-items-added ERR 4
request-body-unevaluated-items-removed INFO 4
request-body-unevaluated-properties-added ERR 4
request-body-unevaluated-properties-removed INFO 4
request-body-wrapped-in-one-of ERR 4
request-header-property-became-enum ERR 1
request-header-property-became-required ERR 2
request-optional-property-became-not-read-only INFO 5
request-optional-property-became-not-write-only INFO 5
request-optional-property-became-read-only INFO 5
request-optional-property-became-write-only INFO 5
request-parameter-became-enum ERR 1
request-parameter-became-not-nullable ERR 2
request-parameter-became-nullable INFO 2
request-parameter-became-optional INFO 2
request-parameter-became-required ERR 2
request-parameter-default-value-added ERR 2
request-parameter-default-value-changed ERR 2
request-parameter-default-value-removed ERR 2
request-parameter-deprecated INFO 0
request-parameter-deprecated-sunset-missing ERR 0
request-parameter-enum-value-added INFO 1
request-parameter-enum-value-removed ERR 1
request-parameter-exclusive-max-decreased ERR 2
request-parameter-exclusive-max-increased INFO 2
request-parameter-exclusive-max-set WARN 2
request-parameter-exclusive-min-decreased INFO 2
request-parameter-exclusive-min-increased ERR 2
request-parameter-exclusive-min-set WARN 2
request-parameter-list-of-types-narrowed ERR 2
request-parameter-list-of-types-widened INFO 2
request-parameter-max-decreased ERR 2
request-parameter-max-increased INFO 2
request-parameter-max-items-decreased ERR 2
request-parameter-max-items-increased INFO 2
request-parameter-max-length-decreased ERR 2
request-parameter-max-length-increased INFO 2
request-parameter-max-length-set WARN 2
request-parameter-max-set WARN 2
request-parameter-min-decreased INFO 2
request-parameter-min-increased ERR 2
request-parameter-min-items-decreased INFO 2
request-parameter-min-items-increased ERR 2
request-parameter-min-items-set WARN 2
request-parameter-min-length-decreased INFO 2
request-parameter-min-length-increased ERR 2
request-parameter-min-set WARN 2
request-parameter-pattern-added ERR 2
request-parameter-pattern-changed WARN 2
request-parameter-pattern-generalized INFO 2
request-parameter-pattern-removed INFO 2
request-parameter-property-became-not-nullable ERR 2
request-parameter-property-became-nullable INFO 2
request-parameter-property-enum-value-added INFO 1
request-parameter-property-enum-value-removed ERR 1
request-parameter-property-list-of-types-narrowed ERR 2
request-parameter-property-list-of-types-widened INFO 2
request-parameter-property-type-changed WARN 2
request-parameter-property-type-generalized INFO 2
request-parameter-property-type-specialized ERR 2
request-parameter-reactivated INFO 0
request-parameter-removed WARN 2
request-parameter-removed-before-sunset ERR 2
request-parameter-removed-with-deprecation INFO 2
request-parameter-sunset-date-changed-too-small ERR 0
request-parameter-sunset-date-too-small ERR 0
request-parameter-sunset-deleted ERR 0
request-parameter-sunset-parse ERR 0
request-parameter-type-changed ERR 2
request-parameter-type-generalized INFO 2
request-parameter-x-extensible-enum-value-removed ERR 1
request-property-all-of-added ERR 5
request-property-all-of-added-annotation-only INFO 5
request-property-all-of-removed WARN 5
request-property-all-of-removed-annotation-only INFO 5
request-property-any-of-added INFO 5
request-property-any-of-removed ERR 5
request-property-became-enum ERR 1
request-property-became-not-nullable ERR 5
request-property-became-nullable INFO 5
request-property-became-optional INFO 5
request-property-became-required ERR 5
request-property-became-required-with-default ERR 5
request-property-const-added ERR 5
request-property-const-changed ERR 5
request-property-const-removed INFO 5
request-property-contains-added ERR 5
request-property-contains-removed INFO 5
request-property-content-encoding-changed ERR 5
request-property-content-media-type-changed ERR 5
request-property-content-schema-added ERR 5
request-property-content-schema-removed INFO 5
request-property-default-value-added INFO 5
request-property-default-value-changed INFO 5
request-property-default-value-removed INFO 5
request-property-dependent-required-added ERR 5
request-property-dependent-required-changed ERR 5
request-property-dependent-required-removed INFO 5
request-property-dependent-schema-added ERR 5
request-property-dependent-schema-removed INFO 5
request-property-deprecated INFO 0
request-property-deprecated-sunset-invalid ERR 0
request-property-deprecated-sunset-missing ERR 0
request-property-deprecated-with-sunset INFO 0
request-property-discriminator-added INFO 5
request-property-discriminator-mapping-added INFO 5
request-property-discriminator-mapping-changed INFO 5
request-property-discriminator-mapping-deleted INFO 5
request-property-discriminator-property-name-changed INFO 5
request-property-discriminator-removed INFO 5
request-property-else-added ERR 5
request-property-else-removed INFO 5
request-property-enum-value-added INFO 1
request-property-enum-value-removed ERR 1
request-property-exclusive-max-decreased ERR 5
request-property-exclusive-max-increased INFO 5
request-property-exclusive-max-set WARN 5
request-property-exclusive-min-decreased INFO 5
request-property-exclusive-min-increased ERR 5
request-property-exclusive-min-set WARN 5
request-property-if-added ERR 5
request-property-if-removed INFO 5
request-property-list-of-types-narrowed ERR 5
request-property-list-of-types-widened INFO 5
request-property-max-contains-decreased ERR 5
request-property-max-contains-increased INFO 5
request-property-max-decreased ERR 5
request-property-max-increased INFO 5
request-property-max-length-decreased ERR 5
request-property-max-length-increased INFO 5
request-property-max-length-set WARN 5
request-property-max-set WARN 5
request-property-min-contains-decreased INFO 5
request-property-min-contains-increased ERR 5
request-property-min-decreased INFO 5
request-property-min-increased ERR 5
request-property-min-items-increased ERR 5
request-property-min-items-set WARN 5
request-property-min-length-decreased INFO 5
request-property-min-length-increased ERR 5
request-property-min-set WARN 5
request-property-one-of-added INFO 5
request-property-one-of-removed ERR 5
request-property-pattern-added ERR 5
request-property-pattern-changed WARN 5
request-property-pattern-generalized INFO 5
request-property-pattern-property-added ERR 5
request-property-pattern-property-removed INFO 5
request-property-pattern-removed INFO 5
request-property-prefix-items-added INFO 5
request-property-prefix-items-removed ERR 5
request-property-property-names-added ERR 5
request-property-property-names-removed INFO 5
request-property-reactivated INFO 0
request-property-removed WARN 5
request-property-stability-decreased ERR 0
request-property-stability-increased INFO 0
request-property-sunset-date-too-small ERR 0
request-property-then-added ERR 5
request-property-then-removed INFO 5
request-property-type-changed ERR 5
request-property-type-compatible INFO 5
request-property-type-generalized INFO 5
request-property-unevaluated-items-added ERR 5
request-property-unevaluated-items-removed INFO 5
request-property-unevaluated-properties-added ERR 5
request-property-unevaluated-properties-removed INFO 5
request-property-x-extensible-enum-value-removed ERR 1
request-read-only-property-enum-value-removed INFO 1
request-read-only-property-exclusive-max-decreased INFO 5
request-read-only-property-exclusive-min-increased INFO 5
request-read-only-property-max-decreased INFO 5
request-read-only-property-max-length-decreased INFO 5
request-read-only-property-min-increased INFO 5
request-required-property-became-not-read-only INFO 5
request-required-property-became-not-write-only INFO 5
request-required-property-became-read-only INFO 5
request-required-property-became-write-only INFO 5
required-response-header-removed ERR 6
response-body-all-of-added INFO 8
response-body-all-of-added-annotation-only INFO 8
response-body-all-of-removed INFO 8
response-body-all-of-removed-annotation-only INFO 8
response-body-any-of-added INFO 8
response-body-any-of-removed INFO 8
response-body-became-not-nullable INFO 8
response-body-became-nullable ERR 8
response-body-const-added INFO 8
response-body-const-changed ERR 8
response-body-const-removed ERR 8
response-body-contains-added INFO 8
response-body-contains-removed ERR 8
response-body-content-encoding-changed ERR 8
response-body-content-media-type-changed ERR 8
response-body-content-schema-added INFO 8
response-body-content-schema-removed ERR 8
response-body-default-value-added INFO 8
response-body-default-value-changed INFO 8
response-body-default-value-removed INFO 8
response-body-dependent-required-added INFO 8
response-body-dependent-required-changed ERR 8
response-body-dependent-required-removed ERR 8
response-body-dependent-schema-added INFO 8
response-body-dependent-schema-removed ERR 8
response-body-discriminator-added INFO 8
response-body-discriminator-mapping-added INFO 8
response-body-discriminator-mapping-changed INFO 8
response-body-discriminator-mapping-deleted INFO 8
response-body-discriminator-property-name-changed INFO 8
response-body-discriminator-removed INFO 8
response-body-else-added INFO 8
response-body-else-removed ERR 8
response-body-exclusive-max-increased ERR 8
response-body-exclusive-min-decreased ERR 8
response-body-if-added INFO 8
response-body-if-removed ERR 8
response-body-list-of-types-narrowed INFO 8
response-body-list-of-types-widened ERR 8
response-body-max-contains-decreased INFO 8
response-body-max-contains-increased ERR 8
response-body-max-increased ERR 8
response-body-max-length-increased ERR 8
response-body-max-length-unset ERR 8
response-body-media-type-schema-added INFO 8
response-body-media-type-schema-removed WARN 8
response-body-min-contains-decreased ERR 8
response-body-min-contains-increased INFO 8
response-body-min-decreased ERR 8
response-body-min-items-decreased ERR 8
response-body-min-items-unset ERR 8
response-body-min-length-decreased ERR 8
response-body-one-of-added ERR 8
response-body-one-of-removed INFO 8
response-body-pattern-property-added INFO 8
response-body-pattern-property-removed ERR 8
response-body-prefix-items-added ERR 8
response-body-prefix-items-removed INFO 8
response-body-property-names-added INFO 8
response-body-property-names-removed ERR 8
response-body-then-added INFO 8
response-body-then-removed ERR 8
response-body-type-changed ERR 8
response-body-type-compatible INFO 8
response-body-type-generalized ERR 8
response-body-type-specialized INFO 8
response-body-unevaluated-items-added INFO 8
response-body-unevaluated-items-removed ERR 8
response-body-unevaluated-properties-added INFO 8
response-body-unevaluated-properties-removed ERR 8
response-body-wrapped-in-one-of ERR 8
response-header-added INFO 6
response-header-became-not-nullable INFO 6
response-header-became-nullable ERR 6
response-header-became-optional ERR 6
response-header-type-changed ERR 6
response-header-type-compatible INFO 6
response-header-type-generalized ERR 6
response-header-type-specialized INFO 6
response-media-type-added INFO 8
response-media-type-name-changed INFO 8
response-media-type-name-generalized ERR 8
response-media-type-name-specialized INFO 8
response-media-type-removed ERR 8
response-mediatype-enum-value-removed INFO 1
response-non-success-status-added INFO 8
response-non-success-status-removed INFO 8
response-optional-property-added INFO 7
response-optional-property-became-not-read-only INFO 7
response-optional-property-became-not-write-only INFO 7
response-optional-property-became-read-only INFO 7
response-optional-property-became-write-only INFO 7
response-optional-property-removed WARN 7
response-optional-write-only-property-added INFO 7
response-optional-write-only-property-removed INFO 7
response-property-all-of-added INFO 7
response-property-all-of-added-annotation-only INFO 7
response-property-all-of-removed INFO 7
response-property-all-of-removed-annotation-only INFO 7
response-property-any-of-added INFO 7
response-property-any-of-removed INFO 7
response-property-became-not-nullable INFO 7
response-property-became-nullable ERR 7
response-property-became-optional ERR 7
response-property-became-required INFO 7
response-property-const-added INFO 7
response-property-const-changed ERR 7
response-property-const-removed ERR 7
response-property-contains-added INFO 7
response-property-contains-removed ERR 7
response-property-content-encoding-changed ERR 7
response-property-content-media-type-changed ERR 7
response-property-content-schema-added INFO 7
response-property-content-schema-removed ERR 7
response-property-default-value-added INFO 7
response-property-default-value-changed INFO 7
response-property-default-value-removed INFO 7
response-property-dependent-required-added INFO 7
response-property-dependent-required-changed ERR 7
response-property-dependent-required-removed ERR 7
response-property-dependent-schema-added INFO 7
response-property-dependent-schema-removed ERR 7
response-property-deprecated INFO 0
response-property-deprecated-sunset-invalid ERR 0
response-property-deprecated-sunset-missing ERR 0
response-property-deprecated-with-sunset INFO 0
response-property-discriminator-added INFO 7
response-property-discriminator-mapping-added INFO 7
response-property-discriminator-mapping-changed INFO 7
response-property-discriminator-mapping-deleted INFO 7
response-property-discriminator-property-name-changed INFO 7
response-property-discriminator-removed INFO 7
response-property-else-added INFO 7
response-property-else-removed ERR 7
response-property-enum-value-added WARN 1
response-property-enum-value-removed INFO 1
response-property-exclusive-max-increased ERR 7
response-property-exclusive-min-decreased ERR 7
response-property-if-added INFO 7
response-property-if-removed ERR 7
response-property-list-of-types-narrowed INFO 7
response-property-list-of-types-widened ERR 7
response-property-max-contains-decreased INFO 7
response-property-max-contains-increased ERR 7
response-property-max-increased ERR 7
response-property-max-length-increased ERR 7
response-property-max-length-unset ERR 7
response-property-min-contains-decreased ERR 7
response-property-min-contains-increased INFO 7
response-property-min-decreased ERR 7
response-property-min-items-decreased ERR 7
response-property-min-items-unset ERR 7
response-property-min-length-decreased ERR 7
response-property-one-of-added ERR 7
response-property-one-of-removed INFO 7
response-property-pattern-added INFO 7
response-property-pattern-changed INFO 7
response-property-pattern-property-added INFO 7
response-property-pattern-property-removed ERR 7
response-property-pattern-removed INFO 7
response-property-prefix-items-added ERR 7
response-property-prefix-items-removed INFO 7
response-property-property-names-added INFO 7
response-property-property-names-removed ERR 7
response-property-reactivated INFO 0
response-property-stability-decreased ERR 0
response-property-stability-increased INFO 0
response-property-sunset-date-too-small ERR 0
response-property-then-added INFO 7
response-property-then-removed ERR 7
response-property-type-changed ERR 7
response-property-type-compatible INFO 7
response-property-type-generalized ERR 7
response-property-type-specialized INFO 7
response-property-unevaluated-items-added INFO 7
response-property-unevaluated-items-removed ERR 7
response-property-unevaluated-properties-added INFO 7
response-property-unevaluated-properties-removed ERR 7
response-required-property-added INFO 7
response-required-property-became-not-read-only INFO 7
response-required-property-became-not-write-only WARN 7
response-required-property-became-read-only INFO 7
response-required-property-became-write-only INFO 7
response-required-property-removed ERR 7
response-required-write-only-property-added INFO 7
response-required-write-only-property-removed INFO 7
response-success-status-added INFO 8
response-success-status-removed ERR 8
response-write-only-property-became-optional INFO 7
response-write-only-property-became-required INFO 7
response-write-only-property-enum-value-added INFO 1
sunset-deleted ERR 0
webhook-added INFO 3
webhook-removed ERR 3
`;

/**
 * Ids comms adds for breaks oasdiff has no id for, kept apart so the oasdiff vocabulary above stays
 * exactly oasdiff's.
 */
const COMMS_DATA = `
request-parameter-style-changed ERR 2
api-global-security-alternative-added INFO 9
api-security-alternative-added INFO 9
request-parameter-format-added WARN 2
request-property-format-added WARN 5
request-body-format-added WARN 4
request-parameter-property-format-added WARN 2
request-header-property-format-added WARN 2
request-property-wrapped-in-one-of ERR 5
response-property-wrapped-in-one-of WARN 7
`;

/**
 * Levels where comms judges differently from oasdiff, and why. A gate decides what ships: a change
 * that makes existing calls fail cannot pass as informational.
 */
const COMMS_LEVELS: Record<string, Level> = {
  // Calls made without credentials, or with a token lacking the new scope, are rejected from now on.
  "api-global-security-added": "ERR",
  "api-security-added": "ERR",
  "api-global-security-scope-added": "ERR",
  "api-security-scope-added": "ERR",
  // Widening a response is one judgement whatever its spelling: a new oneOf or anyOf alternative,
  // like a new enum value, sends clients values they have never seen. Clients that handle unknown
  // shapes keep working, exhaustive ones do not: dangerous, as GraphQL judges a new union member or
  // a new value of a returned enum.
  "response-body-one-of-added": "WARN",
  "response-property-one-of-added": "WARN",
  "response-body-any-of-added": "WARN",
  "response-property-any-of-added": "WARN",
  // A plain response rewritten as alternatives is the same widening; where an alternative lacks a
  // property that was required, response-property-became-optional says so at ERR.
  "response-body-wrapped-in-one-of": "WARN",
};

/**
 * The removal of a deprecated element (`…-with-deprecation`, `…-before-sunset`) paired with the same
 * removal never deprecated (`…-without-deprecation`, or the bare id), derived from the ids.
 */
export function undeprecated(id: string, has: (id: string) => boolean = (x) => CATALOGUE.has(x)): string | undefined {
  const m = /^(.*)-(with-deprecation|before-sunset)$/.exec(id);
  if (!m) return undefined;
  return [`${m[1]}-without-deprecation`, m[1]!].find(has);
}

const parse = (data: string, origin?: "comms") =>
  data
    .trim()
    .split("\n")
    .map((line) => {
      const [id, level, area] = line.split(" ") as [string, Level, string];
      return [id, { id, level, area: AREAS[Number(area)] ?? "other", ...(origin ? { origin } : {}) }] as const;
    });

const entries = new Map(
  [...parse(DATA), ...parse(COMMS_DATA, "comms")].map(([id, e]) => [id, COMMS_LEVELS[id] ? { ...e, level: COMMS_LEVELS[id] } : e] as const),
);
// Deprecation only ever softens: a deprecated element's removal is judged as the same removal
// never deprecated (oasdiff rates some lower, some higher), the deprecation recorded on the finding;
// only policy (a deprecation released at least `min-days` ago, or a passed sunset) softens it further.
for (const [id, e] of entries) {
  const plain = undeprecated(id, (x) => entries.has(x));
  if (plain) entries.set(id, { ...e, level: entries.get(plain)!.level });
}

/** Every rule id the engine knows, by id. */
export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = entries;

/** Severity of an oasdiff level. */
export function levelSeverity(level: Level): Severity {
  return level === "ERR" ? "breaking" : level === "WARN" ? "dangerous" : "safe";
}
