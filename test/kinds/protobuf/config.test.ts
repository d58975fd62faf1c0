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

  test("ignore paths may name the module directory of a v2 workspace", () => {
    const yaml = "version: v2\nmodules:\n  - path: proto\nbreaking:\n  ignore: [proto/acme/v1beta1]\n";
    const prefix = (files: Record<string, string>) => Object.fromEntries([...Object.entries(files).map(([k, v]) => [`proto/${k}`, v]), ["buf.yaml", yaml]]);
    const found = diffModels(load(prefix(before)), load(prefix(after)), { rename_hints: false });
    expect(found.map((f) => f.path)).toEqual(["acme.v1.A.y"]);
  });

  test("buf.yaml v1beta1 roots and v2 module excludes define import paths", () => {
    const v1beta1 = load({ "buf.yaml": "version: v1beta1\nbuild:\n  roots: [proto]\n", "proto/x/a.proto": 'syntax = "proto3";\nimport "x/b.proto";\n', "proto/x/b.proto": 'syntax = "proto3";\n' });
    expect([...v1beta1.files.keys()]).toEqual(["x/a.proto", "x/b.proto"]);
    const v2 = load({ "buf.yaml": "version: v2\nmodules:\n  - path: .\n    excludes: [vendor]\n", "a.proto": 'syntax = "proto3";\n', "vendor/v.proto": "garbage" });
    expect([...v2.files.keys()]).toEqual(["a.proto"]);
  });

  test("a buf.work.yaml workspace loads every module directory, each with its own roots", () => {
    const ws = load({
      "buf.work.yaml": "version: v1\ndirectories: [api, vendor]\n",
      "api/buf.yaml": "version: v1\nbreaking:\n  use: [WIRE]\n",
      "api/acme/v1/a.proto": 'syntax = "proto3";\npackage acme.v1;\nimport "ext/e.proto";\nmessage A { ext.E e = 1; }\n',
      "vendor/ext/e.proto": 'syntax = "proto3";\npackage ext;\nmessage E {}\n',
    });
    expect([...ws.files.keys()]).toEqual(["acme/v1/a.proto", "ext/e.proto"]);
    expect(ws.breaking).toEqual({ use: ["WIRE"] });
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
    expect(hint).toMatchObject({ severity: "safe", path: "p.M.mail", new: { file: "m.proto", line: 4, column: 10 } });
    expect(hint.message).toBe('Field "1" on message "M" was renamed from "email" to "mail": breaks FILE, PACKAGE, WIRE_JSON; wire-compatible (WIRE).');
    expect(findings.filter((f) => f.rule !== "FIELD_RENAMED_HINT").map((f) => f.rule).sort()).toEqual(["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"]);
    expect(diffModels(load(b), load(a), { rename_hints: false }).some((f) => f.rule === "FIELD_RENAMED_HINT")).toBe(false);
  });

  test("renamed enum values and renames that keep json_name are described as such", () => {
    const e = (name: string) => ({ "e.proto": `syntax = "proto3";\nenum S {\n  S_ZERO = 0;\n  ${name} = 1;\n}\nmessage M {\n  string a = 1 [json_name = "x"];\n}\n` });
    const moved = { ...e("S_ON"), "e.proto": e("S_ON")["e.proto"].replace("string a = 1", "string b = 1") };
    const hints = diffModels(load(e("S_ACTIVE")), load(moved), {}).filter((f) => f.rule === "FIELD_RENAMED_HINT");
    expect(hints.map((f) => [f.path, f.message])).toEqual([
      ["M.b", 'Field "1" on message "M" was renamed from "a" to "b": breaks FILE, PACKAGE; wire-compatible (WIRE) and JSON-compatible (json_name kept).'],
      ["S.S_ON", 'Enum value "1" on enum "S" was renamed from "S_ACTIVE" to "S_ON": breaks FILE, PACKAGE, WIRE_JSON; wire-compatible (WIRE).'],
    ]);
  });
});
