import { describe, expect, test } from "bun:test";
import { findings, yaml, type Brief } from "../helpers.ts";

/** Shifts injected lines left by the template's own indentation, which the `yaml` tag removes from literal lines only. */
const d2 = (text: string) => text.replace(/^ {2}/gm, "");

/** `POST /orders` with a request body block and a responses block, each given as YAML lines. */
const spec = (body: string, responses: string) => yaml`
  openapi: 3.1.0
  info: { title: orders, version: "1.0.0" }
  paths:
    /orders:
      post:
${d2(body)}
        responses:
${d2(responses)}
`;

const JSON_BODY = (required = false, types = "application/json: { schema: { type: object } }") =>
  `        requestBody:\n          required: ${required}\n          content:\n            ${types.split("\n").join("\n            ")}`;
const OK = (extra = "") => `          "201":\n            description: created${extra}`;
const OP = "/paths/~1orders/post";

const cases: Array<{ name: string; before: string; after: string; ids: RegExp; expected: Brief[] }> = [
  {
    name: "a request body that became required breaks callers that send none",
    before: spec(JSON_BODY(false), OK()),
    after: spec(JSON_BODY(true), OK()),
    ids: /request-body/,
    expected: [{ rule: "request-body-became-required", path: `${OP}/requestBody`, old: "old.yaml:6:7", new: "new.yaml:6:7", severity: "breaking" }],
  },
  {
    name: "a removed request media type is breaking, an added one is safe",
    before: spec(JSON_BODY(false, "application/json: { schema: { type: object } }\napplication/xml: { schema: { type: object } }"), OK()),
    after: spec(JSON_BODY(false, "application/json: { schema: { type: object } }\ntext/csv: { schema: { type: string } }"), OK()),
    ids: /media-type/,
    expected: [
      { rule: "request-body-media-type-removed", path: `${OP}/requestBody/content/application~1xml`, old: "old.yaml:10:11", new: "new.yaml:6:7", severity: "breaking" },
      { rule: "request-body-media-type-added", path: `${OP}/requestBody/content/text~1csv`, new: "new.yaml:10:11", severity: "safe" },
    ],
  },
  {
    name: "a removed success status is breaking, a new error status is safe",
    before: spec(JSON_BODY(), OK()),
    after: spec(JSON_BODY(), `          "202":\n            description: accepted\n          "409":\n            description: conflict`),
    ids: /status/,
    expected: [
      { rule: "response-success-status-removed", path: `${OP}/responses/201`, old: "old.yaml:11:9", new: "new.yaml:5:5", severity: "breaking" },
      { rule: "response-success-status-added", path: `${OP}/responses/202`, new: "new.yaml:11:9", severity: "safe" },
      { rule: "response-non-success-status-added", path: `${OP}/responses/409`, new: "new.yaml:13:9", severity: "safe" },
    ],
  },
  {
    name: "a removed response media type is breaking",
    before: spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: object } }\n              application/xml: { schema: { type: object } }")),
    after: spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: object } }")),
    ids: /media-type/,
    expected: [{ rule: "response-media-type-removed", path: `${OP}/responses/201/content/application~1xml`, old: "old.yaml:15:13", new: "new.yaml:11:9", severity: "breaking" }],
  },
  {
    name: "a removed required response header is breaking, an optional one dangerous",
    before: spec(JSON_BODY(), OK("\n            headers:\n              Location: { required: true, schema: { type: string } }\n              X-Trace: { schema: { type: string } }")),
    after: spec(JSON_BODY(), OK()),
    ids: /header/,
    expected: [
      { rule: "required-response-header-removed", path: `${OP}/responses/201/headers/Location`, old: "old.yaml:14:13", new: "new.yaml:11:9", severity: "breaking" },
      { rule: "optional-response-header-removed", path: `${OP}/responses/201/headers/X-Trace`, old: "old.yaml:15:13", new: "new.yaml:11:9", severity: "dangerous" },
    ],
  },
  {
    name: "a response body that gained null in its 3.1 type array is breaking",
    before: spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: object } }")),
    after: spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: [object, \"null\"] } }")),
    ids: /nullable/,
    expected: [{ rule: "response-body-became-nullable", path: `${OP}/responses/201/content/application~1json/schema`, old: "old.yaml:14:33", new: "new.yaml:14:33", severity: "breaking" }],
  },
  {
    name: "a new required request property is breaking",
    before: spec(JSON_BODY(false, "application/json:\n  schema:\n    type: object\n    properties:\n      id: { type: string }"), OK()),
    after: spec(JSON_BODY(false, "application/json:\n  schema:\n    type: object\n    required: [qty]\n    properties:\n      id: { type: string }\n      qty: { type: integer }"), OK()),
    ids: /request-property|new-/,
    expected: [{ rule: "new-required-request-property", path: `${OP}/requestBody/content/application~1json/schema/properties/qty`, new: "new.yaml:15:17", severity: "breaking" }],
  },
];

describe("openapi request body and response rules", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findings(c.before, c.after, c.ids)).toEqual(c.expected);
    });
  }
});

describe("openapi status ranges", () => {
  test("a status replaced by the range that covers it is compared with the range, not removed", async () => {
    const before = spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: object, properties: { id: { type: string } } } }"));
    const after = spec(JSON_BODY(), OK("\n            content:\n              application/json: { schema: { type: object, properties: { id: { type: integer } } } }").replace('"201"', '"2XX"'));
    expect(await findings(before, after, /status|type/)).toEqual([
      { rule: "response-property-type-changed", path: `${OP}/responses/2XX/content/application~1json/schema/properties/id`, old: "old.yaml:14:77", new: "new.yaml:14:77", severity: "breaking" },
    ]);
  });
});
