import { describe, expect, test } from "bun:test";
import { MemoryReader } from "../../../src/core/source.ts";
import { diffModels } from "../../../src/kinds/protobuf/index.ts";
import { locate } from "../../../src/kinds/protobuf/link.ts";
import { loadProto } from "../../../src/kinds/protobuf/load.ts";
import type { Enum, Field, Message } from "../../../src/kinds/protobuf/model.ts";
import { mapEntryName, parseProto } from "../../../src/kinds/protobuf/parser.ts";
import { cardinality, fieldKind, indexOf } from "../../../src/kinds/protobuf/rules/context.ts";
import { load, proto } from "./helpers.ts";

const where = (f: { file: Parameters<typeof locate>[0] }, span: number) => {
  const l = locate(f.file, span);
  return `${l.line}:${l.column}-${l.endLine}:${l.endColumn}`;
};

describe("parser", () => {
  test("proto2 with groups, extensions, defaults, reserved and comments keeps exact spans", () => {
    const text = proto`
      // leading comment
      syntax = "proto2"; /* trailing */
      package acme.v1;
      message Order {
        optional int32 id = 1 [default = 7, json_name = "ident"];
        optional group Item = 2 {
          required string sku = 1;
        }
        extensions 100 to max;
        reserved 5, 8 to 10;
        reserved "legacy";
      }
      extend Order { optional string note = 100; }
    `;
    const f = parseProto(text, "o.proto");
    const order = f.messages[0]!;
    expect(f.syntax).toBe("proto2");
    expect(where({ file: f }, f.syntaxSpan!)).toBe("2:1-2:19");
    expect(where({ file: f }, order.span)).toBe("4:1-12:2");
    const id = order.fields[0]!;
    expect([id.name, id.number, id.label, id.type]).toEqual(["id", 1, "optional", "int32"]);
    expect(where({ file: f }, id.span)).toBe("5:3-5:60");
    expect(where({ file: f }, id.typeSpan)).toBe("5:12-5:17");
    expect(id.options.map((o) => [o.name, o.value.text, where({ file: f }, o.span)])).toEqual([
      ["default", "7", "5:26-5:37"],
      ["json_name", "ident", "5:39-5:58"],
    ]);
    const item = order.fields[1]!;
    expect([item.name, item.type, item.typeRef]).toEqual(["item", "group", "Item"]);
    expect(order.messages.map((m) => m.nestedName)).toEqual(["Order.Item"]);
    expect(order.extensionRanges).toEqual([{ start: 100, end: 536870911 }]);
    expect(order.reservedRanges).toEqual([{ start: 5, end: 5 }, { start: 8, end: 10 }]);
    expect(order.reservedNames).toEqual(["legacy"]);
    expect(f.extensions.map((x) => [x.fullName, x.extendeeRef])).toEqual([["acme.v1.note", "Order"]]);
  });

  test("proto3 maps, oneofs, optional and services", () => {
    const f = parseProto(
      proto`
        syntax = "proto3";
        message User {
          map<string, int64> counts = 1;
          oneof contact { string phone = 2; string mail = 3; }
          optional string nick = 4;
        }
        service Users {
          rpc Watch(stream User) returns (stream User) { option idempotency_level = NO_SIDE_EFFECTS; }
        }
      `,
      "u.proto",
    );
    const user = f.messages[0]!;
    expect(user.messages.map((m) => [m.name, m.mapEntry, m.fields.map((x) => x.name)])).toEqual([["CountsEntry", true, ["key", "value"]]]);
    expect(user.oneofs.map((o) => [o.name, o.synthetic, o.fields.map((x) => x.name)])).toEqual([
      ["contact", false, ["phone", "mail"]],
      ["_nick", true, ["nick"]],
    ]);
    const m = f.services[0]!.methods[0]!;
    expect([m.clientStreaming, m.serverStreaming, m.inputRef, m.options[0]!.value.text]).toEqual([true, true, "User", "NO_SIDE_EFFECTS"]);
    expect(mapEntryName("foo_bar_baz")).toBe("FooBarBazEntry");
  });

  test("editions 2023 and 2024 with features, custom options and aggregate values", () => {
    const model = load({
      "opts.proto": proto`
        syntax = "proto3";
        package my;
        import "google/protobuf/descriptor.proto";
        extend google.protobuf.FieldOptions { Rule rule = 50001; }
        message Rule { int32 min = 1; }
      `,
      "e.proto": proto`
        edition = "2024";
        package ed;
        import "opts.proto";
        option features.field_presence = IMPLICIT;
        message M {
          int32 a = 1 [(my.rule) = { min: 1 }, (my.rule).min = 2];
          int32 b = 2 [features.field_presence = EXPLICIT];
          M child = 3 [features.message_encoding = DELIMITED];
          string s = 4;
        }
        enum E { option features.enum_type = CLOSED; E_ZERO = 0; }
      `,
    });
    const idx = indexOf(model);
    const m = idx.messages.get("ed.M")!;
    const [a, b, child, s] = m.fields as [Field, Field, Field, Field];
    expect(a.options.map((o) => [o.name, o.value.kind])).toEqual([["(my.rule)", "aggregate"], ["(my.rule).min", "number"]]);
    expect([cardinality(a), cardinality(b)]).toEqual(["optional with implicit presence", "optional with explicit presence"]);
    expect(fieldKind(child)).toBe("group");
    expect(s.features.cppStringType).toBe("VIEW");
    expect((idx.enums.get("ed.E") as Enum).features.enumType).toBe("CLOSED");
  });

  test("edition 2024 visibility modifiers are accepted", () => {
    const f = parseProto('edition = "2024";\npackage p;\nexport message A {\n  local enum E { E_Z = 0; }\n  int32 export = 1;\n}\nlocal message C {}\n', "v.proto");
    expect(f.messages.map((m) => [m.name, m.enums.map((e) => e.name), m.fields.map((x) => x.name)])).toEqual([
      ["A", ["E"], ["export"]],
      ["C", [], []],
    ]);
  });

  test("type references resolve the way protoc resolves them", () => {
    const model = load({
      "a.proto": proto`
        syntax = "proto3";
        package a.b;
        import public "c.proto";
        import "google/protobuf/timestamp.proto";
        message Outer {
          message Inner {}
          Inner x = 1;      // a.b.Outer.Inner
          b.Outer y = 2;    // 'b' binds to package a.b
          .c.Other z = 3;   // fully qualified
          Other w = 4;      // a.b.Other, found in an outer scope
          google.protobuf.Timestamp t = 5;
        }
        message Other {}
      `,
      "c.proto": 'syntax = "proto3";\npackage c;\nimport "google/protobuf/timestamp.proto";\nmessage Other {}\n',
    });
    const outer = indexOf(model).messages.get("a.b.Outer") as Message;
    expect(outer.fields.map((f) => f.typeName)).toEqual([".a.b.Outer.Inner", ".a.b.Outer", ".c.Other", ".a.b.Other", ".google.protobuf.Timestamp"]);
  });

  test("two single files compare as one file whatever their names", () => {
    const reader = new MemoryReader({
      "v1/users.proto": 'syntax = "proto3";\nmessage U { string a = 1; }\n',
      "v2/users-next.proto": 'syntax = "proto3";\nmessage U { }\n',
    });
    const before = loadProto({ reader, path: "v1/users.proto" });
    const after = loadProto({ reader, path: "v2/users-next.proto" });
    const findings = diffModels(before, after, { rename_hints: false });
    expect(findings.map((f) => [f.rule, f.path, `${f.new!.file}:${f.new!.line}:${f.new!.column}`])).toEqual([["FIELD_NO_DELETE", "U.a", "v2/users-next.proto:2:1"]]);
  });
});
