import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkAvro } from "../../src/schemas/avro/check.ts";
import { parseAvro } from "../../src/schemas/avro/parse.ts";
import { breaks } from "../../src/schemas/avro/rules/define.ts";
import { SHARED } from "../helpers/cli.ts";

const DIR = join(SHARED, "conformance", "events", "avro");
const available = existsSync(DIR);
if (!available) console.warn(`avro conformance skipped: ${DIR} not found`);

interface Exception {
  case: string;
  reason: string;
}
const exceptions: Exception[] = JSON.parse(readFileSync(join(import.meta.dir, "..", "fixtures", "avro", "conformance-exceptions.json"), "utf8"));

function load(dir: string, name: string) {
  return parseAvro([{ file: name, text: readFileSync(join(dir, name), "utf8") }]).schemas[0]!.root;
}

/** The rule ids of breaking issues when `reader` reads data written with `writer`. */
function judge(reader: ReturnType<typeof load>, writer: ReturnType<typeof load>) {
  const issues = checkAvro(reader, writer, "");
  return { ok: !breaks(issues), types: [...new Set(issues.filter((i) => i.rule.severity === "breaking").map((i) => i.rule.id))].sort() };
}

describe.skipIf(!available)("avro conformance with Java SchemaCompatibility and the schema registry", () => {
  test("verdicts and incompatibility types agree", () => {
    const cases = readdirSync(DIR).filter((c) => existsSync(join(DIR, c, "expected.json"))).sort();
    let agree = 0;
    let checks = 0;
    let typesAgree = 0;
    const failures: string[] = [];
    for (const name of cases) {
      const dir = join(DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      const problems: string[] = [];
      try {
        const oldT = load(dir, "old.avsc");
        const newT = load(dir, "new.avsc");
        if ("reader" in expected.compatible) {
          checks++;
          const got = judge(newT, oldT);
          if (got.ok !== expected.compatible.compatible) problems.push(`reader/writer: expected ${expected.compatible.compatible}, got ${got.ok} ${got.types.join(",")}`);
          const listed: Array<{ type?: string }> = expected.incompatibilities ?? [];
          // Some upstream tests assert only the verdict or a message: types are compared where named.
          if (listed.every((i) => i.type)) {
            const want = [...new Set(listed.map((i) => i.type!))].sort();
            if (JSON.stringify(want) === JSON.stringify(got.types)) typesAgree++;
            else problems.push(`types: expected ${want.join(",")}, got ${got.types.join(",")}`);
          }
        } else {
          for (const [mode, want] of Object.entries(expected.compatible as Record<string, boolean>)) {
            checks++;
            const back = () => judge(newT, oldT).ok;
            const fwd = () => judge(oldT, newT).ok;
            const got = mode === "BACKWARD" ? back() : mode === "FORWARD" ? fwd() : back() && fwd();
            if (got !== want) problems.push(`${mode}: expected ${want}, got ${got}`);
          }
        }
      } catch (e) {
        problems.push(`error: ${(e as Error).message}`);
      }
      if (!problems.length) agree++;
      else if (!exceptions.some((x) => x.case === name)) failures.push(`${name}: ${problems.join("; ")}`);
    }
    const pct = ((agree / cases.length) * 100).toFixed(1);
    console.log(`avro conformance: ${agree}/${cases.length} cases agree (${pct}%), ${checks} verdict checks, incompatibility types identical in ${typesAgree} reader/writer cases; ${exceptions.length} listed exceptions`);
    expect(failures).toEqual([]);
    expect(agree / cases.length).toBeGreaterThanOrEqual(0.98);
  });
});
