import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ContractError, InputError } from "../../../src/core/errors.ts";
import { formatLocation } from "../../../src/core/location.ts";
import { MemoryReader, type SourceReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { TempRepo } from "../../e2e/gate-helpers.ts";
import { diff } from "./helpers.ts";

const HEAD = 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\n';
const op = (schema: string) => `${HEAD}paths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: ${schema}\n`;

/** `file:line:col: message` of the one-line error a load throws. */
async function loadError(files: Record<string, string>, path: string, settings: Record<string, unknown> = {}, reader?: SourceReader): Promise<string> {
  try {
    await engine.load({ reader: reader ?? new MemoryReader(files), path }, { settings, warn: () => {} });
  } catch (e) {
    if (e instanceof ContractError) {
      expect(e.message).not.toContain("\n");
      return `${formatLocation(e.loc)}: ${e.detail}`;
    }
    throw e;
  }
  throw new Error("expected a ContractError");
}

const bomb = (levels: number) => {
  let t = `${HEAD}paths: {}\nx-a0: &a0 [x, x, x, x, x, x, x, x, x]\n`;
  for (let i = 1; i < levels; i++) t += `x-a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]\n`;
  return t;
};

const rows: Array<[string, Record<string, string>, string, RegExp, Record<string, unknown>?]> = [
  ["an undefined alias", { "a.yaml": `${HEAD}paths: {}\nx-a: *nope\n` }, "a.yaml", /^a\.yaml:4:6: undefined alias '\*nope'/],
  ["an alias inside its own anchor", { "a.yaml": `${HEAD}paths: {}\nx-a: &self\n  b: *self\n` }, "a.yaml", /^a\.yaml:5:3: an alias refers to a value that contains it/],
  ["an alias bomb", { "a.yaml": bomb(12) }, "a.yaml", /^a\.yaml:\d+:\d+: aliases expand this file to more than/],
  ["50,000 nested JSON arrays", { "a.json": `{"openapi": "3.0.3", "paths": {}, "x": ${"[".repeat(50_000)}${"]".repeat(50_000)}}` }, "a.json", /^a\.json:1:\d+: nesting deeper than 1000 levels/],
  ["50,000 nested YAML flow sequences", { "a.yaml": `${HEAD}paths: {}\nx: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n` }, "a.yaml", /^a\.yaml:4:\d+: nesting deeper than 1000 levels$/],
  ["a trailing comma in a .json file (never read as YAML)", { "a.json": '{"openapi": "3.0.3",\n "paths": {},\n}\n' }, "a.json", /^a\.json:3:1: invalid JSON: /],
  ["a duplicate key in YAML, naming both places", { "a.yaml": `${HEAD}paths: {}\nx-k: 1\nx-k: 2\n` }, "a.yaml", /^a\.yaml:5:1: duplicate key 'x-k' \(first defined at line 4, column 1\)/],
  ["a duplicate key in JSON, naming both places", { "a.json": '{"openapi": "3.0.3",\n "paths": {},\n "openapi": "3.1.0"}\n' }, "a.json", /^a\.json:3:2: duplicate key 'openapi' \(first defined at line 1, column 2\)/],
  ["a $ref to an inherited property (constructor)", { "a.yaml": op('{ $ref: "#/components/schemas/constructor" }') + "components: { schemas: { A: { type: string } } }\n" }, "a.yaml", /^a\.yaml:11:25: unresolved \$ref '#\/components\/schemas\/constructor'/],
  ["a $ref to an inherited property (toString)", { "a.yaml": op('{ $ref: "#/components/schemas/toString" }') + "components: { schemas: { A: { type: string } } }\n" }, "a.yaml", /unresolved \$ref '#\/components\/schemas\/toString'/],
  ["a $ref to an inherited property (hasOwnProperty)", { "a.yaml": op('{ $ref: "#/components/hasOwnProperty" }') + "components: { schemas: { A: { type: string } } }\n" }, "a.yaml", /unresolved \$ref/],
  ["a $ref to __proto__", { "a.yaml": op('{ $ref: "#/components/schemas/__proto__" }') + "components: { schemas: { A: { type: string } } }\n" }, "a.yaml", /unresolved \$ref/],
  ["a $ref to a string where a schema is expected", { "a.yaml": op('{ $ref: "#/info/title" }') }, "a.yaml", /^a\.yaml:11:25: \$ref '#\/info\/title' resolves to a string, not an object/],
  ["a $ref with a malformed percent-encoding", { "a.yaml": op('{ $ref: "#/%" }') }, "a.yaml", /^a\.yaml:11:25: \$ref '#\/%' has a malformed percent-encoding/],
  ["a remote $ref that is not a URL, even when remote refs are allowed", { "a.yaml": op('{ $ref: "http://[x/y.yaml#/A" }') }, "a.yaml", /^a\.yaml:11:25: remote \$ref 'http:\/\/\[x\/y\.yaml#\/A' is not a valid URL/, { "allow-remote-refs": ["http://"] }],
  ["a $ref that climbs out of the root", { "a.yaml": op('{ $ref: "../../x.yaml#/A" }') }, "a.yaml", /^a\.yaml:11:25: \$ref '\.\.\/\.\.\/x\.yaml#\/A' points outside the repository root/],
  ["a $ref with a newline is shown on one line", { "a.yaml": op('{ $ref: "#/x\\n::error::pwned" }') }, "a.yaml", /unresolved \$ref '#\/x\\u000a::error::pwned'/],
];

describe("openapi loader on hostile input: one line, file:line:col, exit 2", () => {
  for (const [name, files, path, want, settings] of rows) {
    test(name, async () => {
      const started = performance.now();
      expect(await loadError(files, path, settings)).toMatch(want);
      expect(performance.now() - started).toBeLessThan(5000);
    });
  }

  test("a file the reader refuses (outside the root through a symlink) is an error at the $ref naming both", async () => {
    const files = { "a.yaml": op('{ $ref: "link.yaml#/A" }'), "link.yaml": "A: { type: string }\n" };
    const base = new MemoryReader(files);
    const reader: SourceReader = {
      label: "working tree",
      read: (p) => {
        if (p === "link.yaml") throw new InputError("'link.yaml' resolves outside the project root");
        return base.read(p);
      },
      stat: (p) => base.stat(p),
      list: (p) => base.list(p),
    };
    expect(await loadError(files, "a.yaml", {}, reader)).toMatch(/^a\.yaml:11:25: \$ref 'link\.yaml#\/A' cannot be followed: .*'link\.yaml' resolves outside the project root$/);
  });

  test("a $ref fan-out where one leaf changes is compared once and reported once", async () => {
    const fan = (leaf: string) => {
      let t = `${HEAD}paths:\n`;
      for (let i = 0; i < 5; i++) t += `  /a${i}:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: "#/components/schemas/L12" }\n`;
      t += `components:\n  schemas:\n    L0: { type: object, properties: { v: { type: ${leaf} } } }\n`;
      for (let i = 1; i <= 12; i++) t += `    L${i}: { type: object, properties: { ${Array.from({ length: 10 }, (_, j) => `p${j}: { $ref: "#/components/schemas/L${i - 1}" }`).join(", ")} } }\n`;
      return t;
    };
    const started = performance.now();
    const found = await diff(fan("string"), fan("integer"));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(found.map((f) => [f.rule, f.path, f.operations])).toEqual([["response-property-type-changed", "/components/schemas/L0/properties/v", ["GET /a0", "GET /a1", "GET /a2", "GET /a3", "GET /a4"]]]);
  });

  test("a large YAML file (fast path) still refuses duplicate keys with both places", async () => {
    let t = `${HEAD}paths:\n`;
    for (let i = 0; i < 6000; i++) t += `  /p${i}:\n    get:\n      description: operation number ${i}\n      responses: { "200": { description: ok } }\n`;
    t += "  /p17:\n    get:\n      responses: {}\n";
    expect(t.length).toBeGreaterThan(256 * 1024);
    expect(await loadError({ "big.yaml": t }, "big.yaml")).toMatch(/^big\.yaml:24004:3: duplicate key '\/p17' \(first defined at line 72, column 3\)/);
  });
});

describe("comms diff: a $ref to a non-object where a parameter, response or request body is expected", () => {
  // The value a bad $ref lands on must not be echoed: the message names the pointer, never its target.
  const TITLE = "TITLE_NEVER_SHOWN_5678";
  const spec = (pathItem: string) =>
    `openapi: 3.0.3\ninfo: { title: ${TITLE}, version: "1.0.0" }\nx-list: [${TITLE}, 2]\nx-count: 5\nx-none: null\npaths:\n  /a:\n${pathItem}`;
  const GOOD = spec(`    get:\n      parameters: [{ name: q, in: query, schema: { type: string } }]\n      requestBody: { content: { application/json: { schema: { type: string } } } }\n      responses: { "200": { description: ok } }\n`);

  let repo: TempRepo;
  beforeAll(() => {
    repo = new TempRepo();
    repo.write("old.yaml", GOOD);
  });
  afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

  // name, file, its text, and `line:col: message` expected (the place is the `$ref` key).
  const rows: Array<[string, string, string, string]> = [
    [
      "an operation parameter to a string",
      "param.yaml",
      spec(`    get:\n      parameters: [{ $ref: "#/info/title" }]\n      responses: { "200": { description: ok } }\n`),
      "9:22: $ref '#/info/title' resolves to a string, not an object",
    ],
    [
      "a path-level parameter to a string",
      "path-param.yaml",
      spec(`    parameters:\n      - $ref: "#/info/version"\n    get:\n      responses: { "200": { description: ok } }\n`),
      "9:9: $ref '#/info/version' resolves to a string, not an object",
    ],
    ["a parameter to an array", "param-list.yaml", spec(`    get:\n      parameters: [{ $ref: "#/x-list" }]\n      responses: { "200": { description: ok } }\n`), "9:22: $ref '#/x-list' resolves to an array, not an object"],
    ["a response to a string", "response.yaml", spec(`    get:\n      responses:\n        "200": { $ref: "#/info/title" }\n`), "10:18: $ref '#/info/title' resolves to a string, not an object"],
    ["a response to a number", "response-count.yaml", spec(`    get:\n      responses:\n        "200": { $ref: "#/x-count" }\n`), "10:18: $ref '#/x-count' resolves to a number, not an object"],
    [
      "a request body to a string",
      "body.yaml",
      spec(`    post:\n      requestBody:\n        $ref: "#/info/title"\n      responses: { "200": { description: ok } }\n`),
      "10:9: $ref '#/info/title' resolves to a string, not an object",
    ],
    ["a request body to null", "body-null.yaml", spec(`    post:\n      requestBody: { $ref: "#/x-none" }\n      responses: { "200": { description: ok } }\n`), "9:22: $ref '#/x-none' resolves to a null, not an object"],
    [
      "a parameter to a string, in JSON",
      "param.json",
      `{\n  "openapi": "3.0.3",\n  "info": {"title": "${TITLE}", "version": "1.0.0"},\n  "paths": {"/a": {"get": {\n    "parameters": [{"$ref": "#/info/title"}],\n    "responses": {"200": {"description": "ok"}}}}}\n}\n`,
      "5:21: $ref '#/info/title' resolves to a string, not an object",
    ],
  ];

  for (const [name, file, text, message] of rows)
    test(`${name}: exit 2, one line at file:line:col, as the new and as the old version`, () => {
      repo.write(file, text);
      for (const args of [["diff", "old.yaml", file], ["diff", file, "old.yaml"]]) {
        const r = repo.comms(...args);
        expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: "", stderr: `comms: ${file}:${message}\n` });
        expect(r.stderr).not.toContain(TITLE);
      }
    });

  test("the same document with object targets diffs normally (the refusal is about the target, not $ref)", () => {
    repo.write("fine.yaml", `${GOOD}components:\n  parameters: { Q: { name: q, in: query, schema: { type: string } } }\n`.replace('parameters: [{ name: q, in: query, schema: { type: string } }]', 'parameters: [{ $ref: "#/components/parameters/Q" }]'));
    const r = repo.comms("diff", "old.yaml", "fine.yaml");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
