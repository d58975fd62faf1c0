/**
 * GraphQL benchmark: GitHub's public schema (`@octokit/graphql-schema` 14.58.0 → 15.26.0), comms
 * against the `graphql-inspector diff` CLI (7.0.0, on Node), run side by side, alternating, on the
 * same machine. Prints median wall time, the comms/anchor ratio, peak memory and whether comms
 * reports every breaking and dangerous change the anchor reports (and which ones only comms reports).
 *
 *   bun scripts/bench-graphql.ts [--rounds 5]
 *
 * Inputs and the anchor CLI are fetched into .cache/bench/ on first use (npm pack / npm install
 * --prefix), never into the project's dependencies.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, print, type DefinitionNode } from "graphql";
import { alternate, BUN, CACHE, COMPILED, countOption, ensureAnchor, fetchPackage, printStatsTable, REPO, stats, summaryLine } from "./bench-lib.ts";

const OLD = "14.58.0";
const NEW = "15.26.0";
const ROUNDS = countOption("--rounds", 5);

/** GitHub's schema at one version, unpacked from the npm tarball. */
const schema = (version: string) => join(fetchPackage("@octokit/graphql-schema", version, join(CACHE, `gh-${version}`)), "schema.graphql");

/** The anchor rejects GitHub's duplicate field definitions; it gets copies with the duplicates dropped. */
function deduplicated(file: string, out: string): string {
  if (existsSync(out)) return out;
  const doc = parse(readFileSync(file, "utf8"), { noLocation: true });
  const definitions = doc.definitions.map((d): DefinitionNode => {
    if (!("fields" in d) || !d.fields) return d;
    const seen = new Set<string>();
    const fields = d.fields.filter((f: { name: { value: string } }) => !seen.has(f.name.value) && !!seen.add(f.name.value));
    return { ...d, fields } as DefinitionNode;
  });
  writeFileSync(out, print({ kind: Kind.DOCUMENT, definitions }));
  return out;
}

/** Messages compared without quotes: the inspector CLI prints quoted names in bold, without the quotes. */
const norm = (m: string) => m.replace(/['"]/g, "").replace(/\s+/g, " ").trim();

interface Changes {
  breaking: Set<string>;
  dangerous: Set<string>;
  /** Safe findings, for anchor changes comms judges safe on purpose (values added to input-only enums). */
  safe?: Set<string>;
}

function anchorChanges(stdout: string): Changes {
  const out: Changes = { breaking: new Set(), dangerous: new Set() };
  for (const line of stdout.split("\n")) {
    const m = /(✖|⚠)\s+(.*)$/.exec(line);
    if (m) (m[1] === "✖" ? out.breaking : out.dangerous).add(norm(m[2]!));
  }
  return out;
}

function commsChanges(stdout: string): Changes {
  const report = JSON.parse(stdout) as { results: Array<{ findings: Array<{ severity: string; message: string }> }> };
  const out: Changes = { breaking: new Set(), dangerous: new Set(), safe: new Set() };
  for (const f of report.results.flatMap((r) => r.findings)) {
    if (f.severity === "breaking") out.breaking.add(norm(f.message));
    if (f.severity === "dangerous") out.dangerous.add(norm(f.message));
    if (f.severity === "safe") out.safe!.add(norm(f.message));
  }
  return out;
}

/**
 * Whether comms reports every change the anchor reports at this level. comms may report more: the
 * anchor CLI's simplification hides real changes under an interface or description added on the
 * same element, and comms never merges a breaking or dangerous change away. `lowered` holds comms'
 * safe findings: an anchor change found there must be a value added to an enum no field returns.
 */
function covers(label: string, a: Set<string>, c: Set<string>, lowered = new Set<string>()): boolean {
  const common = [...a].filter((x) => c.has(x));
  console.log(`  ${label}: anchor ${a.size}, comms ${c.size}, common ${common.length}`);
  let ok = true;
  for (const x of a) {
    if (c.has(x)) continue;
    const judgedSafe = lowered.has(x) && /^Enum value .* was added to enum/.test(x);
    console.log(`    only anchor${judgedSafe ? " (safe in comms: no field returns the enum)" : ""}: ${x}`);
    ok &&= judgedSafe;
  }
  for (const x of c) if (!a.has(x)) console.log(`    only comms:  ${x}`);
  return ok;
}

const oldFile = schema(OLD);
const newFile = schema(NEW);
const oldDedup = deduplicated(oldFile, join(CACHE, `gh-${OLD}.dedup.graphql`));
const newDedup = deduplicated(newFile, join(CACHE, `gh-${NEW}.dedup.graphql`));
const anchorBin = ensureAnchor("node_modules/.bin/graphql-inspector", ["@graphql-inspector/cli@7.0.0", "graphql@16"]);

const contenders = [
  { name: "graphql-inspector diff (node)", cmd: [anchorBin, "diff", oldDedup, newDedup] },
  { name: "comms diff (bun src/main.ts)", cmd: [BUN, join(REPO, "src/main.ts"), "diff", oldFile, newFile, "--format", "json"] },
];
if (existsSync(COMPILED)) contenders.push({ name: "comms diff (dist/comms)", cmd: [COMPILED, "diff", oldFile, newFile, "--format", "json"] });

console.log(`GitHub GraphQL schema ${OLD} → ${NEW}, ${ROUNDS} rounds, alternating\n`);
const samples = alternate(contenders, ROUNDS);
const [anchorStats, commsStats] = samples.map(stats) as [ReturnType<typeof stats>, ReturnType<typeof stats>];
printStatsTable(samples.map((s, i) => ({ name: contenders[i]!.name, stats: stats(s), anchor: anchorStats })));

console.log("\nevery breaking and dangerous change of the anchor is reported (messages, quotes ignored):");
const anchor = anchorChanges(samples[0]![0]!.stdout);
const comms = commsChanges(samples[1]![0]!.stdout);
// Both lists are printed even when the first already differs.
const sameBreaking = covers("breaking", anchor.breaking, comms.breaking);
const same = covers("dangerous", anchor.dangerous, comms.dangerous, comms.safe) && sameBreaking;
const fastEnough = commsStats.wall <= anchorStats.wall / 2;
console.log(`\n${same ? "every anchor finding reported" : "anchor findings missing"}; comms ${fastEnough ? "within" : "NOT within"} half the anchor's wall time`);
console.log(summaryLine("graphql", commsStats, "graphql-inspector", anchorStats, `anchor breaking/dangerous all reported: ${same ? "yes" : "no"}`));
process.exitCode = same && fastEnough ? 0 : 1;
