import { describe, expect, test } from "bun:test";
import { findings, yaml, type Brief } from "../helpers.ts";

/** Two operations on /users/{id}; `get` carries the given extra lines (deprecation, stability). */
const spec = (getExtra: string, withDelete = true, extraPath = "") => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users/{id}:
      get:
        operationId: getUser${getExtra}
        responses: { "200": { description: ok } }${withDelete ? '\n    delete:\n      responses: { "204": { description: gone } }' : ""}${extraPath}
`;

const NOW = new Date("2026-06-01T00:00:00Z");

const cases: Array<{ name: string; before: string; after: string; ids: RegExp; expected: Brief[]; settings?: Record<string, unknown> }> = [
  {
    name: "removing an operation that was never deprecated is breaking",
    before: spec(""),
    after: spec("", false),
    ids: /removed/,
    expected: [{ rule: "api-removed-without-deprecation", path: "/paths/~1users~1{id}/delete", old: "old.yaml:8:5", new: "new.yaml:4:3", severity: "breaking" }],
  },
  {
    name: "removing a deprecated operation after its sunset is judged as a removal; the deprecation is recorded for policy to soften",
    before: spec("\n      deprecated: true\n      x-sunset: \"2026-01-01\""),
    after: yaml`
      openapi: 3.0.3
      info: { title: users, version: "1.0.0" }
      paths:
        /users/{id}:
          delete:
            responses: { "204": { description: gone } }
    `,
    ids: /removed/,
    expected: [{ rule: "api-removed-with-deprecation", path: "/paths/~1users~1{id}/get", old: "old.yaml:5:5", new: "new.yaml:4:3", severity: "breaking" }],
  },
  {
    name: "removing a deprecated operation before its sunset date is breaking",
    before: spec("\n      deprecated: true\n      x-sunset: \"2027-01-01\""),
    after: yaml`
      openapi: 3.0.3
      info: { title: users, version: "1.0.0" }
      paths:
        /users/{id}:
          delete:
            responses: { "204": { description: gone } }
    `,
    ids: /removed/,
    expected: [{ rule: "api-removed-before-sunset", path: "/paths/~1users~1{id}/get", old: "old.yaml:5:5", new: "new.yaml:4:3", severity: "breaking" }],
  },
  {
    name: "removing a whole path reports each of its operations",
    before: spec("", false, "\n  /health:\n    get:\n      responses: { \"200\": { description: ok } }"),
    after: spec("", false),
    ids: /removed/,
    expected: [{ rule: "api-path-removed-without-deprecation", path: "/paths/~1health/get", old: "old.yaml:9:5", severity: "breaking" }],
  },
  {
    name: "a renamed path parameter is not a removed path",
    before: spec(""),
    after: spec("").replace("/users/{id}", "/users/{userId}"),
    ids: /^(?!api-(major-)?version)/,
    expected: [],
  },
  {
    name: "a new endpoint is a safe addition",
    before: spec("", false),
    after: spec(""),
    ids: /added/,
    expected: [{ rule: "endpoint-added", path: "/paths/~1users~1{id}/delete", new: "new.yaml:8:5", severity: "safe" }],
  },
  {
    name: "deprecating an endpoint with a sunset date is informational",
    before: spec(""),
    after: spec("\n      deprecated: true\n      x-sunset: \"2027-01-01\""),
    ids: /deprecat|sunset/,
    expected: [{ rule: "endpoint-deprecated-with-sunset", path: "/paths/~1users~1{id}/get", old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe" }],
  },
  {
    name: "with a deprecation policy, deprecating without a sunset date is breaking",
    before: spec(""),
    after: spec("\n      deprecated: true"),
    ids: /deprecat|sunset/,
    settings: { "deprecation-days": 30 },
    expected: [{ rule: "api-deprecated-sunset-missing", path: "/paths/~1users~1{id}/get", old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking" }],
  },
  {
    name: "lowering the stability level of an endpoint is breaking",
    before: spec("\n      x-stability-level: stable"),
    after: spec("\n      x-stability-level: beta"),
    ids: /stability/,
    expected: [{ rule: "api-stability-decreased", path: "/paths/~1users~1{id}/get", old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "breaking" }],
  },
  {
    name: "breaking changes to alpha endpoints are not reported",
    before: spec("\n      x-stability-level: alpha\n      parameters: [{ in: query, name: q, schema: { type: string } }]"),
    after: spec("\n      x-stability-level: alpha"),
    ids: /^(?!api-(major-)?version)/,
    expected: [],
  },
  {
    name: "a changed operation id is reported as removed and added",
    before: spec(""),
    after: spec("").replace("getUser", "fetchUser"),
    ids: /operation-id/,
    expected: [
      { rule: "api-operation-id-removed", path: "/paths/~1users~1{id}/get/operationId", old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe" },
      { rule: "api-operation-id-added", path: "/paths/~1users~1{id}/get/operationId", old: "old.yaml:5:5", new: "new.yaml:5:5", severity: "safe" },
    ],
  },
  {
    name: "a breaking change without a major version bump is left to the gate's version rule",
    before: spec(""),
    after: spec("", false).replace('version: "1.0.0"', 'version: "1.1.0"'),
    ids: /version/,
    expected: [],
  },
  {
    name: "policy.openapi.levels overrides a rule's level, and NONE turns it off",
    before: spec("", false, "\n  /health:\n    get:\n      responses: { \"200\": { description: ok } }"),
    after: spec(""),
    ids: /removed|added/,
    settings: { levels: { "api-path-removed-without-deprecation": "WARN", "endpoint-added": "NONE" } },
    expected: [{ rule: "api-path-removed-without-deprecation", path: "/paths/~1health/get", old: "old.yaml:9:5", severity: "dangerous" }],
  },
];

describe("openapi operation rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findings(c.before, c.after, c.ids, { settings: { now: NOW, ...c.settings } })).toEqual(c.expected);
    });
  }
});
