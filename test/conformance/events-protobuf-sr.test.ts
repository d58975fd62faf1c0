import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { MemoryReader } from "../../src/core/source.ts";
import { getEngine } from "../../src/kinds/index.ts";
import { SHARED } from "../helpers/cli.ts";

// The schema registry judges protobuf by its own rules; comms' protobuf engine follows buf. These
// pairs measure how far buf's wire-level categories give the registry's BACKWARD verdicts.
const DIR = join(SHARED, "conformance", "events", "protobuf-sr");
const available = existsSync(DIR);
if (!available) console.warn(`protobuf-sr conformance skipped: ${DIR} not found`);

async function side(dir: string, which: "old" | "new", deps: Array<{ name: string; file: string }>) {
  const files: Record<string, string> = { [`${which}/schema.proto`]: readFileSync(join(dir, `${which}.proto`), "utf8") };
  for (const d of deps) files[`${which}/${d.name}`] = readFileSync(join(dir, d.file), "utf8");
  const engine = await getEngine("protobuf");
  return { engine, reader: new MemoryReader(files) };
}

describe.skipIf(!available)("protobuf in the schema registry's sense", () => {
  test("agreement of buf's WIRE and WIRE_JSON categories with the registry's BACKWARD verdicts", async () => {
    const cases = readdirSync(DIR).filter((c) => existsSync(join(DIR, c, "expected.json"))).sort();
    const agree: Record<string, number> = { WIRE: 0, WIRE_JSON: 0 };
    const disagreements: Record<string, string[]> = { WIRE: [], WIRE_JSON: [] };
    let loaded = 0;
    for (const name of cases) {
      const dir = join(DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      const o = await side(dir, "old", expected.dependencies?.old ?? []);
      const n = await side(dir, "new", expected.dependencies?.new ?? []);
      for (const category of ["WIRE", "WIRE_JSON"]) {
        const options = { settings: { use: [category] }, warn: () => {} };
        let compatible: boolean | string;
        try {
          const before = await o.engine.load({ reader: o.reader, path: "old" }, options);
          const after = await n.engine.load({ reader: n.reader, path: "new" }, options);
          compatible = !(await o.engine.diff(before, after, options)).some((f) => f.severity === "breaking");
          if (category === "WIRE") loaded++;
        } catch (e) {
          compatible = `error: ${(e as Error).message}`;
        }
        if (compatible === expected.compatible.BACKWARD) agree[category]!++;
        else disagreements[category]!.push(`${name}: registry ${expected.compatible.BACKWARD}, comms ${compatible}`);
      }
    }
    console.log(`protobuf-sr: ${cases.length} cases (${loaded} loaded); BACKWARD verdict agrees with WIRE in ${agree.WIRE}, with WIRE_JSON in ${agree.WIRE_JSON}`);
    if (process.env.SHOW_DISAGREEMENTS) console.log(disagreements);
    expect(loaded).toBe(cases.length);
    // buf is stricter than the registry (it forbids field removal, oneof moves, some type changes), never looser:
    // no change the registry refuses passes either category.
    const looser = [...disagreements.WIRE!, ...disagreements.WIRE_JSON!].filter((d) => d.includes("registry false"));
    expect(looser).toEqual([]);
  });
});
