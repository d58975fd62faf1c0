import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/protobuf/index.ts";
import { RULES } from "../../../src/kinds/protobuf/rules/index.ts";

describe("protobuf engine", () => {
  test("the catalogue has buf's 64 active rules with buf's category sizes (CSR too), plus the rename hint and the 16 safe additions", () => {
    const infos = engine.rules();
    expect(new Set(infos.map((r) => r.id)).size).toBe(infos.length);
    const count = (c: string) => infos.filter((r) => r.categories?.includes(c)).length;
    expect([count("FILE"), count("PACKAGE"), count("WIRE_JSON"), count("WIRE"), count("CSR")]).toEqual([51, 51, 22, 15, 32]);
    expect(infos.filter((r) => r.severity === "breaking")).toHaveLength(64);
    expect(infos.filter((r) => r.severity === "safe")).toHaveLength(17);
    expect(infos.find((r) => r.id === "FIELD_RENAMED_HINT")).toMatchObject({ severity: "safe", categories: [] });
    expect(RULES.map((r) => r.id)).toEqual([...RULES.map((r) => r.id)].sort());
  });

  test("every rule explains what breaks for a consumer, and each file option rule names its own consequence", () => {
    for (const r of engine.rules()) {
      expect({ id: r.id, why: typeof r.why === "string" && r.why.length > 30 && r.why.endsWith(".") }).toEqual({ id: r.id, why: true });
      expect(r.why).not.toBe(r.summary);
    }
    const options = engine.rules().filter((r) => r.id.startsWith("FILE_SAME_") && !["FILE_SAME_PACKAGE", "FILE_SAME_SYNTAX"].includes(r.id));
    expect(options.length).toBeGreaterThan(10);
    expect(new Set(options.map((r) => r.why)).size).toBe(options.length);
  });

  test("load and diff through the Engine interface, with comms settings", async () => {
    const reader = new MemoryReader({
      "old/api.proto": 'syntax = "proto3";\npackage acme.users.v1;\nmessage User {\n  string id = 1;\n  string email = 2 [deprecated = true];\n}\n',
      "new/api.proto": 'syntax = "proto3";\npackage acme.users.v1;\nmessage User {\n  string id = 1;\n}\n',
    });
    const warn = () => {};
    const before = await engine.load({ reader, path: "old" }, { settings: {}, warn });
    const after = await engine.load({ reader, path: "new" }, { settings: {}, warn });
    expect(before.files).toEqual(["old/api.proto"]);
    const findings = await engine.diff(before, after, { settings: { use: ["WIRE_JSON"] }, warn });
    // The new location is the enclosing message (as buf reports it); the old one is the deleted field itself.
    // The field was deprecated, but that does not stop its number or name from being reused: no `deprecated` fact.
    expect(findings.map((f) => [f.rule, f.severity, f.path, f.new?.file, f.new?.line, f.old?.line, f.deprecated])).toEqual([
      ["FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "breaking", "acme.users.v1.User.email", "new/api.proto", 3, 5, undefined],
      ["FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "breaking", "acme.users.v1.User.email", "new/api.proto", 3, 5, undefined],
    ]);
    expect(engine.deprecation?.(before, "acme.users.v1.User.email")).toEqual({});
    expect(engine.deprecation?.(before, "acme.users.v1.User.id")).toBeUndefined();
  });
});
