/**
 * `$ref`s resolve as validators resolve them: identifiers only where the declared draft's keywords
 * hold a schema, `#/...` always as a JSON pointer, and a URI two schemas claim is an error. Each
 * attack is checked against ajv: when ajv rejects an old document under the new schema, comms must
 * report a breaking change.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import AjvDraft04 from "ajv-draft-04";
import { MemoryReader } from "../../../src/core/source.ts";
import asyncapi from "../../../src/kinds/asyncapi/index.ts";
import engine from "../../../src/kinds/jsonschema/index.ts";
import { runCli } from "../../helpers/cli.ts";

const options = { settings: {}, warn: () => {} };

async function findings(oldFiles: Record<string, string>, newFiles: Record<string, string>, path = "e.schema.json", settings: Record<string, unknown> = {}) {
  const load = (files: Record<string, string>) => engine.load({ reader: new MemoryReader(files), path }, { ...options, settings });
  const got = await engine.diff(await load(oldFiles), await load(newFiles), { ...options, settings });
  return got.map((f) => ({ rule: f.rule, severity: f.severity, path: f.path }));
}

function validator(schema: Record<string, unknown>) {
  const s = String(schema.$schema ?? "");
  const ajv = s.includes("draft-04") ? new AjvDraft04({ strict: false }) : s.includes("2020-12") ? new Ajv2020({ strict: false }) : new Ajv({ strict: false });
  return ajv.compile(schema);
}

const DRAFT7 = "http://json-schema.org/draft-07/schema#";
const DRAFT4 = "http://json-schema.org/draft-04/schema#";
const D2020 = "https://json-schema.org/draft/2020-12/schema";

/** The old shape of User, planted where a naive index would find it under the pointer's text. */
const OLD_USER = { type: "object", properties: { id: { type: ["string", "integer"] } } };
const NEW_USER = { type: "object", required: ["name"], additionalProperties: false, properties: { id: { type: "string" }, name: { type: "string" } } };
const defs = (draft: string) => (draft === D2020 ? "$defs" : "definitions");
const doc = (draft: string, extra: Record<string, unknown>, user: unknown) => ({ $schema: draft, ...extra, [defs(draft)]: { User: user }, properties: { user: { $ref: `#/${defs(draft)}/User` } } });

const attacks: Array<{ name: string; draft: string; decoy: (pointer: string) => Record<string, unknown> }> = [
  { name: "draft-07 $id in an x- member", draft: DRAFT7, decoy: (p) => ({ "x-docs": { $id: p, ...OLD_USER } }) },
  { name: "draft-04 id in an x- member", draft: DRAFT4, decoy: (p) => ({ "x-docs": { id: p, ...OLD_USER } }) },
  { name: "2020-12 $id and $anchor in an x- member", draft: D2020, decoy: (p) => ({ "x-docs": { $id: p, $anchor: "User", ...OLD_USER } }) },
  { name: "$id inside examples", draft: DRAFT7, decoy: (p) => ({ examples: [{ $id: p, ...OLD_USER }] }) },
  { name: "$id inside enum of a property", draft: DRAFT7, decoy: (p) => ({ properties: { user: { $ref: p }, tag: { enum: [{ $id: p, ...OLD_USER }] } } }) },
  { name: "$id inside const and default", draft: DRAFT7, decoy: (p) => ({ default: { $id: p, ...OLD_USER }, properties: { user: { $ref: p }, tag: { const: { $id: p, ...OLD_USER } } } }) },
  { name: "an id the draft does not know (draft-07 `id`)", draft: DRAFT7, decoy: (p) => ({ definitions: { Decoy: { id: p, ...OLD_USER } } }) },
];

describe("a $ref cannot be hijacked by an identifier outside schema keywords", () => {
  for (const a of attacks) {
    test(a.name, async () => {
      const pointer = `#/${defs(a.draft)}/User`;
      const before = doc(a.draft, {}, OLD_USER);
      const after = { ...doc(a.draft, a.decoy(pointer), NEW_USER) };
      // The decoy's `properties` may replace the document's: keep the reference to User in place.
      (after.properties as Record<string, unknown>).user = { $ref: pointer };
      const witness = { user: { id: 7 } };
      expect(validator(before)(witness)).toBe(true);
      expect(validator(after)(witness)).toBe(false);
      const got = await findings({ "e.schema.json": JSON.stringify(before) }, { "e.schema.json": JSON.stringify(after) });
      expect(got.filter((f) => f.severity === "breaking").map((f) => f.rule)).toEqual(expect.arrayContaining(["ADDITIONAL_PROPERTIES_REMOVED", "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"]));
    });
  }

  test("inside an AsyncAPI payload too", async () => {
    const yaml = (user: string, decoy: string) => `asyncapi: 3.0.0
info: { title: users, version: 1.0.0 }
channels:
  users:
    address: users
    messages:
      created: { $ref: "#/components/messages/Created" }
operations:
  sendCreated:
    action: receive
    channel: { $ref: "#/channels/users" }
    messages: [{ $ref: "#/channels/users/messages/created" }]
components:
  messages:
    Created:
      payload:
        x-docs: ${decoy}
        type: object
        properties:
          user: { $ref: "#/components/schemas/User" }
  schemas:
    User: ${user}
`;
    const oldUser = `{ type: object, properties: { id: { type: [string, integer] } } }`;
    const newUser = `{ type: object, required: [name], additionalProperties: false, properties: { id: { type: string }, name: { type: string } } }`;
    const load = (text: string) => asyncapi.load({ reader: new MemoryReader({ "a.yaml": text }), path: "a.yaml" }, options);
    const before = await load(yaml(oldUser, "{}"));
    const rules = async (decoy: string) => (await asyncapi.diff(before, await load(yaml(newUser, decoy)), options)).map((f) => [f.rule, f.severity, f.path]);
    // The decoy changes nothing: the payload's $ref still reaches components.schemas.User.
    const clean = await rules("{}");
    expect(clean.some((f) => f[1] === "breaking")).toBe(true);
    expect(await rules(`{ $id: "#/components/schemas/User", ${oldUser.slice(1)}`)).toEqual(clean);
    expect(await rules(`{ id: "#/components/schemas/User", $anchor: User, ${oldUser.slice(1)}`)).toEqual(clean);
  });
});

describe("identifiers where the draft defines them resolve as ajv resolves them", () => {
  const cases: Array<{ name: string; schema: (max: number) => Record<string, unknown>; witness: unknown }> = [
    {
      name: "draft-07 $id of an embedded resource, and a pointer relative to it",
      schema: (max) => ({
        $schema: DRAFT7,
        $id: "https://example.com/root.json",
        definitions: { Addr: { $id: "addr.json", definitions: { Zip: { type: "string", maxLength: max } }, properties: { zip: { $ref: "#/definitions/Zip" } } } },
        properties: { a: { $ref: "addr.json" } },
      }),
      witness: { a: { zip: "1234567" } },
    },
    {
      name: "2020-12 $anchor",
      schema: (max) => ({ $schema: D2020, $defs: { Code: { $anchor: "code", type: "string", maxLength: max } }, properties: { c: { $ref: "#code" } } }),
      witness: { c: "1234567" },
    },
    {
      name: "draft-04 fragment id",
      schema: (max) => ({ $schema: DRAFT4, definitions: { Code: { id: "#code", type: "string", maxLength: max } }, properties: { c: { $ref: "#code" } } }),
      witness: { c: "1234567" },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      expect(validator(c.schema(10))(c.witness)).toBe(true);
      expect(validator(c.schema(5))(c.witness)).toBe(false);
      const got = await findings({ "e.schema.json": JSON.stringify(c.schema(10)) }, { "e.schema.json": JSON.stringify(c.schema(5)) });
      expect(got.map((f) => [f.rule, f.severity])).toEqual([["MAX_LENGTH_DECREASED", "breaking"]]);
    });
  }

  test("a plain-name $ref finds no anchor in an x- member: exit 2 at the reference", async () => {
    const text = JSON.stringify({ $schema: D2020, "x-docs": { $anchor: "code", type: "string" }, properties: { c: { $ref: "#code" } } });
    await expect(engine.load({ reader: new MemoryReader({ "e.schema.json": text }), path: "e.schema.json" }, options)).rejects.toThrow("no '$anchor' or '$id' named 'code'");
  });

  test("two schemas claiming one identifier make a $ref to it ambiguous, naming both places", async () => {
    const text = `{
  "$schema": "${DRAFT7}",
  "definitions": {
    "A": { "$id": "https://example.com/user.json", "type": "string" },
    "B": { "$id": "https://example.com/user.json", "type": "integer" }
  },
  "properties": { "u": { "$ref": "https://example.com/user.json" } }
}`;
    const p = engine.load({ reader: new MemoryReader({ "e.schema.json": text }), path: "e.schema.json" }, options);
    await expect(p).rejects.toThrow("e.schema.json:7:34: $ref 'https://example.com/user.json' is ambiguous");
    await expect(p).rejects.toThrow("e.schema.json:4:10 and e.schema.json:5:10");
  });
});

describe("JSON pointers through any member", () => {
  // The shape of SchemaStore's tslint schema: a rule's options defined under the rule's own `definitions`.
  const tslint = (kinds: string[]) =>
    JSON.stringify({
      $schema: DRAFT4,
      id: "https://json.schemastore.org/tslint",
      definitions: {
        rules: {
          properties: {
            "no-implicit-dependencies": {
              definitions: { options: { type: "array", items: { anyOf: [{ type: "string", enum: kinds }, { type: "array", items: { type: "string" } }] } } },
              anyOf: [{ type: "boolean" }, { type: "object", properties: { options: { type: "array", items: { $ref: "#/definitions/rules/properties/no-implicit-dependencies/definitions/options/items" } } } }],
            },
          },
        },
      },
      type: "object",
      properties: { rules: { $ref: "#/definitions/rules" } },
    });

  test("a pointer into a rule's own definitions resolves, and changes there are compared", async () => {
    const witness = { rules: { "no-implicit-dependencies": { options: ["optional"] } } };
    expect(validator(JSON.parse(tslint(["dev", "optional"])))(witness)).toBe(true);
    expect(validator(JSON.parse(tslint(["dev"])))(witness)).toBe(false);
    const got = await findings({ "e.schema.json": tslint(["dev", "optional"]) }, { "e.schema.json": tslint(["dev"]) });
    expect(got.map((f) => f.severity)).toEqual(["breaking"]);
  });

  test("a pointer through an array index and into a property named like a keyword", async () => {
    const s = (t: string) => JSON.stringify({ $schema: DRAFT7, "x-shapes": [{ enum: { type: t } }], properties: { a: { $ref: "#/x-shapes/0/enum" } } });
    const got = await findings({ "e.schema.json": s("number") }, { "e.schema.json": s("integer") });
    expect(got.map((f) => f.rule)).toEqual(["TYPE_NARROWED"]);
  });
});

describe("ref-map: remote $refs read from files inside the root", () => {
  const schema = `{"$schema": "${DRAFT7}", "properties": {"cfg": {"$ref": "https://json.schemastore.org/base.json#/definitions/Cfg"}}}`;
  const base = (max: number) => `{"definitions": {"Cfg": {"type": "string", "maxLength": ${max}}}}`;
  const map = { "ref-map": { "https://json.schemastore.org/": "vendor/schemastore" } };

  test("without a mapping a remote $ref stays exit 2, and says how to map it", async () => {
    const p = engine.load({ reader: new MemoryReader({ "e.schema.json": schema }), path: "e.schema.json" }, options);
    await expect(p).rejects.toThrow("is remote; comms never fetches schemas (use a relative file, or map the URL to a file with ref-map)");
  });

  test("with a mapping the file is read, listed with the contract, and compared", async () => {
    const files = (max: number) => ({ "e.schema.json": schema, "vendor/schemastore/base.json": base(max) });
    const loaded = await engine.load({ reader: new MemoryReader(files(10)), path: "e.schema.json" }, { ...options, settings: map });
    expect(loaded.files).toEqual(["e.schema.json", "vendor/schemastore/base.json"]);
    expect(await findings(files(10), files(5), "e.schema.json", map)).toEqual([{ rule: "MAX_LENGTH_DECREASED", severity: "breaking", path: "/definitions/Cfg/maxLength" }]);
  });

  test("a mapped URL that climbs out of the root is refused at the reference", async () => {
    const text = `{"properties": {"x": {"$ref": "https://json.schemastore.org/..%2F..%2Fsecret.json"}}}`;
    const p = engine.load({ reader: new MemoryReader({ "e.schema.json": text }), path: "e.schema.json" }, { ...options, settings: map });
    await expect(p).rejects.toThrow("outside vendor/schemastore");
  });

  test("comms.yaml: the key is validated and used by check", () => {
    const dir = mkdtempSync(join(tmpdir(), "comms-refmap-"));
    try {
      const write = (p: string, t: string) => {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), t);
      };
      write("e.schema.json", schema);
      write("vendor/schemastore/base.json", base(10));
      write("comms.yaml", `version: 1\ncontracts:\n  e:\n    kind: jsonschema\n    path: e.schema.json\npolicy:\n  jsonschema:\n    ref-map:\n      "https://json.schemastore.org/": vendor/schemastore\n`);
      expect(runCli(["release", "e", "--version", "1.0.0"], { cwd: dir }).code).toBe(0);
      write("vendor/schemastore/base.json", base(5));
      const r = runCli(["check"], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("MAX_LENGTH_DECREASED");
      write("comms.yaml", `version: 1\ncontracts:\n  e:\n    kind: jsonschema\n    path: e.schema.json\npolicy:\n  jsonschema:\n    ref-map:\n      "https://json.schemastore.org/": ../outside\n`);
      const bad = runCli(["check"], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("stays below it");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
