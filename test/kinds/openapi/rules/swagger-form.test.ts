import { describe, expect, test } from "bun:test";
import { findingsWithOps, indent, nonSafe, yaml, type Case } from "../helpers.ts";

/** Swagger 2.0 `POST /upload` taking form fields, one a line from line 9. */
const spec = (fields: string) => yaml`
  swagger: "2.0"
  info: { title: files, version: "1.0.0" }
  paths:
    /upload:
      post:
        consumes: [application/x-www-form-urlencoded]
        parameters:
${indent(fields, 10)}
        responses: { "200": { description: ok } }
`;

const FIELD = "/paths/~1upload/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties";
const TITLE = "- { in: formData, name: title, type: string, required: true }";

/** Form fields are compared as the properties of a form body, and located at the field as written. */
export const cases: Case[] = [
  {
    name: "a form field's maxLength lowered is located at the keyword of that field",
    before: spec(`${TITLE}\n- { in: formData, name: note, type: string, maxLength: 200 }`),
    after: spec(`${TITLE}\n- { in: formData, name: note, type: string, maxLength: 100 }`),
    ids: /length/,
    expected: [
      { rule: "request-property-max-length-decreased", path: `${FIELD}/note`, old: "old.yaml:9:55", new: "new.yaml:9:55", severity: "breaking", operations: ["POST /upload"] },
    ],
  },
  {
    name: "a new required form field is located at the new field",
    before: spec(TITLE),
    after: spec(`${TITLE}\n- { in: formData, name: tag, type: string, required: true }`),
    ids: /property/,
    expected: [
      { rule: "new-required-request-property", path: `${FIELD}/tag`, new: "new.yaml:9:13", severity: "breaking", operations: ["POST /upload"] },
    ],
  },
  {
    name: "a removed form field is located at the old field",
    before: spec(`${TITLE}\n- { in: formData, name: note, type: string }`),
    after: spec(TITLE),
    ids: /property/,
    expected: [
      { rule: "request-property-removed", path: `${FIELD}/note`, old: "old.yaml:9:13", new: "new.yaml:7:7", severity: "dangerous", operations: ["POST /upload"] },
    ],
  },
  {
    name: "valid: a new optional form field",
    before: spec(TITLE),
    after: spec(`${TITLE}\n- { in: formData, name: note, type: string }`),
    ids: /property/,
    expected: [
      { rule: "new-optional-request-property", path: `${FIELD}/note`, new: "new.yaml:9:13", severity: "safe", operations: ["POST /upload"] },
    ],
  },
];

describe("openapi Swagger 2.0 form fields", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
      if (c.name.startsWith("valid:")) expect(await nonSafe(c.before, c.after, c.options)).toEqual([]);
    });
  }
});
