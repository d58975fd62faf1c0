import { describe, expect, test } from "bun:test";
import type { Finding } from "../../../../src/core/finding.ts";
import engine, { diffModels, type ProtobufSettings } from "../../../../src/kinds/protobuf/index.ts";
import { ADDITION_IDS } from "../../../../src/kinds/protobuf/rules/additions.ts";
import { load, proto } from "../helpers.ts";

const OWN = new Set<string>(ADDITION_IDS);

interface Row {
  rule: string;
  path: string;
  at: string;
  old?: string;
  message?: string;
}

const loc = (l?: { file: string; line: number; column: number }) => (l ? `${l.file}:${l.line}:${l.column}` : undefined);

/** Additions and deprecations between two versions, as comparable rows (buf's findings left out). */
function additions(before: Record<string, string>, after: Record<string, string>, settings: ProtobufSettings = {}): Finding[] {
  return diffModels(load(before), load(after), { rename_hints: false, ...settings }).filter((f) => OWN.has(f.rule));
}

interface Case {
  name: string;
  before: Record<string, string>;
  after: Record<string, string>;
  findings: Row[];
}

function check(cases: Case[]): void {
  for (const c of cases) {
    const sort = <T extends { rule: string; path: string }>(xs: T[]) => [...xs].sort((a, b) => (a.rule + a.path < b.rule + b.path ? -1 : 1));
    const got = sort(
      additions(c.before, c.after).map((f) => ({ rule: f.rule, path: f.path, at: loc(f.new)!, old: loc(f.old), message: f.message, severity: f.severity })),
    );
    const want = sort(c.findings);
    expect(got.map(({ rule, path, at }) => ({ rule, path, at })), c.name).toEqual(want.map(({ rule, path, at }) => ({ rule, path, at })));
    want.forEach((w, i) => {
      expect(got[i]!.severity, c.name).toBe("safe");
      if ("old" in w) expect(got[i]!.old, `${c.name}: old of ${w.path}`).toBe(w.old);
      if (w.message !== undefined) expect(got[i]!.message, c.name).toBe(w.message);
    });
  }
}

const users = proto`
  syntax = "proto3";
  package acme.users.v1;
  message User {
    string id = 1;
    string email = 2;
  }
  enum Status {
    STATUS_UNSPECIFIED = 0;
    STATUS_ACTIVE = 1;
  }
  service Users {
    rpc GetUser(User) returns (User);
  }
`;

describe("additions (safe, comms' own ids)", () => {
  test("unchanged and reordered contracts add nothing; a renamed field is not an addition", () => {
    check([
      { name: "unchanged", before: { "u.proto": users }, after: { "u.proto": users }, findings: [] },
      { name: "renamed field", before: { "u.proto": users }, after: { "u.proto": users.replace("string email = 2;", "string mail = 2;") }, findings: [] },
      {
        name: "renamed enum value",
        before: { "u.proto": users },
        after: { "u.proto": users.replace("STATUS_ACTIVE = 1;", "STATUS_ON = 1;") },
        findings: [],
      },
    ]);
  });

  test("FIELD_ADDED points at the field, old at the message it was added to; a new message's fields are part of MESSAGE_ADDED", () => {
    const after = proto`
      syntax = "proto3";
      package acme.users.v1;
      message User {
        string id = 1;
        string email = 2;
        optional string phone = 3;
        map<string, string> labels = 4;
        message Address { string city = 1; }
      }
      message Team {
        string name = 1;
        message Member { string user_id = 1; }
        enum Role { ROLE_UNSPECIFIED = 0; }
      }
    `;
    check([
      {
        name: "fields, nested and top-level messages",
        before: { "u.proto": users },
        after: { "u.proto": after + users.slice(users.indexOf("enum Status")) },
        findings: [
          { rule: "FIELD_ADDED", path: "acme.users.v1.User.phone", at: "u.proto:6:3", old: "u.proto:3:1", message: 'Field "3" with name "phone" on message "User" was added.' },
          { rule: "FIELD_ADDED", path: "acme.users.v1.User.labels", at: "u.proto:7:3", old: "u.proto:3:1" },
          { rule: "MESSAGE_ADDED", path: "acme.users.v1.User.Address", at: "u.proto:8:3", old: "u.proto:3:1", message: 'Message "Address" was added to message "User".' },
          { rule: "MESSAGE_ADDED", path: "acme.users.v1.Team", at: "u.proto:10:1", old: undefined, message: 'Message "Team" was added to package "acme.users.v1".' },
        ],
      },
    ]);
  });

  test("a proto2 group field is one FIELD_ADDED (its message comes with it)", () => {
    const v1 = 'syntax = "proto2";\npackage g;\nmessage M {\n  optional string a = 1;\n}\n';
    const v2 = 'syntax = "proto2";\npackage g;\nmessage M {\n  optional string a = 1;\n  optional group Extra = 2 { optional string b = 3; }\n}\n';
    check([{ name: "group", before: { "g.proto": v1 }, after: { "g.proto": v2 }, findings: [{ rule: "FIELD_ADDED", path: "g.M.extra", at: "g.proto:5:3" }] }]);
  });

  test("ONEOF_ADDED covers its new fields; a proto3 optional field is a field, not a oneof", () => {
    const after = users.replace("  string email = 2;\n", "  oneof contact {\n    string email = 2;\n    string fax = 3;\n  }\n  optional int32 age = 4;\n");
    check([
      {
        name: "new oneof around an existing and a new field",
        before: { "u.proto": users },
        after: { "u.proto": after },
        findings: [
          { rule: "ONEOF_ADDED", path: "acme.users.v1.User.contact", at: "u.proto:5:3", old: "u.proto:3:1", message: 'Oneof "contact" on message "User" was added.' },
          { rule: "FIELD_ADDED", path: "acme.users.v1.User.age", at: "u.proto:9:3" },
        ],
      },
      {
        name: "new field in an existing oneof",
        before: { "u.proto": after },
        after: { "u.proto": after.replace("string fax = 3;", "string fax = 3;\n    string pager = 5;") },
        findings: [{ rule: "FIELD_ADDED", path: "acme.users.v1.User.pager", at: "u.proto:8:5" }],
      },
    ]);
  });

  test("ENUM_ADDED and ENUM_VALUE_ADDED (aliases too); a new enum's values are part of it", () => {
    const after = users
      .replace("  STATUS_ACTIVE = 1;\n", "  option allow_alias = true;\n  STATUS_ACTIVE = 1;\n  STATUS_ENABLED = 1;\n  STATUS_BLOCKED = 2;\n")
      .replace("  string email = 2;\n", "  string email = 2;\n  enum Kind { KIND_UNSPECIFIED = 0; }\n");
    check([
      {
        name: "enum values and nested enum",
        before: { "u.proto": users },
        after: { "u.proto": after + "enum Plan {\n  PLAN_UNSPECIFIED = 0;\n  PLAN_PRO = 1;\n}\n" },
        findings: [
          { rule: "ENUM_ADDED", path: "acme.users.v1.User.Kind", at: "u.proto:6:3", old: "u.proto:3:1", message: 'Enum "Kind" was added to message "User".' },
          { rule: "ENUM_VALUE_ADDED", path: "acme.users.v1.Status.STATUS_ENABLED", at: "u.proto:12:3", old: "u.proto:7:1", message: 'Enum value "1" with name "STATUS_ENABLED" on enum "Status" was added.' },
          { rule: "ENUM_VALUE_ADDED", path: "acme.users.v1.Status.STATUS_BLOCKED", at: "u.proto:13:3", old: "u.proto:7:1" },
          { rule: "ENUM_ADDED", path: "acme.users.v1.Plan", at: "u.proto:18:1", old: undefined, message: 'Enum "Plan" was added to package "acme.users.v1".' },
        ],
      },
    ]);
  });

  test("SERVICE_ADDED covers its rpcs; RPC_ADDED points at the rpc, old at the service", () => {
    const after = users.replace("  rpc GetUser(User) returns (User);\n", "  rpc GetUser(User) returns (User);\n  rpc DeleteUser(User) returns (User);\n");
    check([
      {
        name: "rpc and service",
        before: { "u.proto": users },
        after: { "u.proto": after + "service Admin {\n  rpc Ban(User) returns (User);\n}\n" },
        findings: [
          { rule: "RPC_ADDED", path: "acme.users.v1.Users.DeleteUser", at: "u.proto:13:3", old: "u.proto:11:1", message: 'RPC "DeleteUser" on service "Users" was added.' },
          { rule: "SERVICE_ADDED", path: "acme.users.v1.Admin", at: "u.proto:15:1", old: undefined, message: 'Service "Admin" was added to package "acme.users.v1".' },
        ],
      },
    ]);
  });

  test("EXTENSION_ADDED at top level and in an existing message; not inside a new message", () => {
    const base = proto`
      syntax = "proto2";
      package x;
      message Target { extensions 100 to 200; }
      message Holder {}
    `;
    const after =
      base.replace("message Holder {}", "message Holder {\n  extend Target { optional string held = 101; }\n}") +
      "extend Target { optional int32 top = 100; }\nmessage Fresh {\n  extend Target { optional bool fresh = 102; }\n}\n";
    check([
      {
        name: "extensions",
        before: { "x.proto": base },
        after: { "x.proto": after },
        findings: [
          { rule: "EXTENSION_ADDED", path: "x.Holder.held", at: "x.proto:5:19", old: "x.proto:4:1", message: 'Extension "101" with name "x.Holder.held" on message "x.Target" was added.' },
          { rule: "EXTENSION_ADDED", path: "x.top", at: "x.proto:7:17", old: undefined },
          { rule: "MESSAGE_ADDED", path: "x.Fresh", at: "x.proto:8:1" },
        ],
      },
    ]);
  });

  test("FILE_ADDED and PACKAGE_ADDED: a new package's declarations are part of it; a type moved to a new file is not new", () => {
    const moved = users.replace(/enum Status \{[^}]*\}\n/, "");
    const statusFile = 'syntax = "proto3";\npackage acme.users.v1;\nenum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_ACTIVE = 1;\n}\nmessage Page { int32 size = 1; }\n';
    const v2 = 'syntax = "proto3";\n\npackage acme.users.v2;\nmessage User { string id = 1; }\n';
    check([
      {
        name: "new file in an existing package, new package with two files",
        before: { "acme/users/v1/u.proto": users },
        after: { "acme/users/v1/u.proto": moved, "acme/users/v1/status.proto": statusFile, "acme/users/v2/u.proto": v2, "acme/users/v2/a.proto": v2.replace("User", "Admin") },
        findings: [
          { rule: "FILE_ADDED", path: "acme/users/v1/status.proto", at: "acme/users/v1/status.proto:1:1", old: undefined, message: 'File "acme/users/v1/status.proto" was added.' },
          { rule: "MESSAGE_ADDED", path: "acme.users.v1.Page", at: "acme/users/v1/status.proto:7:1" },
          { rule: "FILE_ADDED", path: "acme/users/v2/u.proto", at: "acme/users/v2/u.proto:1:1" },
          { rule: "FILE_ADDED", path: "acme/users/v2/a.proto", at: "acme/users/v2/a.proto:1:1" },
          { rule: "PACKAGE_ADDED", path: "acme.users.v2", at: "acme/users/v2/a.proto:3:1", old: undefined, message: 'Package "acme.users.v2" was added (2 files).' },
        ],
      },
    ]);
  });

  test("*_DEPRECATED when an existing element becomes deprecated = true", () => {
    const after = proto`
      syntax = "proto3";
      package acme.users.v1;
      message User {
        option deprecated = true;
        string id = 1;
        string email = 2 [deprecated = true];
      }
      enum Status {
        option deprecated = true;
        STATUS_UNSPECIFIED = 0;
        STATUS_ACTIVE = 1 [deprecated = true];
      }
      service Users {
        option deprecated = true;
        rpc GetUser(User) returns (User) { option deprecated = true; }
      }
    `;
    check([
      {
        name: "deprecations",
        before: { "u.proto": users },
        after: { "u.proto": after },
        findings: [
          { rule: "MESSAGE_DEPRECATED", path: "acme.users.v1.User", at: "u.proto:3:1", old: "u.proto:3:1", message: 'Message "User" was deprecated.' },
          { rule: "FIELD_DEPRECATED", path: "acme.users.v1.User.email", at: "u.proto:6:3", old: "u.proto:5:3", message: 'Field "2" with name "email" on message "User" was deprecated.' },
          { rule: "ENUM_DEPRECATED", path: "acme.users.v1.Status", at: "u.proto:8:1" },
          { rule: "ENUM_VALUE_DEPRECATED", path: "acme.users.v1.Status.STATUS_ACTIVE", at: "u.proto:11:3", old: "u.proto:9:3" },
          { rule: "SERVICE_DEPRECATED", path: "acme.users.v1.Users", at: "u.proto:13:1" },
          { rule: "RPC_DEPRECATED", path: "acme.users.v1.Users.GetUser", at: "u.proto:15:3", old: "u.proto:12:3", message: 'RPC "GetUser" on service "Users" was deprecated.' },
        ],
      },
      { name: "already deprecated", before: { "u.proto": after }, after: { "u.proto": after.replace("string id = 1;", "string id = 1;\n") }, findings: [] },
    ]);
  });

  test("additions run whatever `use` selects; `except` and `additions: false` turn them off", () => {
    const after = users.replace("  string email = 2;\n", "  string email = 2;\n  string phone = 3;\n") + "message Team {}\n";
    const rules = (settings: ProtobufSettings) => additions({ "u.proto": users }, { "u.proto": after }, settings).map((f) => f.rule).sort();
    expect(rules({})).toEqual(["FIELD_ADDED", "MESSAGE_ADDED"]);
    expect(rules({ use: ["WIRE"] })).toEqual(["FIELD_ADDED", "MESSAGE_ADDED"]);
    expect(rules({ except: ["FIELD_ADDED"] })).toEqual(["MESSAGE_ADDED"]);
    expect(rules({ additions: false })).toEqual([]);
    expect(rules({ ignore: ["u.proto"] })).toEqual([]);
    const buf = diffModels(load({ "u.proto": users, "buf.yaml": "version: v2\nbreaking:\n  except: [MESSAGE_ADDED]\n" }), load({ "u.proto": after, "buf.yaml": "version: v2\nbreaking:\n  except: [MESSAGE_ADDED]\n" }), {});
    expect(buf.map((f) => f.rule)).toEqual(["FIELD_ADDED"]);
  });

  test("the catalogue lists them as safe, in no buf category", () => {
    const infos = engine.rules().filter((r) => OWN.has(r.id));
    expect(infos.map((r) => r.id).sort()).toEqual([...ADDITION_IDS].sort());
    for (const r of infos) expect(r).toMatchObject({ severity: "safe", categories: [] });
    expect(infos.every((r) => r.summary && r.why)).toBe(true);
  });
});
