/**
 * A provider judged against its consumers: an OpenAPI description of 100 operations and 50 pact
 * contracts of 100 HTTP interactions each (matching rules included), as `comms check` judges them
 * (the provider and every pact loaded and matched), side by side with @pactflow/openapi-pact-comparator
 * on the same pairs (one Comparator reused for every pact, as its README recommends). Median of runs.
 * Also the whole `comms check <provider>` from source, process start included.
 * Usage: bun scripts/bench-consumers.ts [runs]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { DiskReader } from "../src/core/source.ts";
import { judgePair, loadContract } from "../src/gate/consumers.ts";

const runs = Number(process.argv[2] ?? 5);
const CONSUMERS = 50;
const INTERACTIONS = 100;
const OPERATIONS = 100;

const props = Array.from({ length: 10 }, (_, j) => `                  f${j}: { type: ${j % 3 === 0 ? "integer" : j % 3 === 1 ? "string" : "number"} }`).join("\n");
const paths = Array.from(
  { length: OPERATIONS },
  (_, i) => `  /r${i}/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: integer } }
        - { name: q, in: query, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
${props}
                  items: { type: array, items: { type: object, properties: { sku: { type: string }, n: { type: integer } } } }`,
).join("\n");
const openapi = `openapi: 3.0.3\ninfo: { title: bench, version: 1.0.0 }\npaths:\n${paths}\n`;

function pact(c: number): string {
  const interactions = Array.from({ length: INTERACTIONS }, (_, i) => {
    const op = (c * 7 + i) % OPERATIONS;
    const body: Record<string, unknown> = { items: [{ sku: "a", n: 1 }] };
    for (let j = 0; j < 10; j++) body[`f${j}`] = j % 3 === 0 ? 1 : j % 3 === 1 ? "x" : 1.5;
    return {
      description: `call ${i}`,
      providerStates: [{ name: `state ${i}` }],
      request: { method: "GET", path: `/r${op}/${i + 1}`, query: { q: ["v"] } },
      response: {
        status: 200,
        headers: { "Content-Type": "application/json" },
        body,
        matchingRules: {
          body: {
            "$.f0": { combine: "AND", matchers: [{ match: "integer" }] },
            "$.f1": { combine: "AND", matchers: [{ match: "type" }] },
            "$.items": { combine: "AND", matchers: [{ match: "type", min: 1 }] },
            "$.items[*].n": { combine: "AND", matchers: [{ match: "integer" }] },
          },
        },
      },
    };
  });
  return JSON.stringify({ consumer: { name: `c${c}` }, provider: { name: "p" }, interactions, metadata: { pactSpecification: { version: "3.0.0" } } }, null, 2);
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const dir = mkdtempSync(join(tmpdir(), "comms-bench-consumers-"));
try {
  mkdirSync(join(dir, "pacts"));
  writeFileSync(join(dir, "openapi.yaml"), openapi);
  const pacts = Array.from({ length: CONSUMERS }, (_, c) => pact(c));
  pacts.forEach((p, c) => writeFileSync(join(dir, "pacts", `c${c}.json`), p));
  const lines = ["version: 1", "contracts:", "  provider: { kind: openapi, path: openapi.yaml }"];
  for (let c = 0; c < CONSUMERS; c++) lines.push(`  c${c}: { kind: pact, path: pacts/c${c}.json, provider: provider }`);
  writeFileSync(join(dir, "comms.yaml"), `${lines.join("\n")}\n`);

  if (process.env.BENCH_KEEP) {
    console.log(dir);
    process.exit(0);
  }
  const reader = new DiskReader(dir);
  // Wall time includes waiting for a CPU on a busy machine; CPU time does not. The provider's own load
  // is counted apart: `comms check` loads it for its history comparison anyway.
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const providerCpu: number[] = [];
  let findings = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = cpuNow();
    const provider = await loadContract("openapi", { reader, path: "openapi.yaml" }, {});
    providerCpu.push(cpuNow() - c0);
    const t = performance.now();
    const c1 = cpuNow();
    findings = 0;
    for (let c = 0; c < CONSUMERS; c++) findings += (await judgePair(`c${c}`, await loadContract("pact", { reader, path: `pacts/c${c}.json` }, {}), provider)).findings.length;
    ours.push(performance.now() - t);
    oursCpu.push(cpuNow() - c1);
  }

  const { Comparator } = await import("@pactflow/openapi-pact-comparator");
  const theirs: number[] = [];
  const theirsCpu: number[] = [];
  let errors = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const c0 = cpuNow();
    const comparator = new Comparator(parse(openapi));
    errors = 0;
    for (const p of pacts) for await (const res of comparator.compare(JSON.parse(p))) if ((res as { type: string }).type === "error") errors++;
    theirs.push(performance.now() - t);
    theirsCpu.push(cpuNow() - c0);
  }

  const cli: number[] = [];
  const main = resolve(import.meta.dir, "../src/main.ts");
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    // COMMS_BIN times the compiled binary, as a pre-commit hook or CI runs it.
    const cmd = process.env.COMMS_BIN ? [process.env.COMMS_BIN] : [process.execPath, main];
    const p = Bun.spawnSync([...cmd, "check", "provider", "--quiet"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    cli.push(performance.now() - t);
    if (p.exitCode !== 0) throw new Error(`comms check failed (${p.exitCode}): ${p.stdout}${p.stderr}`);
  }

  const a = median(oursCpu);
  const b = median(theirsCpu);
  console.log(`${CONSUMERS} pacts x ${INTERACTIONS} interactions against ${OPERATIONS} operations, median of ${runs} runs (load average ${(await import("node:os")).loadavg()[0]!.toFixed(1)})`);
  console.log(`  comms: 50 pacts loaded and judged   ${median(ours).toFixed(0)} ms wall, ${a.toFixed(0)} ms CPU   (${findings} findings)`);
  console.log(`  comms: the provider loaded          ${median(providerCpu).toFixed(0)} ms CPU`);
  console.log(`  openapi-pact-comparator            ${median(theirs).toFixed(0)} ms wall, ${b.toFixed(0)} ms CPU   (${errors} errors)`);
  console.log(`  ratio comparator / comms (CPU)     ${(b / a).toFixed(1)}x; with the provider's load counted: ${(b / (a + median(providerCpu))).toFixed(1)}x`);
  console.log(`  comms check provider (CLI, ${process.env.COMMS_BIN ? "binary" : "source"}, wall) ${median(cli).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
