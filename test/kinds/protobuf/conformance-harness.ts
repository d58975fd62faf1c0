import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DiskReader } from "../../../src/core/source.ts";
import { diffModels } from "../../../src/kinds/protobuf/index.ts";
import { loadProto } from "../../../src/kinds/protobuf/load.ts";
import { RULES } from "../../../src/kinds/protobuf/rules/index.ts";

/** buf's rule ids (those in a buf category); comms' own findings (hints, additions) have no buf counterpart. */
export const BUF_IDS = new Set(RULES.filter((r) => r.categories.length).map((r) => r.id));

/** Conformance pairs recorded from buf (read-only, outside the repository). */
export const CASES_DIR = join(import.meta.dir, "..", "..", "..", "..", "shared", "conformance", "protobuf");

export const CATEGORY_FILES = { FILE: "file", PACKAGE: "package", WIRE_JSON: "wire_json", WIRE: "wire" } as const;
export type Category = keyof typeof CATEGORY_FILES;

export interface CaseResult {
  name: string;
  category: Category;
  expected: Set<string>;
  actual: Set<string>;
  missing: string[];
  extra: string[];
  /** buf annotations whose message text comms reproduces word for word. */
  sameMessage: number;
  error?: string;
}

export function listCases(): string[] {
  if (!existsSync(CASES_DIR)) return [];
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(CASES_DIR, d.name, "new")))
    .map((d) => d.name)
    .sort();
}

/**
 * Runs comms on one case with `use: [category]` and compares (file, line, column, rule) with buf's output.
 * comms' own findings still run (so every case exercises them) but are left out of the comparison.
 */
export function runCase(name: string, category: Category): CaseResult {
  const dir = join(CASES_DIR, name);
  const expected = new Set<string>();
  const expectedMessages = new Set<string>();
  const file = join(dir, `expected.${CATEGORY_FILES[category]}.json`);
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const a = JSON.parse(line) as { path?: string; start_line?: number; start_column?: number; type: string; message: string };
    const key = `${a.path ?? ""}:${a.start_line ?? 1}:${a.start_column ?? 1}:${a.type}`;
    expected.add(key);
    expectedMessages.add(`${key}:${a.message}`);
  }
  const actual = new Set<string>();
  const actualMessages = new Set<string>();
  let error: string | undefined;
  try {
    const before = loadProto({ reader: new DiskReader(join(dir, "old")), path: "." });
    const after = loadProto({ reader: new DiskReader(join(dir, "new")), path: "." });
    const findings = diffModels(before, after, {
      use: [category],
      except: [],
      ignore: [],
      ignore_only: {},
      ignore_unstable_packages: false,
    });
    for (const f of findings) {
      if (!BUF_IDS.has(f.rule)) continue;
      const key = `${f.new?.file ?? ""}:${f.new?.line ?? 1}:${f.new?.column ?? 1}:${f.rule}`;
      actual.add(key);
      actualMessages.add(`${key}:${f.message}`);
    }
  } catch (e) {
    error = (e as Error).message;
  }
  return {
    name,
    category,
    expected,
    actual,
    error,
    sameMessage: [...expectedMessages].filter((k) => actualMessages.has(k)).length,
    missing: [...expected].filter((k) => !actual.has(k)).sort(),
    extra: [...actual].filter((k) => !expected.has(k)).sort(),
  };
}

if (import.meta.main) {
  const only = process.argv[2];
  const totals: Record<string, [number, number]> = {};
  for (const name of listCases()) {
    if (only && !name.includes(only)) continue;
    for (const cat of Object.keys(CATEGORY_FILES) as Category[]) {
      const r = runCase(name, cat);
      const t = (totals[cat] ??= [0, 0]);
      t[1]++;
      if (!r.error && !r.missing.length && !r.extra.length) t[0]++;
      else {
        console.log(`${name} ${cat}${r.error ? ` ERROR ${r.error}` : ""}`);
        for (const m of r.missing) console.log(`  - missing ${m}`);
        for (const x of r.extra) console.log(`  + extra   ${x}`);
      }
    }
  }
  console.log(totals);
}
