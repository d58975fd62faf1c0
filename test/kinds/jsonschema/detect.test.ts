import { describe, expect, test } from "bun:test";
import { detectDirKind, detectFileKind } from "../../../src/kinds/index.ts";

describe("event kinds are detected from extension and content", () => {
  test.each([
    ["pedido.avsc", `{"type": "record", "name": "P", "fields": []}`, "avro"],
    ["pedido.schema.json", `{"type": "object"}`, "jsonschema"],
    ["pedido.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}`, "jsonschema"],
    ["pedido.json", `{"$schema": "http://json-schema.org/draft-07/schema#"}`, "jsonschema"],
    ["asyncapi.yaml", "asyncapi: 3.0.0\ninfo: {title: x, version: 1.0.0}\n", "asyncapi"],
    ["asyncapi.json", `{"asyncapi": "2.6.0", "info": {"title": "x", "version": "1"}}`, "asyncapi"],
    ["openapi.yaml", "openapi: 3.1.0\ninfo: {title: x, version: 1.0.0}\n", "openapi"],
    ["datos.json", `{"nombre": "x"}`, undefined],
  ])("%s", (path, content, kind) => {
    expect(detectFileKind(path, content)).toBe(kind as never);
  });

  test("directories: .avsc files are avro; JSON Schema documents are jsonschema; an AsyncAPI document is asyncapi", () => {
    const files: Record<string, string> = { "a/x.avsc": "{}", "b/x.schema.json": `{"type": "object"}`, "c/asyncapi.yaml": "asyncapi: 3.0.0\n" };
    const read = (f: string) => files[f];
    expect(detectDirKind(["a/x.avsc"], read)).toBe("avro");
    expect(detectDirKind(["b/x.schema.json"], read)).toBe("jsonschema");
    expect(detectDirKind(["c/asyncapi.yaml"], read)).toBe("asyncapi");
  });
});
