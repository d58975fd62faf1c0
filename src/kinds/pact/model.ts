import type { Location } from "../../core/location.ts";

/** One matcher of a matching rule, as the Pact specification writes it (`{ "match": "type", "min": 1 }`). */
export interface Matcher {
  match: string;
  min?: number;
  max?: number;
  regex?: string;
  value?: unknown;
}

/** Matchers by normalised path: body and header paths as segments (`items`, `*`, `id`), `*` for any name or index. */
export interface MatchingRules {
  body: Map<string, Matcher[]>;
  header: Map<string, Matcher[]>;
  query: Map<string, Matcher[]>;
  path: Matcher[];
}

/** Where an element of a JSON body is written, by its path (`["items", 0, "id"]`); undefined when it is not there. */
export type BodyLocations = (path: Array<string | number>) => Location | undefined;

export interface PactRequest {
  method: string;
  path: string;
  /** Query parameters, each with its values (v2 query strings are split). */
  query: Map<string, string[]>;
  /** Headers by lower-case name. */
  headers: Map<string, string>;
  body?: unknown;
  /** Whether a body is given at all (a `null` body is a body). */
  hasBody: boolean;
  contentType?: string;
  rules: MatchingRules;
  loc: Location;
  bodyLocs: BodyLocations;
}

export interface PactResponse {
  status: number;
  headers: Map<string, string>;
  body?: unknown;
  hasBody: boolean;
  contentType?: string;
  rules: MatchingRules;
  loc: Location;
  bodyLocs: BodyLocations;
}

export interface PactMessage {
  contents?: unknown;
  hasContents: boolean;
  contentType?: string;
  metadata: Map<string, unknown>;
  rules: MatchingRules;
  bodyLocs: BodyLocations;
}

/** One interaction: an HTTP request and its expected response, or an asynchronous message. */
export interface Interaction {
  type: "http" | "message";
  description: string;
  /** Provider states, in order. */
  states: string[];
  /** `description [given state, ...]`: unique within the pact, how versions pair interactions. */
  key: string;
  loc: Location;
  request?: PactRequest;
  response?: PactResponse;
  message?: PactMessage;
  /** Canonical JSON of everything the provider is held to, for change detection between versions. */
  fingerprint: string;
}

/** One pact file. */
export interface PactFile {
  file: string;
  consumer: string;
  provider: string;
  /** Specification version: 2, 3 or 4. */
  spec: 2 | 3 | 4;
  interactions: Interaction[];
}

export interface PactModel {
  pacts: PactFile[];
}

/** Path of a body element in locations and findings: segments joined by dots, `[n]` never used. */
export function bodyPath(segments: Array<string | number>): string {
  return segments.map(String).join(".");
}
