import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, yaml, type Case } from "../helpers.ts";

/**
 * One operation that takes and returns the `Rules` component (a list of rules): `POST /rules`.
 * `Rules` starts on line 21; its `oneOf` on line 23, so the first branch is on line 24.
 */
const rules = (branches: string, extra = "") => yaml`
  openapi: 3.0.3
  info: { title: rules, version: "1.0.0" }
  paths:
    /rules:
      post:
        requestBody:
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Rules" }
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema: { $ref: "#/components/schemas/Rules" }
  components:
    schemas:
      Creation:
        title: creation
        type: object
        properties: { type: { type: string, enum: [creation] } }
      Rules:
        title: Rule
        oneOf:
${indent(branches, 10)}
${indent(extra, 4)}
`;

/** The `max_size` rule written inline (a title, a tag and a bounded parameter). */
const maxSizeInline = (max: number, titled = true) => `
- ${titled ? "title: max_size\n  " : ""}type: object
  required: [type]
  properties:
    type: { type: string, enum: [max_size] }
    max: { type: integer, maximum: ${max} }`.trim();
const maxSizeComponent = (max: number, titled = true) => `
MaxSize:
  ${titled ? "title: max_size\n  " : ""}type: object
  required: [type]
  properties:
    type: { type: string, enum: [max_size] }
    max: { type: integer, maximum: ${max} }`.trim();
const CREATION = '- $ref: "#/components/schemas/Creation"';
const MAX_SIZE = '- $ref: "#/components/schemas/MaxSize"';
const OPS = ["POST /rules"];

/** A response property `owner` of the `App` component, on line 16 of each version. */
const app = (owner: string, extra = "") => yaml`
  openapi: 3.0.3
  info: { title: apps, version: "1.0.0" }
  paths:
    /app:
      get:
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema: { $ref: "#/components/schemas/App" }
  components:
    schemas:
      App:
        type: object
        properties:
          owner: ${owner}
      User: { type: object, required: [login, id], properties: { login: { type: string }, id: { type: integer } } }
      Bot: { type: object, required: [login, id], properties: { login: { type: string }, id: { type: integer }, app: { type: string } } }
      Enterprise: { type: object, required: [slug], properties: { slug: { type: string } } }
${indent(extra, 4)}
`;

/** A request body written as given, `PUT /restrictions/users`, schema on line 9. */
const restrictions = (schema: string) => yaml`
  openapi: 3.0.3
  info: { title: protection, version: "1.0.0" }
  paths:
    /restrictions/users:
      put:
        requestBody:
          content:
            application/json:
              schema:
${indent(schema, 16)}
        responses:
          "200": { description: ok }
`;
const USERS = `
type: object
properties:
  users: { type: array, items: { type: string } }
required: [users]`.trim();

/** A response whose `status` property takes the given schema: `GET /job`, property on line 14. */
const job = (status: string, extra = "") => yaml`
  openapi: 3.0.3
  info: { title: jobs, version: "1.0.0" }
  paths:
    /job:
      get:
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    status: ${status}
${extra}
`;
const JOB = "/paths/~1job/get/responses/200/content/application~1json/schema/properties/status";
const STATES = `components:
  schemas:
    Done: { type: object, required: [state], properties: { state: { type: string, enum: [done] } } }
    Queued: { type: object, required: [state], properties: { state: { type: string, enum: [queued] } } }
    Failed: { type: object, required: [state], properties: { state: { type: string, enum: [failed] } } }`;

const cases: Case[] = [
  {
    name: "an inline titled branch moved to a component with the same title and schema is neither removed nor added",
    before: rules(`${CREATION}\n${maxSizeInline(256)}`),
    after: rules(`${CREATION}\n${MAX_SIZE}`, maxSizeComponent(256)),
    ids: /one-of|max/,
    expected: [],
  },
  {
    name: "a moved branch is compared with its component: its real change is itemised where the branch is",
    before: rules(`${CREATION}\n${maxSizeInline(256)}`),
    after: rules(`${CREATION}\n${MAX_SIZE}`, maxSizeComponent(32767)),
    ids: /one-of|max/,
    expected: [
      {
        rule: "request-property-max-increased",
        path: "/components/schemas/Rules/oneOf/MaxSize/properties/max",
        old: "old.yaml:31:37",
        new: "new.yaml:33:31",
        severity: "safe",
        operations: OPS,
      },
      {
        rule: "response-property-max-increased",
        path: "/components/schemas/Rules/oneOf/MaxSize/properties/max",
        old: "old.yaml:31:37",
        new: "new.yaml:33:31",
        severity: "breaking",
        operations: OPS,
      },
    ],
  },
  {
    name: "without titles, a moved branch is paired by the value that tags it (type: max_size)",
    before: rules(`${CREATION}\n${maxSizeInline(256, false)}`),
    after: rules(`${CREATION}\n${MAX_SIZE}`, maxSizeComponent(256, false)),
    ids: /one-of/,
    expected: [],
  },
  {
    name: "a component branch written back inline is paired alike",
    before: rules(`${CREATION}\n${MAX_SIZE}`, maxSizeComponent(256)),
    after: rules(`${CREATION}\n${maxSizeInline(256)}`),
    ids: /one-of/,
    expected: [],
  },
  {
    name: "a branch of another title is still a removal and an addition",
    before: rules(`${CREATION}\n${maxSizeInline(256)}`),
    after: rules(`${CREATION}\n- title: min_size\n  type: object\n  properties: { type: { type: string, enum: [min_size] } }`),
    ids: /one-of/,
    expected: [
      { rule: "request-body-one-of-removed", path: "/components/schemas/Rules/oneOf/max_size", old: "old.yaml:26:13", new: "new.yaml:24:7", severity: "breaking", operations: OPS },
      { rule: "request-body-one-of-added", path: "/components/schemas/Rules/oneOf/min_size", old: "old.yaml:24:7", new: "new.yaml:26:13", severity: "safe", operations: OPS },
      { rule: "response-body-one-of-removed", path: "/components/schemas/Rules/oneOf/max_size", old: "old.yaml:26:13", new: "new.yaml:24:7", severity: "safe", operations: OPS },
      { rule: "response-body-one-of-added", path: "/components/schemas/Rules/oneOf/min_size", old: "old.yaml:24:7", new: "new.yaml:26:13", severity: "dangerous", operations: OPS },
    ],
  },
  {
    name: "a one-branch oneOf now pointing to a renamed component is that component: its changes inside are itemised",
    before: app(`{ description: the owner, oneOf: [{ $ref: "#/components/schemas/OwnerV1" }] }`, "OwnerV1: { type: object, properties: { name: { type: string } } }"),
    after: app(`{ description: the owner, oneOf: [{ $ref: "#/components/schemas/OwnerV2" }] }`, "OwnerV2: { type: object, properties: { name: { type: string, nullable: true }, email: { type: string } } }"),
    ids: /./,
    expected: [
      { rule: "api-schema-removed", path: "/components/schemas/OwnerV1", old: "old.yaml:21:5", severity: "safe" },
      { rule: "response-property-became-nullable", path: "/components/schemas/OwnerV2/properties/name", old: "old.yaml:21:44", new: "new.yaml:21:44", severity: "breaking", operations: ["GET /app"] },
      { rule: "response-optional-property-added", path: "/components/schemas/OwnerV2/properties/email", new: "new.yaml:21:84", severity: "safe", operations: ["GET /app"] },
    ],
  },
  {
    name: "unwrapping a one-branch oneOf into the same object is no change (users was required in every alternative)",
    before: restrictions(`oneOf:\n${indent(`- ${indent(USERS, 2).trim()}`, 2)}`),
    after: restrictions(USERS),
    ids: /./,
    expected: [],
  },
  {
    name: "a one-branch allOf or anyOf is its branch too",
    before: restrictions(`allOf:\n${indent(`- ${indent(USERS, 2).trim()}`, 2)}`),
    after: restrictions(`anyOf:\n${indent(`- ${indent(USERS, 2).trim()}`, 2)}`),
    ids: /./,
    expected: [],
  },
  {
    name: "alternatives merged into one object: a property every alternative required is not a new required property",
    before: restrictions(`oneOf:\n  - { type: object, required: [users], properties: { users: { type: array, items: { type: string } } } }\n  - { type: object, required: [users, teams], properties: { users: { type: array, items: { type: string } }, teams: { type: array, items: { type: string } } } }`),
    after: restrictions(`type: object\nrequired: [users]\nproperties:\n  users: { type: array, items: { type: string } }\n  teams: { type: array, items: { type: string } }`),
    ids: /new-required/,
    expected: [],
  },
  {
    name: "a response property rewritten as a oneOf whose alternatives keep its required properties is dangerous",
    before: app('{ $ref: "#/components/schemas/User" }'),
    after: app('{ oneOf: [{ $ref: "#/components/schemas/User" }, { $ref: "#/components/schemas/Bot" }] }'),
    ids: /one-of|optional/,
    expected: [
      { rule: "response-property-wrapped-in-one-of", path: "/components/schemas/App/properties/owner", old: "old.yaml:18:5", new: "new.yaml:17:18", severity: "dangerous", operations: ["GET /app"] },
    ],
  },
  {
    name: "a response property rewritten as a oneOf with an alternative lacking its required properties is breaking as well",
    before: app('{ $ref: "#/components/schemas/User" }'),
    after: app('{ oneOf: [{ $ref: "#/components/schemas/User" }, { $ref: "#/components/schemas/Enterprise" }] }'),
    ids: /one-of|optional/,
    expected: [
      { rule: "response-property-wrapped-in-one-of", path: "/components/schemas/App/properties/owner", old: "old.yaml:18:5", new: "new.yaml:17:18", severity: "dangerous", operations: ["GET /app"] },
      { rule: "response-property-became-optional", path: "/components/schemas/App/properties/owner/oneOf/Enterprise", old: "old.yaml:18:64", new: "new.yaml:17:65", severity: "breaking", operations: ["GET /app"] },
    ],
  },
  {
    name: "widening a response is dangerous in every spelling: a new oneOf alternative",
    before: job('{ oneOf: [{ $ref: "#/components/schemas/Done" }, { $ref: "#/components/schemas/Queued" }] }', STATES),
    after: job('{ oneOf: [{ $ref: "#/components/schemas/Done" }, { $ref: "#/components/schemas/Queued" }, { $ref: "#/components/schemas/Failed" }] }', STATES),
    ids: /one-of|wrapped/,
    expected: [
      { rule: "response-property-one-of-added", path: `${JOB}/oneOf/Failed`, old: "old.yaml:14:29", new: "new.yaml:14:117", severity: "dangerous", operations: ["GET /job"] },
    ],
  },
  {
    name: "widening a response is dangerous in every spelling: a new anyOf alternative",
    before: job("{ anyOf: [{ type: string }, { type: object, properties: { code: { type: integer } } }] }"),
    after: job("{ anyOf: [{ type: string }, { type: object, properties: { code: { type: integer } } }, { type: array, items: { type: string } }] }"),
    ids: /any-of/,
    expected: [
      { rule: "response-property-any-of-added", path: `${JOB}/anyOf/array`, old: "old.yaml:14:29", new: "new.yaml:14:114", severity: "dangerous", operations: ["GET /job"] },
    ],
  },
  {
    name: "widening a response is dangerous in every spelling: a new enum value",
    before: job("{ type: string, enum: [queued, done] }"),
    after: job("{ type: string, enum: [queued, done, failed] }"),
    ids: /enum/,
    expected: [{ rule: "response-property-enum-value-added", path: JOB, old: "old.yaml:14:43", new: "new.yaml:14:43", severity: "dangerous", operations: ["GET /job"] }],
  },
];

describe("openapi alternatives: branches paired by what they accept, one-branch wrappers, widened responses", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
    });
  }
});

describe("openapi: a use that now points to another schema changed where it is written", () => {
  /** `Team.parent` is written on line 17; `TeamSimple` (unchanged in both versions) on line 18. */
  const team = (parent: string) => yaml`
    openapi: 3.0.3
    info: { title: teams, version: "1.0.0" }
    paths:
      /teams:
        get:
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: { $ref: "#/components/schemas/Team" }
    components:
      schemas:
        Team:
          type: object
          properties:
            parent: ${parent}
        TeamSimple: { type: object, required: [id], properties: { id: { type: integer }, name: { type: string } } }
  `;
  test("properties of a component now reached from a property that was inline are reported at the property, not in the unchanged component", async () => {
    const found = await findingsWithOps(team("{ type: object, properties: { name: { type: string } } }"), team('{ $ref: "#/components/schemas/TeamSimple" }'), /./);
    expect(found).toEqual([
      { rule: "response-required-property-added", path: "/components/schemas/Team/properties/parent/properties/id", new: "new.yaml:18:63", severity: "safe", operations: ["GET /teams"] },
    ]);
  });
});

describe("openapi: a request value rewritten as alternatives that still take every old value", () => {
  test("is a widening of its types (safe), neither a wrapping nor a removal", async () => {
    const before = restrictions("type: object\nproperties:\n  labels: { type: array, items: { type: string } }");
    const after = restrictions("type: object\nproperties:\n  labels: { type: array, items: { oneOf: [{ type: string }, { type: object, required: [name], properties: { name: { type: string } } }] } }");
    expect(await findingsWithOps(before, after, /./)).toEqual([
      {
        rule: "request-property-list-of-types-widened",
        path: "/paths/~1restrictions~1users/put/requestBody/content/application~1json/schema/properties/labels/items",
        old: "old.yaml:12:42",
        new: "new.yaml:12:51",
        severity: "safe",
        operations: ["PUT /restrictions/users"],
      },
    ]);
  });
});
