import { describe, expect, test } from "bun:test";
import { coordinate } from "../../../../src/kinds/openapi/context.ts";
import { diff, findingsWithOps, yaml, type Case } from "../helpers.ts";

/** `GET /orders` with the given query parameters (one a line, from line 7). */
const params = (...ps: string[]) => yaml`
  openapi: 3.0.3
  info: { title: orders, version: "1.0.0" }
  paths:
    /orders:
      get:
        parameters:
${ps.map((p) => `          - ${p}`).join("\n")}
        responses: { "200": { description: ok } }
`;
const LIMIT = "{ name: limit, in: query, schema: { type: integer } }";
const LIMIT_REQ = "{ name: limit, in: query, required: true, schema: { type: integer } }";
const OFFSET = "{ name: offset, in: query, schema: { type: integer } }";
const TRACE = "{ name: X-Trace, in: header, schema: { type: string } }";

/** Two operations using the shared Order component, whose `lines` are Line items (Line from line 24). */
const orders = (quantity: string, variant = "") => yaml`
  openapi: 3.0.3
  info: { title: orders, version: "1.0.0" }
  paths:
    /orders:
      get:
        responses:
          "200":
            description: ok
            content:
              application/json: { schema: { type: array, items: { $ref: "#/components/schemas/Order" } } }
    /orders/{id}:
      get:
        parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
        responses:
          "200":
            description: ok
            content:
              application/json: { schema: { $ref: "#/components/schemas/Order" } }
  components:
    schemas:
      Order:
        type: object
        properties: { lines: { type: array, items: { $ref: "#/components/schemas/Line" } } }${variant}
      Line:
        type: object
        properties:
          sku: { type: string }
          quantity: { type: ${quantity} }
`;

/** The same shape written with a YAML anchor and aliases instead of components. */
const aliased = (quantity: string) => yaml`
  openapi: 3.0.3
  info: { title: orders, version: "1.0.0" }
  x-shapes:
    line: &line
      type: object
      properties:
        quantity: { type: ${quantity} }
  paths:
    /a:
      get:
        responses: { "200": { description: ok, content: { application/json: { schema: { type: array, items: *line } } } } }
    /b:
      get:
        responses: { "200": { description: ok, content: { application/json: { schema: *line } } } }
`;

/** `POST /pets` whose request body is a oneOf of the given branches, with optional component schemas. */
const pets = (branches: string, schemas: Record<string, string> = {}) => {
  const components = Object.entries(schemas).map(([name, schema]) => `\n    ${name}: ${schema}`).join("");
  return yaml`
  openapi: 3.0.3
  info: { title: t, version: "1" }
  paths:
    /pets:
      post:
        requestBody:
          content:
            application/json:
              schema: { oneOf: [${branches}] }
        responses: { "201": { description: ok } }
  ${components ? `components:\n  schemas:${components}` : ""}
`;
};

const cases: Case[] = [
  {
    name: "a parameter is named by location and name, so a parameter inserted before it leaves its path alone",
    before: params(LIMIT),
    after: params(OFFSET, TRACE, LIMIT_REQ),
    ids: /became-required/,
    expected: [{ rule: "request-parameter-became-required", path: "/paths/~1orders/get/parameters/query/limit", old: "old.yaml:7:13", new: "new.yaml:9:13", severity: "breaking", operations: ["GET /orders"] }],
  },
  {
    name: "a change in a shared component is one finding at the component, listing every operation",
    before: orders("integer"),
    after: orders("string"),
    ids: /type/,
    expected: [
      { rule: "response-property-type-changed", path: "/components/schemas/Line/properties/quantity", old: "old.yaml:28:21", new: "new.yaml:28:21", severity: "breaking", operations: ["GET /orders", "GET /orders/{id}"] },
    ],
  },
  {
    name: "a change in a value shared through YAML aliases is one finding where the anchor is",
    before: aliased("integer"),
    after: aliased("string"),
    ids: /type/,
    expected: [{ rule: "response-property-type-changed", path: "/x-shapes/line/properties/quantity", old: "old.yaml:7:19", new: "new.yaml:7:19", severity: "breaking", operations: ["GET /a", "GET /b"] }],
  },
];

describe("openapi: one finding per change, named by identity", () => {
  for (const c of cases) {
    test(c.name, async () => {
      expect(await findingsWithOps(c.before, c.after, c.ids, c.options)).toEqual(c.expected);
    });
  }

  test("inserting unrelated parameters leaves the path, and so the fingerprint, unchanged", async () => {
    const plain = (await diff(params(LIMIT), params(LIMIT_REQ))).find((f) => f.rule === "request-parameter-became-required");
    const inserted = (await diff(params(LIMIT), params(OFFSET, TRACE, LIMIT_REQ))).find((f) => f.rule === "request-parameter-became-required");
    expect(inserted?.path).toBe(plain!.path);
    expect(inserted?.fingerprint).toBe(plain!.fingerprint);
  });

  test("inserting an unrelated property or oneOf branch leaves a changed element's path unchanged", async () => {
    const body = (branches: string) =>
      pets(branches, {
        Cat: "{ type: object, required: [meow], properties: { a: { type: string }, meow: { type: boolean } } }",
        Dog: "{ type: object, properties: { bark: { type: boolean } } }",
        Dog2: "{ type: object, properties: { z: { type: string }, bark: { type: string } } }",
        Bird: "{ type: object, properties: { wings: { type: integer } } }",
      });
    const cat = '{ $ref: "#/components/schemas/Cat" }';
    const dog = '{ $ref: "#/components/schemas/Dog" }';
    const bird = '{ $ref: "#/components/schemas/Bird" }';
    const plain = await diff(body(`${cat}, ${dog}`), body(`${cat}`));
    const inserted = await diff(body(`${cat}, ${dog}`), body(`${bird}, ${cat}`));
    const removed = (fs: typeof plain) => fs.find((f) => f.rule === "request-body-one-of-removed");
    expect(removed(plain)?.path).toBe("/paths/~1pets/post/requestBody/content/application~1json/schema/oneOf/Dog");
    expect(removed(inserted)?.path).toBe(removed(plain)!.path);
  });

  test("inline oneOf branches are named by what sets them apart, so inserting one before a changed branch leaves its path", async () => {
    const body = (branches: string) => pets(branches);
    const cat = (t: string) => `{ type: object, required: [meow], properties: { meow: { type: ${t} } } }`;
    const dog = "{ type: object, required: [bark], properties: { bark: { type: boolean } } }";
    const text = "{ type: string }";
    const changed = (fs: Awaited<ReturnType<typeof diff>>) => fs.filter((f) => f.rule === "request-property-type-changed").map((f) => f.path);
    const plain = changed(await diff(body(`${dog}, ${cat("boolean")}`), body(`${dog}, ${cat("integer")}`)));
    const inserted = changed(await diff(body(`${dog}, ${cat("boolean")}`), body(`${text}, ${dog}, ${cat("integer")}`)));
    expect(plain).toEqual(["/paths/~1pets/post/requestBody/content/application~1json/schema/oneOf/{meow}/properties/meow"]);
    expect(inserted).toEqual(plain);
    // A removed branch is named the same way: by its type when no sibling shares it.
    const removed = (await diff(body(`${text}, ${dog}`), body(dog))).filter((f) => f.rule === "request-body-one-of-removed").map((f) => f.path);
    expect(removed).toEqual(["/paths/~1pets/post/requestBody/content/application~1json/schema/oneOf/string"]);
  });

  test.each([
    ["/components/schemas/Line/properties/quantity", "Line.quantity"],
    ["/components/schemas/Order/properties/lines/items/properties/sku", "Order.lines[].sku"],
    ["schemas/order.yaml#/properties/lines/items/items/properties/quantity", "schemas/order.yaml#lines[][].quantity"],
    ["schemas/all.yaml#/Order/properties/lines/items", "schemas/all.yaml#Order.lines[]"],
    ["schemas/all.yaml#/$defs/Money/properties/amount", "schemas/all.yaml#Money.amount"],
    ["schemas/pet.yaml#/oneOf/{meow}/properties/meow", "schemas/pet.yaml#oneOf[{meow}].meow"],
    ["/paths/~1o/get/responses/200", "#/paths/~1o/get/responses/200"],
  ])("a schema path reads as a person writes it: %s", (path, expected) => {
    expect(coordinate(path)).toBe(expected);
  });

  test("messages name schema elements as people write them: the component coordinate, or items[] inline", async () => {
    const [shared] = (await diff(orders("integer"), orders("string"))).filter((f) => f.rule === "response-property-type-changed");
    expect(shared!.message).toBe("response property 'Line.quantity' type changed from 'integer' to 'string'");
    const inline = (t: string) => yaml`
      openapi: 3.0.3
      info: { title: t, version: "1" }
      paths:
        /o:
          get:
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema: { type: array, items: { type: object, properties: { lines: { type: array, items: { type: object, properties: { quantity: { type: ${t} } } } } } } }
    `;
    const [f] = (await diff(inline("integer"), inline("string"))).filter((x) => x.rule === "response-property-type-changed");
    expect(f!.message).toBe("response property '[].lines[].quantity' (status 200) type changed from 'integer' to 'string' in GET /o");
    expect(f!.path).toBe("/paths/~1o/get/responses/200/content/application~1json/schema/items/properties/lines/items/properties/quantity");
  });

  test("valid: a shared component that did not change gives nothing, however many operations use it", async () => {
    const found = await diff(orders("integer"), orders("integer", "\n      description: orders"));
    expect(found.filter((f) => f.severity !== "safe").map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });
});
