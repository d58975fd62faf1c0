import { describe, expect, test } from "bun:test";
import { findings, yaml, type Brief } from "../helpers.ts";

/** A spec with global security, one operation's security and the given security schemes. */
const spec = (global: string, op: string, schemes: string) => yaml`
  openapi: 3.0.3
  info: { title: s, version: "1" }
  security: ${global}
  paths:
    /a:
      get:
        security: ${op}
        responses: { "200": { description: ok } }
  components:
    schemas:
      A: { type: string }
      B: { type: string }
    securitySchemes:
${schemes}
`;

const OAUTH = (scopes: string) =>
  `      oauth:\n        type: oauth2\n        flows:\n          clientCredentials:\n            tokenUrl: https://auth.example.com/token\n            scopes: ${scopes}`;
const KEY = "      key: { type: apiKey, in: header, name: X-Key }";

const cases: Array<{ name: string; before: string; after: string; ids: RegExp; expected: Brief[] }> = [
  {
    name: "a replaced global requirement and a new scope make existing calls fail: breaking",
    before: spec("[{ key: [] }]", "[{ oauth: [read] }]", `${KEY}\n${OAUTH("{ read: r }")}`),
    after: spec("[{ oauth: [read] }]", "[{ oauth: [read, write] }]", `${KEY}\n${OAUTH("{ read: r, write: w }")}`),
    ids: /security/,
    expected: [
      { rule: "api-global-security-removed", path: "/security", old: "old.yaml:3:1", new: "new.yaml:3:1", severity: "safe" },
      { rule: "api-global-security-added", path: "/security", old: "old.yaml:3:1", new: "new.yaml:3:1", severity: "breaking" },
      { rule: "api-security-scope-added", path: "/paths/~1a/get/security", old: "old.yaml:7:7", new: "new.yaml:7:7", severity: "breaking" },
      { rule: "api-security-component-oauth-scope-added", path: "/components/securitySchemes/oauth", old: "old.yaml:15:7", new: "new.yaml:15:7", severity: "safe" },
    ],
  },
  {
    name: "a requirement on an operation that had none is breaking (calls without credentials fail)",
    before: spec("[]", "[]", KEY),
    after: spec("[]", "[{ key: [] }]", KEY),
    ids: /security-(added|alternative)/,
    expected: [{ rule: "api-security-added", path: "/paths/~1a/get/security", old: "old.yaml:7:7", new: "new.yaml:7:7", severity: "breaking" }],
  },
  {
    name: "a global requirement where there was none is breaking",
    before: spec("[]", "[]", KEY).replace("      security: []\n", ""),
    after: spec("[{ key: [] }]", "[]", KEY).replace("      security: []\n", ""),
    ids: /security-(added|alternative)/,
    expected: [{ rule: "api-global-security-added", path: "/security", old: "old.yaml:3:1", new: "new.yaml:3:1", severity: "breaking" }],
  },
  {
    name: "valid: a new alternative next to the existing requirements only offers another way in",
    before: spec("[{ key: [] }]", "[{ key: [] }]", `${KEY}\n${OAUTH("{ read: r }")}`),
    after: spec("[{ key: [] }, { oauth: [read] }]", "[{ key: [] }, { oauth: [read] }]", `${KEY}\n${OAUTH("{ read: r }")}`),
    ids: /security-(added|alternative)/,
    expected: [
      { rule: "api-global-security-alternative-added", path: "/security", old: "old.yaml:3:1", new: "new.yaml:3:1", severity: "safe" },
      { rule: "api-security-alternative-added", path: "/paths/~1a/get/security", old: "old.yaml:7:7", new: "new.yaml:7:7", severity: "safe" },
    ],
  },
  {
    name: "valid: an operation that now spells out the global requirement changes nothing",
    before: spec("[{ key: [] }]", "[]", KEY).replace("      security: []\n", ""),
    after: spec("[{ key: [] }]", "[{ key: [] }]", KEY),
    ids: /security/,
    expected: [],
  },
  {
    name: "a removed security scheme and a removed component schema are reported",
    before: spec("[]", "[]", `${KEY}\n${OAUTH("{}")}`),
    after: spec("[]", "[]", OAUTH("{}")).replace("    B: { type: string }\n", ""),
    ids: /component-removed|schema-removed/,
    expected: [
      { rule: "api-schema-removed", path: "/components/schemas/B", old: "old.yaml:12:5", severity: "safe" },
      { rule: "api-security-component-removed", path: "/components/securitySchemes/key", old: "old.yaml:14:7", severity: "safe" },
    ],
  },
];

describe("openapi security and component rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findings(c.before, c.after, c.ids)).toEqual(c.expected);
    });
  }
});
