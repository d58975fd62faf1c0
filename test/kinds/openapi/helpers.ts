import { formatLocation } from "../../../src/core/location.ts";
import type { Finding } from "../../../src/core/finding.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";

/**
 * Dedents a template by the indentation of its literal lines (interpolated values are inserted as
 * they are), so line numbers in expectations match what is written in the test.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const MARK = "\u0000";
  const text = strings.raw.join(MARK).replace(/^\n/, "");
  const lines = text.split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() && !l.startsWith(MARK)).map((l) => l.match(/^ */)![0].length));
  let i = 0;
  return lines
    .map((l) => (l.startsWith(MARK) ? l : l.slice(indent)))
    .join("\n")
    .replace(/\u0000/g, () => String(values[i++]));
}

/** A finding reduced to what tests assert: id, JSON pointer and both locations. */
export interface Brief {
  rule: string;
  path?: string;
  old?: string;
  new?: string;
  severity?: string;
}

export const brief = (f: Finding): Brief => ({
  rule: f.rule,
  path: f.path,
  ...(f.old ? { old: formatLocation(f.old) } : {}),
  ...(f.new ? { new: formatLocation(f.new) } : {}),
  severity: f.severity,
});

/** Diffs two versions held in memory (`old.yaml` → `new.yaml`, plus any extra files). */
export async function diff(
  before: string,
  after: string,
  options: { settings?: Record<string, unknown>; files?: Record<string, string>; oldPath?: string; newPath?: string } = {},
): Promise<Finding[]> {
  const oldPath = options.oldPath ?? "old.yaml";
  const newPath = options.newPath ?? "new.yaml";
  const reader = new MemoryReader({ ...options.files, [oldPath]: before, [newPath]: after });
  const opts = { settings: options.settings ?? {}, warn: () => {} };
  const a = await engine.load({ reader, path: oldPath }, opts);
  const b = await engine.load({ reader, path: newPath }, opts);
  return engine.diff(a, b, opts);
}

/** Findings of the given ids only (oasdiff's single-check style), reduced for comparison. */
export async function findings(before: string, after: string, ids: RegExp, options?: Parameters<typeof diff>[2]): Promise<Brief[]> {
  return (await diff(before, after, options)).filter((f) => ids.test(f.rule)).map(brief);
}

/** Drops the versioning findings (info.version against the changes), which most tests are not about. */
export const structural = (fs: Finding[]): Finding[] => fs.filter((f) => !/^api-(major-)?version-/.test(f.rule));

/** A reduced finding that also lists the operations it affects. */
export interface BriefOps extends Brief {
  operations?: string[];
}

/** Like `findings`, keeping `operations` so tests can check which endpoints a change reaches. */
export async function findingsWithOps(before: string, after: string, ids: RegExp, options?: Parameters<typeof diff>[2]): Promise<BriefOps[]> {
  return (await diff(before, after, options))
    .filter((f) => ids.test(f.rule))
    .map((f) => ({ ...brief(f), ...(f.operations ? { operations: f.operations } : {}) }));
}

/** Indents every line of a block, to splice it into a `yaml` template. */
export const indent = (text: string, n: number): string =>
  text
    .split("\n")
    .map((l) => " ".repeat(n) + l)
    .join("\n");

/** One table row: two versions, the ids under test and the findings expected for them. */
export interface Case {
  name: string;
  before: string;
  after: string;
  ids: RegExp;
  expected: BriefOps[];
  options?: Parameters<typeof diff>[2];
}

/** Ids of the findings that are not safe: a harmless change must leave this empty. */
export async function nonSafe(before: string, after: string, options?: Parameters<typeof diff>[2]): Promise<string[]> {
  return (await diff(before, after, options)).filter((f) => f.severity !== "safe").map((f) => f.rule);
}
