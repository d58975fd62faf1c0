import { describe, test } from "bun:test";
import { checkCases } from "../helpers.ts";

const OPTIONS: Array<[rule: string, option: string, before: string, after: string, message: string]> = [
  ["FILE_SAME_CC_ENABLE_ARENAS", "cc_enable_arenas", "true", "false", '"true" to "false"'],
  ["FILE_SAME_CC_GENERIC_SERVICES", "cc_generic_services", "false", "true", '"false" to "true"'],
  ["FILE_SAME_CSHARP_NAMESPACE", "csharp_namespace", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_GO_PACKAGE", "go_package", '"a"', '"b"', '"a" to "b"'],
  ["FILE_SAME_JAVA_GENERIC_SERVICES", "java_generic_services", "false", "true", '"false" to "true"'],
  ["FILE_SAME_JAVA_MULTIPLE_FILES", "java_multiple_files", "true", "false", '"true" to "false"'],
  ["FILE_SAME_JAVA_OUTER_CLASSNAME", "java_outer_classname", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_JAVA_PACKAGE", "java_package", '"a"', '"b"', '"a" to "b"'],
  ["FILE_SAME_OBJC_CLASS_PREFIX", "objc_class_prefix", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_OPTIMIZE_FOR", "optimize_for", "SPEED", "LITE_RUNTIME", '"SPEED" to "LITE_RUNTIME"'],
  ["FILE_SAME_PHP_CLASS_PREFIX", "php_class_prefix", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_PHP_METADATA_NAMESPACE", "php_metadata_namespace", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_PHP_NAMESPACE", "php_namespace", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_PY_GENERIC_SERVICES", "py_generic_services", "false", "true", '"false" to "true"'],
  ["FILE_SAME_RUBY_PACKAGE", "ruby_package", '"A"', '"B"', '"A" to "B"'],
  ["FILE_SAME_SWIFT_PREFIX", "swift_prefix", '"A"', '"B"', '"A" to "B"'],
];

const file = (opt: string) => ({ "f.proto": `syntax = "proto2";\npackage p;\n${opt}message M {}\n` });

describe("file option rules", () => {
  for (const [rule, name, a, b, change] of OPTIONS)
    test(rule, () =>
      checkCases(rule, [
        { name: "unchanged option", before: file(`option ${name} = ${a};\n`), after: file(`option ${name} = ${a};\n`), findings: [] },
        { name: "setting the default explicitly is no change", before: file(""), after: file(name === "cc_enable_arenas" ? "option cc_enable_arenas = true;\n" : ""), findings: [] },
        {
          name: "changed option points at the option statement",
          before: file(`option ${name} = ${a};\n`),
          after: file(`option ${name} = ${b};\n`),
          findings: [{ rule, path: "f.proto", at: "f.proto:3:1", message: `File option "${name}" changed from ${change}.` }],
        },
      ]),
    );
});

describe("message, enum and string-handling option rules", () => {
  test("MESSAGE_SAME_JSON_FORMAT and ENUM_SAME_JSON_FORMAT only flag dropping JSON support", () => {
    const ed = (opt: string) => ({ "m.proto": `edition = "2023";\nmessage M {\n${opt}}\nenum E {\n${opt}  E_Z = 0;\n}\n` });
    const off = "  option features.json_format = LEGACY_BEST_EFFORT;\n";
    checkCases("MESSAGE_SAME_JSON_FORMAT", [
      { name: "dropping JSON support", before: ed(""), after: ed(off), findings: [{ rule: "MESSAGE_SAME_JSON_FORMAT", path: "M", at: "m.proto:3:3", message: 'Message "M" JSON format support changed from ALLOW to LEGACY_BEST_EFFORT.' }] },
      { name: "adding JSON support is fine", before: ed(off), after: ed(""), findings: [] },
    ]);
    checkCases("ENUM_SAME_JSON_FORMAT", [{ name: "dropping JSON support", before: ed(""), after: ed(off), findings: [{ rule: "ENUM_SAME_JSON_FORMAT", path: "E", at: "m.proto:6:3" }] }]);
  });

  test("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", () => {
    const m = (opt: string) => ({ "m.proto": `syntax = "proto2";\nmessage M {\n${opt}}\n` });
    checkCases("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", [
      { name: "turning the accessor off", before: m(""), after: m("  option no_standard_descriptor_accessor = true;\n"), findings: [{ rule: "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", path: "M", at: "m.proto:3:3" }] },
      { name: "turning it back on is fine", before: m("  option no_standard_descriptor_accessor = true;\n"), after: m(""), findings: [] },
    ]);
  });

  test("FIELD_SAME_CPP_STRING_TYPE reads ctype and the (pb.cpp) feature", () => {
    const p2 = (opt: string) => ({ "m.proto": `syntax = "proto2";\nmessage M {\n  optional string s = 1${opt};\n}\n` });
    checkCases("FIELD_SAME_CPP_STRING_TYPE", [
      { name: "string to cord", before: p2(""), after: p2(" [ctype = CORD]"), findings: [{ rule: "FIELD_SAME_CPP_STRING_TYPE", path: "M.s", at: "m.proto:3:26", message: 'Field "1" with name "s" on message "M" changed C++ string type from "STRING" to "CORD".' }] },
      { name: "string_piece to string is allowed", before: p2(" [ctype = STRING_PIECE]"), after: p2(""), findings: [] },
    ]);
    const ed = (edition: string) => ({ "m.proto": `edition = "${edition}";\nimport "google/protobuf/cpp_features.proto";\nmessage M {\n  string s = 1;\n}\n` });
    checkCases("FIELD_SAME_CPP_STRING_TYPE", [{ name: "edition 2024 defaults to VIEW", before: ed("2023"), after: ed("2024"), findings: [{ rule: "FIELD_SAME_CPP_STRING_TYPE", path: "M.s", at: "m.proto:4:3" }] }]);
  });

  test("FIELD_SAME_JAVA_UTF8_VALIDATION reads java_string_check_utf8", () => {
    const p3 = (opt: string) => ({ "m.proto": `syntax = "proto2";\n${opt}message M {\n  optional string s = 1;\n}\n` });
    checkCases("FIELD_SAME_JAVA_UTF8_VALIDATION", [
      {
        name: "file option turned on points at the file option",
        before: p3(""),
        after: p3("option java_string_check_utf8 = true;\n"),
        findings: [{ rule: "FIELD_SAME_JAVA_UTF8_VALIDATION", path: "M.s", at: "m.proto:2:1", message: 'Field "1" with name "s" on message "M" changed Java string UTF8 validation from "NONE" to "VERIFY".' }],
      },
    ]);
  });

  test("PACKAGE_SERVICE_NO_DELETE points at the file that held the service", () => {
    const svc = 'syntax = "proto3";\npackage p;\nmessage R {}\nservice S { rpc Get(R) returns (R); }\n';
    checkCases("PACKAGE_SERVICE_NO_DELETE", [
      { name: "deleted service", before: { "s.proto": svc }, after: { "s.proto": 'syntax = "proto3";\npackage p;\nmessage R {}\n' }, findings: [{ rule: "PACKAGE_SERVICE_NO_DELETE", path: "p.S", at: "s.proto:1:1" }] },
      { name: "service moved to another file of the package", before: { "s.proto": svc, "t.proto": 'syntax = "proto3";\npackage p;\n' }, after: { "s.proto": 'syntax = "proto3";\npackage p;\nmessage R {}\n', "t.proto": 'syntax = "proto3";\npackage p;\nimport "s.proto";\nservice S { rpc Get(R) returns (R); }\n' }, findings: [] },
    ]);
  });
});
