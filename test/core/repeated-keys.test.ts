import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

// One rule for every reader: a key written again with the same value is read with a warning; with a
// different value the document is refused (exit 2, naming the flag), unless --duplicate-keys last (or
// policy.duplicate-keys: last) reads the last value and reports a dangerous duplicate-key finding.

interface Case {
  name: string;
  file: string;
  clean: string;
  same: string;
  differs: string;
  /** Pointer of the repeated key in `differs`, and the text that starts its last occurrence (the one read). */
  at: { path: string; key: string };
  extra?: string[];
}

const OA_JSON = (paths: string) => `{"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"},\n "paths": {${paths}}}\n`;
const OP = '{"get": {"responses": {"200": {"description": "ok"}}}}';
const OP2 = '{"get": {"responses": {"204": {"description": "none"}}}}';
const AA = (channels: string) => `asyncapi: 3.0.0\ninfo:\n  title: t\n  version: 1.0.0\nchannels:\n${channels}`;
const AVRO = (fields: string) => `{"type": "record", "name": "A",\n "fields": [${fields}]}\n`;
const JS = (props: string) => `{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",\n "properties": {${props}}}\n`;
const INTRO = (fields: string) =>
  `{"__schema": {"queryType": {"name": "Query"}, "mutationType": null, "subscriptionType": null, "directives": [],\n "types": [{"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": [${fields}]},\n {"kind": "SCALAR", "name": "Int"}, {"kind": "SCALAR", "name": "String"}]}}\n`;
const PACT = (described: string) =>
  `{"consumer": {"name": "web"}, "provider": {"name": "api"},\n "interactions": [{${described}, "request": {"method": "GET", "path": "/a"}, "response": {"status": 200}}],\n "metadata": {"pactSpecification": {"version": "3.0.0"}}}\n`;
const FIELD = (name: string, type: string) => `{"name": "${name}", "args": [], "isDeprecated": false, "type": {"kind": "SCALAR", "name": "${type}"}}`;

const CASES: Case[] = [
  {
    name: "OpenAPI JSON",
    file: "api.json",
    clean: OA_JSON(`\n "/a": ${OP}`),
    same: OA_JSON(`\n "/a": ${OP},\n "/a": ${OP}`),
    differs: OA_JSON(`\n "/a": ${OP},\n "/a": ${OP2}`),
    at: { path: "/paths/~1a", key: '"/a"' },
  },
  {
    name: "OpenAPI YAML",
    file: "api.yaml",
    clean: "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n",
    same: "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n",
    differs: "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n  /a:\n    get:\n      responses: {'204': {description: none}}\n",
    at: { path: "/paths/~1a", key: "/a:" },
  },
  {
    name: "AsyncAPI",
    file: "events.yaml",
    clean: AA("  a:\n    address: a\n"),
    same: AA("  a:\n    address: a\n  a:\n    address: a\n"),
    differs: AA("  a:\n    address: a\n  a:\n    address: b\n"),
    at: { path: "/channels/a", key: "a:\n    address: b" },
  },
  {
    name: "JSON Schema",
    file: "s.schema.json",
    clean: JS('"a": {"type": "string"}'),
    same: JS('"a": {"type": "string", "type": "string"}'),
    differs: JS('"a": {"type": "string", "type": "integer"}'),
    at: { path: "/properties/a/type", key: '"type": "integer"' },
  },
  {
    name: "Avro",
    file: "a.avsc",
    clean: AVRO('{"name": "x", "type": "int"}'),
    same: AVRO('{"name": "x", "type": "int", "type": "int"}'),
    differs: AVRO('{"name": "x", "type": "int", "type": "long"}'),
    at: { path: "/fields/0/type", key: '"type": "long"' },
  },
  {
    name: "GraphQL introspection",
    file: "schema.json",
    clean: INTRO(FIELD("a", "Int")),
    same: INTRO(FIELD("a", "Int")).replace('"kind": "OBJECT", ', '"kind": "OBJECT", "description": "x", "description": "x", '),
    differs: INTRO(FIELD("a", "Int")).replace('"kind": "OBJECT", ', '"kind": "OBJECT", "description": "x", "description": "y", '),
    at: { path: "/__schema/types/0/description", key: '"description": "y"' },
  },
  {
    name: "Pact",
    file: "web-api.json",
    clean: PACT('"description": "get a"'),
    same: PACT('"description": "get a", "description": "get a"'),
    differs: PACT('"description": "get a", "description": "get b"'),
    at: { path: "/interactions/0/description", key: '"description": "get b"' },
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "comms-repeats-"));
  for (const c of CASES) {
    const d = join(dir, c.file.replace(/\W/g, "-"));
    mkdirSync(d);
    for (const v of ["clean", "same", "differs"] as const) {
      mkdirSync(join(d, v));
      writeFileSync(join(d, v, c.file), c[v]);
    }
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Line and column of the last occurrence of `needle` in `text`. */
function place(text: string, needle: string): { line: number; column: number } {
  const at = text.lastIndexOf(needle);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const run = (c: Case, version: "same" | "differs", ...flags: string[]) =>
  runCli(["diff", `clean/${c.file}`, `${version}/${c.file}`, "--format", "json", ...flags, ...(c.extra ?? [])], { cwd: join(dir, c.file.replace(/\W/g, "-")) });

describe.each(CASES)("$name", (c) => {
  test("a repeat with the same value is read, with one warning", () => {
    const r = run(c, "same");
    expect(r.stderr).toContain("1 key written twice with the same value, read once:");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].findings.filter((f: { rule: string }) => f.rule === "duplicate-key")).toEqual([]);
  });
  test("a repeat with a different value is exit 2 at the key, naming the flag", () => {
    const r = run(c, "differs");
    expect(r.code).toBe(2);
    const { line, column } = place(c.differs, c.at.key);
    expect(r.stderr).toContain(`differs/${c.file}:${line}:${column}: duplicate key`);
    expect(r.stderr).toContain("--duplicate-keys last");
  });
  test("--duplicate-keys last reads the last value and reports a dangerous finding at the key", () => {
    const r = run(c, "differs", "--duplicate-keys", "last");
    expect(r.stderr).not.toContain("duplicate key");
    const found = JSON.parse(r.stdout).results[0].findings.filter((f: { rule: string }) => f.rule === "duplicate-key");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "dangerous", path: c.at.path, new: { file: `differs/${c.file}`, ...place(c.differs, c.at.key) } });
    expect(found[0].message).toContain("written twice with different values in the new version");
  });
});

describe("the mode comes from comms.yaml too, and the flag wins", () => {
  const c = CASES[0]!;
  const cwd = () => join(dir, c.file.replace(/\W/g, "-"));
  test("policy.duplicate-keys: last", () => {
    writeFileSync(join(cwd(), "comms.yaml"), "version: 1\ncontracts: {}\npolicy:\n  duplicate-keys: last\n");
    try {
      const r = run(c, "differs");
      expect(r.code).toBe(1); // the last value removes a response: breaking, judged like any change
      expect(JSON.parse(r.stdout).results[0].findings.map((f: { rule: string }) => f.rule)).toContain("duplicate-key");
      expect(run(c, "differs", "--duplicate-keys", "error").code).toBe(2);
    } finally {
      rmSync(join(cwd(), "comms.yaml"));
    }
  });
  test("an unknown mode is a usage error", () => {
    const r = run(c, "differs", "--duplicate-keys", "first");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown --duplicate-keys 'first' (expected one of error, last)");
  });
  test("--fail-on dangerous fails on the finding", () => {
    expect(run(c, "differs", "--duplicate-keys", "last", "--fail-on", "dangerous").code).toBe(1);
  });
});

describe("comms.yaml", () => {
  const project = (config: string) => {
    const d = mkdtempSync(join(dir, "cfg-"));
    writeFileSync(join(d, "comms.yaml"), config);
    writeFileSync(join(d, "s.graphql"), "type Query { a: Int }\n");
    return d;
  };
  const contract = "  g: { kind: graphql, path: s.graphql }\n";
  test("a repeat with the same value is read, with a warning at it", () => {
    const r = runCli(["check"], { cwd: project(`version: 1\ncontracts:\n${contract}${contract}`) });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("comms.yaml:4:3: 'g' is written twice with the same value (first at line 3, column 3)");
  });
  test("a repeat with a different value is exit 2 naming the flag; --duplicate-keys last reads the last", () => {
    const d = project(`version: 1\ncontracts:\n${contract}  g: { kind: graphql, path: t.graphql }\n`);
    const r = runCli(["check"], { cwd: d });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("comms.yaml:4:3: Map keys must be unique: 'g' is written twice with different values (first at line 3, column 3); remove one, or read the last with --duplicate-keys last");
    const last = runCli(["check", "--duplicate-keys", "last"], { cwd: d });
    expect(last.stderr).toContain("'g' is written twice with a different value; the last one is read");
    // The last names t.graphql, which does not exist.
    expect(last.stderr).toContain("t.graphql");
  });
});

test("a key both versions repeat with different values is one finding, in the new version", () => {
  const c = CASES[0]!;
  const d = join(dir, c.file.replace(/\W/g, "-"));
  const r = runCli(["diff", `differs/${c.file}`, `differs/${c.file}`, "--format", "json", "--duplicate-keys", "last"], { cwd: d });
  const found = JSON.parse(r.stdout).results[0].findings.filter((f: { rule: string }) => f.rule === "duplicate-key");
  expect(found).toHaveLength(1);
  expect(found[0].new).toBeDefined();
  expect(found[0].old).toBeUndefined();
  // Only the old version repeats it: reported there.
  const gone = runCli(["diff", `differs/${c.file}`, `clean/${c.file}`, "--format", "json", "--duplicate-keys", "last"], { cwd: d });
  const old = JSON.parse(gone.stdout).results[0].findings.filter((f: { rule: string }) => f.rule === "duplicate-key");
  expect(old).toHaveLength(1);
  expect(old[0].old).toMatchObject({ file: `differs/${c.file}` });
  expect(old[0].message).toContain("in the old version");
});
