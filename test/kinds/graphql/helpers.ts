import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { compare as compareSemver } from "semver";
import type { Finding } from "../../../src/core/finding.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/graphql/index.ts";

/** Dedents a template literal (first and last blank lines dropped), so SDL line numbers are stable. */
export function graphql(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, "").replace(/\n[ \t]*$/, "\n");
  const indents = text.split("\n").filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = Math.min(...indents, Infinity);
  return text
    .split("\n")
    .map((l) => l.slice(cut))
    .join("\n");
}

export interface DiffInput {
  settings?: Record<string, unknown>;
  operations?: Array<{ file: string; content: string }>;
}

/** Loads `old.graphql` and `new.graphql` from memory and diffs them with the engine; returns findings and warnings. */
export async function diffSdl(oldSdl: string, newSdl: string, input: DiffInput = {}): Promise<{ findings: Finding[]; warnings: string[] }> {
  const warnings: string[] = [];
  const options = { settings: input.settings ?? {}, warn: (m: string) => warnings.push(m) };
  const reader = new MemoryReader({ "old.graphql": oldSdl, "new.graphql": newSdl });
  const before = await engine.load({ reader, path: "old.graphql" }, options);
  const after = await engine.load({ reader, path: "new.graphql" }, options);
  const findings = await engine.diff(before, after, { ...options, operations: input.operations });
  return { findings, warnings };
}

/** `line:col` of a location, the form expectations use. */
export const at = (loc: { line: number; column: number } | undefined) => (loc ? `${loc.line}:${loc.column}` : undefined);

/** A compact, comparable form of a finding: rule, severity, path and both positions. */
export function brief(f: Finding): { rule: string; severity: string; path: string; old?: string; new?: string } {
  const out: { rule: string; severity: string; path: string; old?: string; new?: string } = { rule: f.rule, severity: f.severity, path: f.path };
  if (f.old) out.old = at(f.old);
  if (f.new) out.new = at(f.new);
  return out;
}

/**
 * Real versions of GitHub's public schema, fetched into .cache/bench/gh-<version>/ by
 * `bun scripts/fetch-real-pairs.ts` (CI runs it) or `bun scripts/bench-graphql.ts`, never committed;
 * sorted, so consecutive entries are real version pairs.
 */
export const REAL_SCHEMAS = join(import.meta.dir, "../../../.cache/bench");

export function realSchemaVersions(): string[] {
  return (existsSync(REAL_SCHEMAS) ? readdirSync(REAL_SCHEMAS) : [])
    .filter((d) => /^gh-\d+\.\d+\.\d+$/.test(d) && existsSync(join(REAL_SCHEMAS, d, "package/schema.graphql")))
    .map((d) => d.slice(3))
    .sort(compareSemver);
}

export function realSchema(version: string): string {
  return readFileSync(join(REAL_SCHEMAS, `gh-${version}`, "package/schema.graphql"), "utf8");
}
