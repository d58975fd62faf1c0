/**
 * A short fuzzing budget on every run of the suite: a fixed seed and a few hundred inputs per kind,
 * with zero failures allowed. Failures whose signature matches a reproducer already marked `known`
 * in the corpus are reported, not failed (they are tracked there as todos).
 */
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fuzz, summaryLine } from "../../scripts/fuzz.ts";
import { REPO } from "../helpers/cli.ts";

const CORPUS = join(REPO, "test/fixtures/fuzz");

/** Signatures of known failures recorded in the corpus. */
function knownSignatures(): Set<string> {
  const out = new Set<string>();
  if (!existsSync(CORPUS)) return out;
  for (const area of readdirSync(CORPUS))
    for (const name of readdirSync(join(CORPUS, area))) {
      try {
        const spec = JSON.parse(readFileSync(join(CORPUS, area, name, "expect.json"), "utf8")) as { known?: string; signature?: string };
        if (spec.known && spec.signature) out.add(spec.signature);
      } catch {
        // Not a case directory.
      }
    }
  return out;
}

test(
  "a short fuzzing run of every kind finds no failure",
  async () => {
    const reports = await fuzz({ seed: 20261201, count: 150, seconds: 2.5, timeoutMs: 10_000, memoryMb: 1536 });
    for (const r of reports) console.log(summaryLine(r));
    const known = knownSignatures();
    const unknown = reports.flatMap((r) => r.failures).filter((f) => !known.has(f.signature));
    for (const f of reports.flatMap((r) => r.failures)) if (known.has(f.signature)) console.log(`known failure: ${f.kind} ${f.cls}: ${f.message}`);
    expect(reports.map((r) => r.kind)).toEqual(expect.arrayContaining(["openapi", "graphql", "protobuf", "config", "index"]));
    for (const r of reports) expect(r.inputs).toBeGreaterThan(20);
    expect(unknown.map((f) => ({ kind: f.kind, input: f.input, cls: f.cls, message: f.message, args: f.case.args, files: Object.keys(f.case.files) }))).toEqual([]);
  },
  120_000,
);
