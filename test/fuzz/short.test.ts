/**
 * A short fuzzing run on every run of the suite: a fixed seed and a fixed number of inputs per kind
 * (the hostile classes of scripts/fuzz/classes.ts among them),
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

/** Inputs per kind: the seeds, every hostile class once, then mutations; the same inputs on any machine. */
const COUNT = 60;
/** A guard, not a budget: a run this long means a hang or a machine too slow to say anything. */
const GUARD_SECONDS = 600;

test(
  "a short fuzzing run of every kind finds no failure",
  async () => {
    const t0 = performance.now();
    const reports = await fuzz({ seed: 20261201, count: COUNT, seconds: GUARD_SECONDS, timeoutMs: 20_000, memoryMb: 1536 });
    for (const r of reports) console.log(summaryLine(r));
    const short = reports.filter((r) => r.inputs < COUNT);
    if (short.length)
      throw new Error(`guard: the short fuzzing run stopped after ${((performance.now() - t0) / 1000).toFixed(0)} s (limit ${GUARD_SECONDS} s) with ${short.map((r) => `${r.kind} at ${r.inputs} of ${COUNT}`).join(", ")} inputs; a hang, or a machine too slow for this run`);
    const known = knownSignatures();
    const unknown = reports.flatMap((r) => r.failures).filter((f) => !known.has(f.signature));
    for (const f of reports.flatMap((r) => r.failures)) if (known.has(f.signature)) console.log(`known failure: ${f.kind} ${f.cls}: ${f.message}`);
    expect(reports.map((r) => r.kind)).toEqual(expect.arrayContaining(["openapi", "graphql", "protobuf", "config", "index", "jsonschema", "avro", "asyncapi"]));
    expect(reports.map((r) => r.inputs)).toEqual(reports.map(() => COUNT));
    expect(unknown.map((f) => ({ kind: f.kind, input: f.input, cls: f.cls, message: f.message, args: f.case.args, files: Object.keys(f.case.files) }))).toEqual([]);
  },
  (GUARD_SECONDS + 120) * 1000,
);
