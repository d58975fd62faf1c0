/**
 * One rule for every YAML reader: `<<` merge keys are applied, as js-yaml (the library AsyncAPI and
 * OpenAPI tooling parse with) and Go's yaml.v3 (buf) apply them. Every YAML input of the fuzz corpus
 * must read to the same value in comms's readers as in js-yaml, wherever both accept it.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as jsyaml from "js-yaml";
import { CORE_SCHEMA, load, type Type } from "js-yaml";
import { MemoryReader } from "../../src/core/source.ts";
import asyncapi from "../../src/kinds/asyncapi/index.ts";
import { PositionedYaml, YamlDocument } from "../../src/kinds/asyncapi/yaml.ts";
import { parseText } from "../../src/kinds/openapi/load.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { REPO, runCli } from "../helpers/cli.ts";

const CORPUS = join(REPO, "test/fixtures/fuzz");

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/i.test(name)) out.push(p);
  }
  return out;
}

/**
 * js-yaml's YAML 1.2 core schema with merge keys, as its default schema reads them; its default also
 * turns timestamps into Dates, which YAML 1.2 (and comms) keeps as strings.
 */
const REFERENCE = CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: Type } }).types.merge] });

/**
 * Whether two parsed values are the same data, whatever their key order or prototype. Shared values
 * (aliases) are compared once per pair, so an alias bomb costs its size in the text, not its expansion.
 */
function same(a: unknown, b: unknown, seen = new Map<object, Set<object>>()): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return Object.is(a, b) || (a === b);
  const pairs = seen.get(a) ?? new Set<object>();
  if (pairs.has(b)) return true;
  pairs.add(b);
  seen.set(a, pairs);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], seen)) return false;
  return true;
}

/** Plain data with keys sorted (small values only: for messages and the unit tests below). */
function plain(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  return Array.isArray(v) ? v.map(plain) : Object.fromEntries(Object.keys(v).sort().map((k) => [k, plain((v as Record<string, unknown>)[k])]));
}

function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: f() };
  } catch {
    return { ok: false };
  }
}

describe("YAML merge keys: parity with js-yaml on the fuzz corpus", () => {
  const files = yamlFiles(CORPUS);

  test("the corpus has YAML inputs, merge keys among them", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => /<<:/.test(readFileSync(f, "utf8")))).toBe(true);
  });

  test("every reader reads what js-yaml reads, wherever both accept the input", () => {
    // The AsyncAPI reader takes its exact parser for every document with anchors, so merges go through it.
    const readers: Array<[string, (file: string, text: string) => unknown]> = [
      ["asyncapi", (file, text) => new YamlDocument(file, text).value],
      ["openapi", (file, text) => parseText(file, text).value],
    ];
    let compared = 0;
    const differ: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      const ref = attempt(() => load(text, { schema: REFERENCE }));
      if (!ref.ok || typeof ref.value !== "object" || ref.value === null) continue;
      for (const [name, read] of readers) {
        const got = attempt(() => read(relative(CORPUS, f), text));
        if (!got.ok) continue;
        compared++;
        if (!same(got.value, ref.value)) differ.push(`${name}: ${relative(CORPUS, f)}`);
      }
    }
    console.log(`yaml parity: ${files.length} YAML inputs, ${compared} reads compared with js-yaml`);
    expect(compared).toBeGreaterThan(100);
    expect(differ).toEqual([]);
  }, 120_000);
});

describe("YAML merge keys are applied by every reader", () => {
  const strict = (merge: boolean) => `asyncapi: 3.0.0
info: { title: users, version: 1.0.0 }
x-shapes:
  strict: &strict
    required: [id, name]
    additionalProperties: false
channels:
  users:
    address: users
    messages:
      created: { $ref: "#/components/messages/Created" }
operations:
  onCreated:
    action: receive
    channel: { $ref: "#/channels/users" }
    messages: [{ $ref: "#/channels/users/messages/created" }]
components:
  messages:
    Created:
      payload:
${merge ? "        <<: *strict\n" : ""}        type: object
        properties:
          id: { type: string }
          name: { type: string }
`;

  test("AsyncAPI: `<<: *strict` adds required properties and closes the model", async () => {
    const options = { settings: {}, warn: () => {} };
    const load = (text: string) => asyncapi.load({ reader: new MemoryReader({ "a.yaml": text }), path: "a.yaml" }, options);
    const got = await asyncapi.diff(await load(strict(false)), await load(strict(true)), options);
    expect(got.filter((f) => f.severity === "breaking").map((f) => f.rule)).toEqual(expect.arrayContaining(["ADDITIONAL_PROPERTIES_REMOVED"]));
    // Located in the document: the merged keys point at the anchor's text.
    const closed = got.find((f) => f.rule === "ADDITIONAL_PROPERTIES_REMOVED")!;
    expect(closed.new?.line).toBe(6);
  });

  test("AsyncAPI: a merge key's own keys win, then earlier mappings; a bad merge value is exit 2 at it", () => {
    const doc = new PositionedYaml("a.yaml", "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  x: 0\n  <<: [*a, *b]\n");
    expect(plain((doc.value as Record<string, unknown>).c)).toEqual({ x: 0, y: 1, z: 2 });
    expect(() => new PositionedYaml("a.yaml", "a: 1\nc:\n  <<: 5\n")).toThrow("a.yaml:3:7: a merge key '<<' takes a mapping");
  });

  test("OpenAPI: merge keys are applied by the exact and the fast reader alike", () => {
    const text = "openapi: 3.0.3\ninfo: &i {title: t, version: '1'}\nx-info:\n  <<: *i\n  title: u\npaths: {}\n";
    expect(plain((parseText("o.yaml", text).value as Record<string, unknown>)["x-info"])).toEqual({ title: "u", version: "1" });
  });

  test("comms.yaml: merged settings apply, and merged contract names are checked too", () => {
    const cfg = parseConfig("contracts:\n  a: &c {kind: openapi, path: a.yaml, compatibility: forward}\n  b:\n    <<: *c\n    path: b.yaml\n", "comms.yaml", "/x/comms.yaml");
    expect(plain(cfg.config.contracts.b)).toEqual({ compatibility: "forward", kind: "openapi", path: "b.yaml" });
    const bad = "contracts:\n  a: &c {toString: {kind: openapi, path: a.yaml}}\n  b:\n    <<: *c\n";
    expect(() => parseConfig(bad.replace("toString", "a2"), "comms.yaml", "/x/comms.yaml")).toThrow();
  });

  test("buf.yaml: a merged `breaking` section is read", () => {
    const dir = mkdtempSync(join(tmpdir(), "comms-merge-"));
    try {
      const run = (use: string) => {
        for (const side of ["old", "new"]) {
          mkdirSync(join(dir, side), { recursive: true });
          writeFileSync(join(dir, side, "buf.yaml"), `version: v2\nx-defaults: &d\n  use: [${use}]\nbreaking:\n  <<: *d\n`);
          writeFileSync(join(dir, side, "a.proto"), `syntax = "proto3";\npackage p;\nmessage M { string ${side === "old" ? "name" : "title"} = 1; }\n`);
        }
        return runCli(["diff", "old", "new", "--kind", "protobuf"], { cwd: dir }).code;
      };
      // A rename breaks WIRE_JSON (JSON names change) but not WIRE: the merged `use` decides.
      expect([run("WIRE_JSON"), run("WIRE")]).toEqual([1, 0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
