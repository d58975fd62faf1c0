import { describe, expect, test } from "bun:test";
import { elementName } from "../../src/report/element.ts";

describe("element names for people", () => {
  test.each([
    ["/paths/~1users~1{id}/get/responses/200/content/application~1json/schema/properties/email", "GET /users/{id} response 200 property email"],
    ["/paths/~1users/get/parameters/query/limit", "GET /users query parameter limit"],
    ["/paths/~1orders/post/requestBody/content/application~1json/schema/properties/lines/items/items/properties/quantity", "POST /orders request body property lines[][].quantity"],
    ["/paths/~1users/post", "POST /users"],
    ["/paths/~1users", "path /users"],
    ["/components/schemas/User/properties/address/properties/zip", "schema User property address.zip"],
    ["/components/schemas/Status/enum", "schema Status enum"],
    ["/paths/~1a/get/responses/200/headers/X-Rate", "GET /a response 200 header X-Rate"],
    ["/info/version", "info.version"],
    ["/paths/~1a~0b/get", "GET /a~b"],
    // Other kinds already name elements the way people do.
    ["Query.user.id", "Query.user.id"],
    ["acme.users.v1.User.email", "acme.users.v1.User.email"],
    ["acme/users/v1/user.proto", "acme/users/v1/user.proto"],
  ])("%s", (path, expected) => {
    expect(elementName(path)).toBe(expected);
  });
});
