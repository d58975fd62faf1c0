import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

/**
 * Two operations returning the shared `User` component (`GET /users` through an array, `GET /users/{id}`
 * directly): `required` of User on line 27, its properties from line 29, `extra` components after them.
 */
const spec = (props: string, required = "id", extra = "") => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users:
      get:
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema:
                  type: array
                  items: { $ref: "#/components/schemas/User" }
    /users/{id}:
      get:
        parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema: { $ref: "#/components/schemas/User" }
  components:
    schemas:
      User:
        type: object
        required: [${required}]
        properties:
${indent(props, 8)}
${indent(extra, 4)}
`;

const ID = "id: { type: string }";
/** Changes inside the shared component are reported once, at the component. */
const USER = "/components/schemas/User/properties";

export const cases: Case[] = [
  {
    name: "a removed required property of a shared component is reported once at the component, listing every operation returning it",
    before: spec(`${ID}\nname: { type: string }`, "id, name"),
    after: spec(ID, "id"),
    ids: /removed/,
    expected: [
      { rule: "response-required-property-removed", path: `${USER}/name`, old: "old.yaml:30:9", new: "new.yaml:25:5", severity: "breaking", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "a property type change breaks parsing clients",
    before: spec(`${ID}\nage: { type: integer }`),
    after: spec(`${ID}\nage: { type: string }`),
    ids: /type/,
    expected: [
      { rule: "response-property-type-changed", path: `${USER}/age`, old: "old.yaml:30:16", new: "new.yaml:30:16", severity: "breaking", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "a new enum value is dangerous for clients that switch over the values",
    before: spec(`${ID}\nstatus: { type: string, enum: [active, banned] }`),
    after: spec(`${ID}\nstatus: { type: string, enum: [active, banned, pending] }`),
    ids: /enum/,
    expected: [
      { rule: "response-property-enum-value-added", path: `${USER}/status`, old: "old.yaml:30:33", new: "new.yaml:30:33", severity: "dangerous", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "valid: a removed enum value is never returned again, which old clients handle",
    before: spec(`${ID}\nstatus: { type: string, enum: [active, banned] }`),
    after: spec(`${ID}\nstatus: { type: string, enum: [active] }`),
    ids: /enum/,
    expected: [
      { rule: "response-property-enum-value-removed", path: `${USER}/status`, old: "old.yaml:30:33", new: "new.yaml:30:33", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "a property that became nullable may return null to clients that do not expect it",
    before: spec(`${ID}\nnick: { type: string }`),
    after: spec(`${ID}\nnick: { type: string, nullable: true }`),
    ids: /nullable/,
    expected: [
      { rule: "response-property-became-nullable", path: `${USER}/nick`, old: "old.yaml:30:9", new: "new.yaml:30:9", severity: "breaking", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "a required property that became optional may be missing",
    before: spec(`${ID}\nname: { type: string }`, "id, name"),
    after: spec(`${ID}\nname: { type: string }`, "id"),
    ids: /optional|required/,
    expected: [
      { rule: "response-property-became-optional", path: `${USER}/name`, old: "old.yaml:30:9", new: "new.yaml:30:9", severity: "breaking", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "valid: a new optional property and an optional property made required",
    before: spec(`${ID}\nname: { type: string }`),
    after: spec(`${ID}\nname: { type: string }\nemail: { type: string }`, "id, name"),
    ids: /property/,
    expected: [
      { rule: "response-property-became-required", path: `${USER}/name`, old: "old.yaml:30:9", new: "new.yaml:30:9", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
      { rule: "response-optional-property-added", path: `${USER}/email`, new: "new.yaml:31:9", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "valid: a required property that became write-only is informational (oasdiff's level)",
    before: spec(`${ID}\nsecret: { type: string }`, "id, secret"),
    after: spec(`${ID}\nsecret: { type: string, writeOnly: true }`, "id, secret"),
    ids: /only/,
    expected: [
      { rule: "response-required-property-became-write-only", path: `${USER}/secret`, old: "old.yaml:30:9", new: "new.yaml:30:9", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "valid: a property that became read-only is still returned",
    before: spec(`${ID}\ncreated: { type: string }`),
    after: spec(`${ID}\ncreated: { type: string, readOnly: true }`),
    ids: /only/,
    expected: [
      { rule: "response-optional-property-became-read-only", path: `${USER}/created`, old: "old.yaml:30:9", new: "new.yaml:30:9", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
  {
    name: "valid: a renamed discriminator property is informational",
    before: spec(`${ID}\npet: { $ref: "#/components/schemas/Pet" }`, "id", 'Pet:\n  oneOf: [{ $ref: "#/components/schemas/Cat" }]\n  discriminator: { propertyName: kind }\nCat: { type: object, properties: { kind: { type: string } } }'),
    after: spec(`${ID}\npet: { $ref: "#/components/schemas/Pet" }`, "id", 'Pet:\n  oneOf: [{ $ref: "#/components/schemas/Cat" }]\n  discriminator: { propertyName: type }\nCat: { type: object, properties: { kind: { type: string } } }'),
    ids: /discriminator/,
    expected: [
      // The change is in Pet itself, so it is reported at Pet.
      { rule: "response-property-discriminator-property-name-changed", path: "/components/schemas/Pet", old: "old.yaml:33:7", new: "new.yaml:33:7", severity: "safe", operations: ["GET /users", "GET /users/{id}"] },
    ],
  },
];

describe("openapi response schema rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after)).toEqual([]);
    });
  }
});
