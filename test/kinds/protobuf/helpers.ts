import { expect } from "bun:test";
import type { Finding } from "../../../src/core/finding.ts";
import { MemoryReader } from "../../../src/core/source.ts";
import { diffModels, type ProtobufSettings } from "../../../src/kinds/protobuf/index.ts";
import { loadProto } from "../../../src/kinds/protobuf/load.ts";
import type { ProtoModel } from "../../../src/kinds/protobuf/model.ts";

/** Template tag: strips the common indentation and the first newline, so line numbers are readable. */
export function proto(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ""), "");
  const lines = raw.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** Loads a version from in-memory files (a directory contract rooted at "."). */
export function load(files: Record<string, string>): ProtoModel {
  return loadProto({ reader: new MemoryReader(files), path: "." });
}

/** Compact view of a finding for table assertions: rule, path and `file:line:col` of the new location. */
export interface Expected {
  rule: string;
  path: string;
  at?: string;
  message?: string;
}

export function diff(before: Record<string, string>, after: Record<string, string>, settings: ProtobufSettings = {}): Finding[] {
  return diffModels(load(before), load(after), { rename_hints: false, additions: false, ...settings });
}

export interface Case {
  name: string;
  before: Record<string, string>;
  after: Record<string, string>;
  findings: Expected[];
}

/** Runs one rule over each case and compares rule, path, location (and message when given). */
export function checkCases(rule: string, cases: Case[]): void {
  for (const c of cases) {
    const got = diff(c.before, c.after, { use: [rule] })
      .map((f) => ({
        rule: f.rule,
        path: f.path,
        at: f.new ? `${f.new.file}:${f.new.line}:${f.new.column}` : undefined,
        message: f.message,
      }))
      .sort((a, b) => (a.path + a.at < b.path + b.at ? -1 : 1));
    const want = [...c.findings].sort((a, b) => (a.path + a.at < b.path + b.at ? -1 : 1));
    expect(got.map(({ rule, path, at }) => ({ rule, path, at })), c.name).toEqual(want.map(({ rule, path, at }) => ({ rule, path, at })));
    want.forEach((w, i) => {
      if (w.message !== undefined) expect(got[i]?.message, c.name).toBe(w.message);
    });
  }
}
