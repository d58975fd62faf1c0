import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../helpers/cli.ts";

// Editors on Windows start UTF-8 files with a byte order mark, which JSON.parse refuses. Every reader
// ignores it: each file with the mark reads exactly as the same file without it.

const BOM = "\uFEFF";
const FILES: Array<[string, string, string]> = [
  ["OpenAPI JSON", "api.json", '{"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}\n'],
  ["OpenAPI YAML", "api.yaml", "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths: {}\n"],
  ["AsyncAPI YAML", "events.yaml", "asyncapi: 3.0.0\ninfo: {title: t, version: 1.0.0}\nchannels:\n  a: {address: a}\n"],
  ["AsyncAPI JSON", "events.json", '{"asyncapi": "3.0.0", "info": {"title": "t", "version": "1.0.0"}, "channels": {"a": {"address": "a"}}}\n'],
  ["JSON Schema", "s.schema.json", '{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"a": {"type": "string"}}}\n'],
  ["Avro", "a.avsc", '{"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}\n'],
  [
    "GraphQL introspection JSON",
    "intro.json",
    '{"__schema": {"queryType": {"name": "Query"}, "mutationType": null, "subscriptionType": null, "directives": [], "types": [{"kind": "OBJECT", "name": "Query", "interfaces": [], "fields": [{"name": "a", "args": [], "isDeprecated": false, "type": {"kind": "SCALAR", "name": "Int"}}]}, {"kind": "SCALAR", "name": "Int"}]}}\n',
  ],
  ["GraphQL SDL", "s.graphql", "type Query { a: Int }\n"],
  ["protobuf", "a.proto", 'syntax = "proto3";\npackage a;\nmessage A { string a = 1; }\n'],
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "comms-bom-"));
  for (const [, file, text] of FILES) {
    mkdirSync(join(dir, "plain"), { recursive: true });
    mkdirSync(join(dir, "bom"), { recursive: true });
    writeFileSync(join(dir, "plain", file), text);
    writeFileSync(join(dir, "bom", file), BOM + text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a leading byte order mark is ignored", () => {
  test.each(FILES)("%s", (_name, file) => {
    expect(readFileSync(join(dir, "bom", file))[0]).toBe(0xef);
    for (const [a, b] of [["bom", "plain"], ["plain", "bom"], ["bom", "bom"]]) {
      const r = runCli(["diff", `${a}/${file}`, `${b}/${file}`, "--format", "json"], { cwd: dir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).results[0].findings).toEqual([]);
    }
  });

  test("comms.yaml and the registry index", () => {
    const p = mkdtempSync(join(dir, "project-"));
    writeFileSync(join(p, "comms.yaml"), `${BOM}version: 1\ncontracts:\n  g: { kind: graphql, path: s.graphql }\n`);
    writeFileSync(join(p, "s.graphql"), "type Query { a: Int }\n");
    expect(runCli(["release", "g", "--version", "1.0.0"], { cwd: p }).code).toBe(0);
    const index = join(p, ".comms/index.json");
    writeFileSync(index, BOM + readFileSync(index, "utf8"));
    writeFileSync(join(p, "s.graphql"), "type Query { b: Int }\n");
    const r = runCli(["check", "--format", "json"], { cwd: p });
    expect(r.stderr).not.toContain("index");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).results[0].findings.map((f: { rule: string }) => f.rule)).toContain("FIELD_REMOVED");
  });
});
