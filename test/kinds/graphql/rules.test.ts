import { ChangeType } from "@graphql-inspector/core";
import { describe, expect, test } from "bun:test";
import type { Finding } from "../../../src/core/finding.ts";
import engine from "../../../src/kinds/graphql/index.ts";
import { OPERATION_INVALID } from "../../../src/kinds/graphql/usage.ts";
import { brief, diffSdl, graphql } from "./helpers.ts";

/**
 * One table per family of change types: old SDL, new SDL and the exact findings (rule, severity,
 * schema coordinate, old and new line:col, cosmetic and deprecated flags).
 */
interface Case {
  name: string;
  old: string;
  new: string;
  settings?: Record<string, unknown>;
  findings: Array<ReturnType<typeof brief> & { cosmetic?: true; deprecated?: true }>;
}

const TABLES: Record<string, Case[]> = {
  types: [
    {
      name: "adding a type is safe",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_ADDED", severity: "safe", path: "Foo", new: "4:1" },
      ],
    },
    {
      name: "removing a type is breaking",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_REMOVED", severity: "breaking", path: "Foo", old: "4:1" },
      ],
    },
    {
      name: "changing the kind of a type is breaking",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        interface Foo {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_KIND_CHANGED", severity: "breaking", path: "Foo", old: "4:1", new: "4:1" },
      ],
    },
    {
      name: "adding a type description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        """Foo things"""
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_DESCRIPTION_ADDED", severity: "safe", path: "Foo", old: "4:1", new: "5:1", cosmetic: true },
      ],
    },
    {
      name: "removing a type description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        "Foo things"
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_DESCRIPTION_REMOVED", severity: "safe", path: "Foo", old: "5:1", new: "4:1", cosmetic: true },
      ],
    },
    {
      name: "changing a type description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        "Foo things"
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        "Bar things"
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "TYPE_DESCRIPTION_CHANGED", severity: "safe", path: "Foo", old: "5:1", new: "5:1", cosmetic: true },
      ],
    },
  ],
  schema: [
    {
      name: "replacing the query root type is breaking",
      old: graphql`
        schema {
          query: Query
        }
        type Query {
          a: String
        }
        type Root {
          a: String
        }
      `,
      new: graphql`
        schema {
          query: Root
        }
        type Query {
          a: String
        }
        type Root {
          a: String
        }
      `,
      findings: [
        { rule: "SCHEMA_QUERY_TYPE_CHANGED", severity: "breaking", path: ".query", old: "2:3", new: "2:3" },
      ],
    },
    {
      name: "setting a mutation root where there was none is safe",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Mutation {
          b: String
        }
      `,
      findings: [
        { rule: "SCHEMA_MUTATION_TYPE_CHANGED", severity: "safe", path: ".mutation", new: "4:1" },
        { rule: "TYPE_ADDED", severity: "safe", path: "Mutation", new: "4:1" },
      ],
    },
    {
      name: "replacing the subscription root type is breaking",
      old: graphql`
        schema {
          query: Query
          subscription: Events
        }
        type Query {
          a: String
        }
        type Events {
          a: String
        }
        type Stream {
          a: String
        }
      `,
      new: graphql`
        schema {
          query: Query
          subscription: Stream
        }
        type Query {
          a: String
        }
        type Events {
          a: String
        }
        type Stream {
          a: String
        }
      `,
      findings: [
        { rule: "SCHEMA_SUBSCRIPTION_TYPE_CHANGED", severity: "breaking", path: ".subscription", old: "3:3", new: "3:3" },
      ],
    },
  ],
  fields: [
    {
      name: "adding a field is safe",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
          b: Int
        }
      `,
      findings: [
        { rule: "FIELD_ADDED", severity: "safe", path: "Query.b", new: "3:3" },
      ],
    },
    {
      name: "removing a field is breaking; new points at the enclosing type",
      old: graphql`
        type Query {
          a: String
          b: Int
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_REMOVED", severity: "breaking", path: "Query.b", old: "3:3", new: "1:1" },
      ],
    },
    {
      name: "removing a deprecated field is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a: String
          b: Int @deprecated(reason: "use a")
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_REMOVED", severity: "breaking", path: "Query.b", old: "3:3", new: "1:1", deprecated: true },
      ],
    },
    {
      name: "changing a field type is breaking",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: Int
        }
      `,
      findings: [
        { rule: "FIELD_TYPE_CHANGED", severity: "breaking", path: "Query.a", old: "2:3", new: "2:3" },
      ],
    },
    {
      name: "making a field non-null is safe for clients",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String!
        }
      `,
      findings: [
        { rule: "FIELD_TYPE_CHANGED", severity: "safe", path: "Query.a", old: "2:3", new: "2:3" },
      ],
    },
    {
      name: "adding a field description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          "The a"
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_DESCRIPTION_ADDED", severity: "safe", path: "Query.a", old: "2:3", new: "3:3", cosmetic: true },
      ],
    },
    {
      name: "removing a field description is safe and cosmetic",
      old: graphql`
        type Query {
          "The a"
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_DESCRIPTION_REMOVED", severity: "safe", path: "Query.a", old: "3:3", new: "2:3", cosmetic: true },
      ],
    },
    {
      name: "changing a field description is safe and cosmetic",
      old: graphql`
        type Query {
          "The a"
          a: String
        }
      `,
      new: graphql`
        type Query {
          "An a"
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_DESCRIPTION_CHANGED", severity: "safe", path: "Query.a", old: "3:3", new: "3:3", cosmetic: true },
      ],
    },
    {
      name: "deprecating a field is safe and reported once",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String @deprecated
        }
      `,
      findings: [
        { rule: "FIELD_DEPRECATION_ADDED", severity: "safe", path: "Query.a.@deprecated", old: "2:3", new: "2:13" },
      ],
    },
    {
      name: "un-deprecating a field is safe and reported once",
      old: graphql`
        type Query {
          a: String @deprecated
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_DEPRECATION_REMOVED", severity: "safe", path: "Query.a.@deprecated", old: "2:13", new: "2:3" },
      ],
    },
    {
      name: "adding a deprecation reason is safe",
      old: graphql`
        type Query {
          a: String @deprecated
        }
      `,
      new: graphql`
        type Query {
          a: String @deprecated(reason: "use b")
        }
      `,
      findings: [
        { rule: "FIELD_DEPRECATION_REASON_ADDED", severity: "safe", path: "Query.a.@deprecated", old: "2:13", new: "2:13" },
      ],
    },
    {
      name: "removing a deprecation reason is safe (no dangerous directive-argument removal)",
      old: graphql`
        type Query {
          a: String @deprecated(reason: "use b")
        }
      `,
      new: graphql`
        type Query {
          a: String @deprecated
        }
      `,
      findings: [
        { rule: "FIELD_DEPRECATION_REASON_REMOVED", severity: "safe", path: "Query.a", old: "2:3", new: "2:3" },
      ],
    },
    {
      name: "changing a deprecation reason is safe (no dangerous directive-argument removal)",
      old: graphql`
        type Query {
          a: String @deprecated(reason: "use b")
        }
      `,
      new: graphql`
        type Query {
          a: String @deprecated(reason: "use c")
        }
      `,
      findings: [
        { rule: "FIELD_DEPRECATION_REASON_CHANGED", severity: "safe", path: "Query.a.@deprecated", old: "2:13", new: "2:13" },
      ],
    },
  ],
  arguments: [
    {
      name: "adding a required argument is breaking",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a(id: ID!): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_ADDED", severity: "breaking", path: "Query.a.id", new: "2:5" },
      ],
    },
    {
      name: "adding an optional argument is dangerous",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a(id: ID): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_ADDED", severity: "dangerous", path: "Query.a.id", new: "2:5" },
      ],
    },
    {
      name: "removing an argument is breaking",
      old: graphql`
        type Query {
          a(id: ID): String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_REMOVED", severity: "breaking", path: "Query.a.id", old: "2:5", new: "2:3" },
      ],
    },
    {
      name: "removing a deprecated argument is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a(id: ID @deprecated(reason: "x")): String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_REMOVED", severity: "breaking", path: "Query.a.id", old: "2:5", new: "2:3", deprecated: true },
      ],
    },
    {
      name: "making an argument required is breaking",
      old: graphql`
        type Query {
          a(id: ID): String
        }
      `,
      new: graphql`
        type Query {
          a(id: ID!): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_TYPE_CHANGED", severity: "breaking", path: "Query.a.id", old: "2:5", new: "2:5" },
      ],
    },
    {
      name: "making an argument optional is safe",
      old: graphql`
        type Query {
          a(id: ID!): String
        }
      `,
      new: graphql`
        type Query {
          a(id: ID): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_TYPE_CHANGED", severity: "safe", path: "Query.a.id", old: "2:5", new: "2:5" },
      ],
    },
    {
      name: "changing an argument default is dangerous",
      old: graphql`
        type Query {
          a(n: Int = 1): String
        }
      `,
      new: graphql`
        type Query {
          a(n: Int = 2): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_DEFAULT_CHANGED", severity: "dangerous", path: "Query.a.n", old: "2:5", new: "2:5" },
      ],
    },
    {
      name: "changing an argument description is safe and cosmetic",
      old: graphql`
        type Query {
          a("n" n: Int): String
        }
      `,
      new: graphql`
        type Query {
          a("count" n: Int): String
        }
      `,
      findings: [
        { rule: "FIELD_ARGUMENT_DESCRIPTION_CHANGED", severity: "safe", path: "Query.a.n", old: "2:9", new: "2:13", cosmetic: true },
      ],
    },
  ],
  inputs: [
    {
      name: "adding a required input field is breaking",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int!
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_ADDED", severity: "breaking", path: "In.b", new: "6:3" },
      ],
    },
    {
      name: "adding an input field with a default is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int = 1
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_ADDED", severity: "dangerous", path: "In.b", new: "6:3" },
      ],
    },
    {
      name: "adding a nullable input field is safe",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_ADDED", severity: "safe", path: "In.b", new: "6:3" },
      ],
    },
    {
      name: "removing an input field is breaking",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_REMOVED", severity: "breaking", path: "In.b", old: "6:3", new: "4:1" },
      ],
    },
    {
      name: "removing a deprecated input field is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int @deprecated(reason: "use a")
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_REMOVED", severity: "breaking", path: "In.b", old: "6:3", new: "4:1", deprecated: true },
      ],
    },
    {
      name: "changing an input field type is breaking",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: Int
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_TYPE_CHANGED", severity: "breaking", path: "In.a", old: "5:3", new: "5:3" },
      ],
    },
    {
      name: "making an input field nullable is safe",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String!
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_TYPE_CHANGED", severity: "safe", path: "In.a", old: "5:3", new: "5:3" },
      ],
    },
    {
      name: "changing an input field default is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: Int = 1
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: Int = 2
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_DEFAULT_VALUE_CHANGED", severity: "dangerous", path: "In.a", old: "5:3", new: "5:3" },
      ],
    },
    {
      name: "adding an input field description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          "the a"
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_DESCRIPTION_ADDED", severity: "safe", path: "In.a", old: "5:3", new: "6:3", cosmetic: true },
      ],
    },
    {
      name: "removing an input field description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          "the a"
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_DESCRIPTION_REMOVED", severity: "safe", path: "In.a", old: "6:3", new: "5:3", cosmetic: true },
      ],
    },
    {
      name: "changing an input field description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          "the a"
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          "an a"
          a: String
        }
      `,
      findings: [
        { rule: "INPUT_FIELD_DESCRIPTION_CHANGED", severity: "safe", path: "In.a", old: "6:3", new: "6:3", cosmetic: true },
      ],
    },
  ],
  enums: [
    {
      name: "adding a value to an enum a field returns is dangerous",
      old: graphql`
        type Query {
          a: User
        }
        type User {
          role: Role
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          a: User
        }
        type User {
          role: Role
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "dangerous", path: "Role.USER", new: "9:3" },
      ],
    },
    {
      name: "adding a value to an enum an interface field returns is dangerous",
      old: graphql`
        type Query {
          a: Node
        }
        interface Node {
          role: [Role!]!
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          a: Node
        }
        interface Node {
          role: [Role!]!
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "dangerous", path: "Role.USER", new: "9:3" },
      ],
    },
    {
      name: "adding a value to an enum only used in arguments and input fields is safe",
      old: graphql`
        type Query {
          users(role: Role, filter: Filter): [String]
        }
        input Filter {
          roles: [Role!]
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          users(role: Role, filter: Filter): [String]
        }
        input Filter {
          roles: [Role!]
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "safe", path: "Role.USER", new: "9:3" },
      ],
    },
    {
      name: "adding a value to an enum nothing uses is safe",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "safe", path: "Role.USER", new: "6:3" },
      ],
    },
    {
      name: "removing an enum value is breaking",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_REMOVED", severity: "breaking", path: "Role.USER", old: "6:3", new: "4:1" },
      ],
    },
    {
      name: "removing a deprecated enum value is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER @deprecated
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_REMOVED", severity: "breaking", path: "Role.USER", old: "6:3", new: "4:1", deprecated: true },
      ],
    },
    {
      name: "changing an enum value description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          "admins"
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          "administrators"
          ADMIN
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_DESCRIPTION_CHANGED", severity: "safe", path: "Role.ADMIN", old: "6:3", new: "6:3", cosmetic: true },
      ],
    },
    {
      name: "deprecating an enum value is safe and reported once",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER @deprecated(reason: "gone")
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_DEPRECATION_REASON_ADDED", severity: "safe", path: "Role.USER.@deprecated", old: "6:3", new: "6:8" },
      ],
    },
    {
      name: "un-deprecating an enum value is safe and reported once",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER @deprecated(reason: "gone")
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_DEPRECATION_REASON_REMOVED", severity: "safe", path: "Role.USER", old: "6:3", new: "6:3" },
      ],
    },
    {
      name: "changing an enum value deprecation reason is safe",
      old: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER @deprecated(reason: "gone")
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum Role {
          ADMIN
          USER @deprecated(reason: "use ADMIN")
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_DEPRECATION_REASON_CHANGED", severity: "safe", path: "Role.USER.@deprecated", old: "6:8", new: "6:8" },
      ],
    },
    {
      name: "strict-enums: a value added to an enum the API returns is breaking",
      settings: { "strict-enums": true },
      old: graphql`
        type Query {
          role: Role
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          role: Role
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "breaking", path: "Role.USER", new: "6:3" },
      ],
    },
    {
      name: "strict-enums: a value added to an input-only enum is safe",
      settings: { "strict-enums": true },
      old: graphql`
        type Query {
          a(r: Role): String
        }
        enum Role {
          ADMIN
        }
      `,
      new: graphql`
        type Query {
          a(r: Role): String
        }
        enum Role {
          ADMIN
          USER
        }
      `,
      findings: [
        { rule: "ENUM_VALUE_ADDED", severity: "safe", path: "Role.USER", new: "6:3" },
      ],
    },
  ],
  "unions and interfaces": [
    {
      name: "adding a union member is dangerous; new points at the member",
      old: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        type B {
          b: String
        }
        union U = A
      `,
      new: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        type B {
          b: String
        }
        union U = A | B
      `,
      findings: [
        { rule: "UNION_MEMBER_ADDED", severity: "dangerous", path: "U.B", old: "10:1", new: "10:15" },
      ],
    },
    {
      name: "removing a union member is breaking; old points at the member",
      old: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        type B {
          b: String
        }
        union U = A | B
      `,
      new: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        type B {
          b: String
        }
        union U = A
      `,
      findings: [
        { rule: "UNION_MEMBER_REMOVED", severity: "breaking", path: "U.B", old: "10:15", new: "10:1" },
      ],
    },
    {
      name: "implementing an interface is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        interface Node {
          id: ID
        }
        type A {
          id: ID
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        interface Node {
          id: ID
        }
        type A implements Node {
          id: ID
        }
      `,
      findings: [
        { rule: "OBJECT_TYPE_INTERFACE_ADDED", severity: "dangerous", path: "A.Node", old: "7:1", new: "7:19" },
      ],
    },
    {
      name: "no longer implementing an interface is breaking",
      old: graphql`
        type Query {
          a: String
        }
        interface Node {
          id: ID
        }
        type A implements Node {
          id: ID
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        interface Node {
          id: ID
        }
        type A {
          id: ID
        }
      `,
      findings: [
        { rule: "OBJECT_TYPE_INTERFACE_REMOVED", severity: "breaking", path: "A.Node", old: "7:19", new: "7:1" },
      ],
    },
  ],
  directives: [
    {
      name: "adding a directive is safe",
      old: graphql`
        type Query {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int) on FIELD_DEFINITION
      `,
      findings: [
        { rule: "DIRECTIVE_ADDED", severity: "safe", path: "@cache", new: "4:1" },
      ],
    },
    {
      name: "removing a directive is breaking",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int) on FIELD_DEFINITION
      `,
      new: graphql`
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_REMOVED", severity: "breaking", path: "@cache", old: "4:1" },
      ],
    },
    {
      name: "changing a directive description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        "caching"
        directive @cache on FIELD_DEFINITION
      `,
      new: graphql`
        type Query {
          a: String
        }
        "cache hints"
        directive @cache on FIELD_DEFINITION
      `,
      findings: [
        { rule: "DIRECTIVE_DESCRIPTION_CHANGED", severity: "safe", path: "@cache", old: "5:1", new: "5:1", cosmetic: true },
      ],
    },
    {
      name: "adding a directive location is safe",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache on FIELD_DEFINITION
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache on FIELD_DEFINITION | OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_LOCATION_ADDED", severity: "safe", path: "@cache.OBJECT", old: "4:1", new: "4:40" },
      ],
    },
    {
      name: "removing a directive location is breaking",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache on FIELD_DEFINITION | OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache on FIELD_DEFINITION
      `,
      findings: [
        { rule: "DIRECTIVE_LOCATION_REMOVED", severity: "breaking", path: "@cache.OBJECT", old: "4:40", new: "4:1" },
      ],
    },
    {
      name: "making a directive repeatable is safe",
      old: graphql`
        type Query {
          a: String
        }
        directive @tag on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @tag repeatable on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_REPEATABLE_ADDED", severity: "safe", path: "@tag", old: "4:1", new: "4:1" },
      ],
    },
    {
      name: "making a directive non-repeatable is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        directive @tag repeatable on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @tag on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_REPEATABLE_REMOVED", severity: "dangerous", path: "@tag", old: "4:1", new: "4:1" },
      ],
    },
    {
      name: "adding a non-null directive argument is breaking",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int!) on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_ADDED", severity: "breaking", path: "@cache.ttl", new: "4:18" },
      ],
    },
    {
      name: "adding a nullable directive argument is safe",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int) on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_ADDED", severity: "safe", path: "@cache.ttl", new: "4:18" },
      ],
    },
    {
      name: "removing a deprecated directive argument is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int @deprecated) on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_REMOVED", severity: "breaking", path: "@cache.ttl", old: "4:18", new: "4:1", deprecated: true },
      ],
    },
    {
      name: "removing a deprecated interface field is breaking and flagged deprecated",
      old: graphql`
        type Query {
          a: Node
        }
        interface Node {
          id: ID
          legacy: ID @deprecated
        }
      `,
      new: graphql`
        type Query {
          a: Node
        }
        interface Node {
          id: ID
        }
      `,
      findings: [
        { rule: "FIELD_REMOVED", severity: "breaking", path: "Node.legacy", old: "6:3", new: "4:1", deprecated: true },
      ],
    },
    {
      name: "removing a directive argument is breaking",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int) on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_REMOVED", severity: "breaking", path: "@cache.ttl", old: "4:18", new: "4:1" },
      ],
    },
    {
      name: "changing a directive argument type is breaking",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int) on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: String) on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_TYPE_CHANGED", severity: "breaking", path: "@cache.ttl", old: "4:18", new: "4:18" },
      ],
    },
    {
      name: "changing a directive argument default is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int = 1) on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache(ttl: Int = 2) on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED", severity: "dangerous", path: "@cache.ttl", old: "4:18", new: "4:18" },
      ],
    },
    {
      name: "changing a directive argument description is safe and cosmetic",
      old: graphql`
        type Query {
          a: String
        }
        directive @cache("seconds" ttl: Int) on OBJECT
      `,
      new: graphql`
        type Query {
          a: String
        }
        directive @cache("time to live" ttl: Int) on OBJECT
      `,
      findings: [
        { rule: "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED", severity: "safe", path: "@cache.ttl", old: "4:28", new: "4:33", cosmetic: true },
      ],
    },
  ],
  "directive usage": [
    {
      name: "applying a directive to the schema is dangerous",
      old: graphql`
        schema {
          query: Query
        }
        type Query {
          a: String
        }
      `,
      new: graphql`
        schema @tag {
          query: Query
        }
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_SCHEMA_ADDED", severity: "dangerous", path: ".@tag", new: "1:8" },
      ],
    },
    {
      name: "removing a directive from the schema is dangerous",
      old: graphql`
        schema @tag {
          query: Query
        }
        type Query {
          a: String
        }
      `,
      new: graphql`
        schema {
          query: Query
        }
        type Query {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_SCHEMA_REMOVED", severity: "dangerous", path: ".@tag", old: "1:8", new: "1:1" },
      ],
    },
    {
      name: "applying a directive to a scalar is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        scalar Date
      `,
      new: graphql`
        type Query {
          a: String
        }
        scalar Date @tag
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_SCALAR_ADDED", severity: "dangerous", path: "Date.@tag", new: "4:13" },
      ],
    },
    {
      name: "removing a directive from a scalar is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        scalar Date @tag
      `,
      new: graphql`
        type Query {
          a: String
        }
        scalar Date
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_SCALAR_REMOVED", severity: "dangerous", path: "Date.@tag", old: "4:13", new: "4:1" },
      ],
    },
    {
      name: "applying a directive to an object type is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo @tag {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_OBJECT_ADDED", severity: "dangerous", path: "Foo.@tag", new: "4:10" },
      ],
    },
    {
      name: "removing a directive from an object type is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo @tag {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_OBJECT_REMOVED", severity: "dangerous", path: "Foo.@tag", old: "4:10", new: "4:1" },
      ],
    },
    {
      name: "applying a directive to an interface is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        interface Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        interface Foo @tag {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INTERFACE_ADDED", severity: "dangerous", path: "Foo.@tag", new: "4:15" },
      ],
    },
    {
      name: "removing a directive from an interface is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        interface Foo @tag {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        interface Foo {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INTERFACE_REMOVED", severity: "dangerous", path: "Foo.@tag", old: "4:15", new: "4:1" },
      ],
    },
    {
      name: "applying a directive to a union is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        union U = A
      `,
      new: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        union U @tag = A
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_UNION_MEMBER_ADDED", severity: "dangerous", path: "U.@tag", new: "7:9" },
      ],
    },
    {
      name: "removing a directive from a union is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        union U @tag = A
      `,
      new: graphql`
        type Query {
          a: String
        }
        type A {
          a: String
        }
        union U = A
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_UNION_MEMBER_REMOVED", severity: "dangerous", path: "U.@tag", old: "7:9", new: "7:1" },
      ],
    },
    {
      name: "applying a directive to an enum is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        enum E {
          A
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum E @tag {
          A
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ENUM_ADDED", severity: "dangerous", path: "E.@tag", new: "4:8" },
      ],
    },
    {
      name: "removing a directive from an enum is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        enum E @tag {
          A
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum E {
          A
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ENUM_REMOVED", severity: "dangerous", path: "E.@tag", old: "4:8", new: "4:1" },
      ],
    },
    {
      name: "applying a directive to an enum value is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        enum E {
          A
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum E {
          A @tag
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ENUM_VALUE_ADDED", severity: "dangerous", path: "E.A.@tag", new: "5:5" },
      ],
    },
    {
      name: "removing a directive from an enum value is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        enum E {
          A @tag
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        enum E {
          A
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ENUM_VALUE_REMOVED", severity: "dangerous", path: "E.A.@tag", old: "5:5", new: "5:3" },
      ],
    },
    {
      name: "applying a directive to an input type is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In @tag {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED", severity: "dangerous", path: "In.@tag", new: "4:10" },
      ],
    },
    {
      name: "removing a directive from an input type is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In @tag {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INPUT_OBJECT_REMOVED", severity: "dangerous", path: "In.@tag", old: "4:10", new: "4:1" },
      ],
    },
    {
      name: "applying a directive to a field is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String @tag
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED", severity: "dangerous", path: "Foo.a.@tag", new: "5:13" },
      ],
    },
    {
      name: "removing a directive from a field is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String @tag
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED", severity: "dangerous", path: "Foo.a.@tag", old: "5:13", new: "5:3" },
      ],
    },
    {
      name: "applying a directive to an argument is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a(x: Int): String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a(x: Int @tag): String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED", severity: "dangerous", path: "Foo.a.x.@tag", new: "5:12" },
      ],
    },
    {
      name: "removing a directive from an argument is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a(x: Int @tag): String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo {
          a(x: Int): String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_REMOVED", severity: "dangerous", path: "Foo.a.x.@tag", old: "5:12", new: "5:5" },
      ],
    },
    {
      name: "applying a directive to an input field is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String @tag
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED", severity: "dangerous", path: "In.a.@tag", new: "5:13" },
      ],
    },
    {
      name: "removing a directive from an input field is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String @tag
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_REMOVED", severity: "dangerous", path: "In.a.@tag", old: "5:13", new: "5:3" },
      ],
    },
    {
      name: "applying @oneOf to an input type is breaking",
      old: graphql`
        type Query {
          a: String
        }
        input In {
          a: String
          b: Int
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        input In @oneOf {
          a: String
          b: Int
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED", severity: "breaking", path: "In.@oneOf", new: "4:10" },
      ],
    },
    {
      name: "adding an argument to an applied directive is safe",
      old: graphql`
        type Query {
          a: String
        }
        type Foo @tag {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo @tag(name: "x") {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ARGUMENT_ADDED", severity: "safe", path: "Foo.@tag.name", new: "4:15" },
      ],
    },
    {
      name: "removing an argument from an applied directive is dangerous",
      old: graphql`
        type Query {
          a: String
        }
        type Foo @tag(name: "x") {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo @tag {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_ARGUMENT_REMOVED", severity: "dangerous", path: "Foo.@tag.name", old: "4:15", new: "4:10" },
      ],
    },
    {
      name: "ignore-directives drops usage changes of the listed directives by exact name",
      settings: { "ignore-directives": ["tag"] },
      old: graphql`
        type Query {
          a: String
        }
        type Foo {
          a: String
        }
      `,
      new: graphql`
        type Query {
          a: String
        }
        type Foo @tag @tags {
          a: String
        }
      `,
      findings: [
        { rule: "DIRECTIVE_USAGE_OBJECT_ADDED", severity: "dangerous", path: "Foo.@tags", new: "4:15" },
      ],
    },
  ],
};

function actual(f: Finding) {
  return { ...brief(f), ...(f.cosmetic ? { cosmetic: true as const } : {}), ...(f.deprecated ? { deprecated: true as const } : {}) };
}

for (const [family, cases] of Object.entries(TABLES)) {
  describe(`graphql ${family}`, () => {
    test.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const { findings } = await diffSdl(c.old, c.new, { settings: c.settings });
      const got = findings.map(actual).sort((x, y) => (x.rule + x.path < y.rule + y.path ? -1 : 1));
      expect(got).toEqual(c.findings);
    });
  });
}

/** Change types no table can produce: the inspector never emits usages at the executable FIELD location. */
const NEVER_EMITTED = new Set(["DIRECTIVE_USAGE_FIELD_ADDED", "DIRECTIVE_USAGE_FIELD_REMOVED"]);
/** Covered by the usage tests. */
const ELSEWHERE = new Set(["OPERATION_INVALID", "OPERATION_ADDED", "OPERATION_REMOVED", "OPERATION_CHANGED"]);

describe("graphql rule catalogue", () => {
  const catalogue = engine.rules();
  const tested = new Set(Object.values(TABLES).flatMap((cases) => cases.flatMap((c) => c.findings.map((f) => f.rule))));

  test("ids are unique and all are GraphQL rules", () => {
    expect(new Set(catalogue.map((r) => r.id)).size).toBe(catalogue.length);
    expect(catalogue.every((r) => r.kind === "graphql" && r.summary.length > 0)).toBe(true);
  });

  test("every change type in the catalogue has a table case", () => {
    const missing = catalogue.map((r) => r.id).filter((id) => !tested.has(id) && !NEVER_EMITTED.has(id) && !ELSEWHERE.has(id));
    expect(missing).toEqual([]);
  });

  test("every reported rule is in the catalogue", () => {
    const ids = new Set(catalogue.map((r) => r.id));
    expect([...tested].filter((id) => !ids.has(id))).toEqual([]);
  });

  test("every change type GraphQL Inspector can report, and every comms check, is in the catalogue", () => {
    const ids = new Set(catalogue.map((r) => r.id));
    expect([...Object.values(ChangeType), OPERATION_INVALID].filter((id) => !ids.has(id))).toEqual([]);
  });

  test("every rule explains in a sentence of its own what changed for consumers", () => {
    const weak = catalogue.filter((r) => {
      const why = r.why ?? "";
      return !/^[A-Z@].*[.)]$/.test(why) || why.split(/\s+/).length < 8 || why === r.summary;
    });
    expect(weak.map((r) => `${r.id}: ${r.why}`)).toEqual([]);
  });

  test("every rule that is not safe explains why, and every breaking rule how to avoid the break", () => {
    expect(catalogue.filter((r) => r.severity !== "safe" && !r.why).map((r) => r.id)).toEqual([]);
    expect(catalogue.filter((r) => r.severity === "breaking" && !r.fix).map((r) => r.id)).toEqual([]);
  });
});
