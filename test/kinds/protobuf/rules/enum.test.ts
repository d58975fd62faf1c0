import { describe, test } from "bun:test";
import { checkCases, proto } from "../helpers.ts";

const status = proto`
  syntax = "proto3";
  package p;
  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_ACTIVE = 1;
    STATUS_GONE = 2;
  }
`;

describe("enum rules", () => {
  test("ENUM_VALUE_NO_DELETE and reserved variants", () => {
    const removed = status.replace("  STATUS_GONE = 2;\n", "");
    const reserved = status.replace("  STATUS_GONE = 2;\n", '  reserved 2;\n  reserved "STATUS_GONE";\n');
    checkCases("ENUM_VALUE_NO_DELETE", [
      {
        name: "deleted value points at the enum",
        before: { "s.proto": status },
        after: { "s.proto": removed },
        findings: [{ rule: "ENUM_VALUE_NO_DELETE", path: "p.Status.STATUS_GONE", at: "s.proto:3:1", message: 'Previously present enum value "2" on enum "Status" was deleted.' }],
      },
    ]);
    checkCases("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", [
      { name: "reserved number and name make it acceptable", before: { "s.proto": status }, after: { "s.proto": reserved }, findings: [] },
    ]);
    checkCases("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", [
      {
        name: "deleting without reserving the name",
        before: { "s.proto": status },
        after: { "s.proto": removed },
        findings: [{ rule: "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", path: "p.Status.STATUS_GONE", at: "s.proto:3:1", message: 'Previously present enum value "2" on enum "Status" was deleted without reserving the name "STATUS_GONE".' }],
      },
    ]);
  });

  test("ENUM_VALUE_SAME_NAME points at the number", () => {
    checkCases("ENUM_VALUE_SAME_NAME", [
      {
        name: "renamed value",
        before: { "s.proto": status },
        after: { "s.proto": status.replace("STATUS_GONE = 2", "STATUS_DELETED = 2") },
        findings: [{ rule: "ENUM_VALUE_SAME_NAME", path: "p.Status.STATUS_DELETED", at: "s.proto:6:20", message: 'Enum value "2" on enum "Status" changed name from "STATUS_GONE" to "STATUS_DELETED".' }],
      },
      {
        name: "adding an alias keeps every old name",
        before: { "s.proto": status },
        after: { "s.proto": status.replace("  STATUS_GONE = 2;\n", "  option allow_alias = true;\n  STATUS_GONE = 2;\n  STATUS_REMOVED = 2;\n") },
        findings: [],
      },
    ]);
  });

  test("ENUM_NO_DELETE and ENUM_SAME_TYPE", () => {
    checkCases("ENUM_NO_DELETE", [
      { name: "deleted top-level enum", before: { "s.proto": status }, after: { "s.proto": 'syntax = "proto3";\npackage p;\n' }, findings: [{ rule: "ENUM_NO_DELETE", path: "p.Status", at: "s.proto:1:1" }] },
    ]);
    const ed = (opt: string) => ({ "e.proto": `edition = "2023";\nenum E {\n${opt}  E_ZERO = 0;\n}\n` });
    checkCases("ENUM_SAME_TYPE", [
      {
        name: "open to closed points at the feature",
        before: ed(""),
        after: ed("  option features.enum_type = CLOSED;\n"),
        findings: [{ rule: "ENUM_SAME_TYPE", path: "E", at: "e.proto:3:3", message: 'Enum "E" changed from open to closed.' }],
      },
    ]);
  });

  test("RESERVED_ENUM_NO_DELETE", () => {
    const before = 'syntax = "proto3";\nenum E {\n  E_ZERO = 0;\n  reserved 5 to max;\n}\n';
    const after = 'syntax = "proto3";\nenum E {\n  E_ZERO = 0;\n  reserved 5 to 100;\n}\n';
    checkCases("RESERVED_ENUM_NO_DELETE", [
      {
        name: "shrinking a range to max",
        before: { "e.proto": before },
        after: { "e.proto": after },
        findings: [{ rule: "RESERVED_ENUM_NO_DELETE", path: "E", at: "e.proto:2:1", message: 'Previously present reserved range "[5,max]" on enum "E" is missing values: [101,max] were removed.' }],
      },
    ]);
  });
});
