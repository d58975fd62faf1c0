import { describe, expect, test } from "bun:test";
import { diff, proto } from "./helpers.ts";

const ALL = { use: ["FILE", "WIRE_JSON", "WIRE"] };

const oldMsg = proto`
  syntax = "proto3";
  package acme.v1;
  message User {
    string id = 1;
    string email = 2 [deprecated = true];
  }
  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_GONE = 1 [deprecated = true];
  }
`;
const newMsg = proto`
  syntax = "proto3";
  package acme.v1;
  message User {
    string id = 1;
  }
  enum Status {
    STATUS_UNSPECIFIED = 0;
  }
`;

describe("removals of deprecated elements", () => {
  // Rule, path, and whether the finding carries the `deprecated` fact; severity is never softened here.
  const cases: Array<[string, string, boolean]> = [
    ["FIELD_NO_DELETE", "acme.v1.User.email", true],
    ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "acme.v1.User.email", false],
    ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "acme.v1.User.email", false],
    ["ENUM_VALUE_NO_DELETE", "acme.v1.Status.STATUS_GONE", true],
    ["ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "acme.v1.Status.STATUS_GONE", false],
    ["ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", "acme.v1.Status.STATUS_GONE", false],
  ];
  const findings = diff({ "a.proto": oldMsg }, { "a.proto": newMsg }, ALL);
  for (const [rule, path, deprecated] of cases)
    test(`${rule}: breaking, ${deprecated ? "with" : "without"} the deprecated fact`, () => {
      const f = findings.filter((x) => x.rule === rule);
      expect(f.map((x) => [x.path, x.severity, x.deprecated !== undefined])).toEqual([[path, "breaking", deprecated]]);
    });

  test("a reservation of the number and name leaves only the plain deletion, still breaking", () => {
    const reserved = newMsg.replace("string id = 1;", 'string id = 1;\n  reserved 2;\n  reserved "email";');
    const f = diff({ "a.proto": oldMsg }, { "a.proto": reserved }, ALL).filter((x) => x.path === "acme.v1.User.email");
    expect(f.map((x) => [x.rule, x.severity, x.deprecated])).toEqual([["FIELD_NO_DELETE", "breaking", {}]]);
  });

  test("a plain deletion says whether it leaves the number or name free: FILE has no reservation rule of its own", () => {
    const unreserved = (text: string, rule: string) =>
      diff({ "a.proto": oldMsg }, { "a.proto": text }, { use: ["FILE"] })
        .filter((x) => x.rule === rule)
        .map((x) => x.unreserved === true);
    expect(unreserved(newMsg, "FIELD_NO_DELETE")).toEqual([true]);
    for (const half of ["reserved 2;", 'reserved "email";']) expect(unreserved(newMsg.replace("string id = 1;", `string id = 1;\n  ${half}`), "FIELD_NO_DELETE")).toEqual([true]);
    expect(unreserved(newMsg.replace("string id = 1;", 'string id = 1;\n  reserved 2;\n  reserved "email";'), "FIELD_NO_DELETE")).toEqual([false]);
    expect(unreserved(newMsg, "ENUM_VALUE_NO_DELETE")).toEqual([true]);
    expect(unreserved(newMsg.replace("STATUS_UNSPECIFIED = 0;", 'STATUS_UNSPECIFIED = 0;\n  reserved 1;\n  reserved "STATUS_GONE";'), "ENUM_VALUE_NO_DELETE")).toEqual([false]);
  });

  test("a deleted deprecated message and file carry the fact at full severity", () => {
    const before = { "a.proto": oldMsg, "b.proto": 'syntax = "proto3";\noption deprecated = true;\npackage acme.v1;\nmessage Old { option deprecated = true; }\n' };
    const f = diff(before, { "a.proto": oldMsg }, ALL);
    expect(f.map((x) => [x.rule, x.severity, x.deprecated])).toContainEqual(["FILE_NO_DELETE", "breaking", {}]);
  });
});
