import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFORMANCE_DIR, listCases, runCase } from "../kinds/openapi/conformance-cases.ts";

const exists = existsSync(CONFORMANCE_DIR);
if (!exists) console.warn(`openapi conformance skipped: ${CONFORMANCE_DIR} not found`);

/**
 * Cases comms knowingly answers differently, each with its reason; a deliberate level divergence
 * also names the level comms gives each id, so the case fails on anything else.
 */
const exceptions = JSON.parse(
  readFileSync(join(import.meta.dir, "..", "fixtures", "openapi", "conformance-exceptions.json"), "utf8"),
) as Record<string, string | { reason: string; levels: Record<string, string> }>;

/** Problems a level divergence does not explain. */
function unexplained(name: string, problems: string[]): string[] {
  const e = exceptions[name];
  if (typeof e !== "object") return [];
  return problems.filter((p) => {
    const m = /^([a-z0-9-]+) at (\w+), expected \w+$/.exec(p);
    return !m || e.levels[m[1]!] !== m[2];
  });
}

describe.skipIf(!exists)("openapi conformance with oasdiff's checker tests", () => {
  test("asserted ids are reported at oasdiff's level, and nothing breaking where oasdiff finds nothing", async () => {
    const cases = listCases();
    const failed: string[] = [];
    const unexpectedPass: string[] = [];
    for (const name of cases) {
      const r = await runCase(name);
      if (!r.ok && !(name in exceptions)) failed.push(`${name}: ${r.problems.join("; ")}`);
      else if (!r.ok && unexplained(name, r.problems).length) failed.push(`${name} (beyond its listed divergence): ${unexplained(name, r.problems).join("; ")}`);
      if (r.ok && name in exceptions) unexpectedPass.push(name);
    }
    const agree = cases.length - failed.length - Object.keys(exceptions).filter((n) => cases.includes(n)).length + unexpectedPass.length;
    // Deliberate level divergences are checked above (each id at the level comms states), not counted as disagreement.
    const deliberate = cases.filter((n) => typeof exceptions[n] === "object").length;
    console.log(`openapi conformance: ${agree}/${cases.length} cases agree, ${deliberate} deliberate level divergences, ${Object.keys(exceptions).length} listed exceptions, ${failed.length} unexpected failures`);
    expect(failed).toEqual([]);
    // An exception that now passes should leave the list.
    expect(unexpectedPass).toEqual([]);
    expect(agree / (cases.length - deliberate)).toBeGreaterThanOrEqual(0.95);
  }, 600_000);
});
