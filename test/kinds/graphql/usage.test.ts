import { describe, expect, test } from "bun:test";
import { ContractError } from "../../../src/core/errors.ts";
import type { Finding } from "../../../src/core/finding.ts";
import { at, diffSdl, graphql } from "./helpers.ts";

const SCHEMA = graphql`
  type Query {
    user(id: ID!): User
    users(filter: UserFilter): [User]
    search(role: Role): [User]
  }
  type User {
    id: ID!
    email: String
    name: String
  }
  input UserFilter {
    name: String
  }
  enum Role {
    ADMIN
    GUEST
  }
`;

const OPS = [
  {
    file: "ops/user.graphql",
    content: graphql`
      query GetUser($id: ID!) {
        user(id: $id) {
          ...UserFields
        }
      }
    `,
  },
  {
    file: "ops/fragments.graphql",
    content: graphql`
      fragment UserFields on User {
        id
        email
      }
    `,
  },
  {
    file: "ops/list.graphql",
    content: graphql`
      query ListUsers($filter: UserFilter) {
        users(filter: $filter) {
          name
        }
      }

      query Admins {
        search(role: ADMIN) {
          id
        }
      }
    `,
  },
];

const usage = (f: Finding) => ({ rule: f.rule, severity: f.severity, path: f.path, operations: f.operations, note: f.note });

describe("graphql usage-aware checks", () => {
  test("a breaking change lists the operations that use the element, matching whole coordinates only", async () => {
    // Removing Query.user must not be attributed to ListUsers, which uses Query.users.
    const after = SCHEMA.replace("  user(id: ID!): User\n", "");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS });
    expect(findings.filter((f) => f.rule === "FIELD_REMOVED").map(usage)).toEqual([
      { rule: "FIELD_REMOVED", severity: "breaking", path: "Query.user", operations: ["GetUser (ops/user.graphql:1:1)"], note: undefined },
    ]);
  });

  test("an operation that stops validating is a finding located in the operation file, fragments included", async () => {
    const after = SCHEMA.replace("  email: String\n", "");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS });
    const invalid = findings.filter((f) => f.rule === "OPERATION_INVALID");
    expect(invalid.map((f) => ({ ...usage(f), file: f.new?.file, at: at(f.new), message: f.message }))).toEqual([
      {
        rule: "OPERATION_INVALID",
        severity: "breaking",
        path: "GetUser",
        operations: ["GetUser (ops/user.graphql:1:1)"],
        note: undefined,
        file: "ops/fragments.graphql",
        at: "3:3",
        message: 'operation GetUser (ops/user.graphql:1:1) no longer validates: Cannot query field "email" on type "User".',
      },
    ]);
    expect(findings.find((f) => f.rule === "FIELD_REMOVED")?.operations).toEqual(["GetUser (ops/user.graphql:1:1)"]);
  });

  test("input types sent through variables count as used, field by field", async () => {
    const after = SCHEMA.replace("  name: String\n}\nenum", "  name: String\n  tenant: ID!\n}\nenum");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS });
    expect(findings.map(usage)).toEqual([
      { rule: "INPUT_FIELD_ADDED", severity: "breaking", path: "UserFilter.tenant", operations: ["ListUsers (ops/list.graphql:1:1)"], note: undefined },
    ]);
  });

  test("an enum value written in an operation ties its removal to that operation", async () => {
    const after = SCHEMA.replace("  ADMIN\n", "");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS });
    expect(findings.map(usage)).toEqual([
      { rule: "ENUM_VALUE_REMOVED", severity: "breaking", path: "Role.ADMIN", operations: ["Admins (ops/list.graphql:7:1)"], note: undefined },
      { rule: "OPERATION_INVALID", severity: "breaking", path: "Admins", operations: ["Admins (ops/list.graphql:7:1)"], note: undefined },
    ]);
  });

  test("usage: required reports a breaking change no operation touches as dangerous, with a note", async () => {
    const after = SCHEMA.replace("  GUEST\n", "").replace("  user(id: ID!): User\n", "");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS, settings: { usage: "required" } });
    expect(findings.filter((f) => f.rule !== "OPERATION_INVALID").map(usage)).toEqual([
      { rule: "FIELD_REMOVED", severity: "breaking", path: "Query.user", operations: ["GetUser (ops/user.graphql:1:1)"], note: undefined },
      { rule: "ENUM_VALUE_REMOVED", severity: "dangerous", path: "Role.GUEST", operations: undefined, note: "none of the 3 consumer operations uses Role.GUEST; reported as dangerous because usage is required" },
    ]);
  });

  test("usage: required without any operation keeps breaking changes breaking and warns", async () => {
    const after = SCHEMA.replace("  GUEST\n", "");
    const { findings, warnings } = await diffSdl(SCHEMA, after, { operations: [], settings: { usage: "required" } });
    expect(findings.map(usage)).toEqual([{ rule: "ENUM_VALUE_REMOVED", severity: "breaking", path: "Role.GUEST", operations: undefined, note: undefined }]);
    expect(warnings).toEqual(["usage is required but no consumer operations were found; breaking changes stay breaking"]);
  });

  test("errors an operation already had against the old schema are not reported again", async () => {
    const broken = [{ file: "ops/broken.graphql", content: "query Broken {\n  user(id: 1) {\n    nope\n  }\n}\n" }];
    const after = SCHEMA.replace("  name: String\n  }", "  }");
    const { findings } = await diffSdl(SCHEMA, after, { operations: broken });
    expect(findings.filter((f) => f.rule === "OPERATION_INVALID")).toEqual([]);
  });

  test("a required argument added to a field breaks every operation that selects the field", async () => {
    const after = SCHEMA.replace("users(filter: UserFilter)", "users(filter: UserFilter, first: Int!)");
    const { findings } = await diffSdl(SCHEMA, after, { operations: OPS });
    expect(findings.map((f) => ({ ...usage(f), at: at(f.new) }))).toEqual([
      { rule: "FIELD_ARGUMENT_ADDED", severity: "breaking", path: "Query.users.first", operations: ["ListUsers (ops/list.graphql:1:1)"], note: undefined, at: "3:29" },
      { rule: "OPERATION_INVALID", severity: "breaking", path: "ListUsers", operations: ["ListUsers (ops/list.graphql:1:1)"], note: undefined, at: "2:3" },
    ]);
  });

  test("a syntax error in an operation document is a ContractError with file:line:col", async () => {
    const err = await diffSdl(SCHEMA, SCHEMA, { operations: [{ file: "ops/bad.graphql", content: "query {\n  user(id: 1) {\n}\n" }] }).catch((e) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err.message).toBe("ops/bad.graphql:3:1: Syntax Error: Expected Name, found \"}\".");
  });
});
