import { describe, test } from "bun:test";
import { checkCases } from "../helpers.ts";

const v = (body: string, syntax = "proto3") => ({ "m.proto": `syntax = "${syntax}";\npackage p;\nmessage M {\n${body}\n}\nmessage N {}\nenum E { E_ZERO = 0; E_ONE = 1; }\n` });

describe("field rules", () => {
  test("FIELD_SAME_TYPE points at the type token", () => {
    checkCases("FIELD_SAME_TYPE", [
      { name: "same type is fine", before: v("  int32 a = 1;"), after: v("  int32 a = 1;"), findings: [] },
      {
        name: "scalar type change",
        before: v("  int32 a = 1;"),
        after: v("  int64 a = 1;"),
        findings: [{ rule: "FIELD_SAME_TYPE", path: "p.M.a", at: "m.proto:4:3", message: 'Field "1" with name "a" on message "M" changed type from "int32" to "int64".' }],
      },
      {
        name: "message type change names both types",
        before: v("  M a = 1;"),
        after: v("  N a = 1;"),
        findings: [{ rule: "FIELD_SAME_TYPE", path: "p.M.a", at: "m.proto:4:3", message: 'Field "1" with name "a" on message "M" changed type from "p.M" to "p.N".' }],
      },
    ]);
  });

  test("FIELD_WIRE_COMPATIBLE_TYPE allows wire-compatible changes", () => {
    checkCases("FIELD_WIRE_COMPATIBLE_TYPE", [
      { name: "int32 to int64 shares the varint encoding", before: v("  int32 a = 1;"), after: v("  int64 a = 1;"), findings: [] },
      { name: "string to bytes is allowed", before: v("  string a = 1;"), after: v("  bytes a = 1;"), findings: [] },
      { name: "int32 to sint32 changes the encoding", before: v("  int32 a = 1;"), after: v("  sint32 a = 1;"), findings: [{ rule: "FIELD_WIRE_COMPATIBLE_TYPE", path: "p.M.a", at: "m.proto:4:3" }] },
    ]);
    checkCases("FIELD_WIRE_JSON_COMPATIBLE_TYPE", [
      { name: "int32 to int64 changes the JSON form", before: v("  int32 a = 1;"), after: v("  int64 a = 1;"), findings: [{ rule: "FIELD_WIRE_JSON_COMPATIBLE_TYPE", path: "p.M.a", at: "m.proto:4:3" }] },
      { name: "int32 to uint32 is compatible", before: v("  int32 a = 1;"), after: v("  uint32 a = 1;"), findings: [] },
    ]);
  });

  test("FIELD_SAME_NAME and FIELD_SAME_JSON_NAME", () => {
    checkCases("FIELD_SAME_NAME", [
      {
        name: "rename points at the name token",
        before: v("  string email = 1;"),
        after: v("  string mail = 1;"),
        findings: [{ rule: "FIELD_SAME_NAME", path: "p.M.mail", at: "m.proto:4:10", message: 'Field "1" on message "M" changed name from "email" to "mail".' }],
      },
    ]);
    checkCases("FIELD_SAME_JSON_NAME", [
      { name: "renaming while keeping json_name is JSON-safe", before: v("  string email = 1;"), after: v('  string mail = 1 [json_name = "email"];'), findings: [] },
      {
        name: "changed json_name points at the option",
        before: v('  string a = 1 [json_name = "x"];'),
        after: v('  string a = 1 [json_name = "y"];'),
        findings: [{ rule: "FIELD_SAME_JSON_NAME", path: "p.M.a", at: "m.proto:4:17", message: 'Field "1" with name "a" on message "M" changed option "json_name" from "x" to "y".' }],
      },
    ]);
  });

  test("FIELD_SAME_CARDINALITY", () => {
    checkCases("FIELD_SAME_CARDINALITY", [
      {
        name: "adding proto3 optional gives explicit presence",
        before: v("  string a = 1;"),
        after: v("  optional string a = 1;"),
        findings: [{ rule: "FIELD_SAME_CARDINALITY", path: "p.M.a", at: "m.proto:4:3", message: 'Field "1" with name "a" on message "M" changed cardinality from "optional with implicit presence" to "optional with explicit presence".' }],
      },
      { name: "map to repeated", before: v("  map<string, int32> a = 1;"), after: v("  repeated int32 a = 1;"), findings: [{ rule: "FIELD_SAME_CARDINALITY", path: "p.M.a", at: "m.proto:4:3" }] },
    ]);
    checkCases("FIELD_WIRE_COMPATIBLE_CARDINALITY", [
      { name: "implicit to explicit presence is wire-compatible", before: v("  string a = 1;"), after: v("  optional string a = 1;"), findings: [] },
    ]);
  });

  test("FIELD_SAME_DEFAULT", () => {
    checkCases("FIELD_SAME_DEFAULT", [
      {
        name: "changed default points at the default option",
        before: v('  optional string a = 1 [default = "x"];', "proto2"),
        after: v('  optional string a = 1 [default = "y"];', "proto2"),
        findings: [{ rule: "FIELD_SAME_DEFAULT", path: "p.M.a", at: "m.proto:4:26", message: 'Field "1" with name "a" on message "M" changed default value from "x" to "y".' }],
      },
      { name: "same numeric default written differently", before: v("  optional int32 a = 1 [default = 0x10];", "proto2"), after: v("  optional int32 a = 1 [default = 16];", "proto2"), findings: [] },
    ]);
  });

  test("FIELD_SAME_ONEOF", () => {
    checkCases("FIELD_SAME_ONEOF", [
      {
        name: "moving a field into a oneof",
        before: v("  string a = 1;"),
        after: v("  oneof o { string a = 1; }"),
        findings: [{ rule: "FIELD_SAME_ONEOF", path: "p.M.a", at: "m.proto:4:13", message: 'Field "1" with name "a" on message "M" moved from outside to inside a oneof.' }],
      },
    ]);
  });

  test("FIELD_SAME_JSTYPE only applies to 64-bit integers", () => {
    checkCases("FIELD_SAME_JSTYPE", [
      { name: "jstype on a changed 64-bit field", before: v("  int64 a = 1;"), after: v("  int64 a = 1 [jstype = JS_STRING];"), findings: [{ rule: "FIELD_SAME_JSTYPE", path: "p.M.a", at: "m.proto:4:16" }] },
    ]);
  });

  test("FIELD_SAME_UTF8_VALIDATION in editions", () => {
    const ed = (opt: string) => ({ "m.proto": `edition = "2023";\npackage p;\nmessage M {\n  string a = 1${opt};\n}\n` });
    checkCases("FIELD_SAME_UTF8_VALIDATION", [
      { name: "turning validation off", before: ed(""), after: ed(" [features.utf8_validation = NONE]"), findings: [{ rule: "FIELD_SAME_UTF8_VALIDATION", path: "p.M.a", at: "m.proto:4:17" }] },
    ]);
  });
});
