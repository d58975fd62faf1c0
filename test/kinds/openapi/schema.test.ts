import { describe, expect, test } from "bun:test";
import { findings, yaml, type Brief } from "./helpers.ts";

const indent = (text: string, n: number) =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

/** A spec with the given request body properties (line 12 on) and `User` response properties (after the request ones). */
const spec = (requestProps: string, responseProps: string) => yaml`
  openapi: 3.0.3
  info: { title: users, version: "1.0.0" }
  paths:
    /users/{id}:
      put:
        requestBody:
          content:
            application/json:
              schema:
                type: object
                properties:
${indent(requestProps, 16)}
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema:
                  $ref: "#/components/schemas/User"
  components:
    schemas:
      User:
        type: object
        properties:
${indent(responseProps, 8)}
`;

// Request properties start at line 12 and, with one request property, response properties at line 25.
const P = "/paths/~1users~1{id}/put";
const REQ = `${P}/requestBody/content/application~1json/schema/properties`;
/** The response schema is the shared User component: its changes are reported there. */
const RES = "/components/schemas/User/properties";

interface Case {
  name: string;
  before: [string, string];
  after: [string, string];
  ids: RegExp;
  expected: Brief[];
}

const cases: Case[] = [
  {
    name: "a narrowed request enum breaks clients that send the removed value",
    before: ["role: { type: string, enum: [admin, user] }", "id: { type: string }"],
    after: ["role: { type: string, enum: [admin] }", "id: { type: string }"],
    ids: /enum/,
    expected: [{ rule: "request-property-enum-value-removed", path: `${REQ}/role`, old: "old.yaml:12:39", new: "new.yaml:12:39", severity: "breaking" }],
  },
  {
    name: "a new response enum value is dangerous for clients that switch over the values",
    before: ["name: { type: string }", "role: { type: string, enum: [admin] }"],
    after: ["name: { type: string }", "role: { type: string, enum: [admin, guest] }"],
    ids: /enum/,
    expected: [{ rule: "response-property-enum-value-added", path: `${RES}/role`, old: "old.yaml:25:31", new: "new.yaml:25:31", severity: "dangerous" }],
  },
  {
    name: "a tightened maxLength in a request rejects values that were valid",
    before: ["name: { type: string, maxLength: 20 }", "id: { type: string }"],
    after: ["name: { type: string, maxLength: 10 }", "id: { type: string }"],
    ids: /max-length/,
    expected: [{ rule: "request-property-max-length-decreased", path: `${REQ}/name`, old: "old.yaml:12:39", new: "new.yaml:12:39", severity: "breaking" }],
  },
  {
    name: "a new pattern on a request property is breaking",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string, pattern: '^[a-z]+$' }", "id: { type: string }"],
    ids: /pattern/,
    expected: [{ rule: "request-property-pattern-added", path: `${REQ}/name`, old: "old.yaml:12:17", new: "new.yaml:12:39", severity: "breaking" }],
  },
  {
    name: "a removed response property of a shared component is reported at the component",
    before: ["name: { type: string }", "id: { type: string }\nemail: { type: string }"],
    after: ["name: { type: string }", "id: { type: string }"],
    ids: /property-removed/,
    expected: [{ rule: "response-optional-property-removed", path: `${RES}/email`, old: "old.yaml:26:9", new: "new.yaml:22:5", severity: "dangerous" }],
  },
  {
    name: "a response property type change is breaking",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string }", "id: { type: integer }"],
    ids: /type/,
    expected: [{ rule: "response-property-type-changed", path: `${RES}/id`, old: "old.yaml:25:15", new: "new.yaml:25:15", severity: "breaking" }],
  },
  {
    name: "a response property that became nullable (3.0 nullable) is breaking",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string }", "id: { type: string, nullable: true }"],
    ids: /nullable/,
    expected: [{ rule: "response-property-became-nullable", path: `${RES}/id`, old: "old.yaml:25:9", new: "new.yaml:25:9", severity: "breaking" }],
  },
  {
    name: "a request property that became nullable is safe",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string, nullable: true }", "id: { type: string }"],
    ids: /nullable/,
    expected: [{ rule: "request-property-became-nullable", path: `${REQ}/name`, old: "old.yaml:12:17", new: "new.yaml:12:17", severity: "safe" }],
  },
  {
    name: "a new optional response property is a safe addition",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string }", "id: { type: string }\nemail: { type: string }"],
    ids: /property-added/,
    expected: [{ rule: "response-optional-property-added", path: `${RES}/email`, new: "new.yaml:26:9", severity: "safe" }],
  },
  {
    name: "a read-only property added as required to a request schema is not sent by clients",
    before: ["name: { type: string }", "id: { type: string }"],
    after: ["name: { type: string }\nid: { type: string, readOnly: true }", "id: { type: string }"],
    ids: /request-property|new-/,
    expected: [],
  },
];

describe("openapi schema rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const got = await findings(spec(...c.before), spec(...c.after), c.ids);
      expect(got).toEqual(c.expected);
    });
  }
});

describe("openapi schema composition", () => {
  const composed = (baseProps: string, refactored = false) => yaml`
    openapi: 3.0.3
    info: { title: pets, version: "1.0.0" }
    paths:
      /pets:
        get:
          responses:
            "200":
              description: ok
              content:
                application/json:
                  schema: { $ref: "#/components/schemas/Pet" }
    components:
      schemas:
        Base:
          type: object
          required: [id]
          properties:
${baseProps}
        Pet:
${refactored ? "          type: object\n          required: [id]\n          properties:\n" + baseProps.replace(/^ {12}/gm, "            ") + "\n            name: { type: string }" : "          allOf:\n            - $ref: \"#/components/schemas/Base\"\n            - type: object\n              properties:\n                name: { type: string }"}
  `;
  const props = "            id: { type: string }\n            tag: { type: string }";

  test("a property removed from a component used as an allOf member is reported once, at the component", async () => {
    const got = await findings(composed(props), composed("            id: { type: string }"), /property/);
    expect(got).toEqual([
      {
        rule: "response-optional-property-removed",
        path: "/components/schemas/Base/properties/tag",
        old: "old.yaml:19:13",
        new: "new.yaml:19:5",
        severity: "dangerous",
      },
    ]);
  });

  test("inlining an allOf into one object with the same properties changes nothing for clients", async () => {
    const got = await findings(composed(props), composed(props, true), /property|required|type/);
    expect(got).toEqual([]);
  });
});

describe("openapi refactors that change nothing for clients", () => {
  const spec = (schema: string, components: string) => yaml`
    openapi: 3.1.0
    info: { title: pets, version: "1.0.0" }
    paths:
      /pets:
        post:
          requestBody:
            content:
              application/json:
                schema: ${schema}
          responses: { "201": { description: created } }
    components:
      schemas:
${components}
  `;
  const cat = "        Cat: { type: object, properties: { meow: { type: boolean } } }";
  const dog = (name: string) => `        ${name}: { type: object, properties: { bark: { type: boolean } } }`;

  test("an inline schema moved to a component, and a component renamed, report no schema change", async () => {
    const before = spec("{ type: object, properties: { name: { type: string } } }", cat);
    const after = spec('{ $ref: "#/components/schemas/NewPet" }', `${cat}\n        NewPet: { type: object, properties: { name: { type: string } } }`);
    expect(await findings(before, after, /^(request|new)-/)).toEqual([]);
  });

  test("a oneOf branch whose component was renamed still matches it", async () => {
    const before = spec('{ oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }] }', `${cat}\n${dog("Dog")}`);
    const after = spec('{ oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Hound" }] }', `${cat}\n${dog("Hound")}`);
    expect(await findings(before, after, /one-of/)).toEqual([]);
  });
});
