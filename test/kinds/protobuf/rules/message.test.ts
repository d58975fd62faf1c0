import { describe, test } from "bun:test";
import { checkCases, proto } from "../helpers.ts";

const users = proto`
  syntax = "proto3";
  package acme.users.v1;
  message User {
    string id = 1;
    string email = 2;
    message Address { string city = 1; }
    oneof contact { string phone = 3; string fax = 4; }
  }
`;

describe("message rules", () => {
  test("MESSAGE_NO_DELETE", () => {
    checkCases("MESSAGE_NO_DELETE", [
      { name: "unchanged message is not reported", before: { "u.proto": users }, after: { "u.proto": users }, findings: [] },
      {
        name: "deleted nested message points at its parent in the new file",
        before: { "u.proto": users },
        after: { "u.proto": users.replace("  message Address { string city = 1; }\n", "") },
        findings: [{ rule: "MESSAGE_NO_DELETE", path: "acme.users.v1.User.Address", at: "u.proto:3:1", message: 'Previously present message "User.Address" was deleted from file.' }],
      },
      {
        name: "deleted top-level message points at the file (1:1)",
        before: { "u.proto": users + "message Gone {}\n" },
        after: { "u.proto": users },
        findings: [{ rule: "MESSAGE_NO_DELETE", path: "acme.users.v1.Gone", at: "u.proto:1:1" }],
      },
    ]);
  });

  test("FIELD_NO_DELETE and its reserved variants", () => {
    const removed = users.replace("  string email = 2;\n", "");
    const reservedNumber = users.replace("  string email = 2;\n", "  reserved 2;\n");
    const reservedName = users.replace("  string email = 2;\n", '  reserved "email";\n');
    checkCases("FIELD_NO_DELETE", [
      {
        name: "deleted field points at its message",
        before: { "u.proto": users },
        after: { "u.proto": removed },
        findings: [{ rule: "FIELD_NO_DELETE", path: "acme.users.v1.User.email", at: "u.proto:3:1", message: 'Previously present field "2" with name "email" on message "User" was deleted.' }],
      },
      {
        name: "reserving the number does not help under FILE",
        before: { "u.proto": users },
        after: { "u.proto": reservedNumber },
        findings: [{ rule: "FIELD_NO_DELETE", path: "acme.users.v1.User.email", at: "u.proto:3:1" }],
      },
    ]);
    checkCases("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", [
      { name: "reserved number makes the deletion acceptable", before: { "u.proto": users }, after: { "u.proto": reservedNumber }, findings: [] },
      {
        name: "reserving only the name is not enough",
        before: { "u.proto": users },
        after: { "u.proto": reservedName },
        findings: [{ rule: "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", path: "acme.users.v1.User.email", at: "u.proto:3:1", message: 'Previously present field "2" with name "email" on message "User" was deleted without reserving the number "2".' }],
      },
    ]);
    checkCases("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", [
      { name: "reserved name makes the deletion acceptable", before: { "u.proto": users }, after: { "u.proto": reservedName }, findings: [] },
      {
        name: "reserving only the number is not enough",
        before: { "u.proto": users },
        after: { "u.proto": reservedNumber },
        findings: [{ rule: "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", path: "acme.users.v1.User.email", at: "u.proto:3:1" }],
      },
    ]);
  });

  test("ONEOF_NO_DELETE ignores synthetic oneofs", () => {
    const p3opt = proto`
      syntax = "proto3";
      package p;
      message M { optional string a = 1; oneof o { string b = 2; } }
    `;
    checkCases("ONEOF_NO_DELETE", [
      {
        name: "removing a real oneof is reported at the message",
        before: { "m.proto": p3opt },
        after: { "m.proto": 'syntax = "proto3";\npackage p;\nmessage M { string a = 1; string b = 2; }\n' },
        findings: [{ rule: "ONEOF_NO_DELETE", path: "p.M.o", at: "m.proto:3:1", message: 'Previously present oneof "o" on message "M" was deleted.' }],
      },
    ]);
  });

  test("RESERVED_MESSAGE_NO_DELETE", () => {
    const before = proto`
      syntax = "proto2";
      message M {
        reserved 5 to 10, 20;
        reserved "old";
      }
    `;
    const after = proto`
      syntax = "proto2";
      message M {
        reserved 5 to 7, 9;
      }
    `;
    checkCases("RESERVED_MESSAGE_NO_DELETE", [
      {
        name: "shrunk ranges and dropped names are reported",
        before: { "m.proto": before },
        after: { "m.proto": after },
        findings: [
          { rule: "RESERVED_MESSAGE_NO_DELETE", path: "M", at: "m.proto:2:1", message: 'Previously present reserved range "[5,10]" on message "M" is missing values: [8], [10] were removed.' },
          { rule: "RESERVED_MESSAGE_NO_DELETE", path: "M", at: "m.proto:2:1", message: 'Previously present reserved range "[20]" on message "M" is missing values: [20] were removed.' },
          { rule: "RESERVED_MESSAGE_NO_DELETE", path: "M", at: "m.proto:2:1", message: 'Previously present reserved name "old" on message "M" was deleted.' },
        ],
      },
    ]);
  });

  test("MESSAGE_SAME_REQUIRED_FIELDS", () => {
    const before = 'syntax = "proto2";\nmessage M {\n  required int32 a = 1;\n  optional int32 b = 2;\n}\n';
    const after = 'syntax = "proto2";\nmessage M {\n  optional int32 a = 1;\n  required int32 b = 2;\n}\n';
    checkCases("MESSAGE_SAME_REQUIRED_FIELDS", [
      {
        name: "a removed required field points at the message, an added one at the field",
        before: { "m.proto": before },
        after: { "m.proto": after },
        findings: [
          { rule: "MESSAGE_SAME_REQUIRED_FIELDS", path: "M.a", at: "m.proto:2:1" },
          { rule: "MESSAGE_SAME_REQUIRED_FIELDS", path: "M.b", at: "m.proto:4:3" },
        ],
      },
    ]);
  });
});
