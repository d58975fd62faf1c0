import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonDocument } from "../../src/schemas/json/parse.ts";
import { compatibleWith, diffSchemas } from "../../src/schemas/jsonschema/diff.ts";
import { SchemaSet } from "../../src/schemas/jsonschema/load.ts";
import { SHARED } from "../helpers/cli.ts";

const DIR = join(SHARED, "conformance", "events", "jsonschema");
const available = existsSync(DIR);
if (!available) console.warn(`jsonschema conformance skipped: ${DIR} not found`);

interface Exception {
  case: string;
  reason: string;
}
const exceptions: Exception[] = JSON.parse(readFileSync(join(import.meta.dir, "..", "fixtures", "jsonschema", "conformance-exceptions.json"), "utf8"));

function load(dir: string, name: string) {
  return new SchemaSet(new JsonDocument(name, readFileSync(join(dir, name), "utf8")), () => undefined).root;
}

describe.skipIf(!available)("jsonschema conformance with the schema registry's diff examples", () => {
  test("BACKWARD verdicts (strict and lenient) and difference types agree", () => {
    const cases = readdirSync(DIR).filter((c) => existsSync(join(DIR, c, "expected.json"))).sort();
    let agree = 0;
    let sameTypes = 0;
    let lenientAgree = 0;
    let samePaths = 0;
    const failures: string[] = [];
    for (const name of cases) {
      const dir = join(DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      const problems: string[] = [];
      try {
        const diffs = diffSchemas(load(dir, "old.schema.json"), load(dir, "new.schema.json"));
        const strict = compatibleWith(diffs, false);
        const lenient = compatibleWith(diffs, true);
        if (strict !== expected.compatible.BACKWARD) problems.push(`BACKWARD: expected ${expected.compatible.BACKWARD}, got ${strict}`);
        if (expected.lenient && lenient === expected.lenient.BACKWARD) lenientAgree++;
        else if (expected.lenient) problems.push(`lenient: expected ${expected.lenient.BACKWARD}, got ${lenient}`);
        const want = [...new Set((expected.changes as string[]).map((c) => c.split(" ")[0]!))].sort();
        const got = [...new Set(diffs.filter((d) => d.rule.id !== "FORMAT_CHANGED").map((d) => d.rule.id))].sort();
        if (JSON.stringify(want) === JSON.stringify(got)) sameTypes++;
        const wantChanges = [...new Set(expected.changes as string[])].sort();
        const gotChanges = [...new Set(diffs.filter((d) => d.rule.id !== "FORMAT_CHANGED").map((d) => `${d.rule.id} ${d.registryPath}`))].sort();
        if (JSON.stringify(wantChanges) === JSON.stringify(gotChanges)) samePaths++;
        else if (process.env.SHOW_TYPES) console.log(name, want, got);
        else if (!problems.length) problems.push(`types only: expected ${want.join(",")}; got ${got.join(",")}`);
        if (problems.length && !problems[0]!.startsWith("types only")) problems.push(`expected ${want.join(",")}; got ${got.join(",")}`);
      } catch (e) {
        problems.push(`error: ${(e as Error).message}`);
      }
      const verdictOk = !problems.some((p) => !p.startsWith("types only"));
      if (verdictOk) agree++;
      else if (!exceptions.some((x) => x.case === name)) failures.push(`${name}: ${problems.join("; ")}`);
    }
    const pct = ((agree / cases.length) * 100).toFixed(1);
    console.log(`jsonschema conformance: ${agree}/${cases.length} verdicts agree (${pct}%), lenient verdict agrees in ${lenientAgree}, difference types identical in ${sameTypes}, types and paths identical in ${samePaths}; ${exceptions.length} listed exceptions`);
    expect(failures).toEqual([]);
    expect(agree / cases.length).toBeGreaterThanOrEqual(0.95);
  });
});
