import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { ContractError, InputError } from "../../../src/core/errors.ts";
import { formatLocation } from "../../../src/core/location.ts";
import { MemoryReader, type SourceReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { TempRepo } from "../../e2e/gate-helpers.ts";
import { diff } from "./helpers.ts";
import { expectBounded } from "../../helpers/guard.ts";

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
      expectBounded(performance.now() - started, 5000);
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
    expectBounded(performance.now() - started, 5000);
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

describe("comms diff: a $ref to a non-object, or a literal non-object, where a parameter, response or request body is expected", () => {
  // The value a bad $ref lands on must not be echoed: the message names the pointer, never its target.
  const TITLE = "TITLE_NEVER_SHOWN_5678";
  // Booleans come last so that the lines above keep their numbers.
  const spec = (pathItem: string) =>
    `openapi: 3.0.3\ninfo: { title: ${TITLE}, version: "1.0.0" }\nx-list: [${TITLE}, 2]\nx-count: 5\nx-none: null\npaths:\n  /a:\n${pathItem}x-bool: true\nx-false: false\n`;
  const GOOD = spec(`    get:\n      parameters: [{ name: q, in: query, schema: { type: string } }]\n      requestBody: { content: { application/json: { schema: { type: string } } } }\n      responses: { "200": { description: ok } }\n`);

  let repo: TempRepo;
  beforeAll(() => {
    repo = new TempRepo();
    repo.write("old.yaml", GOOD);
  });
  afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

  // name, file, its text, and `line:col: message` expected (the place is the `$ref` key, or the element written in place).
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
    // true and false are schemas: where a schema is not expected, a $ref landing on one is refused like a string.
    ["an operation parameter to a boolean", "bool-param.yaml", spec(`    get:\n      parameters: [{ $ref: "#/x-bool" }]\n      responses: { "200": { description: ok } }\n`), "9:22: $ref '#/x-bool' resolves to a boolean, not an object (a parameter)"],
    [
      "a path-level parameter to a boolean",
      "bool-path-param.yaml",
      spec(`    parameters:\n      - $ref: "#/x-false"\n    get:\n      responses: { "200": { description: ok } }\n`),
      "9:9: $ref '#/x-false' resolves to a boolean, not an object (a parameter)",
    ],
    [
      "a request body to a boolean",
      "bool-body.yaml",
      spec(`    post:\n      requestBody:\n        $ref: "#/x-bool"\n      responses: { "200": { description: ok } }\n`),
      "10:9: $ref '#/x-bool' resolves to a boolean, not an object (a request body)",
    ],
    ["a response to a boolean", "bool-response.yaml", spec(`    get:\n      responses:\n        "200": { $ref: "#/x-bool" }\n`), "10:18: $ref '#/x-bool' resolves to a boolean, not an object (a response)"],
    [
      "a response to a response component that is a $ref to a boolean (the place is the last $ref)",
      "bool-response-chain.yaml",
      spec(`    get:\n      responses:\n        "200": { $ref: "#/components/responses/Ok" }\ncomponents:\n  responses:\n    Ok: { $ref: "#/x-bool" }\n`),
      "13:11: $ref '#/x-bool' resolves to a boolean, not an object (a response)",
    ],
    [
      "a response header to a boolean",
      "bool-header.yaml",
      spec(`    get:\n      responses:\n        "200":\n          description: ok\n          headers:\n            X-Rate: { $ref: "#/x-bool" }\n`),
      "13:23: $ref '#/x-bool' resolves to a boolean, not an object (a header)",
    ],
    [
      "a response media type to a boolean",
      "bool-media.yaml",
      spec(`    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json: { $ref: "#/x-bool" }\n`),
      "13:33: $ref '#/x-bool' resolves to a boolean, not an object (a media type)",
    ],
    [
      "a request media type to a boolean",
      "bool-body-media.yaml",
      spec(`    post:\n      requestBody:\n        content:\n          application/json: { $ref: "#/x-false" }\n      responses: { "200": { description: ok } }\n`),
      "11:31: $ref '#/x-false' resolves to a boolean, not an object (a media type)",
    ],
    [
      "a parameter's media type to a boolean",
      "bool-param-media.yaml",
      spec(`    get:\n      parameters:\n        - name: q\n          in: query\n          content: { application/json: { $ref: "#/x-bool" } }\n      responses: { "200": { description: ok } }\n`),
      "12:42: $ref '#/x-bool' resolves to a boolean, not an object (a media type)",
    ],
    ["a path item to a boolean", "bool-path-item.yaml", spec(`    $ref: "#/x-bool"\n`), "8:5: $ref '#/x-bool' resolves to a boolean, not an object (a path item)"],
    // The same values written in place are refused where they are written, without echoing them.
    ["a literal operation parameter", "lit-param.yaml", spec(`    get:\n      parameters: [true]\n      responses: { "200": { description: ok } }\n`), "9:20: parameters/0 must be an object (a parameter), not a boolean"],
    ["a literal path-level parameter", "lit-path-param.yaml", spec(`    parameters:\n      - 42\n    get:\n      responses: { "200": { description: ok } }\n`), "9:9: parameters/0 must be an object (a parameter), not a number"],
    ["a literal request body", "lit-body.yaml", spec(`    post:\n      requestBody: ${TITLE}\n      responses: { "200": { description: ok } }\n`), "9:7: requestBody must be an object (a request body), not a string"],
    ["a literal response", "lit-response.yaml", spec(`    get:\n      responses: { "200": true }\n`), "9:20: responses/200 must be an object (a response), not a boolean"],
    ["an empty response (null)", "lit-response-null.yaml", spec(`    get:\n      responses:\n        "200":\n`), "10:9: responses/200 must be an object (a response), not a null"],
    ["a literal response header", "lit-header.yaml", spec(`    get:\n      responses:\n        "200":\n          description: ok\n          headers: { X-Rate: 5 }\n`), "12:22: headers/X-Rate must be an object (a header), not a number"],
    [
      "a literal response media type",
      "lit-media.yaml",
      spec(`    get:\n      responses:\n        "200":\n          description: ok\n          content: { application/json: [${TITLE}] }\n`),
      "12:22: content/application~1json must be an object (a media type), not an array",
    ],
    ["a literal request media type", "lit-body-media.yaml", spec(`    post:\n      requestBody:\n        content: { application/json: false }\n      responses: { "200": { description: ok } }\n`), "10:20: content/application~1json must be an object (a media type), not a boolean"],
    ["a literal operation", "lit-operation.yaml", spec(`    get: true\n`), "8:5: get must be an object (an operation), not a boolean"],
    ["a literal path item", "lit-path-item.yaml", spec(`    true\n`), "7:3: paths/~1a must be an object (a path item), not a boolean"],
    ["responses that are not a map", "lit-responses.yaml", spec(`    get:\n      responses: true\n`), "9:7: responses must be an object (a map of responses by status), not a boolean"],
    ["parameters that are not a list", "lit-parameters.yaml", spec(`    get:\n      parameters: { name: q, in: query }\n      responses: { "200": { description: ok } }\n`), "9:7: parameters must be an array (a list of parameters), not an object"],
    ["a literal security requirement", "lit-security.yaml", spec(`    get:\n      security: [true]\n      responses: { "200": { description: ok } }\n`), "9:18: security/0 must be an object (a security requirement), not a boolean"],
    [
      "a literal security scheme",
      "lit-scheme.yaml",
      spec(`    get:\n      responses: { "200": { description: ok } }\ncomponents:\n  securitySchemes:\n    key: true\n`),
      "12:5: securitySchemes/key must be an object (a security scheme), not a boolean",
    ],
    [
      "a literal parameter, in JSON",
      "lit-param.json",
      `{\n  "openapi": "3.0.3",\n  "info": {"title": "${TITLE}", "version": "1.0.0"},\n  "paths": {"/a": {"get": {\n    "parameters": [true],\n    "responses": {"200": {"description": "ok"}}}}}\n}\n`,
      "5:20: parameters/0 must be an object (a parameter), not a boolean",
    ],
    [
      "a literal response, in Swagger 2.0",
      "lit-swagger.yaml",
      `swagger: "2.0"\ninfo: { title: ${TITLE}, version: "1.0.0" }\npaths:\n  /a:\n    get:\n      responses: { "200": false }\n`,
      "6:20: responses/200 must be an object (a response), not a boolean",
    ],
    [
      "a webhook to a boolean, in OpenAPI 3.1",
      "bool-webhook.yaml",
      `openapi: 3.1.0\ninfo: { title: ${TITLE}, version: "1.0.0" }\nx-bool: true\nwebhooks:\n  ping: { $ref: "#/x-bool" }\n`,
      "5:11: $ref '#/x-bool' resolves to a boolean, not an object (a path item)",
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

  test("an empty container (`responses:` or `content:` with nothing after it, YAML for null) is read as empty, as real specs write it", () => {
    repo.write("empty.yaml", spec(`    get:\n      responses:\n    post:\n      requestBody:\n        content:\n      responses: { "200": { description: ok } }\n`));
    const r = repo.comms("diff", "empty.yaml", "empty.yaml");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("boolean schemas (in place, under additionalProperties and items, and through a $ref) still diff normally", () => {
    const bools = (required: boolean) =>
      [
        "openapi: 3.1.0",
        'info: { title: t, version: "1.0.0" }',
        "x-bool: true",
        "paths:",
        "  /a:",
        "    post:",
        `      parameters: [{ name: q, in: query, required: ${required}, schema: true }]`,
        "      requestBody:",
        '        content: { application/json: { schema: { $ref: "#/components/schemas/Any" } } }',
        "      responses:",
        '        "200":',
        "          description: ok",
        '          headers: { X-Rate: { schema: { $ref: "#/x-bool" } } }',
        "          content:",
        "            application/json:",
        "              schema: { type: object, additionalProperties: false, properties: { a: { type: array, items: false } } }",
        "components:",
        "  schemas:",
        "    Any: true",
        "",
      ].join("\n");
    repo.write("bools.yaml", bools(false));
    repo.write("bools-required.yaml", bools(true));
    const same = repo.comms("diff", "bools.yaml", "bools.yaml");
    expect({ code: same.code, stderr: same.stderr }).toEqual({ code: 0, stderr: "" });
    const stricter = repo.comms("diff", "bools.yaml", "bools-required.yaml");
    expect({ code: stricter.code, stderr: stricter.stderr }).toEqual({ code: 1, stderr: "" });
    expect(stricter.stdout).toContain("request-parameter-became-required");
    const looser = repo.comms("diff", "bools-required.yaml", "bools.yaml");
    expect({ code: looser.code, stderr: looser.stderr }).toEqual({ code: 0, stderr: "" });
    expect(looser.stdout).toContain("request-parameter-became-optional");
  });
});
