import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Attack, refusedSafely, timed } from "./helpers.ts";
import { expectBounded } from "../helpers/guard.ts";

// A key written twice keeps only the last value in JSON.parse and in fast YAML parsers, so a second
// `channels:` or `fields` could hide a breaking change from the gate. Every contract reader refuses
// it, naming both places, whatever the kind, syntax or size of the document.

let a: Attack;
beforeAll(() => {
  a = new Attack();
});
afterAll(() => a.cleanup());

const ASYNC_BLOCK = `asyncapi: 3.0.0
info:
  title: t
  version: 1.0.0
channels:
  a:
    address: a
channels:
  b:
    address: b
`;

/** A large document (read by the fast native parser when it has no repeated key), with a repeated key near its end. */
function largeAsyncapi(): string {
  let t = "asyncapi: 3.0.0\ninfo:\n  title: t\n  version: 1.0.0\nchannels:\n";
  for (let i = 0; i < 6000; i++) t += `  ch${i}:\n    address: ch${i}\n    description: channel number ${i} of a large document\n`;
  return `${t}  ch17:\n    address: again\n`;
}

/** The same size, with a key repeated inside a flow mapping. */
function largeAsyncapiFlow(): string {
  let t = "asyncapi: 3.0.0\ninfo:\n  title: t\n  version: 1.0.0\nchannels:\n";
  for (let i = 0; i < 6000; i++) t += `  ch${i}:\n    address: ch${i}\n    description: { text: channel number ${i} }\n`;
  return t.replace("description: { text: channel number 4000 }", "description: { text: channel number 4000, text: hidden }");
}

const CASES: Array<[string, string, string, RegExp, string[]]> = [
  ["AsyncAPI YAML, block style", "block.yaml", ASYNC_BLOCK, /^comms: block\.yaml:8:1: duplicate key 'channels' \(first defined at line 5, column 1\)/, []],
  ["AsyncAPI YAML, flow style", "flow.yaml", "{asyncapi: 3.0.0, info: {title: t, version: 1.0.0},\n channels: {}, channels: {b: {address: b}}}\n", /^comms: flow\.yaml:2:16: duplicate key 'channels' \(first defined at line 2, column 2\)/, ["--kind", "asyncapi"]],
  ["AsyncAPI JSON", "doc.json", '{"asyncapi": "3.0.0", "info": {"title": "t", "version": "1.0.0"},\n "channels": {},\n "channels": {"b": {"address": "b"}}}\n', /^comms: doc\.json:3:2: duplicate key 'channels' \(first defined at line 2, column 2\)/, []],
  ["a large AsyncAPI YAML document (the fast parser's scan sends it to the exact one)", "large.yaml", largeAsyncapi(), /^comms: large\.yaml:18006:3: duplicate key 'ch17' \(first defined at line 57, column 3\)/, []],
  ["a large AsyncAPI YAML document with a key repeated in a flow mapping", "large-flow.yaml", largeAsyncapiFlow(), /^comms: large-flow\.yaml:12008:47: duplicate key 'text' \(first defined at line 12008, column 20\)/, []],
  ["Avro", "a.avsc", '{"type": "record", "name": "A",\n "fields": [{"name": "x", "type": "int"}],\n "fields": []}\n', /^comms: a\.avsc:3:2: duplicate key 'fields' \(first defined at line 2, column 2\)/, []],
  ["JSON Schema", "s.schema.json", '{"$schema": "http://json-schema.org/draft-07/schema#",\n "type": "object",\n "properties": {"a": {"type": "string", "type": "integer"}}}\n', /^comms: s\.schema\.json:3:41: duplicate key 'type' \(first defined at line 3, column 23\)/, []],
  ["GraphQL introspection JSON", "schema.json", '{"data": {"__schema": {"types": []}},\n "data": {}}\n', /^comms: schema\.json:2:2: duplicate key 'data' \(first defined at line 1, column 2\)/, []],
];

describe("duplicate keys are exit 2 with both places, in every contract reader", () => {
  test.each(CASES)("%s", (_name, file, text, message, extra) => {
    a.repo.write(file, text);
    const r = a.comms("diff", file, file, ...extra);
    refusedSafely(r, message);
  });
});

test("the AsyncAPI fixture without the repeated key is read (the cases above fail for the duplicate only)", () => {
  a.repo.write("ok.yaml", ASYNC_BLOCK.replace("channels:\n  b:", "  b:"));
  const r = a.comms("diff", "ok.yaml", "ok.yaml");
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
});

describe("a repeated key in a mapping of 30,000 keys is found in linear time", () => {
  // The YAML library's own check compares every key of a mapping with every other: a minute for
  // 60,000 keys. Each reader finds the repeat in one pass instead.
  const keys = (indent: string, n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => `${indent}${line(i)}\n`).join("");
  const N = 30_000;
  const CASES: Array<[string, string, string, string[], RegExp]> = [
    ["comms.yaml", "comms.yaml", `contracts:\n${keys("  ", N, (i) => `c${i}: { kind: graphql, path: schema.graphql }`)}  c5: { kind: graphql, path: other.graphql }\n`, ["check"], new RegExp(`^comms: comms\\.yaml:${N + 2}:3: Map keys must be unique: 'c5' is written twice with different values`)],
    ["OpenAPI", "big.yaml", `openapi: 3.0.3\ninfo:\n  title: t\n  version: 1.0.0\npaths: {}\nx-big:\n${keys("  ", N, (i) => `k${i}: {a: ${i}}`)}  k5: 1\n`, ["diff", "big.yaml", "big.yaml"], new RegExp(`^comms: big\\.yaml:${N + 7}:3: duplicate key 'k5' \\(first defined at line 12, column 3\\)`)],
    ["AsyncAPI", "big-async.yaml", `asyncapi: 3.0.0\ninfo:\n  title: t\n  version: 1.0.0\nchannels:\n${keys("  ", N, (i) => `c${i}: {address: c${i}}`)}  c5: {address: again}\n`, ["diff", "big-async.yaml", "big-async.yaml", "--kind", "asyncapi"], new RegExp(`^comms: big-async\\.yaml:${N + 6}:3: duplicate key 'c5' \\(first defined at line 11, column 3\\)`)],
  ];
  test.each(CASES)("%s", (_name, file, text, args, message) => {
    const repo = new Attack();
    try {
      repo.repo.write("schema.graphql", "type Query { a: Int }\n");
      if (file !== "comms.yaml") repo.repo.write("comms.yaml", "contracts: {}\n");
      repo.repo.write(file, text);
      const [r, ms] = timed(() => repo.comms(...args));
      refusedSafely(r, message);
      expectBounded(ms, 8_000);
    } finally {
      repo.cleanup();
    }
  }, 600_000);
});
