import { describe, expect, test } from "bun:test";
import { detectDirKind, detectFileKind } from "../../src/kinds/index.ts";

describe("kind detection from a file", () => {
  test.each([
    ["api.yaml", "openapi: 3.1.0\ninfo: {}\n", "openapi"],
    ["api.yml", "# comment\nswagger: '2.0'\n", "openapi"],
    ["api.json", '{"openapi":"3.0.0","info":{}}', "openapi"],
    ["schema.json", '{"data":{"__schema":{"types":[]}}}', "graphql"],
    ["schema.graphql", "whatever", "graphql"],
    ["ops.gql", "query A { a }", "graphql"],
    ["users.proto", "message A {}", "protobuf"],
    ["schema.txt", "type Query {\n  a: Int\n}\n", "graphql"],
    ["x.txt", 'syntax = "proto3";\nmessage A {}\n', "protobuf"],
    ["config.yaml", "name: x\n", undefined],
    ["package.json", '{"name":"x"}', undefined],
  ])("%s", (path, content, kind) => {
    expect(detectFileKind(path, content)).toBe(kind as never);
  });
});

describe("kind detection from a directory", () => {
  const read = (files: Record<string, string>) => (p: string) => files[p];
  test("any .proto file makes a protobuf tree", () => {
    expect(detectDirKind(["a/b.proto", "README.md"], read({}))).toBe("protobuf");
  });
  test("schema files make a GraphQL contract", () => {
    expect(detectDirKind(["a.graphql", "b.gql"], read({}))).toBe("graphql");
  });
  test("an OpenAPI root document among YAML files", () => {
    const files = { "schemas.yaml": "User: {}\n", "openapi.yaml": "openapi: 3.0.0\n" };
    expect(detectDirKind(Object.keys(files), read(files))).toBe("openapi");
  });
  test("nothing recognisable", () => {
    expect(detectDirKind(["a.md"], read({}))).toBeUndefined();
  });
});
