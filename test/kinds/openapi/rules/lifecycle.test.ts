import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

/**
 * `GET /users` (its extra lines from line 6, a `limit` parameter, a `User` response) and, unless
 * `health` is null, `GET /health` with its own extra lines.
 */
const spec = (users = "", health: string | null = "", limit: string | null = "", prop = "") => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users:
      get:
${indent(`${users ? `${users}\n` : ""}${limit === null ? "parameters: []" : `parameters:\n  - name: limit\n    in: query\n    schema: { type: integer }${limit ? `\n${indent(limit, 4)}` : ""}`}`, 6)}
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    nick: { type: string${prop} }
${health === null ? "" : indent(`/health:\n  get:\n${health ? `${indent(health, 4)}\n` : ""}    responses: { "200": { description: ok } }`, 2)}
`;

const NOW = new Date("2026-06-01T00:00:00Z");
/** A deprecation policy of 30 days, as oasdiff's `--deprecation-days`. */
const POLICY = { settings: { now: NOW, "deprecation-days": 30 } };
const USERS = "/paths/~1users/get";
const HEALTH = "/paths/~1health/get";

export const cases: Case[] = [
  {
    name: "a path removed without deprecation is breaking",
    before: spec(),
    after: spec("", null),
    ids: /removed/,
    options: POLICY,
    expected: [
      { rule: "api-path-removed-without-deprecation", path: HEALTH, old: "old.yaml:20:5", severity: "breaking", operations: ["GET /health"] },
    ],
  },
  {
    name: "a path removed after its deprecation and sunset keeps the removal's severity, with the deprecation recorded for policy",
    before: spec("", 'deprecated: true\nx-sunset: "2026-01-01"'),
    after: spec("", null),
    ids: /removed/,
    options: POLICY,
    expected: [
      { rule: "api-path-removed-with-deprecation", path: HEALTH, old: "old.yaml:20:5", severity: "breaking", operations: ["GET /health"] },
    ],
  },
  {
    name: "a deprecated path removed before its sunset date is breaking",
    before: spec("", 'deprecated: true\nx-sunset: "2026-12-01"'),
    after: spec("", null),
    ids: /removed/,
    options: POLICY,
    expected: [
      { rule: "api-path-removed-before-sunset", path: HEALTH, old: "old.yaml:20:5", severity: "breaking", operations: ["GET /health"] },
    ],
  },
  {
    name: "valid: deprecating an endpoint (no policy)",
    before: spec(),
    after: spec("deprecated: true"),
    ids: /deprecated/,
    expected: [
      { rule: "endpoint-deprecated", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe", operations: ["GET /users"] },
    ],
  },
  {
    name: "with a 30-day policy, a sunset 10 days away is too close",
    before: spec(),
    after: spec('deprecated: true\nx-sunset: "2026-06-11"'),
    ids: /sunset|deprecated/,
    options: POLICY,
    expected: [
      { rule: "api-sunset-date-too-small", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking", operations: ["GET /users"] },
    ],
  },
  {
    name: "valid: with a 30-day policy, a sunset 60 days away",
    before: spec(),
    after: spec('deprecated: true\nx-sunset: "2026-07-31"'),
    ids: /sunset|deprecated/,
    options: POLICY,
    expected: [
      { rule: "endpoint-deprecated-with-sunset", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe", operations: ["GET /users"] },
    ],
  },
  {
    name: "a sunset date moved closer than the policy allows",
    before: spec('deprecated: true\nx-sunset: "2026-12-01"'),
    after: spec('deprecated: true\nx-sunset: "2026-06-15"'),
    ids: /sunset/,
    options: POLICY,
    expected: [
      { rule: "api-sunset-date-changed-too-small", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking", operations: ["GET /users"] },
    ],
  },
  {
    name: "a deleted sunset date and an unparsable one are breaking",
    before: spec('deprecated: true\nx-sunset: "2026-12-01"', 'deprecated: true\nx-sunset: "2026-12-01"'),
    after: spec("deprecated: true", 'deprecated: true\nx-sunset: "next year"'),
    ids: /sunset/,
    options: POLICY,
    expected: [
      { rule: "sunset-deleted", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking", operations: ["GET /users"] },
      { rule: "api-path-sunset-parse", path: HEALTH, old: "old.yaml:22:5", new: "new.yaml:21:5", severity: "breaking", operations: ["GET /health"] },
    ],
  },
  {
    name: "valid: an endpoint reactivated",
    before: spec("deprecated: true"),
    after: spec(),
    ids: /reactivated/,
    expected: [
      { rule: "endpoint-reactivated", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe", operations: ["GET /users"] },
    ],
  },
  {
    name: "x-stability-level lowered is breaking, raised is informational",
    before: spec("x-stability-level: stable", "x-stability-level: beta"),
    after: spec("x-stability-level: beta", "x-stability-level: stable"),
    ids: /stability/,
    expected: [
      { rule: "api-stability-decreased", path: USERS, old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking", operations: ["GET /users"] },
      { rule: "api-stability-increased", path: HEALTH, old: "old.yaml:21:5", new: "new.yaml:21:5", severity: "safe", operations: ["GET /health"] },
    ],
  },
  {
    name: "an unknown x-stability-level is an error",
    before: spec(),
    after: spec("x-stability-level: experimental"),
    ids: /stability/,
    expected: [
      { rule: "api-invalid-stability-level", path: `${USERS}/x-stability-level`, new: "new.yaml:6:7", severity: "breaking", operations: ["GET /users"] },
    ],
  },
  {
    name: "a deprecated parameter removed before its sunset date is as dangerous as removing one never deprecated, no more",
    before: spec("", "", 'deprecated: true\nx-sunset: "2026-12-01"'),
    after: spec("", "", null),
    ids: /parameter/,
    options: POLICY,
    expected: [
      { rule: "request-parameter-removed-before-sunset", path: `${USERS}/parameters/query/limit`, old: "old.yaml:7:11", new: "new.yaml:5:5", severity: "dangerous", operations: ["GET /users"] },
    ],
  },
  {
    name: "a deprecated parameter removed after its sunset date keeps the removal's severity (policy may soften it)",
    before: spec("", "", 'deprecated: true\nx-sunset: "2026-01-01"'),
    after: spec("", "", null),
    ids: /parameter/,
    options: POLICY,
    expected: [
      { rule: "request-parameter-removed-with-deprecation", path: `${USERS}/parameters/query/limit`, old: "old.yaml:7:11", new: "new.yaml:5:5", severity: "dangerous", operations: ["GET /users"] },
    ],
  },
  {
    name: "valid: a response property deprecated with a far sunset",
    before: spec(),
    after: spec("", "", "", ', deprecated: true, x-sunset: "2026-12-01"'),
    ids: /property/,
    options: POLICY,
    expected: [
      { rule: "response-property-deprecated-with-sunset", path: `${USERS}/responses/200/content/application~1json/schema/properties/nick`, old: "old.yaml:18:19", new: "new.yaml:18:19", severity: "safe", operations: ["GET /users"] },
    ],
  },
  {
    name: "a response property whose stability decreased",
    before: spec(),
    after: spec("", "", "", ", x-stability-level: beta"),
    ids: /property/,
    expected: [
      { rule: "response-property-stability-decreased", path: `${USERS}/responses/200/content/application~1json/schema/properties/nick`, old: "old.yaml:18:19", new: "new.yaml:18:19", severity: "breaking", operations: ["GET /users"] },
    ],
  },
];

describe("openapi lifecycle rules (deprecation, sunset, stability)", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
