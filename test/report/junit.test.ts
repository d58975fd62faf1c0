import { describe, expect, test } from "bun:test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { renderReport } from "../../src/report/index.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, sampleReport, usersApi } from "../fixtures/report/sample.ts";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => name === "testsuite" || name === "testcase",
});

type Case = Record<string, any>;

function parse(xml: string): { suites: Record<string, any>; suite: Array<Record<string, any>> } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  return { suites: doc.testsuites, suite: doc.testsuites.testsuite };
}

describe("junit report", () => {
  const xml = renderReport(sampleReport(), "junit", OPTS);
  const { suites, suite } = parse(xml);

  test("is well-formed XML with a declaration", () => {
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites `)).toBe(true);
  });

  test("totals on <testsuites> add up the suites", () => {
    expect(suites).toMatchObject({ name: "comms", tests: "10", failures: "3", errors: "0", skipped: "3" });
  });

  test("one suite per contract with its counts", () => {
    expect(suite.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ["users-api (openapi): users-api@1.2.0 → working tree (1.3.0)", "5", "1", "0", "2"],
      ["users-graph (graphql): main → working tree", "2", "1", "0", "1"],
      ["billing-grpc (protobuf): billing-grpc@2.0.0 → HEAD (2.1.0)", "2", "1", "0", "0"],
      ["orders-grpc (protobuf): orders-grpc@1.0.0 → working tree (1.0.0)", "1", "0", "0", "0"],
    ]);
  });

  test("one test case per finding, named by contract and element (rule), classname = contract", () => {
    const cases: Case[] = suite[0]!.testcase;
    expect(cases.map((c) => c.name)).toEqual([
      "users-api: GET /users/{id} response 200 property email (response-property-removed)",
      "users-api: GET /users query parameter limit (request-parameter-became-required)",
      "users-api: schema Status enum (response-property-enum-value-added)",
      "users-api: POST /users (endpoint-added)",
      "users-api: GET /users description (api-description-changed)",
    ]);
    expect((suite[1]!.testcase as Case[]).map((c) => c.name)).toEqual(["users-graph: User.email (FIELD_REMOVED)", "users-graph: Status.ARCHIVED (ENUM_VALUE_ADDED)"]);
    expect(cases.every((c) => c.classname === "users-api")).toBe(true);
    expect(cases[0]).toMatchObject({ file: "contracts/users/openapi.yaml", line: "38" });
  });

  test("unaccepted breaking changes fail with message and details; dangerous ones are skipped with a message; safe pass", () => {
    const [removed, accepted, enumAdded, endpointAdded] = suite[0]!.testcase as Case[];
    expect(removed!.failure.message).toBe("response property 'email' removed from GET /users/{id} (200)");
    expect(removed!.failure.type).toBe("breaking");
    expect(removed!.failure["#text"]).toBe(
      "contracts/users/openapi.yaml:38:9: response property 'email' removed from GET /users/{id} (200)\nrule: response-property-removed\npath: /paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/email\naffects: GET /users/{id}",
    );
    expect(accepted!.failure).toBeUndefined();
    expect(accepted!.skipped.message).toBe("accepted: clients were migrated in Q3 (until 2027-01-31)");
    expect(enumAdded!.failure).toBeUndefined();
    expect(enumAdded!.skipped.message).toBe("dangerous: enum value 'a|b' added to *status* <Status> in `GET /users` & friends");
    expect(endpointAdded!.failure).toBeUndefined();
    expect(endpointAdded!.skipped).toBeUndefined();
  });

  test("with --fail-on dangerous, dangerous changes fail", () => {
    const { suites: s, suite: all } = parse(renderReport(sampleReport(), "junit", { ...OPTS, failOn: "dangerous" }));
    expect(s).toMatchObject({ failures: "5", skipped: "1" });
    const enumAdded = (all[0]!.testcase as Case[])[2]!;
    expect(enumAdded.skipped).toBeUndefined();
    expect(enumAdded.failure).toMatchObject({ type: "dangerous" });
  });

  test("a finding without location has no file attribute", () => {
    const fileRule = suite[2]!.testcase[0] as Case;
    expect(fileRule.name).toBe("billing-grpc: acme/billing/v1/legacy.proto (FILE_NO_DELETE)");
    expect(fileRule.file).toBeUndefined();
    expect(fileRule.failure.message).toBe('Previously present file "acme/billing/v1/legacy.proto" was deleted.');
  });

  test("a contract without findings has one passing test case", () => {
    expect(suite[3]!.testcase).toEqual([{ classname: "orders-grpc", name: "orders-grpc is compatible" }]);
  });

  test("escapes markup and quotes, keeps user strings on one line, shows characters XML cannot carry as escapes", () => {
    const [first] = usersApi.findings;
    const nasty = buildReport([
      {
        ...usersApi,
        contract: `a&b <"c">`,
        findings: [{ ...first!, accepted: undefined, message: `x < y & "z" 'w'\nnext\u0001line ]]>` }],
      },
    ]);
    const out = renderReport(nasty, "junit", OPTS);
    const { suite: s } = parse(out);
    const c = s[0]!.testcase[0] as Case;
    expect(c.classname).toBe(`a&b <"c">`);
    // one line each: a test report printed to a CI log cannot start a line with a contract's text
    expect(c.failure.message).toBe(`x < y & "z" 'w'\\nnext\\u0001line ]]>`);
    expect(c.failure["#text"]).toContain(`x < y & "z" 'w'\\nnext\\u0001line ]]>\nrule: response-property-removed`);
  });

  test("an empty run is an empty, valid document", () => {
    const { suites: s } = parse(renderReport(buildReport([]), "junit", OPTS));
    expect(s).toMatchObject({ tests: "0", failures: "0" });
  });
});
