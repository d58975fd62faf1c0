/**
 * Writes schema/comms.schema.json, the editor schema of comms.yaml, from the valibot schema that
 * validates it at run time, so the two never drift. `--check` fails when the file is out of date.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { toJsonSchema } from "@valibot/to-json-schema";
import { CommsConfigSchema } from "../src/policy/config.ts";

export function configJsonSchema(): string {
  const schema = toJsonSchema(CommsConfigSchema, { errorMode: "ignore", typeMode: "input" });
  return `${JSON.stringify({ ...schema, title: "comms.yaml", description: "Configuration of comms: contracts, policy and registry." }, null, 2)}\n`;
}

if (import.meta.main) {
  const file = "schema/comms.schema.json";
  const text = configJsonSchema();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(file, "utf8");
    } catch {}
    if (current !== text) {
      console.error(`${file} is out of date: run npm run schema`);
      process.exit(1);
    }
  } else {
    mkdirSync("schema", { recursive: true });
    writeFileSync(file, text);
    console.error(`wrote ${file}`);
  }
}
