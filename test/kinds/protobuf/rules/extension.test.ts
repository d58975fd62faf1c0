import { describe, test } from "bun:test";
import { checkCases, proto } from "../helpers.ts";

const base = proto`
  syntax = "proto2";
  package a;
  message Foo {
    extensions 10 to 100;
    message Bar {
      extend Foo {
        optional string label = 10;
      }
    }
  }
  extend Foo {
    optional int32 count = 20;
  }
`;

describe("extension rules", () => {
  test("EXTENSION_NO_DELETE: nested extensions point at their message, top-level ones at the file", () => {
    checkCases("EXTENSION_NO_DELETE", [
      {
        name: "both extensions deleted",
        before: { "e.proto": base },
        after: { "e.proto": 'syntax = "proto2";\npackage a;\nmessage Foo {\n  extensions 10 to 100;\n  message Bar {}\n}\n' },
        findings: [
          { rule: "EXTENSION_NO_DELETE", path: "a.Foo.Bar.label", at: "e.proto:5:3", message: 'Previously present extension "Foo.Bar.label" was deleted from file.' },
          { rule: "EXTENSION_NO_DELETE", path: "a.count", at: "e.proto:1:1", message: 'Previously present extension "count" was deleted from file.' },
        ],
      },
    ]);
  });

  test("extensions pair by extendee and number, and are described by full name", () => {
    checkCases("FIELD_SAME_CARDINALITY", [
      {
        name: "optional extension became repeated",
        before: { "e.proto": base },
        after: { "e.proto": base.replace("optional string label = 10;", "repeated string label = 10;") },
        findings: [
          {
            rule: "FIELD_SAME_CARDINALITY",
            path: "a.Foo.Bar.label",
            at: "e.proto:7:7",
            message: 'Extension "10" with name "a.Foo.Bar.label" on message "a.Foo" changed cardinality from "optional with explicit presence" to "repeated".',
          },
        ],
      },
    ]);
    checkCases("EXTENSION_MESSAGE_NO_DELETE", [
      {
        name: "shrunk extension range",
        before: { "e.proto": base },
        after: { "e.proto": base.replace("extensions 10 to 100;", "extensions 10 to 50;") },
        findings: [{ rule: "EXTENSION_MESSAGE_NO_DELETE", path: "a.Foo", at: "e.proto:3:1", message: 'Previously present extension range "[10,100]" on message "Foo" is missing values: [51,100] were removed.' }],
      },
    ]);
  });
});
