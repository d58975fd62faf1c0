/**
 * Event-contract benchmarks, side by side on the same machine, alternating rounds:
 * - an AsyncAPI 3.0 pair of 400 channels (JSON Schema and Avro payloads) against `@asyncapi/diff`
 *   (the YAML parse plus `diff()`; it classifies document edits and does not judge payloads);
 * - an Avro schema of 5,000 fields in 500 records against avsc parsing both versions and creating
 *   both resolvers (new ← old and old ← new), which is what a FULL check asks of it.
 * Prints medians, the comms/anchor ratios and peak memory.
 *
 *   bun scripts/bench-events.ts [--rounds 5] [--channels 400]
 *
 * Inputs are generated into .cache/bench/events/ (deterministically).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alternate, BUN, CACHE, COMPILED, countOption, printStatsTable, REPO, stats, summaryLine } from "./bench-lib.ts";

const ROUNDS = countOption("--rounds", 5);
const CHANNELS = countOption("--channels", 400);
const DIR = join(CACHE, "events");
mkdirSync(DIR, { recursive: true });

// ---------------------------------------------------------------------------------------------
// AsyncAPI pair: every 10th channel changes (a property's type, a required property, a removed
// channel, a new one); half the payloads are Avro, half JSON Schema.

function asyncapi(version: "old" | "new"): string {
  const lines = ["asyncapi: 3.0.0", "info:", "  title: Tienda", `  version: ${version === "old" ? "1.0.0" : "1.1.0"}`, "channels:"];
  const ops: string[] = ["operations:"];
  for (let i = 0; i < CHANNELS; i++) {
    if (version === "new" && i % 50 === 7) continue; // removed
    const changed = version === "new" && i % 10 === 3;
    const avro = i % 2 === 0;
    lines.push(`  c${i}:`, `    address: tienda.evento${i}.v1`, "    messages:", `      Evento${i}:`, "        payload:");
    if (avro) {
      const fields = Array.from({ length: 12 }, (_, f) => `{name: f${f}, type: ${changed && f === 2 ? "int" : "long"}}`);
      lines.push("          schemaFormat: application/vnd.apache.avro+json;version=1.9.0", "          schema:", "            type: record", `            name: Evento${i}`, `            fields: [${fields.join(", ")}]`);
    } else {
      const props = Array.from({ length: 12 }, (_, p) => `p${p}: {type: ${changed && p === 2 ? "integer" : "number"}, maxLength: 10}`);
      lines.push("          type: object", `          properties: {${props.join(", ")}}`, `          required: [p0${changed ? ", p1" : ""}]`);
    }
    ops.push(`  op${i}:`, `    action: ${i % 3 === 0 ? "receive" : "send"}`, `    channel: {$ref: '#/channels/c${i}'}`);
  }
  if (version === "new") for (let i = CHANNELS; i < CHANNELS + 5; i++) {
    lines.push(`  c${i}:`, `    address: tienda.evento${i}.v1`, "    messages:", `      Evento${i}:`, "        payload: {type: object}");
    ops.push(`  op${i}:`, "    action: send", `    channel: {$ref: '#/channels/c${i}'}`);
  }
  return [...lines, ...ops, ""].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Avro: a root record with 500 record-typed fields, each record of 10 fields; the new version
// promotes some fields, adds fields with defaults and changes a few in breaking ways.

function avro(version: "old" | "new"): string {
  const records = [];
  for (let r = 0; r < 500; r++) {
    const fields = Array.from({ length: 10 }, (_, f) => {
      const promoted = version === "new" && r % 7 === 0 && f === 1;
      const broken = version === "new" && r % 100 === 5 && f === 2;
      return { name: `f${f}`, type: broken ? "int" : promoted ? "long" : f === 1 ? "int" : f % 3 === 0 ? "string" : "long" };
    });
    if (version === "new" && r % 5 === 0) fields.push({ name: "extra", type: "string", default: "" } as never);
    records.push({ name: `r${r}`, type: { type: "record", name: `R${r}`, fields } });
  }
  // 500 records × 10 fields; the root's 500 fields hold them.
  return JSON.stringify({ type: "record", name: "Raiz", namespace: "bench", fields: records });
}

const files = {
  aOld: join(DIR, "old.asyncapi.yaml"),
  aNew: join(DIR, "new.asyncapi.yaml"),
  vOld: join(DIR, "old.avsc"),
  vNew: join(DIR, "new.avsc"),
  asyncapiAnchor: join(DIR, "asyncapi-diff.mjs"),
  avscAnchor: join(DIR, "avsc-resolvers.mjs"),
};
writeFileSync(files.aOld, asyncapi("old"));
writeFileSync(files.aNew, asyncapi("new"));
writeFileSync(files.vOld, avro("old"));
writeFileSync(files.vNew, avro("new"));
const nm = join(REPO, "node_modules");
writeFileSync(
  files.asyncapiAnchor,
  `import { readFileSync } from "node:fs";
import { parse } from ${JSON.stringify(join(nm, "yaml/dist/index.js"))};
import { diff } from ${JSON.stringify(join(nm, "@asyncapi/diff/lib/index.js"))};
const [a, b] = process.argv.slice(2).map((f) => parse(readFileSync(f, "utf8")));
const out = diff(a, b);
console.log(JSON.stringify({ breaking: out.breaking().length, nonBreaking: out.nonBreaking().length, unclassified: out.unclassified().length }));
`,
);
writeFileSync(
  files.avscAnchor,
  `import { readFileSync } from "node:fs";
import avro from ${JSON.stringify(join(nm, "avsc/lib/index.js"))};
const [a, b] = process.argv.slice(2).map((f) => avro.Type.forSchema(JSON.parse(readFileSync(f, "utf8"))));
let compatible = 0;
for (const [reader, writer] of [[b, a], [a, b]]) { try { reader.createResolver(writer); compatible++; } catch {} }
console.log(JSON.stringify({ compatibleDirections: compatible }));
`,
);

const comms = (args: string[]) => [BUN, join(REPO, "src/main.ts"), ...args, "--format", "json"];
const ok = (s: { code: number }) => s.code === 0 || s.code === 1;

console.error(`asyncapi: ${CHANNELS} channels`);
const asyncContenders = [
  { name: "@asyncapi/diff (yaml + diff, bun)", cmd: [BUN, files.asyncapiAnchor, files.aOld, files.aNew], ok },
  { name: "comms diff --kind asyncapi (bun src/main.ts)", cmd: comms(["diff", files.aOld, files.aNew, "--kind", "asyncapi"]), ok },
];
// The compiled binary, as npm installs it, when `npm run build` has made one.
if (existsSync(COMPILED)) asyncContenders.push({ name: "comms diff --kind asyncapi (dist/comms)", cmd: [COMPILED, "diff", files.aOld, files.aNew, "--kind", "asyncapi", "--format", "json"], ok });
const aSamples = alternate(asyncContenders, ROUNDS);
const aAnchor = stats(aSamples[0]!);
printStatsTable(aSamples.map((s, i) => ({ name: asyncContenders[i]!.name, stats: stats(s), anchor: aAnchor })));
const aFindings = JSON.parse(aSamples[1]![0]!.stdout) as { summary: { breaking: number; dangerous: number; safe: number } };

console.error("avro: 5,000 fields in 500 records");
const avroContenders = [
  { name: "avsc forSchema ×2 + createResolver ×2 (bun)", cmd: [BUN, files.avscAnchor, files.vOld, files.vNew], ok },
  { name: "comms diff --mode full (bun src/main.ts)", cmd: comms(["diff", files.vOld, files.vNew, "--mode", "full"]), ok },
];
if (existsSync(COMPILED)) avroContenders.push({ name: "comms diff --mode full (dist/comms)", cmd: [COMPILED, "diff", files.vOld, files.vNew, "--mode", "full", "--format", "json"], ok });
const vSamples = alternate(avroContenders, ROUNDS);
const vAnchor = stats(vSamples[0]!);
printStatsTable(vSamples.map((s, i) => ({ name: avroContenders[i]!.name, stats: stats(s), anchor: vAnchor })));
const vFindings = JSON.parse(vSamples[1]![0]!.stdout) as { summary: { breaking: number; dangerous: number; safe: number } };

console.log(summaryLine("asyncapi", stats(aSamples[1]!), "@asyncapi/diff", aAnchor, `comms ${aFindings.summary.breaking} breaking / ${aFindings.summary.safe} safe (payloads judged), anchor: ${aSamples[0]![0]!.stdout.trim()}`));
if (aSamples[2]) console.log(summaryLine("asyncapi (dist/comms)", stats(aSamples[2]), "@asyncapi/diff", aAnchor));
console.log(summaryLine("avro", stats(vSamples[1]!), "avsc", vAnchor, `comms ${vFindings.summary.breaking} breaking / ${vFindings.summary.safe} safe, anchor: ${vSamples[0]![0]!.stdout.trim()}`));
if (vSamples[2]) console.log(summaryLine("avro (dist/comms)", stats(vSamples[2]), "avsc", vAnchor));
