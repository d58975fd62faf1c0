import { describe, expect, test } from "bun:test";
import { CATALOGUE } from "../../../src/kinds/openapi/catalogue.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { families } from "../../../src/kinds/openapi/rules/index.ts";

describe("openapi rule registry", () => {
  test("the catalogue holds oasdiff's 509 ids with their default levels", () => {
    const levels = { ERR: 0, WARN: 0, INFO: 0 };
    for (const e of CATALOGUE.values()) levels[e.level]++;
    expect(levels).toEqual({ ERR: 213, WARN: 30, INFO: 266 });
  });

  test("every id a family declares is in the catalogue (a typo would otherwise be dropped silently)", () => {
    const unknown = families.flatMap((f) => f.ids.filter((id) => !CATALOGUE.has(id)).map((id) => `${f.name}: ${id}`));
    expect(unknown).toEqual([]);
  });

  test("families have unique names and `comms rules` lists unique ids with summaries", () => {
    expect(new Set(families.map((f) => f.name)).size).toBe(families.length);
    const rules = engine.rules();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    expect(rules.find((r) => r.id === "request-parameter-became-required")).toMatchObject({
      kind: "openapi",
      severity: "breaking",
      summary: "Request parameter became required.",
    });
  });
});
