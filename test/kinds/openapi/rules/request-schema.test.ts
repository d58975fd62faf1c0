import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

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

const BODY = "/paths/~1users/post/requestBody/content/application~1json/schema";
const PROP = `${BODY}/properties`;

export const cases: Case[] = [
  {
    name: "a narrowed enum rejects a value clients send",
    before: spec("role: { type: string, enum: [admin, user] }"),
    after: spec("role: { type: string, enum: [admin] }"),
    ids: /enum/,
    expected: [
      { rule: "request-property-enum-value-removed", path: `${PROP}/role`, old: "old.yaml:13:41", new: "new.yaml:13:41", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "valid: a widened enum accepts everything it accepted",
    before: spec("role: { type: string, enum: [admin] }"),
    after: spec("role: { type: string, enum: [admin, user] }"),
    ids: /enum/,
    expected: [
      { rule: "request-property-enum-value-added", path: `${PROP}/role`, old: "old.yaml:13:41", new: "new.yaml:13:41", severity: "safe", operations: ["POST /users"] },
    ],
  },
  {
    name: "a tightened maxLength rejects values that were valid",
    before: spec("name: { type: string, maxLength: 20 }"),
    after: spec("name: { type: string, maxLength: 10 }"),
    ids: /length/,
    expected: [
      { rule: "request-property-max-length-decreased", path: `${PROP}/name`, old: "old.yaml:13:41", new: "new.yaml:13:41", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "valid: a relaxed maxLength",
    before: spec("name: { type: string, maxLength: 10 }"),
    after: spec("name: { type: string, maxLength: 20 }"),
    ids: /length/,
    expected: [
      { rule: "request-property-max-length-increased", path: `${PROP}/name`, old: "old.yaml:13:41", new: "new.yaml:13:41", severity: "safe", operations: ["POST /users"] },
    ],
  },
  {
    name: "a new pattern rejects values that do not match it",
    before: spec("name: { type: string }"),
    after: spec("name: { type: string, pattern: '^[a-z]+$' }"),
    ids: /pattern/,
    expected: [
      { rule: "request-property-pattern-added", path: `${PROP}/name`, old: "old.yaml:13:19", new: "new.yaml:13:41", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "a new required property breaks clients that do not send it; a new optional one is safe",
    before: spec("name: { type: string }", "name"),
    after: spec("name: { type: string }\nemail: { type: string }\nnick: { type: string }", "name, email"),
    ids: /property/,
    expected: [
      { rule: "new-required-request-property", path: `${PROP}/email`, new: "new.yaml:14:19", severity: "breaking", operations: ["POST /users"] },
      { rule: "new-optional-request-property", path: `${PROP}/nick`, new: "new.yaml:15:19", severity: "safe", operations: ["POST /users"] },
    ],
  },
  {
    name: "an existing property that became required",
    before: spec("name: { type: string }\nemail: { type: string }", "name"),
    after: spec("name: { type: string }\nemail: { type: string }", "name, email"),
    ids: /required|optional/,
    expected: [
      { rule: "request-property-became-required", path: `${PROP}/email`, old: "old.yaml:14:19", new: "new.yaml:14:19", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "a type change rejects every old value",
    before: spec("age: { type: string }"),
    after: spec("age: { type: integer }"),
    ids: /type/,
    expected: [
      { rule: "request-property-type-changed", path: `${PROP}/age`, old: "old.yaml:13:26", new: "new.yaml:13:26", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "valid: integer widened to number",
    before: spec("age: { type: integer }"),
    after: spec("age: { type: number }"),
    ids: /type/,
    expected: [
      { rule: "request-property-type-generalized", path: `${PROP}/age`, old: "old.yaml:13:26", new: "new.yaml:13:26", severity: "safe", operations: ["POST /users"] },
    ],
  },
  {
    name: "a property that is no longer nullable rejects null",
    before: spec("nick: { type: string, nullable: true }"),
    after: spec("nick: { type: string }"),
    ids: /nullable/,
    expected: [
      { rule: "request-property-became-not-nullable", path: `${PROP}/nick`, old: "old.yaml:13:19", new: "new.yaml:13:19", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "a removed oneOf branch rejects the shapes it matched",
    // Each branch requires its property, so a body that matched only the removed one is now rejected.
    before: spec("pet:\n  oneOf:\n    - { type: object, required: [bark], properties: { bark: { type: boolean } } }\n    - { type: object, required: [meow], properties: { meow: { type: boolean } } }"),
    after: spec("pet:\n  oneOf:\n    - { type: object, required: [bark], properties: { bark: { type: boolean } } }"),
    ids: /of-/,
    expected: [
      { rule: "request-property-one-of-removed", path: `${PROP}/pet/oneOf/{meow}`, old: "old.yaml:16:25", new: "new.yaml:14:21", severity: "breaking", operations: ["POST /users"] },
    ],
  },
  {
    name: "valid: a new anyOf branch accepts more",
    before: spec("pet:\n  anyOf:\n    - { type: object, properties: { bark: { type: boolean } } }"),
    after: spec("pet:\n  anyOf:\n    - { type: object, properties: { bark: { type: boolean } } }\n    - { type: object, properties: { meow: { type: boolean } } }"),
    ids: /of-/,
    expected: [
      { rule: "request-property-any-of-added", path: `${PROP}/pet/anyOf/{meow}`, old: "old.yaml:14:21", new: "new.yaml:16:25", severity: "safe", operations: ["POST /users"] },
    ],
  },
  {
    // oasdiff has no id for closing a schema, so neither does comms: clients that only send declared
    // properties are unaffected, and the catalogue stays oasdiff's vocabulary.
    name: "valid: additionalProperties closed to false reports nothing",
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
    expected: [
      { rule: "request-property-type-changed", path: `${PROP}/tags/additionalProperties`, old: "old.yaml:13:65", new: "new.yaml:13:65", severity: "breaking", operations: ["POST /users"] },
    ],
  },
];

/** `PUT /users` accepting the given request media types (one a line, from line 8). */
const media = (types: string) => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users:
      put:
        requestBody:
          content:
${indent(types, 12)}
        responses:
          "204": { description: done }
`;
const CONTENT = "/paths/~1users/put/requestBody/content";

export const mediaCases: Case[] = [
  {
    name: "a removed request media type is rejected with 415",
    before: media("application/json: { schema: { type: object } }\napplication/xml: { schema: { type: object } }"),
    after: media("application/json: { schema: { type: object } }"),
    ids: /media-type/,
    expected: [
      { rule: "request-body-media-type-removed", path: `${CONTENT}/application~1xml`, old: "old.yaml:9:13", new: "new.yaml:6:7", severity: "breaking", operations: ["PUT /users"] },
    ],
  },
  {
    name: "valid: a UTF-8 charset added to JSON names the same content (RFC 8259)",
    before: media("application/json: { schema: { type: object } }"),
    after: media('"application/json; charset=utf-8": { schema: { type: object } }'),
    ids: /media-type/,
    expected: [],
  },
  {
    name: "a JSON media type that gained a charset still has its schema compared",
    before: media("application/json: { schema: { type: object, properties: { a: { type: string } } } }"),
    after: media('"application/json; charset=UTF-8": { schema: { type: object, properties: { a: { type: integer } } } }'),
    ids: /media-type|type/,
    expected: [
      { rule: "request-property-type-changed", path: `${CONTENT}/application~1json; charset=UTF-8/schema/properties/a`, old: "old.yaml:8:76", new: "new.yaml:8:93", severity: "breaking", operations: ["PUT /users"] },
    ],
  },
  {
    name: "a charset added to a text media type is a different media type",
    before: media("text/plain: { schema: { type: string } }"),
    after: media('"text/plain; charset=utf-16": { schema: { type: string } }'),
    ids: /media-type/,
    expected: [
      { rule: "request-body-media-type-removed", path: `${CONTENT}/text~1plain`, old: "old.yaml:8:13", new: "new.yaml:6:7", severity: "breaking", operations: ["PUT /users"] },
      { rule: "request-body-media-type-added", path: `${CONTENT}/text~1plain; charset=utf-16`, new: "new.yaml:8:13", severity: "safe", operations: ["PUT /users"] },
    ],
  },
];

describe("openapi request media types", () => {
  for (const c of mediaCases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after)).toEqual([]);
    });
  }
});

describe("openapi request schema rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after)).toEqual([]);
    });
  }
});
