import { describe, expect, test } from "bun:test";
import { diffModels, isUnstablePackage, selectRules } from "../../../src/kinds/protobuf/index.ts";
import { diff, load } from "./helpers.ts";

const before = {
  "acme/v1/a.proto": 'syntax = "proto3";\npackage acme.v1;\nmessage A { string x = 1; string y = 2; }\n',
  "acme/v1beta1/b.proto": 'syntax = "proto3";\npackage acme.v1beta1;\nmessage B { string x = 1; }\n',
};
const after = {
  "acme/v1/a.proto": 'syntax = "proto3";\npackage acme.v1;\nmessage A { string x = 1; reserved 2; }\n',
  "acme/v1beta1/b.proto": 'syntax = "proto3";\npackage acme.v1beta1;\nmessage B {}\n',
};
const rules = (settings: Parameters<typeof diff>[2]) => diff(before, after, settings).map((f) => `${f.rule} ${f.path}`).sort();

describe("rule selection and ignores", () => {
  test("FILE is the default; categories are rule selections", () => {
    expect(rules({})).toEqual(["FIELD_NO_DELETE acme.v1.A.y", "FIELD_NO_DELETE acme.v1beta1.B.x"]);
    expect(rules({ use: ["WIRE"] })).toEqual(["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED acme.v1beta1.B.x"]);
    expect(rules({ use: ["WIRE_JSON"] })).toEqual([
      "FIELD_NO_DELETE_UNLESS_NAME_RESERVED acme.v1.A.y",
      "FIELD_NO_DELETE_UNLESS_NAME_RESERVED acme.v1beta1.B.x",
      "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED acme.v1beta1.B.x",
    ]);
  });

  test("except, ignore, ignore_only and ignore_unstable_packages", () => {
    expect(rules({ except: ["FIELD_NO_DELETE"] })).toEqual([]);
    expect(rules({ ignore: ["acme/v1beta1"] })).toEqual(["FIELD_NO_DELETE acme.v1.A.y"]);
    expect(rules({ ignore_only: { FIELD_NO_DELETE: ["acme/v1/a.proto"] } })).toEqual(["FIELD_NO_DELETE acme.v1beta1.B.x"]);
    expect(rules({ ignore_only: { FILE: ["acme/v1"] } })).toEqual(["FIELD_NO_DELETE acme.v1beta1.B.x"]);
    expect(rules({ ignore_unstable_packages: true })).toEqual(["FIELD_NO_DELETE acme.v1.A.y"]);
  });

  test("buf.yaml breaking settings apply, and comms settings override them", () => {
    const withYaml = (files: Record<string, string>) => ({ ...files, "buf.yaml": "version: v2\nbreaking:\n  use: [WIRE]\n" });
    const a = diffModels(load(withYaml(before)), load(withYaml(after)), { rename_hints: false });
    expect(a.map((f) => f.rule)).toEqual(["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED"]);
    const b = diffModels(load(withYaml(before)), load(withYaml(after)), { use: ["FILE"], rename_hints: false });
    expect(b.map((f) => f.rule).sort()).toEqual(["FIELD_NO_DELETE", "FIELD_NO_DELETE"]);
  });

  test("buf.yaml v1beta1 roots and v2 module excludes define import paths", () => {
    const v1beta1 = load({ "buf.yaml": "version: v1beta1\nbuild:\n  roots: [proto]\n", "proto/x/a.proto": 'syntax = "proto3";\nimport "x/b.proto";\n', "proto/x/b.proto": 'syntax = "proto3";\n' });
    expect([...v1beta1.files.keys()]).toEqual(["x/a.proto", "x/b.proto"]);
    const v2 = load({ "buf.yaml": "version: v2\nmodules:\n  - path: .\n    excludes: [vendor]\n", "a.proto": 'syntax = "proto3";\n', "vendor/v.proto": "garbage" });
    expect([...v2.files.keys()]).toEqual(["a.proto"]);
  });

  test("deprecated v1 ids map to their replacements; unknown ids warn", () => {
    const warnings: string[] = [];
    const ids = selectRules({ use: ["FIELD_SAME_LABEL", "NOT_A_RULE"] }, (m) => warnings.push(m)).map((r) => r.id);
    expect(ids).toEqual(["FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]);
    expect(warnings).toEqual(["protobuf: unknown breaking rule or category 'NOT_A_RULE' ignored"]);
  });

  test("unstable package versions", () => {
    expect(["a.v1alpha1", "a.v1beta2", "a.v1test", "a.v1p1beta1"].map(isUnstablePackage)).toEqual([true, true, true, true]);
    expect(["a.v1", "a.v2", "a", "a.alpha"].map(isUnstablePackage)).toEqual([false, false, false, false]);
  });
});

describe("rename hints", () => {
  test("a field that keeps number and type but changes name gets one extra hint finding", () => {
    const b = { "m.proto": 'syntax = "proto3";\npackage p;\nmessage M {\n  string email = 1;\n}\n' };
    const a = { "m.proto": 'syntax = "proto3";\npackage p;\nmessage M {\n  string mail = 1;\n}\n' };
    const findings = diffModels(load(b), load(a), {});
    const hint = findings.find((f) => f.rule === "FIELD_RENAMED_HINT")!;
    expect(hint).toMatchObject({ severity: "dangerous", path: "p.M.mail", new: { file: "m.proto", line: 4, column: 10 } });
    expect(hint.message).toBe('Field "1" on message "M" was renamed from "email" to "mail": breaks FILE, PACKAGE, WIRE_JSON; wire-compatible (WIRE).');
    expect(findings.filter((f) => f.rule !== "FIELD_RENAMED_HINT").map((f) => f.rule).sort()).toEqual(["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]);
    expect(diffModels(load(b), load(a), { rename_hints: false }).some((f) => f.rule === "FIELD_RENAMED_HINT")).toBe(false);
  });
});
