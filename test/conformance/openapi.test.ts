import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE_DIR, listCases, runCase } from "../kinds/openapi/conformance-cases.ts";

const exists = existsSync(CONFORMANCE_DIR);
if (!exists) console.warn(`openapi conformance skipped: ${CONFORMANCE_DIR} not found`);

const exceptions = JSON.parse(
  readFileSync(join(import.meta.dir, "..", "fixtures", "openapi", "conformance-exceptions.json"), "utf8"),
) as Record<string, string>;

describe.skipIf(!exists)("openapi conformance with oasdiff's checker tests", () => {
  test("asserted ids are reported at oasdiff's level, and nothing breaking where oasdiff finds nothing", async () => {
    const cases = listCases();
    const failed: string[] = [];
    const unexpectedPass: string[] = [];
    for (const name of cases) {
      const r = await runCase(name);
      if (!r.ok && !(name in exceptions)) failed.push(`${name}: ${r.problems.join("; ")}`);
      if (r.ok && name in exceptions) unexpectedPass.push(name);
    }
    const agree = cases.length - failed.length - Object.keys(exceptions).filter((n) => cases.includes(n)).length + unexpectedPass.length;
    console.log(`openapi conformance: ${agree}/${cases.length} cases agree, ${Object.keys(exceptions).length} listed exceptions, ${failed.length} unexpected failures`);
    expect(failed).toEqual([]);
    // An exception that now passes should leave the list.
    expect(unexpectedPass).toEqual([]);
    expect(agree / cases.length).toBeGreaterThanOrEqual(0.95);
  }, 600_000);
});
