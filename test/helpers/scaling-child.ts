/**
 * Measures one kind for the scaling test, in a process of its own: `bun scaling-child.ts <kind>`
 * prints, as JSON, the CPU time of a diff of size n and of size 10n (the cheapest of five runs each)
 * and how many findings each gave. See test/fuzz/cost.test.ts for why it runs apart.
 */
import { MemoryReader } from "../../src/core/source.ts";
import { getEngine } from "../../src/kinds/index.ts";
import { SCALED } from "./scaled-inputs.ts";

const spec = SCALED.find((s) => s.kind === process.argv[2]);
if (!spec) throw new Error(`no scaled input for kind ${process.argv[2]}`);
const options = { settings: {}, warn: () => {} };
const engine = await getEngine(spec.kind);

async function diff([oldFiles, newFiles]: [Record<string, string>, Record<string, string>]): Promise<number> {
  const before = await engine.load({ reader: new MemoryReader(oldFiles), path: spec!.path }, options);
  const after = await engine.load({ reader: new MemoryReader(newFiles), path: spec!.path }, options);
  // Only the count leaves: findings hold their documents, which every later collection would mark.
  return (await engine.diff(before, after, options)).length;
}

/**
 * The CPU time of one run, with the collection of the garbage it made: the heap is collected
 * first, outside the count. Process CPU time rather than wall time, so waiting for a core that
 * other processes hold is not counted; collector and compiler threads are, as their work is the run's.
 */
async function cpuCost(files: [Record<string, string>, Record<string, string>]): Promise<number> {
  Bun.gc(true);
  const start = process.cpuUsage();
  await diff(files);
  Bun.gc(true);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const inputs = [spec.make(spec.n), spec.make(spec.n * 10)] as const;
const findings = [await diff(inputs[0]), await diff(inputs[1])];
// A second unmeasured round, so both sizes run compiled code when measuring starts.
for (const files of inputs) await diff(files);
// Interleaved (small, large, small...): a burst of load from other processes falls on both alike,
// and the cheapest run of each is the one least disturbed by it.
const best = [Infinity, Infinity];
for (let round = 0; round < 5; round++) for (const [k, files] of inputs.entries()) best[k] = Math.min(best[k]!, await cpuCost(files));
console.log(JSON.stringify({ kind: spec.kind, n: spec.n, findings, ms: best }));
