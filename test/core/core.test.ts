import { describe, expect, test } from "bun:test";
import { finalizeFindings, type Finding } from "../../src/core/finding.ts";
import { LineIndex } from "../../src/core/location.ts";
import { pair } from "../../src/core/match.ts";
import { MemoryReader, normalizePath } from "../../src/core/source.ts";

const f = (rule: string, path: string, severity: Finding["severity"], line?: number, message = `${rule} ${path}`): Finding => ({
  rule,
  path,
  severity,
  message,
  ...(line ? { new: { file: "a.yaml", line, column: 1 } } : {}),
});

describe("finalizeFindings", () => {
  test("drops exact duplicates (same rule, path, message) and keeps distinct messages", () => {
    const out = finalizeFindings([f("R", "p", "safe", 1), f("R", "p", "safe", 1), f("R", "p", "safe", 1, "other")]);
    expect(out.map((x) => x.message)).toEqual(["R p", "other"]);
  });

  test("sorts by severity, then location, then rule and path", () => {
    const out = finalizeFindings([f("B", "x", "safe", 3), f("A", "y", "breaking", 9), f("C", "z", "dangerous", 1), f("A", "w", "breaking", 2)]);
    expect(out.map((x) => `${x.severity}:${x.path}`)).toEqual(["breaking:w", "breaking:y", "dangerous:z", "safe:x"]);
  });

  test("fingerprints are stable across runs and unique within a list", () => {
    const a = finalizeFindings([f("R", "p", "breaking", 1, "one"), f("R", "p", "breaking", 2, "two")], "c1");
    const b = finalizeFindings([f("R", "p", "breaking", 1, "one"), f("R", "p", "breaking", 2, "two")], "c1");
    expect(a.map((x) => x.fingerprint)).toEqual(b.map((x) => x.fingerprint));
    expect(new Set(a.map((x) => x.fingerprint)).size).toBe(2);
    const other = finalizeFindings([f("R", "p", "breaking", 1, "one")], "c2");
    expect(other[0]!.fingerprint).not.toBe(a[0]!.fingerprint);
    expect(a[0]!.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe("LineIndex", () => {
  const text = "ab\ncde\n\nf";
  const idx = new LineIndex(text);
  test.each([
    [0, 1, 1],
    [1, 1, 2],
    [3, 2, 1],
    [5, 2, 3],
    [7, 3, 1],
    [8, 4, 1],
  ])("offset %i is line %i column %i", (offset, line, column) => {
    expect(idx.position(offset)).toEqual({ line, column });
  });
  test("location carries the end position", () => {
    expect(idx.location("x", 3, 6)).toEqual({ file: "x", line: 2, column: 1, endLine: 2, endColumn: 4 });
  });
});

describe("pair", () => {
  test("splits into removed, kept and added by key, in input order", () => {
    const r = pair([{ k: "a" }, { k: "b" }], [{ k: "b" }, { k: "c" }], (x) => x.k);
    expect(r.removed).toEqual([{ k: "a" }]);
    expect(r.added).toEqual([{ k: "c" }]);
    expect(r.kept.map(([k]) => k)).toEqual(["b"]);
  });
});

describe("MemoryReader", () => {
  const r = new MemoryReader({ "a/b.proto": "x", "a/c/d.proto": "y", "e.yaml": "z" });
  test("stat tells files from directories", () => {
    expect(r.stat("a")).toBe("dir");
    expect(r.stat("a/b.proto")).toBe("file");
    expect(r.stat("a/x")).toBeUndefined();
  });
  test("list is recursive and sorted", () => {
    expect(r.list("a")).toEqual(["a/b.proto", "a/c/d.proto"]);
    expect(r.list(".")).toEqual(["a/b.proto", "a/c/d.proto", "e.yaml"]);
  });
  test("paths are normalised", () => {
    expect(r.read("./a//b.proto")).toBe("x");
    expect(normalizePath("a/./b/../c/")).toBe("a/c");
  });
});
