import { ChangeType, CriticalityLevel, diff as inspect, type Change } from "@graphql-inspector/core";
import { buildSchema } from "graphql";
import { describe, expect, test } from "bun:test";
import { simplifyChanges } from "../../../src/kinds/graphql/simplify.ts";
import { diffSdl, REAL_SCHEMAS, realSchema, realSchemaVersions } from "./helpers.ts";

/** The change types GraphQL Inspector's `simplifyChanges` treats as standing for everything under their path. */
const INSPECTOR_GROUPING = [
  "DIRECTIVE_ADDED",
  "DIRECTIVE_ARGUMENT_ADDED",
  "DIRECTIVE_LOCATION_ADDED",
  "DIRECTIVE_USAGE_ARGUMENT_ADDED",
  "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_ENUM_ADDED",
  "DIRECTIVE_USAGE_ENUM_VALUE_ADDED",
  "DIRECTIVE_USAGE_FIELD_ADDED",
  "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED",
  "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED",
  "DIRECTIVE_USAGE_INTERFACE_ADDED",
  "DIRECTIVE_USAGE_OBJECT_ADDED",
  "DIRECTIVE_USAGE_SCALAR_ADDED",
  "DIRECTIVE_USAGE_SCHEMA_ADDED",
  "DIRECTIVE_USAGE_UNION_MEMBER_ADDED",
  "ENUM_VALUE_ADDED",
  "ENUM_VALUE_DEPRECATION_REASON_ADDED",
  "FIELD_ADDED",
  "FIELD_ARGUMENT_ADDED",
  "FIELD_DEPRECATION_ADDED",
  "FIELD_DEPRECATION_REMOVED",
  "FIELD_DEPRECATION_REASON_CHANGED",
  "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
  "FIELD_DEPRECATION_REASON_ADDED",
  "FIELD_DESCRIPTION_ADDED",
  "INPUT_FIELD_ADDED",
  "INPUT_FIELD_DESCRIPTION_ADDED",
  "OBJECT_TYPE_INTERFACE_ADDED",
  "TYPE_ADDED",
  "TYPE_DESCRIPTION_ADDED",
  "UNION_MEMBER_ADDED",
];

/**
 * Changes that add a whole element (or restate a deprecation): the only ones whose safe parts may be
 * merged into them. Written out here, apart from the implementation, as the expected behaviour.
 */
const MAY_MERGE_SAFE_PARTS = new Set([
  "TYPE_ADDED",
  "FIELD_ADDED",
  "FIELD_ARGUMENT_ADDED",
  "INPUT_FIELD_ADDED",
  "ENUM_VALUE_ADDED",
  "DIRECTIVE_ADDED",
  // An applied directive with its arguments; not DIRECTIVE_USAGE_FIELD_ADDED, whose path lacks the `@`.
  ...INSPECTOR_GROUPING.filter((t) => t.startsWith("DIRECTIVE_USAGE_") && t !== "DIRECTIVE_USAGE_ARGUMENT_ADDED" && t !== "DIRECTIVE_USAGE_FIELD_ADDED"),
  "FIELD_DEPRECATION_ADDED",
  "FIELD_DEPRECATION_REMOVED",
  "FIELD_DEPRECATION_REASON_ADDED",
  "FIELD_DEPRECATION_REASON_CHANGED",
  "FIELD_DEPRECATION_REASON_REMOVED",
  "ENUM_VALUE_DEPRECATION_REASON_ADDED",
  "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
  "ENUM_VALUE_DEPRECATION_REASON_REMOVED",
]);

const change = (type: string, level: CriticalityLevel, path: string): Change =>
  ({ type, criticality: { level }, path, message: `${type} ${path}`, meta: {} }) as unknown as Change;

describe("simplification over every change type", () => {
  const all = Object.values(ChangeType) as string[];
  test("the catalogue of inspector grouping types is real", () => {
    for (const t of INSPECTOR_GROUPING) expect(all).toContain(t);
  });

  test.each(all)("%s never hides a breaking, dangerous or unrelated safe change at or under its path", (type) => {
    const at = type.includes("DEPRECATION") ? "Bundle.price.@deprecated" : "Bundle.price";
    const group = change(type, CriticalityLevel.NonBreaking, at);
    const breakingHere = change("FIELD_TYPE_CHANGED", CriticalityLevel.Breaking, at);
    const breakingBelow = change("FIELD_ARGUMENT_REMOVED", CriticalityLevel.Breaking, `${at}.currency`);
    const dangerousHere = change("DIRECTIVE_USAGE_FIELD_DEFINITION_REMOVED", CriticalityLevel.Dangerous, at);
    const dangerousBelow = change("FIELD_ARGUMENT_DEFAULT_CHANGED", CriticalityLevel.Dangerous, `${at}.round`);
    const safeHere = change("FIELD_DESCRIPTION_CHANGED", CriticalityLevel.NonBreaking, at);
    const safeBelow = change("FIELD_ARGUMENT_DESCRIPTION_CHANGED", CriticalityLevel.NonBreaking, `${at}.round`);
    const elsewhere = change("FIELD_ADDED", CriticalityLevel.NonBreaking, "Bundle.sku");
    const input = [group, breakingHere, breakingBelow, dangerousHere, dangerousBelow, safeHere, safeBelow, elsewhere];
    const kept = simplifyChanges(input);
    for (const c of [group, breakingHere, breakingBelow, dangerousHere, dangerousBelow, elsewhere]) expect(kept).toContain(c);
    if (MAY_MERGE_SAFE_PARTS.has(type)) expect(kept).not.toContain(safeBelow);
    else expect(kept).toEqual(input);
  });

  test("a dangerous grouping change still merges its own safe parts, and never itself", () => {
    const usage = change("DIRECTIVE_USAGE_OBJECT_ADDED", CriticalityLevel.Dangerous, "Pancake.@flavor");
    const arg = change("DIRECTIVE_USAGE_ARGUMENT_ADDED", CriticalityLevel.NonBreaking, "Pancake.@flavor.flavor");
    expect(simplifyChanges([usage, arg])).toEqual([usage]);
  });

  test("the dedicated deprecation change stands for its directive-usage restatement, in either order", () => {
    const usage = change("DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED", CriticalityLevel.NonBreaking, "Foo.bar.@deprecated");
    const dep = change("FIELD_DEPRECATION_ADDED", CriticalityLevel.NonBreaking, "Foo.bar.@deprecated");
    const reason = change("DIRECTIVE_USAGE_ARGUMENT_ADDED", CriticalityLevel.NonBreaking, "Foo.bar.@deprecated.reason");
    expect(simplifyChanges([usage, dep, reason])).toEqual([dep]);
    expect(simplifyChanges([dep, usage, reason])).toEqual([dep]);
  });

  test("path prefixes match whole segments only", () => {
    const added = change("FIELD_ADDED", CriticalityLevel.NonBreaking, "Query.user");
    const other = change("FIELD_DESCRIPTION_ADDED", CriticalityLevel.NonBreaking, "Query.users");
    expect(simplifyChanges([added, other])).toEqual([added, other]);
  });
});

const DIRECTIVES = `directive @tag(x: Int, y: Int) repeatable on SCHEMA | SCALAR | OBJECT | FIELD_DEFINITION | ARGUMENT_DEFINITION | INTERFACE | UNION | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION\n`;

interface Case {
  /** The inspector grouping type this pair produces. */
  grouping: string;
  old: string;
  new: string;
  /** Findings (`RULE severity path`) that must be reported next to it. */
  keep: string[];
}

/** For every inspector grouping type: a change of that type next to other changes at or under its path. */
const CASES: Case[] = [
  {
    grouping: "DIRECTIVE_ADDED",
    old: "type Query { a: Int }",
    new: `directive @new(x: Int!) on FIELD_DEFINITION\ntype Query { a: String }`,
    keep: ["DIRECTIVE_ADDED safe @new", "FIELD_TYPE_CHANGED breaking Query.a"],
  },
  {
    grouping: "DIRECTIVE_ARGUMENT_ADDED",
    old: "directive @d(x: Int, gone: Int, t: Int) on FIELD_DEFINITION | OBJECT\ntype Query { a: Int }",
    new: "directive @d(x: Int, y: Int, t: String) on FIELD_DEFINITION\ntype Query { a: Int }",
    keep: ["DIRECTIVE_ARGUMENT_ADDED safe @d.y", "DIRECTIVE_ARGUMENT_REMOVED breaking @d.gone", "DIRECTIVE_ARGUMENT_TYPE_CHANGED breaking @d.t", "DIRECTIVE_LOCATION_REMOVED breaking @d.OBJECT"],
  },
  {
    grouping: "DIRECTIVE_LOCATION_ADDED",
    old: "directive @d(x: Int = 1, gone: Int, doc: Int) on FIELD_DEFINITION\ntype Query { a: Int }",
    new: 'directive @d(x: Int = 2, "documented" doc: Int) on FIELD_DEFINITION | OBJECT\ntype Query { a: Int }',
    keep: ["DIRECTIVE_LOCATION_ADDED safe @d.OBJECT", "DIRECTIVE_ARGUMENT_DEFAULT_VALUE_CHANGED dangerous @d.x", "DIRECTIVE_ARGUMENT_REMOVED breaking @d.gone", "DIRECTIVE_ARGUMENT_DESCRIPTION_CHANGED safe @d.doc"],
  },
  {
    grouping: "DIRECTIVE_USAGE_ARGUMENT_ADDED",
    old: `${DIRECTIVES}type Query { a: Int @tag(x: 1) }`,
    new: `${DIRECTIVES}type Query { a: Int @tag(x: 2, y: 2) }`,
    keep: ["DIRECTIVE_USAGE_ARGUMENT_ADDED safe Query.a.@tag.y", "DIRECTIVE_USAGE_ARGUMENT_REMOVED dangerous Query.a.@tag.x"],
  },
  {
    grouping: "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED",
    old: `${DIRECTIVES}type Query { a(b: Int, c: Int = 1): Int }`,
    new: `${DIRECTIVES}type Query { a(b: String @tag(x: 1), c: Int = 2 @tag, d: Int): Int }`,
    keep: [
      "DIRECTIVE_USAGE_ARGUMENT_DEFINITION_ADDED dangerous Query.a.b.@tag",
      "FIELD_ARGUMENT_TYPE_CHANGED breaking Query.a.b",
      "FIELD_ARGUMENT_DEFAULT_CHANGED dangerous Query.a.c",
      "FIELD_ARGUMENT_ADDED dangerous Query.a.d",
    ],
  },
  {
    grouping: "DIRECTIVE_USAGE_ENUM_ADDED",
    old: `${DIRECTIVES}type Query { e: E }\nenum E { A B }`,
    new: `${DIRECTIVES}type Query { e: E }\nenum E @tag(x: 1) { A C }`,
    keep: ["DIRECTIVE_USAGE_ENUM_ADDED dangerous E.@tag", "ENUM_VALUE_REMOVED breaking E.B", "ENUM_VALUE_ADDED dangerous E.C"],
  },
  {
    grouping: "DIRECTIVE_USAGE_ENUM_VALUE_ADDED",
    old: `${DIRECTIVES}type Query { e: E }\nenum E { A B @tag(x: 1) }`,
    new: `${DIRECTIVES}type Query { e: E }\nenum E { "doc" A @tag(x: 1) B @tag(x: 2) }`,
    keep: ["DIRECTIVE_USAGE_ENUM_VALUE_ADDED dangerous E.A.@tag", "ENUM_VALUE_DESCRIPTION_CHANGED safe E.A", "DIRECTIVE_USAGE_ARGUMENT_REMOVED dangerous E.B.@tag.x"],
  },
  {
    grouping: "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED",
    old: `${DIRECTIVES}type Query { b: Bundle }\ntype Bundle { price(currency: String): Int }`,
    new: `${DIRECTIVES}type Query { b: Bundle }\ntype Bundle { price(round: Boolean): String @tag(x: 1) }`,
    keep: [
      "DIRECTIVE_USAGE_FIELD_DEFINITION_ADDED dangerous Bundle.price.@tag",
      "FIELD_TYPE_CHANGED breaking Bundle.price",
      "FIELD_ARGUMENT_REMOVED breaking Bundle.price.currency",
      "FIELD_ARGUMENT_ADDED dangerous Bundle.price.round",
    ],
  },
  {
    grouping: "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED",
    old: `${DIRECTIVES}type Query { a(f: F): Int }\ninput F { q: String = "a" }`,
    new: `${DIRECTIVES}type Query { a(f: F): Int }\ninput F { "doc" q: Int = 1 @tag(x: 1) }`,
    keep: [
      "DIRECTIVE_USAGE_INPUT_FIELD_DEFINITION_ADDED dangerous F.q.@tag",
      "INPUT_FIELD_TYPE_CHANGED breaking F.q",
      "INPUT_FIELD_DEFAULT_VALUE_CHANGED dangerous F.q",
      "INPUT_FIELD_DESCRIPTION_ADDED safe F.q",
    ],
  },
  {
    grouping: "DIRECTIVE_USAGE_INPUT_OBJECT_ADDED",
    old: `${DIRECTIVES}type Query { a(f: F): Int }\ninput F { q: String r: Int }`,
    new: `${DIRECTIVES}type Query { a(f: F): Int }\ninput F @tag(x: 1) { q: String s: Int! }`,
    keep: ["DIRECTIVE_USAGE_INPUT_OBJECT_ADDED dangerous F.@tag", "INPUT_FIELD_REMOVED breaking F.r", "INPUT_FIELD_ADDED breaking F.s"],
  },
  {
    grouping: "DIRECTIVE_USAGE_INTERFACE_ADDED",
    old: `${DIRECTIVES}type Query { n: Named }\ninterface Named { id: ID name: String }`,
    new: `${DIRECTIVES}type Query { n: Named }\ninterface Named @tag(x: 1) { id: ID! label: String }`,
    keep: ["DIRECTIVE_USAGE_INTERFACE_ADDED dangerous Named.@tag", "FIELD_REMOVED breaking Named.name", "FIELD_ADDED safe Named.label", "FIELD_TYPE_CHANGED safe Named.id"],
  },
  {
    grouping: "DIRECTIVE_USAGE_OBJECT_ADDED",
    old: `${DIRECTIVES}type Query { b: Bundle }\ntype Bundle { id: ID price: Int }`,
    new: `${DIRECTIVES}type Query { b: Bundle }\ntype Bundle @tag(x: 1) { id: ID sku: String }`,
    keep: ["DIRECTIVE_USAGE_OBJECT_ADDED dangerous Bundle.@tag", "FIELD_REMOVED breaking Bundle.price", "FIELD_ADDED safe Bundle.sku"],
  },
  {
    grouping: "DIRECTIVE_USAGE_SCALAR_ADDED",
    old: `${DIRECTIVES}type Query { d: Date }\nscalar Date`,
    new: `${DIRECTIVES}type Query { d: Date }\n"doc"\nscalar Date @tag(x: 1)`,
    keep: ["DIRECTIVE_USAGE_SCALAR_ADDED dangerous Date.@tag", "TYPE_DESCRIPTION_ADDED safe Date"],
  },
  {
    grouping: "DIRECTIVE_USAGE_SCHEMA_ADDED",
    old: `${DIRECTIVES}schema @tag(y: 1) { query: Query }\ntype Query { a: Int }`,
    new: `${DIRECTIVES}schema @tag(y: 2) @tag(x: 1) { query: Query }\ntype Query { a: Int }`,
    keep: ["DIRECTIVE_USAGE_SCHEMA_ADDED dangerous .@tag"],
  },
  {
    grouping: "DIRECTIVE_USAGE_UNION_MEMBER_ADDED",
    old: `${DIRECTIVES}type Query { u: U }\ntype X { a: Int }\ntype Y { a: Int }\nunion U = X`,
    new: `${DIRECTIVES}type Query { u: U }\ntype X { a: Int }\ntype Y { a: Int }\nunion U @tag(x: 1) = Y`,
    keep: ["DIRECTIVE_USAGE_UNION_MEMBER_ADDED dangerous U.@tag", "UNION_MEMBER_REMOVED breaking U.X", "UNION_MEMBER_ADDED dangerous U.Y"],
  },
  {
    grouping: "ENUM_VALUE_ADDED",
    old: "type Query { e: E }\nenum E { A B }",
    new: "type Query { e: E }\nenum E { A C }",
    keep: ["ENUM_VALUE_ADDED dangerous E.C", "ENUM_VALUE_REMOVED breaking E.B"],
  },
  {
    grouping: "ENUM_VALUE_DEPRECATION_REASON_ADDED",
    old: `${DIRECTIVES}type Query { e: E }\nenum E { A B @deprecated }`,
    new: `${DIRECTIVES}type Query { e: E }\nenum E { A @tag(x: 1) B @deprecated(reason: "use A") @tag }`,
    keep: ["ENUM_VALUE_DEPRECATION_REASON_ADDED safe E.B.@deprecated", "DIRECTIVE_USAGE_ENUM_VALUE_ADDED dangerous E.B.@tag", "DIRECTIVE_USAGE_ENUM_VALUE_ADDED dangerous E.A.@tag"],
  },
  {
    grouping: "ENUM_VALUE_DEPRECATION_REASON_CHANGED",
    old: `${DIRECTIVES}type Query { e: E }\nenum E { A B @deprecated(reason: "old") C }`,
    new: `${DIRECTIVES}type Query { e: E }\nenum E { A "doc" B @deprecated(reason: "new") @tag }`,
    keep: ["ENUM_VALUE_DEPRECATION_REASON_CHANGED safe E.B.@deprecated", "ENUM_VALUE_DESCRIPTION_CHANGED safe E.B", "DIRECTIVE_USAGE_ENUM_VALUE_ADDED dangerous E.B.@tag", "ENUM_VALUE_REMOVED breaking E.C"],
  },
  {
    grouping: "FIELD_ADDED",
    old: "type Query { a: Int }\ntype Bundle { id: ID }",
    new: 'type Query { a: Int }\ntype Bundle { id: ID! "doc" price(c: String!): Int @deprecated }',
    keep: ["FIELD_ADDED safe Bundle.price", "FIELD_TYPE_CHANGED safe Bundle.id"],
  },
  {
    grouping: "FIELD_ARGUMENT_ADDED",
    old: "type Query { list(first: Int = 10): [Int] }",
    new: 'type Query { list("doc" first: Int = 20, after: String, last: Int!): [Int!] }',
    keep: [
      "FIELD_ARGUMENT_ADDED dangerous Query.list.after",
      "FIELD_ARGUMENT_ADDED breaking Query.list.last",
      "FIELD_ARGUMENT_DEFAULT_CHANGED dangerous Query.list.first",
      "FIELD_ARGUMENT_DESCRIPTION_CHANGED safe Query.list.first",
      "FIELD_TYPE_CHANGED safe Query.list",
    ],
  },
  {
    grouping: "FIELD_DEPRECATION_ADDED",
    old: "type Query { b: Bundle }\ntype Bundle { price(c: String): Int }",
    new: 'type Query { b: Bundle }\ntype Bundle { price(d: String): String @deprecated(reason: "use cost") }',
    keep: ["FIELD_DEPRECATION_ADDED safe Bundle.price.@deprecated", "FIELD_TYPE_CHANGED breaking Bundle.price", "FIELD_ARGUMENT_REMOVED breaking Bundle.price.c", "FIELD_ARGUMENT_ADDED dangerous Bundle.price.d"],
  },
  {
    grouping: "FIELD_DEPRECATION_REMOVED",
    old: 'type Query { b: Bundle }\ntype Bundle { price(c: String): Int @deprecated(reason: "x") }',
    new: "type Query { b: Bundle }\ntype Bundle { price: String }",
    keep: ["FIELD_DEPRECATION_REMOVED safe Bundle.price.@deprecated", "FIELD_TYPE_CHANGED breaking Bundle.price", "FIELD_ARGUMENT_REMOVED breaking Bundle.price.c"],
  },
  {
    grouping: "FIELD_DEPRECATION_REASON_ADDED",
    old: "type Query { b: Bundle }\ntype Bundle { price(c: Int = 1): Int @deprecated }",
    new: 'type Query { b: Bundle }\ntype Bundle { price(c: Int = 2): Int! @deprecated(reason: "use cost") }',
    keep: ["FIELD_DEPRECATION_REASON_ADDED safe Bundle.price.@deprecated", "FIELD_TYPE_CHANGED safe Bundle.price", "FIELD_ARGUMENT_DEFAULT_CHANGED dangerous Bundle.price.c"],
  },
  {
    grouping: "FIELD_DEPRECATION_REASON_CHANGED",
    old: 'type Query { b: Bundle }\ntype Bundle { price: Int @deprecated(reason: "a") }',
    new: 'type Query { b: Bundle }\ntype Bundle { "doc" price(n: Int!): [Int] @deprecated(reason: "b") }',
    keep: [
      "FIELD_DEPRECATION_REASON_CHANGED safe Bundle.price.@deprecated",
      "FIELD_TYPE_CHANGED breaking Bundle.price",
      "FIELD_ARGUMENT_ADDED breaking Bundle.price.n",
      "FIELD_DESCRIPTION_ADDED safe Bundle.price",
    ],
  },
  {
    grouping: "FIELD_DESCRIPTION_ADDED",
    old: "type Query { addComment(body: String, order: Int = 1): AddCommentPayload }\ntype AddCommentPayload { commentEdge: String! }",
    new: '"doc"\ntype Query { "doc" addComment(body: String, order: Int = 2, issue: ID): AddCommentPayload }\ntype AddCommentPayload { "doc" commentEdge: String }',
    keep: [
      "FIELD_DESCRIPTION_ADDED safe AddCommentPayload.commentEdge",
      "FIELD_TYPE_CHANGED breaking AddCommentPayload.commentEdge",
      "FIELD_ARGUMENT_ADDED dangerous Query.addComment.issue",
      "FIELD_ARGUMENT_DEFAULT_CHANGED dangerous Query.addComment.order",
      "TYPE_DESCRIPTION_ADDED safe Query",
    ],
  },
  {
    grouping: "INPUT_FIELD_ADDED",
    old: "type Query { a(f: F): Int }\ninput F { q: String }",
    new: "type Query { a(f: F): Int }\ninput F { q: String! r: Int s: Int = 1 }",
    keep: ["INPUT_FIELD_ADDED safe F.r", "INPUT_FIELD_ADDED dangerous F.s", "INPUT_FIELD_TYPE_CHANGED breaking F.q"],
  },
  {
    grouping: "INPUT_FIELD_DESCRIPTION_ADDED",
    old: "type Query { a(f: F): Int }\ninput F { q: String = \"a\" }",
    new: 'type Query { a(f: F): Int }\ninput F { "doc" q: Int = 1 }',
    keep: ["INPUT_FIELD_DESCRIPTION_ADDED safe F.q", "INPUT_FIELD_TYPE_CHANGED breaking F.q", "INPUT_FIELD_DEFAULT_VALUE_CHANGED dangerous F.q"],
  },
  {
    grouping: "OBJECT_TYPE_INTERFACE_ADDED",
    old: "type Query { b: Bundle }\ninterface Named { id: ID! name: String! }\ntype Bundle { id: ID! name: String! price: Int! }",
    new: "type Query { b: Bundle }\ninterface Named { id: ID! name: String! }\ntype Bundle implements Named { id: ID! name: String! sku: String }",
    keep: ["OBJECT_TYPE_INTERFACE_ADDED dangerous Bundle.Named", "FIELD_REMOVED breaking Bundle.price", "FIELD_ADDED safe Bundle.sku"],
  },
  {
    grouping: "TYPE_ADDED",
    old: "type Query { a: Int }",
    new: "type Query { a: Int b: Bundle }\ntype Bundle { id: ID! price(c: String!): Int }",
    keep: ["TYPE_ADDED safe Bundle", "FIELD_ADDED safe Query.b"],
  },
  {
    grouping: "TYPE_DESCRIPTION_ADDED",
    old: "type Query { b: Bundle }\ntype Bundle { id: ID price: Int }",
    new: 'type Query { b: Bundle }\n"doc"\ntype Bundle { id: String sku: Int }',
    keep: ["TYPE_DESCRIPTION_ADDED safe Bundle", "FIELD_REMOVED breaking Bundle.price", "FIELD_ADDED safe Bundle.sku", "FIELD_TYPE_CHANGED breaking Bundle.id"],
  },
  {
    grouping: "UNION_MEMBER_ADDED",
    old: `${DIRECTIVES}type Query { u: U }\ntype X { a: Int }\ntype Y { a: Int }\nunion U @tag(x: 1) = X`,
    new: `${DIRECTIVES}type Query { u: U }\ntype X { a: Int }\ntype Y { a: Int }\nunion U = X | Y`,
    keep: ["UNION_MEMBER_ADDED dangerous U.Y", "DIRECTIVE_USAGE_UNION_MEMBER_REMOVED dangerous U.@tag"],
  },
];

/** Grouping types no SDL pair can produce: a directive applied at the executable FIELD location lives in operations. */
const UNREACHABLE = new Set(["DIRECTIVE_USAGE_FIELD_ADDED"]);

/** comms names the reference inside the inspector's path (`U.Member`, `Type.Interface`, `@d.LOCATION`, `@d.arg`). */
const REF_META: Record<string, string> = {
  UNION_MEMBER_ADDED: "addedUnionMemberTypeName",
  UNION_MEMBER_REMOVED: "removedUnionMemberTypeName",
  OBJECT_TYPE_INTERFACE_ADDED: "addedInterfaceName",
  OBJECT_TYPE_INTERFACE_REMOVED: "removedInterfaceName",
  DIRECTIVE_LOCATION_ADDED: "addedDirectiveLocation",
  DIRECTIVE_LOCATION_REMOVED: "removedDirectiveLocation",
  DIRECTIVE_ARGUMENT_ADDED: "addedDirectiveArgumentName",
};

describe("no grouping change hides another change (engine, per grouping type)", () => {
  test("every inspector grouping type has a case", () => {
    expect(INSPECTOR_GROUPING.filter((t) => !UNREACHABLE.has(t) && !CASES.some((c) => c.grouping === t))).toEqual([]);
  });

  test.each(CASES.map((c) => [c.grouping, c] as const))("%s", async (_, c) => {
    const raw = await inspect(buildSchema(c.old, { assumeValidSDL: true }), buildSchema(c.new, { assumeValidSDL: true }));
    expect(raw.map((r) => r.type)).toContain(c.grouping as never);
    const { findings } = await diffSdl(c.old, c.new);
    const got = findings.map((f) => `${f.rule} ${f.severity} ${f.path}`);
    for (const k of c.keep) expect(got).toContain(k);
    // Every breaking or dangerous change the inspector finds is reported, except its second report
    // of a deprecation as a directive usage.
    const level = { BREAKING: "breaking", DANGEROUS: "dangerous" } as Record<string, string>;
    for (const r of raw) {
      if (r.criticality.level === "NON_BREAKING" || r.path?.includes(".@deprecated")) continue;
      const named = REF_META[r.type] ? `.${(r.meta as Record<string, string>)[REF_META[r.type]!]}` : "";
      expect(got).toContain(`${r.type} ${level[r.criticality.level]} ${r.path}${named}`);
    }
  });
});

describe("simplification on real GitHub schema pairs", () => {
  // The inspector's own simplification hid dozens of type changes, argument additions and a removal
  // behind description and interface additions on these schemas; ours may drop only safe changes.
  const versions = realSchemaVersions();
  if (versions.length < 2) console.warn(`simplification on real GitHub schema pairs skipped: fewer than two versions in ${REAL_SCHEMAS}/gh-<version>/`);
  test.skipIf(versions.length < 2)("keeps every breaking and dangerous change of each consecutive pair", async () => {
    let kept = 0;
    for (let i = 1; i < versions.length; i++) {
      const raw = await inspect(buildSchema(realSchema(versions[i - 1]!), { assumeValidSDL: true }), buildSchema(realSchema(versions[i]!), { assumeValidSDL: true }));
      const simplified = new Set(simplifyChanges(raw));
      const dropped = raw.filter((c) => c.criticality.level !== CriticalityLevel.NonBreaking && !simplified.has(c)).map((c) => `${c.type} ${c.path}`);
      expect({ pair: `${versions[i - 1]} -> ${versions[i]}`, dropped }).toEqual({ pair: `${versions[i - 1]} -> ${versions[i]}`, dropped: [] });
      kept += raw.length - dropped.length;
    }
    expect(kept).toBeGreaterThan(0);
  }, 600_000);
});
