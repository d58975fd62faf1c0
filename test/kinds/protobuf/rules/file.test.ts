import { describe, test } from "bun:test";
import { checkCases } from "../helpers.ts";

const file = (pkg: string, extra = "") => `syntax = "proto3";\n${extra}package ${pkg};\nmessage M {}\n`;

describe("file and package rules", () => {
  test("FILE_NO_DELETE has no new location", () => {
    checkCases("FILE_NO_DELETE", [
      {
        name: "deleted file",
        before: { "a.proto": file("p"), "b.proto": file("q") },
        after: { "a.proto": file("p") },
        findings: [{ rule: "FILE_NO_DELETE", path: "b.proto", at: undefined, message: 'Previously present file "b.proto" was deleted.' }],
      },
    ]);
  });

  test("FILE_SAME_PACKAGE and FILE_SAME_GO_PACKAGE point at the statement", () => {
    checkCases("FILE_SAME_PACKAGE", [
      { name: "package changed", before: { "a.proto": file("p") }, after: { "a.proto": file("q") }, findings: [{ rule: "FILE_SAME_PACKAGE", path: "a.proto", at: "a.proto:2:1", message: 'File package changed from "p" to "q".' }] },
    ]);
    checkCases("FILE_SAME_GO_PACKAGE", [
      {
        name: "go_package changed",
        before: { "a.proto": file("p", 'option go_package = "x";\n') },
        after: { "a.proto": file("p", 'option go_package = "y";\n') },
        findings: [{ rule: "FILE_SAME_GO_PACKAGE", path: "a.proto", at: "a.proto:2:1", message: 'File option "go_package" changed from "x" to "y".' }],
      },
      { name: "go_package removed points at the file", before: { "a.proto": file("p", 'option go_package = "x";\n') }, after: { "a.proto": file("p") }, findings: [{ rule: "FILE_SAME_GO_PACKAGE", path: "a.proto", at: "a.proto:1:1" }] },
    ]);
  });

  test("PACKAGE rules tolerate moves between files of one package", () => {
    const before = { "a.proto": 'syntax = "proto3";\npackage p;\nmessage A {}\nmessage B {}\n', "b.proto": 'syntax = "proto3";\npackage p;\n' };
    const after = { "a.proto": 'syntax = "proto3";\npackage p;\nmessage A {}\n', "b.proto": 'syntax = "proto3";\npackage p;\nmessage B {}\n' };
    checkCases("PACKAGE_MESSAGE_NO_DELETE", [{ name: "message moved within the package", before, after, findings: [] }]);
    checkCases("MESSAGE_NO_DELETE", [{ name: "but it left its file", before, after, findings: [{ rule: "MESSAGE_NO_DELETE", path: "p.B", at: "a.proto:1:1" }] }]);
    checkCases("PACKAGE_NO_DELETE", [
      {
        name: "package removed",
        before: { "a.proto": file("p"), "b.proto": 'syntax = "proto3";\npackage gone;\n' },
        after: { "a.proto": file("p"), "b.proto": 'syntax = "proto3";\npackage p;\n' },
        findings: [{ rule: "PACKAGE_NO_DELETE", path: "gone", at: undefined, message: 'Previously present package "gone" was deleted.' }],
      },
    ]);
  });
});
