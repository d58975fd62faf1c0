import { describe, expect, test } from "bun:test";
import { ContractError } from "../../../src/core/errors.ts";
import { load } from "./helpers.ts";

/** Loads and returns the single ContractError message (file:line:col: detail). */
function errorOf(files: Record<string, string>): string {
  try {
    load(files);
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    return (e as ContractError).message;
  }
  throw new Error("expected a ContractError");
}

describe("bad input gives one ContractError with file:line:col", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["syntax error", { "a.proto": 'syntax = "proto3";\nmessage A {\n  string = 1;\n}\n' }, "a.proto:3:3: missing field type before 'string'"],
    ["missing semicolon", { "a.proto": 'syntax = "proto3";\nmessage A {\n  string a = 1\n}\n' }, "a.proto:4:1: expected ';', found '}'"],
    ["unterminated message", { "a.proto": 'syntax = "proto3";\nmessage A {\n  string a = 1;\n' }, "a.proto:4:1: expected '}' to close message 'A'"],
    ["unresolvable import", { "a.proto": 'syntax = "proto3";\nimport "missing/b.proto";\n' }, 'a.proto:2:1: import "missing/b.proto" not found'],
    [
      "duplicate definition",
      { "a.proto": 'syntax = "proto3";\npackage p;\nmessage A {}\n', "b.proto": 'syntax = "proto3";\npackage p;\n\nmessage A {}\n' },
      'b.proto:4:1: symbol "p.A" already defined in "a.proto"',
    ],
    [
      "import cycle",
      { "a.proto": 'syntax = "proto3";\nimport "b.proto";\n', "b.proto": 'syntax = "proto3";\n\nimport "a.proto";\n' },
      "b.proto:3:1: import cycle: a.proto -> b.proto -> a.proto",
    ],
    ["unknown type", { "a.proto": 'syntax = "proto3";\nmessage A {\n  Missing m = 1;\n}\n' }, 'a.proto:3:3: field "A.m": type "Missing" is not defined'],
    [
      "type from a file that is not imported",
      { "a.proto": 'syntax = "proto3";\npackage p;\nmessage A {\n  B b = 1;\n}\n', "b.proto": 'syntax = "proto3";\npackage p;\nmessage B {}\n' },
      'a.proto:4:3: field "p.A.b": type "B" seems to be defined in "b.proto", which is not imported by "a.proto"',
    ],
    [
      // protoc binds "foo" to the nearest scope that has it (Outer.foo) and does not look further out.
      "compound name shadowed by a nested type",
      { "a.proto": 'syntax = "proto3";\npackage foo.bar;\nmessage Baz {}\nmessage Outer {\n  message foo {}\n  foo.bar.Baz x = 1;\n}\n' },
      'a.proto:6:3: field "foo.bar.Outer.x": type "foo.bar.Baz" is not defined',
    ],
    ["duplicate field number", { "a.proto": 'syntax = "proto3";\nmessage A {\n  string a = 1;\n  string b = 1;\n}\n' }, 'a.proto:4:3: field number 1 has already been used in "A" by field "a"'],
    ["bad syntax value", { "a.proto": 'syntax = "proto4";\n' }, 'a.proto:1:10: syntax value must be "proto2" or "proto3", found "proto4"'],
    ["required in proto3", { "a.proto": 'syntax = "proto3";\nmessage A {\n  required string a = 1;\n}\n' }, "a.proto:3:3: required fields are not allowed in proto3"],
  ];
  for (const [name, files, message] of cases) test(name, () => expect(errorOf(files)).toBe(message));
});
