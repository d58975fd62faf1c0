import { describe, expect, test } from "bun:test";
import { CATALOGUE } from "../../../src/kinds/openapi/catalogue.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { explain, RULES, summarise } from "../../../src/kinds/openapi/explain.ts";
import { families } from "../../../src/kinds/openapi/rules/index.ts";

describe("openapi rule registry", () => {
  test("the catalogue holds oasdiff's 509 ids with their default levels", () => {
    const levels = { ERR: 0, WARN: 0, INFO: 0 };
    for (const e of CATALOGUE.values()) if (!e.origin) levels[e.level]++;
    // Less the two version ids the gate's version-not-bumped replaces; security additions are breaking in comms.
    // Removals after deprecation keep the removal's level (policy softens them, not the engine);
    // a new response alternative (oneOf, anyOf, a wrapping oneOf) is dangerous, like a new enum value.
    expect(levels).toEqual({ ERR: 215, WARN: 37, INFO: 255 });
  });

  test("the ids comms adds to oasdiff's are few and each is explained with an example", () => {
    const own = [...CATALOGUE.values()].filter((e) => e.origin === "comms").map((e) => e.id);
    expect(own).toEqual([
      "request-parameter-style-changed",
      "api-global-security-alternative-added",
      "api-security-alternative-added",
      "request-parameter-format-added",
      "request-property-format-added",
      "request-body-format-added",
      "request-parameter-property-format-added",
      "request-header-property-format-added",
      "request-property-wrapped-in-one-of",
      "response-property-wrapped-in-one-of",
    ]);
    for (const id of own) expect(RULES[id]?.example).toBeDefined();
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
      summary: "An optional parameter became required.",
    });
  });
});

/** The ids users meet most: each must come with an example and a fix in `comms rules <id>`. */
const COMMON = [
  "request-parameter-removed",
  "request-parameter-became-required",
  "new-required-request-parameter",
  "new-request-path-parameter",
  "request-parameter-type-changed",
  "request-parameter-enum-value-removed",
  "request-parameter-max-length-decreased",
  "request-parameter-pattern-added",
  "request-parameter-max-decreased",
  "request-parameter-became-not-nullable",
  "request-property-became-required",
  "new-required-request-property",
  "request-body-became-required",
  "request-body-added-required",
  "request-body-media-type-removed",
  "request-property-type-changed",
  "request-property-enum-value-removed",
  "request-property-became-enum",
  "request-property-max-length-decreased",
  "request-property-pattern-added",
  "request-property-became-not-nullable",
  "request-property-one-of-removed",
  "response-required-property-removed",
  "response-optional-property-removed",
  "response-property-type-changed",
  "response-body-type-changed",
  "response-property-enum-value-added",
  "response-property-became-nullable",
  "response-property-became-optional",
  "response-property-one-of-added",
  "response-success-status-removed",
  "response-media-type-removed",
  "required-response-header-removed",
  "response-header-became-optional",
  "api-path-removed-without-deprecation",
  "api-removed-without-deprecation",
  "api-removed-before-sunset",
  "api-path-removed-before-sunset",
  "api-sunset-date-too-small",
  "api-stability-decreased",
];

describe("openapi rule explanations", () => {
  const rules = new Map(engine.rules().map((r) => [r.id, r]));

  test("every breaking or dangerous id has a summary, a why and a fix", () => {
    const missing = [...rules.values()]
      .filter((r) => r.severity !== "safe")
      .filter((r) => !r.summary || !r.why || !r.fix)
      .map((r) => r.id);
    expect(missing).toEqual([]);
  });

  test("the most common ids have their own summary, an example and a fix", () => {
    const missing = COMMON.filter((id) => {
      const r = rules.get(id);
      return !r || !r.example?.old || !r.example.new || !r.fix || !RULES[id]?.summary;
    });
    expect(missing).toEqual([]);
    expect(rules.get("request-property-max-length-decreased")).toMatchObject({
      severity: "breaking",
      summary: "A request property's maxLength was lowered.",
      example: { old: "name: { type: string, maxLength: 20 }", new: "name: { type: string, maxLength: 10 }" },
    });
  });

  test("hand-written explanations only exist for ids of the catalogue that are not safe, or that comms adds", () => {
    // Ids comms adds are all written out, safe ones included: nobody knows them from oasdiff.
    const stray = Object.keys(RULES).filter((id) => CATALOGUE.get(id)?.level === undefined || (CATALOGUE.get(id)?.level === "INFO" && CATALOGUE.get(id)?.origin !== "comms"));
    expect(stray).toEqual([]);
  });

  test("summaries of ids without their own text are written from nouns and predicates, not the id's words", () => {
    expect(summarise("request-parameter-max-length-decreased")).toBe("A parameter's maxLength was lowered.");
    expect(summarise("request-header-property-max-length-decreased")).toBe("The maximum length (maxLength) of a property inside a request header's object value was lowered.");
    expect(summarise("response-mediatype-enum-value-removed")).toBe("The schema of a response media type no longer returns one of its enum values.");
    expect(summarise("request-property-enum-value-added")).toBe("A request body property accepts one more enum value.");
    expect(summarise("api-operation-id-added")).toBe("An operation got an operationId.");
    // An id without its own text gets the refinement of what happened, not just its area's text.
    expect(explain("request-header-property-max-length-decreased", "request-properties").why).toBe(
      "A tighter bound rejects values clients were allowed to send until now.",
    );
  });

  test("every id the engine can report has a one-sentence summary of what changed and a sentence on why it matters", () => {
    const words = (t: string) => t.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    const problems: string[] = [];
    for (const r of engine.rules()) {
      const summary = r.summary ?? "";
      const idWords = words(r.id).join(" ");
      if (!/^[A-Z].{15,200}\.$/.test(summary)) problems.push(`${r.id}: summary is not one sentence of reasonable length: ${summary}`);
      if (summary.includes("was found.") || words(summary).join(" ") === idWords) problems.push(`${r.id}: summary generated from the id`);
      // One sentence: no sentence break inside.
      if (/[.!?] [A-Z]/.test(summary.slice(0, -1))) problems.push(`${r.id}: summary has more than one sentence`);
      if (words(r.why ?? "").length < 6) problems.push(`${r.id}: no reason why it matters`);
    }
    expect(problems).toEqual([]);
  });
});

describe("one judgement for widening a response", () => {
  const WIDENING = [
    "response-body-one-of-added",
    "response-property-one-of-added",
    "response-body-any-of-added",
    "response-property-any-of-added",
    "response-property-enum-value-added",
    "response-body-wrapped-in-one-of",
    "response-property-wrapped-in-one-of",
  ];
  test("a new oneOf or anyOf alternative, a rewrite as oneOf and a new enum value are all dangerous, and `comms rules` says why", () => {
    const rules = engine.rules();
    for (const id of WIDENING) {
      const r = rules.find((x) => x.id === id);
      expect([id, r?.severity]).toEqual([id, "dangerous"]);
      // The reason names the judgement it follows and oasdiff's, which it departs from.
      expect([id, r?.why?.includes("as GraphQL judges a new member of a returned union or a new value of a returned enum")]).toEqual([id, true]);
      expect(r?.example).toBeDefined();
    }
  });
});
