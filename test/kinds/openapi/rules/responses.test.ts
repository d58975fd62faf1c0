import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

/** `GET /orders` with the given responses map, entries from line 7. */
const spec = (responses: string) => yaml`
  openapi: 3.0.3
  info: { title: orders, version: "1.0.0" }
  paths:
    /orders:
      get:
        responses:
${indent(responses, 10)}
`;

const R = "/paths/~1orders/get/responses";
const OP = ["GET /orders"];
const json = (schema = "{ type: object }") => `content: { application/json: { schema: ${schema} } }`;

export const cases: Case[] = [
  {
    name: "a removed success status breaks clients that expect it",
    before: spec(`"200": { description: ok }\n"201": { description: created }`),
    after: spec(`"200": { description: ok }`),
    ids: /status/,
    expected: [
      { rule: "response-success-status-removed", path: `${R}/201`, old: "old.yaml:8:11", new: "new.yaml:5:5", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "valid: a removed error status and a new one are informational",
    before: spec(`"200": { description: ok }\n"404": { description: missing }`),
    after: spec(`"200": { description: ok }\n"409": { description: conflict }`),
    ids: /status/,
    expected: [
      { rule: "response-non-success-status-removed", path: `${R}/404`, old: "old.yaml:8:11", new: "new.yaml:5:5", severity: "safe", operations: OP },
      { rule: "response-non-success-status-added", path: `${R}/409`, new: "new.yaml:8:11", severity: "safe", operations: OP },
    ],
  },
  {
    name: "valid: a status covered by a new range (200 → 2XX) is still documented",
    before: spec(`"200": { description: ok, ${json()} }`),
    after: spec(`"2XX": { description: ok, ${json()} }`),
    ids: /status/,
    expected: [],
  },
  {
    name: "valid: a range narrowed to a code inside it (2XX → 200) only returns what clients already handle",
    before: spec(`"2XX": { description: ok, ${json()} }`),
    after: spec(`"200": { description: ok, ${json()} }`),
    ids: /status/,
    expected: [],
  },
  {
    name: "a range narrowed to a code is still compared with it: a property removed from the body",
    before: spec(`"2XX": { description: ok, ${json("{ type: object, required: [id], properties: { id: { type: string } } }")} }`),
    after: spec(`"200": { description: ok, ${json("{ type: object, properties: { name: { type: string } } }")} }`),
    ids: /status|property-removed/,
    expected: [
      { rule: "response-required-property-removed", path: `${R}/200/content/application~1json/schema/properties/id`, old: "old.yaml:7:122", new: "new.yaml:7:68", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "a renamed response media type (charset added) still has its schema compared",
    before: spec(`"200": { description: ok, content: { application/json: { schema: { type: integer } } } }`),
    after: spec(`"200": { description: ok, content: { "application/json; charset=utf-8": { schema: { type: string } } } }`),
    ids: /media-type|type-changed/,
    expected: [
      { rule: "response-media-type-name-changed", path: `${R}/200/content/application~1json; charset=utf-8`, old: "old.yaml:7:48", new: "new.yaml:7:48", severity: "safe", operations: OP },
      { rule: "response-body-type-changed", path: `${R}/200/content/application~1json; charset=utf-8/schema`, old: "old.yaml:7:78", new: "new.yaml:7:95", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "a removed response media type breaks clients that ask for it",
    before: spec(`"200":\n  description: ok\n  content:\n    application/json: { schema: { type: object } }\n    application/xml: { schema: { type: object } }`),
    after: spec(`"200":\n  description: ok\n  content:\n    application/json: { schema: { type: object } }`),
    ids: /media-type/,
    expected: [
      { rule: "response-media-type-removed", path: `${R}/200/content/application~1xml`, old: "old.yaml:11:15", new: "new.yaml:7:11", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "a media type widened to a range may send content clients cannot parse",
    before: spec(`"200": { description: ok, content: { application/json: { schema: { type: object } } } }`),
    after: spec(`"200": { description: ok, content: { "application/*": { schema: { type: object } } } }`),
    ids: /media-type/,
    expected: [
      { rule: "response-media-type-name-generalized", path: `${R}/200/content/application~1*`, old: "old.yaml:7:48", new: "new.yaml:7:48", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "valid: a new response media type",
    before: spec(`"200": { description: ok, ${json()} }`),
    after: spec(`"200":\n  description: ok\n  content:\n    application/json: { schema: { type: object } }\n    text/csv: { schema: { type: string } }`),
    ids: /media-type/,
    expected: [
      { rule: "response-media-type-added", path: `${R}/200/content/text~1csv`, new: "new.yaml:11:15", severity: "safe", operations: OP },
    ],
  },
  {
    name: "a removed required response header breaks clients that read it; an optional one is dangerous",
    before: spec(`"200":\n  description: ok\n  headers:\n    X-Rate-Limit: { required: true, schema: { type: integer } }\n    X-Trace: { schema: { type: string } }`),
    after: spec(`"200":\n  description: ok\n  headers: {}`),
    ids: /header/,
    expected: [
      { rule: "required-response-header-removed", path: `${R}/200/headers/X-Rate-Limit`, old: "old.yaml:10:15", new: "new.yaml:7:11", severity: "breaking", operations: OP },
      { rule: "optional-response-header-removed", path: `${R}/200/headers/X-Trace`, old: "old.yaml:11:15", new: "new.yaml:7:11", severity: "dangerous", operations: OP },
    ],
  },
  {
    name: "a response header that became optional may be missing",
    before: spec(`"200":\n  description: ok\n  headers:\n    X-Rate-Limit: { required: true, schema: { type: integer } }`),
    after: spec(`"200":\n  description: ok\n  headers:\n    X-Rate-Limit: { schema: { type: integer } }`),
    ids: /header/,
    expected: [
      { rule: "response-header-became-optional", path: `${R}/200/headers/X-Rate-Limit`, old: "old.yaml:10:15", new: "new.yaml:10:15", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "a response header whose schema type changed",
    before: spec(`"200":\n  description: ok\n  headers:\n    X-Rate-Limit: { schema: { type: integer } }`),
    after: spec(`"200":\n  description: ok\n  headers:\n    X-Rate-Limit: { schema: { type: string } }`),
    ids: /header/,
    expected: [
      { rule: "response-header-type-changed", path: `${R}/200/headers/X-Rate-Limit/schema`, old: "old.yaml:10:41", new: "new.yaml:10:41", severity: "breaking", operations: OP },
    ],
  },
  {
    name: "valid: a new response header",
    before: spec(`"200": { description: ok }`),
    after: spec(`"200":\n  description: ok\n  headers:\n    X-Trace: { schema: { type: string } }`),
    ids: /header/,
    expected: [
      { rule: "response-header-added", path: `${R}/200/headers/X-Trace`, new: "new.yaml:10:15", severity: "safe", operations: OP },
    ],
  },
  {
    name: "a response body schema removed from a media type, and one added",
    before: spec(`"200": { description: ok, ${json()} }\n"201": { description: created, content: { application/json: {} } }`),
    after: spec(`"200": { description: ok, content: { application/json: {} } }\n"201": { description: created, ${json()} }`),
    ids: /schema/,
    expected: [
      { rule: "response-body-media-type-schema-removed", path: `${R}/200/content/application~1json/schema`, old: "old.yaml:7:68", new: "new.yaml:7:48", severity: "dangerous", operations: OP },
      { rule: "response-body-media-type-schema-added", path: `${R}/201/content/application~1json/schema`, old: "old.yaml:8:53", new: "new.yaml:8:73", severity: "safe", operations: OP },
    ],
  },
];

describe("openapi response rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after)).toEqual([]);
    });
  }
});
