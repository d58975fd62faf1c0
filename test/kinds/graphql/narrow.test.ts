import { diff as inspect, type Change } from "@graphql-inspector/core";
import { buildSchema, parse } from "graphql";
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { narrowedSchemas } from "../../../src/kinds/graphql/narrow.ts";
import { diffSdl, graphql, REAL_SCHEMAS, realSchema, realSchemaVersions } from "./helpers.ts";

const summary = (cs: Change[]) => cs.map((c) => `${c.type} ${c.criticality.level} ${c.path} ${c.message}`);

/** The inspector's changes for the full schemas and for the narrowed ones. */
async function both(oldSdl: string, newSdl: string): Promise<{ full: string[]; narrowed: string[] }> {
  const full = await inspect(buildSchema(oldSdl, { assumeValidSDL: true }), buildSchema(newSdl, { assumeValidSDL: true }));
  const [o, n] = narrowedSchemas(parse(oldSdl), parse(newSdl));
  return { full: summary(full), narrowed: summary(await inspect(o, n)) };
}

describe("narrowing keeps changes that reach an unchanged type through argument defaults", () => {
  const cases: Array<[string, string, string, string]> = [
    [
      "an input type loses a field named in a default",
      graphql`
        type Query { viewer: User }
        type User { contributions(orderBy: ContributionOrder = {field: OCCURRED_AT, direction: DESC}): [Int] }
        input ContributionOrder { field: ContributionOrderField direction: Direction! }
        enum ContributionOrderField { OCCURRED_AT }
        enum Direction { ASC DESC }
      `,
      graphql`
        type Query { viewer: User }
        type User { contributions(orderBy: ContributionOrder = {field: OCCURRED_AT, direction: DESC}): [Int] }
        input ContributionOrder { direction: Direction! }
        enum ContributionOrderField { OCCURRED_AT }
        enum Direction { ASC DESC }
      `,
      "User.contributions.orderBy",
    ],
    [
      "an enum loses the value a default names",
      graphql`
        type Query { viewer: User }
        type User { repos(order: Direction = DESC): [Int] }
        enum Direction { ASC DESC }
      `,
      graphql`
        type Query { viewer: User }
        type User { repos(order: Direction = DESC): [Int] }
        enum Direction { ASC }
      `,
      "User.repos.order",
    ],
    [
      "a nested input type two levels down gains a field default",
      graphql`
        type Query { viewer: User }
        type User { search(filter: Outer = {inner: {q: "x"}}): [Int] }
        input Outer { inner: Inner }
        input Inner { q: String limit: Int }
      `,
      graphql`
        type Query { viewer: User }
        type User { search(filter: Outer = {inner: {q: "x"}}): [Int] }
        input Outer { inner: Inner }
        input Inner { q: String limit: Int = 10 }
      `,
      "User.search.filter",
    ],
    [
      "an enum gains the value a default already names",
      graphql`
        type Query { viewer: User }
        type User { repos(order: Direction = DESC, other: Direction = ASC): [Int] }
        enum Direction { ASC }
      `,
      graphql`
        type Query { viewer: User }
        type User { repos(order: Direction = DESC, other: Direction = ASC): [Int] }
        enum Direction { ASC DESC }
      `,
      "User.repos.order",
    ],
    [
      "an input type gains the nullable field a default already names",
      graphql`
        type Query { viewer: User }
        type User { search(filter: Filter = {q: "x", limit: 3}): [Int] }
        input Filter { q: String }
      `,
      graphql`
        type Query { viewer: User }
        type User { search(filter: Filter = {q: "x", limit: 3}): [Int] }
        input Filter { q: String limit: Int }
      `,
      "User.search.filter",
    ],
  ];
  test.each(cases)("%s", async (_, oldSdl, newSdl, path) => {
    const { full, narrowed } = await both(oldSdl, newSdl);
    expect(narrowed).toEqual(full);
    expect(full.some((c) => c.startsWith(`FIELD_ARGUMENT_DEFAULT_CHANGED DANGEROUS ${path} `))).toBe(true);
    const { findings } = await diffSdl(oldSdl, newSdl);
    expect(findings.map((f) => `${f.rule} ${f.severity} ${f.path}`)).toContain(`FIELD_ARGUMENT_DEFAULT_CHANGED dangerous ${path}`);
  });
});

/** A small deterministic PRNG (mulberry32), so every generated pair is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Field {
  name: string;
  type: string;
  args: Array<{ name: string; type: string; default?: string }>;
}
interface Model {
  enums: Map<string, string[]>;
  inputs: Map<string, Array<{ name: string; type: string; default?: string }>>;
  objects: Map<string, { interfaces: string[]; fields: Field[]; description?: string }>;
}

/** Random schemas rich in what narrowing must get right: inputs reaching inputs and enums, and defaults through them. */
function generate(next: () => number): Model {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const enums = new Map<string, string[]>();
  for (let e = 0; e < 3; e++) enums.set(`E${e}`, ["A", "B", "C", "D"].slice(0, 2 + Math.floor(next() * 3)));
  const inputs: Model["inputs"] = new Map();
  for (let i = 3; i >= 0; i--) {
    const fields = [];
    for (let f = 0; f < 2 + Math.floor(next() * 3); f++) {
      const laterInputs = [...inputs.keys()];
      const type = pick(["Int", "String", ...enums.keys(), ...laterInputs]);
      fields.push({ name: `f${f}`, type: next() < 0.3 ? `${type}!` : type });
    }
    inputs.set(`I${i}`, fields);
  }
  const model: Model = { enums, inputs, objects: new Map() };
  for (const fields of inputs.values()) for (const f of fields) if (next() < 0.3) f.default = literal(model, f.type, next, 2);
  for (let o = 0; o < 6; o++) {
    const fields: Field[] = [];
    for (let f = 0; f < 1 + Math.floor(next() * 3); f++) {
      const args = [];
      for (let a = 0; a < Math.floor(next() * 3); a++) {
        const type = pick(["Int", ...enums.keys(), ...inputs.keys()]);
        args.push({ name: `a${a}`, type, default: next() < 0.7 ? literal(model, type, next, 3) : undefined });
      }
      fields.push({ name: `g${f}`, type: pick(["Int", "String", ...enums.keys(), `T${(o + 1) % 6}`]), args });
    }
    model.objects.set(`T${o}`, { interfaces: [], fields });
  }
  model.objects.set("Query", { interfaces: [], fields: [...model.objects.keys()].map((t, i) => ({ name: `q${i}`, type: t, args: [] })) });
  return model;
}

function literal(model: Model, type: string, next: () => number, depth: number): string {
  const named = type.replace(/!$/, "");
  const values = model.enums.get(named);
  // Now and then a value that does not exist yet but may be added (`N0`, `N1`), as real schemas
  // sometimes carry defaults that only become valid later.
  if (values) return next() < 0.1 ? `N${Math.floor(next() * 2)}` : values[Math.floor(next() * values.length)]!;
  const fields = model.inputs.get(named);
  if (fields) {
    if (depth <= 0) return "{}";
    const parts = fields.filter(() => next() < 0.6).map((f) => `${f.name}: ${literal(model, f.type, next, depth - 1)}`);
    return `{${parts.join(", ")}}`;
  }
  return named === "String" ? '"s"' : String(Math.floor(next() * 5));
}

/** One to three random edits of the kinds real schema histories show. */
function mutate(model: Model, next: () => number): Model {
  const copy: Model = structuredClone(model);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  for (let n = 0; n < 1 + Math.floor(next() * 3); n++) {
    const objects = [...copy.objects.values()].filter((o) => o.fields.length);
    switch (Math.floor(next() * 8)) {
      case 0: {
        const fields = pick([...copy.inputs.values()]);
        if (fields.length > 1) fields.splice(Math.floor(next() * fields.length), 1);
        break;
      }
      case 1: {
        const values = pick([...copy.enums.values()]);
        if (values.length > 1) values.splice(Math.floor(next() * values.length), 1);
        break;
      }
      case 2:
        pick([...copy.enums.values()]).push(`N${n}`);
        break;
      case 3: {
        const f = pick(pick([...copy.inputs.values()]));
        f.default = f.default === undefined ? literal(copy, f.type, next, 1) : undefined;
        break;
      }
      case 4:
        pick(pick(objects).fields).type = pick(["Int", "String!", "E0"]);
        break;
      case 5: {
        const args = pick(objects).fields.flatMap((f) => f.args);
        if (args.length) {
          const a = pick(args);
          a.default = literal(copy, a.type, next, 2);
        }
        break;
      }
      case 6:
        pick([...copy.inputs.values()]).push({ name: `n${n}`, type: pick(["Int", "E1", "I3"]) });
        break;
      case 7:
        pick(objects).description = "changed";
        break;
    }
  }
  return copy;
}

function print(m: Model): string {
  const out: string[] = [];
  for (const [name, values] of m.enums) out.push(`enum ${name} { ${values.join(" ")} }`);
  for (const [name, fields] of m.inputs) {
    out.push(`input ${name} { ${fields.map((f) => `${f.name}: ${f.type}${f.default === undefined ? "" : ` = ${f.default}`}`).join(" ")} }`);
  }
  for (const [name, o] of m.objects) {
    const fields = o.fields.map((f) => {
      const args = f.args.length ? `(${f.args.map((a) => `${a.name}: ${a.type}${a.default === undefined ? "" : ` = ${a.default}`}`).join(", ")})` : "";
      return `${f.name}${args}: ${f.type}`;
    });
    out.push(`${o.description ? `"${o.description}" ` : ""}type ${name} { ${fields.join(" ")} }`);
  }
  return `${out.join("\n")}\n`;
}

describe("narrowed and full schemas give the same changes", () => {
  test("on 300 generated schema pairs", async () => {
    let withDefaultChanges = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = rng(seed);
      const before = generate(next);
      const after = mutate(before, next);
      const { full, narrowed } = await both(print(before), print(after));
      if (full.some((c) => c.startsWith("FIELD_ARGUMENT_DEFAULT_CHANGED"))) withDefaultChanges++;
      expect({ seed, changes: narrowed }).toEqual({ seed, changes: full });
    }
    // The generator must exercise the case narrowing gets wrong most easily.
    expect(withDefaultChanges).toBeGreaterThan(30);
  });

  const CASES = join(import.meta.dir, "../../../../shared/conformance/graphql");
  const shared = existsSync(CASES);
  if (!shared) console.warn(`narrowing on the GraphQL conformance pairs skipped: ${CASES} not found`);
  test.skipIf(!shared)("on the GraphQL conformance pairs", async () => {
    for (const name of readdirSync(CASES).filter((n) => existsSync(join(CASES, n, "old.graphql"))).sort()) {
      const text = (f: string) => readFileSync(join(CASES, name, f), "utf8");
      const { full, narrowed } = await both(text("old.graphql"), text("new.graphql"));
      expect({ name, changes: narrowed }).toEqual({ name, changes: full });
    }
  });

  // Real version pairs of GitHub's public schema, where narrowing once lost argument defaults read through
  // a changed input type. They are fetched into .cache/bench/gh-<version>/ by `bun scripts/bench-graphql.ts`
  // (or by hand with `npm pack @octokit/graphql-schema@<version>`), never committed; every pair of
  // consecutive versions found there is compared.
  const versions = realSchemaVersions();
  if (versions.length < 2) console.warn(`narrowing on real GitHub schema pairs skipped: fewer than two versions in ${REAL_SCHEMAS}/gh-<version>/`);
  test.skipIf(versions.length < 2)("on real GitHub schema pairs", async () => {
    for (let i = 1; i < versions.length; i++) {
      const { full, narrowed } = await both(realSchema(versions[i - 1]!), realSchema(versions[i]!));
      const pair = `${versions[i - 1]} -> ${versions[i]}`;
      expect({ pair, missing: full.filter((c) => !narrowed.includes(c)), extra: narrowed.filter((c) => !full.includes(c)) }).toEqual({ pair, missing: [], extra: [] });
    }
  }, 600_000);
});
