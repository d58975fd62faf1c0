import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, yaml, type Case } from "../helpers.ts";

/** `POST /users` with a JSON body object: `required` on line 11, properties from line 13. */
const spec = (props: string, required = "") => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users:
      post:
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [${required}]
                properties:
${indent(props, 18)}
        responses:
          "201": { description: created }
`;

const OP = "POST /users";
const BODY = "/paths/~1users/post/requestBody/content/application~1json/schema";
const PROP = `${BODY}/properties`;

export const cases: Case[] = [
  {
    name: "a narrowed enum rejects a value clients send",
    before: spec("role: { type: string, enum: [admin, user] }"),
    after: spec("role: { type: string, enum: [admin] }"),
    ids: /enum/,
    expected: [],
  },
  {
    name: "valid: a widened enum accepts everything it accepted",
    before: spec("role: { type: string, enum: [admin] }"),
    after: spec("role: { type: string, enum: [admin, user] }"),
    ids: /./,
    expected: [],
  },
  {
    name: "a tightened maxLength rejects values that were valid",
    before: spec("name: { type: string, maxLength: 20 }"),
    after: spec("name: { type: string, maxLength: 10 }"),
    ids: /length/,
    expected: [],
  },
  {
    name: "valid: a relaxed maxLength",
    before: spec("name: { type: string, maxLength: 10 }"),
    after: spec("name: { type: string, maxLength: 20 }"),
    ids: /./,
    expected: [],
  },
  {
    name: "a new pattern rejects values that do not match it",
    before: spec("name: { type: string }"),
    after: spec("name: { type: string, pattern: '^[a-z]+$' }"),
    ids: /pattern/,
    expected: [],
  },
  {
    name: "a new required property breaks clients that do not send it; a new optional one is safe",
    before: spec("name: { type: string }", "name"),
    after: spec("name: { type: string }\nemail: { type: string }\nnick: { type: string }", "name, email"),
    ids: /property/,
    expected: [],
  },
  {
    name: "an existing property that became required",
    before: spec("name: { type: string }\nemail: { type: string }", "name"),
    after: spec("name: { type: string }\nemail: { type: string }", "name, email"),
    ids: /required|optional/,
    expected: [],
  },
  {
    name: "a type change rejects every old value",
    before: spec("age: { type: string }"),
    after: spec("age: { type: integer }"),
    ids: /type/,
    expected: [],
  },
  {
    name: "valid: integer widened to number",
    before: spec("age: { type: integer }"),
    after: spec("age: { type: number }"),
    ids: /./,
    expected: [],
  },
  {
    name: "a property that is no longer nullable rejects null",
    before: spec("nick: { type: string, nullable: true }"),
    after: spec("nick: { type: string }"),
    ids: /nullable/,
    expected: [],
  },
  {
    name: "a removed oneOf branch rejects the shapes it matched",
    before: spec("id:\n  oneOf:\n    - { type: string, format: uuid }\n    - { type: integer }"),
    after: spec("id:\n  oneOf:\n    - { type: string, format: uuid }"),
    ids: /of-/,
    expected: [],
  },
  {
    name: "valid: a new anyOf branch accepts more",
    before: spec("id:\n  anyOf:\n    - { type: string, format: uuid }"),
    after: spec("id:\n  anyOf:\n    - { type: string, format: uuid }\n    - { type: integer }"),
    ids: /./,
    expected: [],
  },
  {
    name: "additionalProperties closed to false",
    before: spec("tags: { type: object, additionalProperties: true }"),
    after: spec("tags: { type: object, additionalProperties: false }"),
    ids: /./,
    expected: [],
  },
  {
    name: "the schema of additional properties narrowed its type",
    before: spec("tags: { type: object, additionalProperties: { type: string } }"),
    after: spec("tags: { type: object, additionalProperties: { type: integer } }"),
    ids: /type/,
    expected: [],
  },
];

describe("openapi request schema rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids)).toEqual(c.expected);
    });
  }
});
