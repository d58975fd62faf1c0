import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../../src/core/finding.ts";
import { DiskReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";

/** Root of the shared OpenAPI conformance pairs (next to the repository). */
export const CONFORMANCE_DIR = join(import.meta.dir, "..", "..", "..", "..", "shared", "conformance", "openapi");

interface Expected {
  case: string;
  config: string;
  options: string[];
  expected: Array<{ id: string; level: string }>;
  absent: string[];
  expectsNoChanges: boolean;
  baseFile: string;
  revisionFile: string;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  problems: string[];
  findings: Finding[];
}

const LEVEL: Record<string, string> = { breaking: "ERR", dangerous: "WARN", safe: "INFO" };

export function listCases(): string[] {
  if (!existsSync(CONFORMANCE_DIR)) return [];
  return readdirSync(CONFORMANCE_DIR).filter((d) => existsSync(join(CONFORMANCE_DIR, d, "expected.json"))).sort();
}

/** Runs one pair and judges it: asserted ids present at their level, absent ids absent, no break where none is expected. */
export async function runCase(name: string): Promise<CaseResult> {
  const dir = join(CONFORMANCE_DIR, name);
  const exp = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
  const reader = new DiskReader(dir, name);
  // oasdiff's WithDeprecation option turns on a deprecation policy (minimum days before a sunset);
  // cases merge tests run with and without it, so both runs count.
  const runs: Array<Record<string, unknown>> = exp.options.includes("WithDeprecation") ? [{}, { "deprecation-days": 30 }] : [{}];
  const problems: string[] = [];
  let findings: Finding[] = [];
  try {
    for (const settings of runs) {
      const opts = { settings, warn: () => {} };
      const before = await engine.load({ reader, path: exp.baseFile }, opts);
      const after = await engine.load({ reader, path: exp.revisionFile }, opts);
      findings.push(...(await engine.diff(before, after, opts)));
    }
  } catch (e) {
    return { name, ok: false, problems: [`error: ${(e as Error).message}`], findings };
  }
  for (const { id, level } of exp.expected) {
    if (!/^[a-z0-9-]+$/.test(id) || level === "?") continue;
    const hits = findings.filter((f) => f.rule === id);
    if (!hits.length) problems.push(`missing ${id} (${level})`);
    else if (!hits.some((f) => LEVEL[f.severity] === level)) problems.push(`${id} at ${LEVEL[hits[0]!.severity]}, expected ${level}`);
  }
  for (const id of exp.absent) if (findings.some((f) => f.rule === id)) problems.push(`unexpected ${id}`);
  // A single-check test says nothing about what other checks find on the same pair.
  if (exp.expectsNoChanges && exp.config.includes("all-checks")) {
    const br = findings.filter((f) => f.severity === "breaking");
    if (br.length) problems.push(`breaking where none expected: ${[...new Set(br.map((f) => f.rule))].join(", ")}`);
  }
  return { name, ok: problems.length === 0, problems, findings };
}
