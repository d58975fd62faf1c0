/**
 * OpenAPI benchmark: GitHub's REST description (`@octokit/openapi` 17.0.0 → 23.0.2,
 * `generated/api.github.com.json`), `comms diff` (the compiled binary when built, else Bun on the
 * sources) against Atlassian's `openapi-diff` (npm 0.24.1, on Node), run side by side, alternating.
 *
 * openapi-diff cannot finish the full pair (it runs out of memory), so both tools are also timed on
 * subsets: the first N paths of each version with only the components they reach. Prints medians,
 * the comms/anchor ratio and peak memory (`/usr/bin/time -v`).
 *
 *   bun scripts/bench-openapi.ts [--rounds 3] [--subsets 1,3,10] [--anchor-timeout 120] [--full-anchor]
 *
 * Inputs and the anchor are fetched into .cache/bench/ on first use (npm pack / npm install --prefix),
 * never into the project's dependencies.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { alternate, BUN, CACHE, COMPILED, countOption, ensureAnchor, fetchPackage, flag, loadAverage, megabytes, must, option, printStatsTable, REPO, seconds, stats, summaryLine } from "./bench-lib.ts";
import type { Contender, Sample, Stats } from "./bench-lib.ts";

const WORK = join(CACHE, "openapi");
const OLD = "17.0.0";
const NEW = "23.0.2";
const ROUNDS = countOption("--rounds", 3);
const SUBSETS = option("--subsets", "1,3,10").split(",").map(Number);
const ANCHOR_TIMEOUT = countOption("--anchor-timeout", 120);
const FULL_ANCHOR = flag("--full-anchor");

/** GitHub's description at one version, unpacked from the npm tarball. */
const description = (version: string) => join(fetchPackage("@octokit/openapi", version, join(WORK, `o-${version}`)), "generated/api.github.com.json");

type Json = Record<string, unknown>;

/** The first `n` paths of a description with only the components they reach (so both tools load it). */
function subset(doc: Json, keys: string[]): Json {
  const paths = doc.paths as Json;
  const components = (doc.components ?? {}) as Record<string, Json>;
  const keep: Record<string, Set<string>> = {};
  const queue: unknown[] = keys.map((k) => paths[k]);
  while (queue.length) {
    const v = queue.pop();
    if (Array.isArray(v)) queue.push(...v);
    else if (v && typeof v === "object") {
      const ref = (v as Json).$ref;
      if (typeof ref === "string" && ref.startsWith("#/components/")) {
        const [, , section, name] = ref.split("/") as [string, string, string, string];
        const seen = (keep[section] ??= new Set());
        if (!seen.has(name)) {
          seen.add(name);
          queue.push(components[section]?.[name]);
        }
      }
      queue.push(...Object.values(v));
    }
  }
  const out: Json = { ...doc, paths: Object.fromEntries(keys.filter((k) => k in paths).map((k) => [k, paths[k]])) };
  out.components = Object.fromEntries(
    Object.entries(keep).map(([section, names]) => [section, Object.fromEntries([...names].map((n) => [n, components[section]?.[n]]))]),
  );
  // Webhooks (`webhooks`, GitHub's `x-webhooks`) reach components the kept paths do not.
  for (const k of Object.keys(out)) if (k === "webhooks" || k.startsWith("x-")) delete out[k];
  return out;
}

function commsCmd(oldFile: string, newFile: string): string[] {
  const base = existsSync(COMPILED) ? [COMPILED] : [BUN, join(REPO, "src/main.ts")];
  // 17.0.0 writes five keys twice with different values (and 45 with the same): read it as JSON.parse
  // does, as the anchor does, with the five reported as dangerous findings.
  return [...base, "diff", oldFile, newFile, "--kind", "openapi", "--format", "json", "--duplicate-keys", "last"];
}

function commsFindings(out: string): string {
  try {
    const s = (JSON.parse(out) as { summary: { breaking: number; dangerous: number; safe: number } }).summary;
    return `${s.breaking} breaking, ${s.dangerous} dangerous, ${s.safe} safe`;
  } catch {
    return "no JSON report";
  }
}

function anchorFindings(out: string): string {
  const m = /(\d+) breaking changes? found|No breaking changes found/i.exec(out);
  return m ? m[0] : (out.trim().split("\n")[0]?.slice(0, 80) ?? "");
}

/** openapi-diff exits 1 when it finds breaking changes; a timeout or any other exit is a failure. */
const anchorFinished = (s: Sample) => !s.timedOut && (s.code === 0 || s.code === 1);

mkdirSync(WORK, { recursive: true });
const oldText = readFileSync(description(OLD), "utf8");
const newText = readFileSync(description(NEW), "utf8");
writeFileSync(join(WORK, "old.json"), oldText);
writeFileSync(join(WORK, "new.json"), newText);
const oldDoc = JSON.parse(oldText) as Json;
const newDoc = JSON.parse(newText) as Json;
const anchorBin = ensureAnchor("node_modules/openapi-diff/bin/openapi-diff", ["openapi-diff@0.24.1"]);
console.log(`load average at start: ${loadAverage()}`);
console.log(`comms: ${existsSync(COMPILED) ? "dist/comms (compiled)" : "bun src/main.ts"}; anchor: openapi-diff 0.24.1 on node ${must(["node", "--version"]).trim()}; rounds: ${ROUNDS}`);

const size = (f: string) => `${(readFileSync(f).length / 1e6).toFixed(2)} MB`;
const common = Object.keys(oldDoc.paths as Json).filter((k) => k in (newDoc.paths as Json));
const pairs: Array<{ label: string; a: string; b: string; anchor: boolean }> = [];
for (const n of SUBSETS) {
  const keys = common.slice(0, n);
  const a = join(WORK, `old-${n}.json`);
  const b = join(WORK, `new-${n}.json`);
  writeFileSync(a, JSON.stringify(subset(oldDoc, keys), null, 2));
  writeFileSync(b, JSON.stringify(subset(newDoc, keys), null, 2));
  pairs.push({ label: `first ${n} path(s) (${size(a)} → ${size(b)})`, a, b, anchor: true });
}
const [fullOld, fullNew] = [join(WORK, "old.json"), join(WORK, "new.json")];
pairs.push({ label: `full pair (${size(fullOld)} → ${size(fullNew)})`, a: fullOld, b: fullNew, anchor: FULL_ANCHOR });

/** The last pair both tools finished, for the summary line. */
let compared: { label: string; comms: Stats; anchor: Stats } | undefined;
let full: Stats | undefined;
for (const p of pairs) {
  console.log(`\n${p.label}`);
  const contenders: Contender[] = [{ name: "comms", cmd: commsCmd(p.a, p.b) }];
  if (p.anchor) contenders.push({ name: "openapi-diff", cmd: ["node", "--max-old-space-size=8192", anchorBin, p.a, p.b], timeoutS: ANCHOR_TIMEOUT, ok: anchorFinished });
  const [c, o = []] = alternate(contenders, ROUNDS) as [Sample[], Sample[]?];
  const cs = stats(c);
  const finished = o.filter(anchorFinished);
  // A killed run still tells how much memory the anchor had taken by then.
  const os = finished.length ? { ...stats(finished), peakMb: stats(o).peakMb } : undefined;
  const anchorText = !p.anchor
    ? "not run (runs out of memory at 16 GB, see anchors/openapi.md; --full-anchor to try)"
    : os
      ? anchorFindings(finished[0]!.stdout)
      : o[0]?.timedOut
        ? `did not finish within ${ANCHOR_TIMEOUT} s (${megabytes(stats(o).peakMb)} at kill)`
        : `failed (exit ${o[0]?.code})`;
  printStatsTable(
    [
      { name: "comms", stats: cs, anchor: os, note: commsFindings(c[0]!.stdout) },
      { name: "openapi-diff", stats: os, anchor: os, note: anchorText },
    ],
    "findings",
  );
  if (os) compared = { label: p.label.replace(/ \(.*/, ""), comms: cs, anchor: os };
  if (p.a === fullOld) full = cs;
}

const fullTail = full && compared?.label !== "full pair" ? [`full pair: comms ${seconds(full.wall)}, peak ${megabytes(full.peakMb)}`] : [];
const line = compared
  ? summaryLine(`openapi (${compared.label})`, compared.comms, "openapi-diff", compared.anchor, ...fullTail)
  : summaryLine("openapi (full pair)", full!, "openapi-diff", "did not finish on any pair");
console.log(`\n${line}`);
