import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "../../scripts/gen-config-schema.ts";
import { REPO } from "../helpers/cli.ts";

describe("schema/comms.schema.json", () => {
  test("is generated from the valibot schema and up to date (npm run schema)", () => {
    expect(readFileSync(join(REPO, "schema/comms.schema.json"), "utf8")).toBe(configJsonSchema());
  });

  test("describes contracts with their kinds and rejects unknown keys", () => {
    const schema = JSON.parse(configJsonSchema());
    const contract = schema.properties.contracts.additionalProperties;
    expect(contract.properties.kind.enum).toEqual(["openapi", "graphql", "protobuf", "avro", "jsonschema", "asyncapi", "pact"]);
    expect(contract.required).toEqual(expect.arrayContaining(["kind", "path"]));
    expect(contract.additionalProperties).toBe(false);
    expect(schema.required).toContain("contracts");
  });
});
