import { describe, expect, test } from "bun:test";
import { findingsWithOps, nonSafe, yaml, type Case } from "../helpers.ts";

/** `info.version` on line 4 and `GET /users` with an optional (or, with `required`, a required) query parameter. */
const spec = (version: string, required = false, param = true) => yaml`
  openapi: 3.0.3
  info:
    title: users
    version: "${version}"
  paths:
    /users:
      get:
        parameters: [${param ? `{ name: q, in: query, required: ${required}, schema: { type: string } }` : ""}]
        responses: { "200": { description: ok } }
`;

const V = "/info/version";

export const cases: Case[] = [
  {
    // Whether the version fits the changes is the gate's single rule (version-not-bumped), not the engine's.
    name: "a breaking change without a major version bump gives no engine finding",
    before: spec("1.2.0"),
    after: spec("1.3.0", true),
    ids: /version/,
    expected: [],
  },
  {
    name: "a breaking change with a major version bump needs no version finding",
    before: spec("1.2.0"),
    after: spec("2.0.0", true),
    ids: /version/,
    expected: [],
  },
  {
    name: "a version that went down",
    before: spec("1.2.0"),
    after: spec("1.1.0"),
    ids: /version/,
    expected: [
      { rule: "api-version-decreased", path: V, old: "old.yaml:4:3", new: "new.yaml:4:3", severity: "safe" },
    ],
  },
  {
    name: "changes without any version bump give no engine finding",
    before: spec("1.2.0"),
    after: spec("1.2.0", false, false),
    ids: /version/,
    expected: [],
  },
  {
    name: "date versions are not read as semver (2024-01-01 and 2024-06-01 are not both 2024.0.0)",
    before: spec("2024-01-01"),
    after: spec("2024-06-01", false, false),
    ids: /version/,
    expected: [],
  },
  {
    name: "valid: no change, no version finding",
    before: spec("1.2.0"),
    after: spec("1.2.0"),
    ids: /./,
    expected: [],
  },
];

describe("openapi versioning rules (info.version against the changes)", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
