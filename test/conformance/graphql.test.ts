import { diff as inspect, DiffRule } from "@graphql-inspector/core";
import { buildSchema, parse } from "graphql";
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryReader } from "../../src/core/source.ts";
import type { Finding } from "../../src/core/finding.ts";
import engine from "../../src/kinds/graphql/index.ts";
import { narrowedSchemas } from "../../src/kinds/graphql/narrow.ts";
import { simplifyChanges } from "../../src/kinds/graphql/simplify.ts";

const REPO = join(import.meta.dir, "../..");
const CASES = join(REPO, "..", "shared", "conformance", "graphql");
const exists = existsSync(CASES);
if (!exists) console.warn(`GraphQL conformance skipped: ${CASES} not found`);

interface Expected {
  rules: string[];
  changes: Array<{ type: string; level: string; path: string | null; message: string }>;
}

/** Cases where comms deliberately differs from GraphQL Inspector, with the reason. */
const EXCEPTIONS: Record<string, string> = JSON.parse(
  readFileSync(join(REPO, "test/fixtures/graphql/conformance-exceptions.json"), "utf8"),
).cases;

const LEVEL: Record<string, string> = { BREAKING: "breaking", DANGEROUS: "dangerous", NON_BREAKING: "safe" };
const ROOT_PATH: Record<string, string> = {
  SCHEMA_QUERY_TYPE_CHANGED: ".query",
  SCHEMA_MUTATION_TYPE_CHANGED: ".mutation",
  SCHEMA_SUBSCRIPTION_TYPE_CHANGED: ".subscription",
};

const key = (rule: string, severity: string, path: string) => `${rule} ${severity} ${path}`;

/**
 * The reference as comms users see it. comms always simplifies (as the inspector CLI does), so
 * references recorded without `simplifyChanges` get the inspector's own rule applied here.
 */
async function reference(e: Expected): Promise<string[]> {
  let changes = e.changes.map((c) => ({ ...c, path: c.path ?? undefined, criticality: { level: c.level }, meta: {} }));
  if (!e.rules.includes("simplifyChanges")) {
    changes = (await DiffRule.simplifyChanges({ changes: changes as never, oldSchema: null, newSchema: null, config: {} })) as never;
  }
  return changes.map((c) => key(c.type, LEVEL[c.level]!, c.path ?? ROOT_PATH[c.type] ?? "")).sort();
}

/**
 * comms findings with the policy equivalent of the reference's rules applied: removing a deprecated
 * element is flagged by comms and lowered to dangerous by the deprecation policy.
 */
function actual(findings: Finding[], e: Expected): string[] {
  const suppress = e.rules.includes("suppressRemovalOfDeprecatedField");
  return findings
    .map((f) => key(f.rule, suppress && f.deprecated && f.severity === "breaking" ? "dangerous" : f.severity, inspectorPath(f)))
    .sort();
}

/** Changes whose comms path names the member, interface, location or argument inside the inspector's path. */
const NAMED_INSIDE = new Set([
  "UNION_MEMBER_ADDED",
  "UNION_MEMBER_REMOVED",
  "OBJECT_TYPE_INTERFACE_ADDED",
  "OBJECT_TYPE_INTERFACE_REMOVED",
  "DIRECTIVE_LOCATION_ADDED",
  "DIRECTIVE_LOCATION_REMOVED",
  "DIRECTIVE_ARGUMENT_ADDED",
]);

function inspectorPath(f: Finding): string {
  return NAMED_INSIDE.has(f.rule) ? f.path.slice(0, f.path.lastIndexOf(".")) : f.path;
}

async function run(dir: string): Promise<Finding[]> {
  const reader = new MemoryReader({
    "old.graphql": readFileSync(join(dir, "old.graphql"), "utf8"),
    "new.graphql": readFileSync(join(dir, "new.graphql"), "utf8"),
  });
  const options = { settings: {}, warn: () => {} };
  const before = await engine.load({ reader, path: "old.graphql" }, options);
  const after = await engine.load({ reader, path: "new.graphql" }, options);
  return engine.diff(before, after, options);
}

describe.skipIf(!exists)("graphql conformance with GraphQL Inspector", () => {
  const names = exists ? readdirSync(CASES).filter((n) => existsSync(join(CASES, n, "expected.json"))).sort() : [];

  test("every listed exception names an existing case", () => {
    for (const name of Object.keys(EXCEPTIONS)) expect(names).toContain(name);
  });

  test("comms' simplification keeps everything the inspector's simplifyChanges keeps, and every breaking or dangerous change", async () => {
    for (const name of names) {
      const read = (f: string) => buildSchema(readFileSync(join(CASES, name, f), "utf8"), { assumeValidSDL: true });
      const oldSchema = read("old.graphql");
      const newSchema = read("new.graphql");
      const raw = await inspect(oldSchema, newSchema);
      const theirs = await DiffRule.simplifyChanges({ changes: raw, oldSchema, newSchema, config: {} });
      const ours = simplifyChanges(raw);
      const missing = [...theirs, ...raw.filter((c) => c.criticality.level !== "NON_BREAKING")].filter((c) => !ours.includes(c));
      expect({ name, missing: missing.map((c) => `${c.type} ${c.path}`) }).toEqual({ name, missing: [] });
    }
  });

  test("diffing the narrowed schemas gives the inspector's changes for the full schemas", async () => {
    for (const name of names) {
      const text = (f: string) => readFileSync(join(CASES, name, f), "utf8");
      const full = await inspect(buildSchema(text("old.graphql"), { assumeValidSDL: true }), buildSchema(text("new.graphql"), { assumeValidSDL: true }));
      const [oldSchema, newSchema] = narrowedSchemas(parse(text("old.graphql")), parse(text("new.graphql")));
      const narrowed = await inspect(oldSchema, newSchema);
      const summary = (cs: typeof full) => cs.map((c) => `${c.type} ${c.criticality.level} ${c.path} ${c.message}`);
      expect({ name, changes: summary(narrowed) }).toEqual({ name, changes: summary(full) });
    }
  });

  test(`comms agrees with the reference on (rule, severity, path) for every case but the listed exceptions`, async () => {
    const disagreements: string[] = [];
    let agree = 0;
    for (const name of names) {
      const expected = JSON.parse(readFileSync(join(CASES, name, "expected.json"), "utf8")) as Expected;
      const want = await reference(expected);
      const got = actual(await run(join(CASES, name)), expected);
      const same = JSON.stringify(want) === JSON.stringify(got);
      if (same) agree++;
      if (same && EXCEPTIONS[name]) disagreements.push(`${name}: listed as an exception but agrees`);
      if (!same && !EXCEPTIONS[name]) disagreements.push(`${name}:\n  reference ${JSON.stringify(want)}\n  comms     ${JSON.stringify(got)}`);
    }
    console.log(`graphql conformance: ${agree}/${names.length} cases agree, ${Object.keys(EXCEPTIONS).length} listed exceptions`);
    expect(disagreements).toEqual([]);
  });
});
