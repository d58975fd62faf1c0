import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CASES_DIR, CATEGORY_FILES, type Category, listCases, runCase } from "../kinds/protobuf/conformance-harness.ts";

/** Deliberate disagreements with buf: case (and optionally category) plus the reason. */
interface Exception {
  case: string;
  category?: Category;
  reason: string;
}

const exceptions: Exception[] = JSON.parse(readFileSync(join(import.meta.dir, "..", "fixtures", "protobuf", "conformance-exceptions.json"), "utf8"));
const available = existsSync(CASES_DIR);
if (!available) console.warn(`protobuf conformance skipped: ${CASES_DIR} not found`);

describe.skipIf(!available)("protobuf conformance with buf breaking", () => {
  for (const category of Object.keys(CATEGORY_FILES) as Category[]) {
    test(`${category}: same (file, line, column, rule) as buf`, () => {
      const cases = listCases();
      let agree = 0;
      let annotations = 0;
      let matched = 0;
      let sameMessage = 0;
      const failures: string[] = [];
      for (const name of cases) {
        const r = runCase(name, category);
        annotations += r.expected.size;
        matched += r.expected.size - r.missing.length;
        sameMessage += r.sameMessage;
        const excepted = exceptions.some((e) => e.case === name && (!e.category || e.category === category));
        if (!r.error && !r.missing.length && !r.extra.length) agree++;
        else if (!excepted)
          failures.push(`${name}: ${r.error ?? ""}${r.missing.map((m) => `\n  missing ${m}`).join("")}${r.extra.map((x) => `\n  extra ${x}`).join("")}`);
      }
      console.log(`protobuf conformance ${category}: ${agree}/${cases.length} cases identical, ${matched}/${annotations} distinct (file, line, column, rule) keys reproduced; ${sameMessage} annotations with identical message text`);
      expect(failures).toEqual([]);
    });
  }
});
