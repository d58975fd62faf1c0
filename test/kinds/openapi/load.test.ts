import { describe, expect, test } from "bun:test";
import { ContractError } from "../../../src/core/errors.ts";
import { formatLocation } from "../../../src/core/location.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";
import { parseText } from "../../../src/kinds/openapi/load.ts";
import { brief, diff, structural, yaml } from "./helpers.ts";
import { expectBounded } from "../../helpers/guard.ts";

const load = (files: Record<string, string>, path: string, settings: Record<string, unknown> = {}, warn: (m: string) => void = () => {}) =>
  engine.load({ reader: new MemoryReader(files), path }, { settings, warn });

/** The `file:line:col: message` of the ContractError a load throws. */
async function loadError(files: Record<string, string>, path: string, settings: Record<string, unknown> = {}): Promise<string> {
  try {
    await load(files, path, settings);
  } catch (e) {
    if (e instanceof ContractError) return `${formatLocation(e.loc)}: ${e.detail}`;
    throw e;
  }
  throw new Error("expected a ContractError");
}

const petRef = (ref: string) => yaml`
  openapi: 3.1.0
  info: { title: pets, version: "2.1.0" }
  paths:
    /pets:
      get:
        responses:
          "200":
            description: ok
            content:
              application/json:
                schema:
                  $ref: "${ref}"
`;

describe("openapi loader", () => {
  test("multi-file specs resolve relative $refs, and changes in a referenced file point into that file", async () => {
    const pet = (extra: string) => yaml`
      Pet:
        type: object
        properties:
          name: { type: string }
          owner: { $ref: "../../common/owner.yaml" }${extra}
    `;
    const owner = "type: object\nproperties:\n  id: { type: string }\n";
    const before = { "api/schemas/pet.yaml": pet("\n    tag: { type: string }"), "common/owner.yaml": owner };
    const files = { "api/old.yaml": petRef("./schemas/pet.yaml#/Pet"), "api/new.yaml": petRef("./schemas/pet2.yaml#/Pet"), ...before, "api/schemas/pet2.yaml": pet("") };
    const reader = new MemoryReader(files);
    const opts = { settings: {}, warn: () => {} };
    const a = await engine.load({ reader, path: "api/old.yaml" }, opts);
    const b = await engine.load({ reader, path: "api/new.yaml" }, opts);
    expect(a.files).toEqual(["api/old.yaml", "api/schemas/pet.yaml", "common/owner.yaml"]);
    expect(a.version).toBe("2.1.0");
    const found = structural(await engine.diff(a, b, opts)).map(brief);
    expect(found).toEqual([
      {
        rule: "response-optional-property-removed",
        path: "schemas/pet.yaml#/Pet/properties/tag",
        old: "api/schemas/pet.yaml:6:5",
        new: "api/schemas/pet2.yaml:1:1",
        severity: "dangerous",
      },
    ]);
  });

  test("a path item kept in another file is reported under its logical path, located in that file", async () => {
    const root = yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      paths:
        /pets:
          $ref: "./paths/pets.yaml"
    `;
    const item = (required: string) => yaml`
      get:
        parameters:
          - { name: limit, in: query, required: ${required}, schema: { type: integer } }
        responses: { "200": { description: ok } }
    `;
    const reader = new MemoryReader({ "old.yaml": root, "new.yaml": root.replace("pets.yaml", "pets2.yaml"), "paths/pets.yaml": item("false"), "paths/pets2.yaml": item("true") });
    const opts = { settings: {}, warn: () => {} };
    const found = structural(await engine.diff(await engine.load({ reader, path: "old.yaml" }, opts), await engine.load({ reader, path: "new.yaml" }, opts), opts));
    expect(found.map(brief)).toEqual([
      { rule: "request-parameter-became-required", path: "/paths/~1pets/get/parameters/query/limit", old: "paths/pets.yaml:3:7", new: "paths/pets2.yaml:3:7", severity: "breaking" },
    ]);
    expect(found[0]!.operations).toEqual(["GET /pets"]);
  });

  test("a directory contract loads the OpenAPI document it holds, with the files it references", async () => {
    const files = {
      "api/README.md": "# not a spec",
      "api/schemas/pet.yaml": "Pet: { type: object }\n",
      "api/v1.yaml": petRef("./schemas/pet.yaml#/Pet"),
    };
    const c = await load(files, "api");
    expect(c.files).toEqual(["api/v1.yaml", "api/schemas/pet.yaml"]);
    expect(await loadError({ "api/notes.yaml": "title: notes\n" }, "api")).toBe(
      "api:1:1: no OpenAPI document (a file with an 'openapi' or 'swagger' field) in this directory",
    );
  });

  test("recursive schemas load and compare without looping, and changes below the cycle are found", async () => {
    const tree = (leaf: string) => yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      paths:
        /tree:
          get:
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/Node" }
      components:
        schemas:
          Node:
            type: object
            properties:
              value: { type: ${leaf} }
              children:
                type: array
                items: { $ref: "#/components/schemas/Node" }
    `;
    const found = structural(await diff(tree("string"), tree("integer"))).map(brief);
    expect(found).toEqual([
      {
        rule: "response-property-type-changed",
        path: "/components/schemas/Node/properties/value",
        old: "old.yaml:17:18",
        new: "new.yaml:17:18",
        severity: "breaking",
      },
    ]);
  });

  test("a remote $ref is an error naming where it is", async () => {
    expect(await loadError({ "a.yaml": petRef("https://example.com/pet.yaml#/Pet") }, "a.yaml")).toBe(
      "a.yaml:12:17: remote $ref 'https://example.com/pet.yaml#/Pet' is not allowed (comms never fetches references; list the host in policy.openapi.allow-remote-refs to compare it by URL)",
    );
  });

  test("an allowed remote $ref is reported and compared by URL, never fetched", async () => {
    const warnings: string[] = [];
    const c = await load({ "a.yaml": petRef("https://example.com/pet.yaml#/Pet") }, "a.yaml", { "allow-remote-refs": ["https://example.com/"] }, (m) => warnings.push(m));
    expect(c.files).toEqual(["a.yaml"]);
    expect(warnings).toEqual(["a.yaml: remote $ref 'https://example.com/pet.yaml#/Pet' is allowed but not fetched; it is compared by its URL only"]);
  });

  test("a $ref to a file outside the repository root is refused", async () => {
    expect(await loadError({ "api/a.yaml": petRef("../../secret.yaml") }, "api/a.yaml")).toBe(
      "api/a.yaml:12:17: $ref '../../secret.yaml' points outside the repository root",
    );
  });

  test("a broken local $ref names the file, line and column of the reference", async () => {
    expect(await loadError({ "a.yaml": petRef("#/components/schemas/Missing") }, "a.yaml")).toBe("a.yaml:12:17: unresolved $ref '#/components/schemas/Missing'");
    expect(await loadError({ "a.yaml": petRef("./nope.yaml") }, "a.yaml")).toBe("a.yaml:12:17: unresolved $ref './nope.yaml': file 'nope.yaml' not found");
  });

  test("a $ref inside example data or an extension is data, not a reference", async () => {
    const spec = yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      x-internal: { $ref: "nowhere.yaml" }
      paths:
        /a:
          get:
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        example: { $ref: "#/components/schemas/S" }
                    example: { stats: { $ref: "stats.yaml" } }
      components:
        schemas:
          S: { type: string }
    `;
    await expect(load({ "a.yaml": spec }, "a.yaml")).resolves.toMatchObject({ files: ["a.yaml"] });
    // A property that happens to be called "example" is still structure and its $ref is checked.
    expect(await loadError({ "a.yaml": spec.replace("#/components/schemas/S", "#/components/schemas/T") }, "a.yaml")).toBe("a.yaml:15:30: unresolved $ref '#/components/schemas/T'");
  });

  test("references that only lead to each other are an error, recursive schemas are not", async () => {
    const spec = (a: string) => yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      paths: {}
      components:
        schemas:
          A: ${a}
          B: { $ref: "#/components/schemas/A" }
    `;
    expect(await loadError({ "a.yaml": spec('{ $ref: "#/components/schemas/B" }') }, "a.yaml")).toBe("a.yaml:6:5: $ref cycle: a reference that only points to references");
    await expect(load({ "a.yaml": spec("{ type: object, properties: { b: { $ref: '#/components/schemas/B' } } }") }, "a.yaml")).resolves.toBeDefined();
  });

  test("malformed YAML and JSON fail with file:line:col", async () => {
    const bad = "openapi: 3.0.3\ninfo:\n  title: x\n   version: 1\npaths: {}\n";
    expect(await loadError({ "a.yaml": bad }, "a.yaml")).toMatch(/^a\.yaml:3:10: invalid YAML\/JSON: /);
    const badJson = '{\n  "openapi": "3.0.3",\n  "paths": {\n    "/a": {,}\n  }\n}\n';
    expect(await loadError({ "a.json": badJson }, "a.json")).toMatch(/^a\.json:4:\d+: invalid JSON: /);
  });

  test("a large broken JSON file fails fast with the position of the error", async () => {
    const filler = JSON.stringify({ description: "x".repeat(1_100_000) });
    const text = `{\n  "openapi": "3.0.3",\n  "info": ${filler},\n  "paths": {\n    "/a": { "get": [1 2] }\n  }\n}\n`;
    const started = performance.now();
    expect(await loadError({ "big.json": text }, "big.json")).toBe("big.json:5:23: invalid JSON: expected ',' or ']' after an array element");
    expectBounded(performance.now() - started, 2000);
  });

  test("large YAML files load through the fast path and still get exact positions", async () => {
    const big = (t: string) => yaml`
      openapi: 3.0.3
      info:
        title: big
        version: "1"
        description: "${"lorem ipsum ".repeat(30_000)}"
      paths:
        /a:
          get:
            parameters:
              - name: q
                in: query
                schema: { type: ${t} }
            responses: { "200": { description: ok } }
    `;
    const found = structural(await diff(big("string"), big("integer"))).map(brief);
    expect(found).toEqual([{ rule: "request-parameter-type-changed", path: "/paths/~1a/get/parameters/query/q/schema", old: "old.yaml:12:21", new: "new.yaml:12:21", severity: "breaking" }]);
  });

  test("a document that is not OpenAPI is refused", async () => {
    expect(await loadError({ "a.yaml": "asyncapi: 2.6.0\nchannels: {}\n" }, "a.yaml")).toBe(
      "a.yaml:1:1: not an OpenAPI document: expected an 'openapi' (3.x) or 'swagger' (2.0) field at the top level",
    );
    expect(await loadError({ "a.yaml": "openapi: 4.0.0\npaths: {}\n" }, "a.yaml")).toBe("a.yaml:1:1: unsupported OpenAPI version '4.0.0' (expected 3.0 or 3.1)");
  });

  test("JSON specs get positions from the text without a YAML parse", async () => {
    const spec = (t: string) =>
      JSON.stringify({ openapi: "3.0.3", info: { title: "x", version: "1" }, paths: { "/a": { get: { parameters: [{ name: "q", in: "query", schema: { type: t } }], responses: { "200": { description: "ok" } } } } } }, null, 2);
    const found = structural(await diff(spec("string"), spec("integer"), { oldPath: "old.json", newPath: "new.json" })).map(brief);
    expect(found).toEqual([
      { rule: "request-parameter-type-changed", path: "/paths/~1a/get/parameters/query/q/schema", old: "old.json:15:15", new: "new.json:15:15", severity: "breaking" },
    ]);
  });

  test("Swagger 2.0 is normalised into the same model: body parameters, form data and response schemas", async () => {
    const swagger = (required: string) => yaml`
      swagger: "2.0"
      info: { title: pets, version: "1.0.0" }
      consumes: [application/json]
      produces: [application/json]
      paths:
        /pets:
          post:
            parameters:
              - in: body
                name: pet
                required: true
                schema: { $ref: "#/definitions/Pet" }
              - { in: query, name: dryRun, type: boolean }
            responses:
              "201":
                description: created
                schema: { $ref: "#/definitions/Pet" }
      definitions:
        Pet:
          type: object
          required: [${required}]
          properties:
            name: { type: string }
            tag: { type: string }
    `;
    const found = structural(await diff(swagger("name"), swagger("name, tag"))).map(brief);
    expect(found).toEqual([
      { rule: "request-property-became-required", path: "/definitions/Pet/properties/tag", old: "old.yaml:24:7", new: "new.yaml:24:7", severity: "breaking" },
      { rule: "response-property-became-required", path: "/definitions/Pet/properties/tag", old: "old.yaml:24:7", new: "new.yaml:24:7", severity: "safe" },
    ]);
    // The same API written as OpenAPI 3.0 compares equal to its Swagger 2.0 form.
    const oas3 = yaml`
      openapi: 3.0.3
      info: { title: pets, version: "1.0.0" }
      paths:
        /pets:
          post:
            parameters:
              - { in: query, name: dryRun, schema: { type: boolean } }
            requestBody:
              required: true
              content:
                application/json:
                  schema: { $ref: "#/components/schemas/Pet" }
            responses:
              "201":
                description: created
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/Pet" }
      components:
        schemas:
          Pet:
            type: object
            required: [name]
            properties:
              name: { type: string }
              tag: { type: string }
    `;
    expect(structural(await diff(swagger("name"), oas3)).filter((f) => f.rule !== "api-schema-removed").map(brief)).toEqual([]);
  });

  test("Swagger 2.0 form fields become the properties of a form request body", async () => {
    const form = (note: string) => yaml`
      swagger: "2.0"
      info: { title: f, version: "1" }
      paths:
        /upload:
          post:
            consumes: [multipart/form-data]
            parameters:
              - { in: formData, name: file, type: file, required: true }
              - { in: formData, name: note, type: string${note} }
            responses: { "200": { description: ok } }
    `;
    expect(structural(await diff(form(""), form(", required: true"))).map(brief)).toEqual([
      { rule: "request-property-became-required", path: "/paths/~1upload/post/requestBody/content/multipart~1form-data/schema/properties/note", old: "old.yaml:9:11", new: "new.yaml:9:11", severity: "breaking" },
    ]);
  });

  test("engine.deprecation finds the deprecation and sunset of the element at a finding path", async () => {
    const spec = yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      paths:
        /a:
          get:
            deprecated: true
            x-sunset: "2027-01-31"
            responses: { "200": { description: ok } }
          post:
            responses: { "200": { description: ok } }
    `;
    const c = await load({ "a.yaml": spec }, "a.yaml");
    expect(engine.deprecation!(c, "/paths/~1a/get")).toEqual({ sunset: "2027-01-31" });
    expect(engine.deprecation!(c, "/paths/~1a/post")).toBeUndefined();
  });
});

describe("keys that are collections", () => {
  // Read as js-yaml (the reader of OpenAPI tooling) and comms' fast path for large files read them; the
  // YAML library's own rendering of a key holding keys doubles at each level.
  const head = "openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\n";
  const deep = `${"{ ".repeat(30)}x: 1${" }: 1".repeat(29)} }`;
  test.each([
    ["a list as a path", `${head}paths:\n  ? [/pets]\n  : {}\n`, { paths: { "/pets": {} } }],
    ["a list of a mapping, a null and a number", `${head}paths: {}\nx-a: { [{ b: 1 }, null, 2]: 3 }\n`, { paths: {}, "x-a": { "[object Object],,2": 3 } }],
    ["a mapping holding keys 30 levels deep", `${head}paths: {}\nx-a: ${deep}\n`, { paths: {}, "x-a": { "[object Object]": 1 } }],
    ["a mapping through an alias in a list key", `${head}paths: {}\nx-b: &m { c: 1 }\nx-a: { [*m, z]: 2 }\n`, { paths: {}, "x-b": { c: 1 }, "x-a": { "[object Object],z": 2 } }],
  ])("%s reads as js-yaml reads it", (_name, text, expected) => {
    const { info: _info, openapi: _openapi, ...rest } = parseText("a.yaml", text).value as Record<string, unknown>;
    expect(rest).toEqual(expected);
  });

  test("a list inside a list key is exit 2 at it, as js-yaml refuses it", async () => {
    expect(await loadError({ "a.yaml": `${head}paths: {}\nx-a: { [[b], c]: 1 }\n` }, "a.yaml")).toBe("a.yaml:4:9: a list inside a list used as a key is not supported (js-yaml refuses it too)");
  });
});

describe("info.version", () => {
  const load = (file: string, text: string) => engine.load({ reader: new MemoryReader({ [file]: text }), path: file }, { settings: {}, warn() {} });

  test("is read with its location, in YAML and JSON, for findings about the declared version", async () => {
    const y = await load("a.yaml", "openapi: 3.0.0\ninfo:\n  title: x\n  version: 1.2.0\npaths: {}\n");
    expect(y.version).toBe("1.2.0");
    expect(y.versionLocation).toEqual({ file: "a.yaml", line: 4, column: 3 });
    const j = await load("a.json", '{\n  "openapi": "3.0.0",\n  "info": {\n    "version": "1.0.0"\n  },\n  "paths": {}\n}\n');
    expect(j.version).toBe("1.0.0");
    expect(j.versionLocation).toEqual({ file: "a.json", line: 4, column: 5 });
  });

  test("is absent when the document declares none", async () => {
    const c = await load("a.yaml", "openapi: 3.0.0\ninfo: { title: x }\npaths: {}\n");
    expect(c.version).toBeUndefined();
    expect(c.versionLocation).toBeUndefined();
  });
});
