import { describe, expect, test } from "bun:test";
import type { Engine, LoadedContract } from "../../src/core/engine.ts";
import type { Finding } from "../../src/core/finding.ts";
import { MemoryReader } from "../../src/core/source.ts";
import { compareDetailed, type CompareRequest, type Side } from "../../src/cli/compare.ts";
import type { PolicyConfig } from "../../src/policy/config.ts";

/** A toy kind: one field per line, `name: type [deprecated] [sunset=YYYY-MM-DD]`; enough to exercise policy. */
interface Field { name: string; type: string; deprecated: boolean; sunset?: string; line: number }
type Model = { file: string; fields: Map<string, Field> };

const fake: Engine<Model> = {
  kind: "graphql",
  extensions: [".txt"],
  async load({ reader, path }) {
    const fields = new Map<string, Field>();
    for (const [i, line] of (reader.read(path) ?? "").split("\n").entries()) {
      const m = /^(\w+): (\w+)((?: \S+)*)$/.exec(line.trim());
      if (!m) continue;
      const sunset = /sunset=(\S+)/.exec(m[3]!)?.[1];
      fields.set(m[1]!, { name: m[1]!, type: m[2]!, deprecated: m[3]!.includes("deprecated"), line: i + 1, ...(sunset ? { sunset } : {}) });
    }
    return { model: { file: path, fields }, files: [path] };
  },
  async diff(before, after) {
    const at = (c: LoadedContract<Model>, f: Field) => ({ file: c.model.file, line: f.line, column: 1 });
    const out: Finding[] = [];
    for (const [k, f] of before.model.fields) {
      const g = after.model.fields.get(k);
      if (!g) out.push({ rule: "FIELD_REMOVED", severity: "breaking", path: `T.${k}`, message: `field ${k} removed`, old: at(before, f), ...(f.deprecated ? { deprecated: f.sunset ? { sunset: f.sunset } : {} } : {}) });
      else if (g.type !== f.type) out.push({ rule: "FIELD_TYPE_CHANGED", severity: "breaking", path: `T.${k}`, message: `field ${k} changed type from ${f.type} to ${g.type}`, old: at(before, f), new: at(after, g) });
    }
    for (const [k, g] of after.model.fields) if (!before.model.fields.has(k)) out.push({ rule: "FIELD_ADDED", severity: "safe", path: `T.${k}`, message: `field ${k} added`, new: at(after, g) });
    return out;
  },
  rules: () => [],
  deprecation(c, path) {
    const f = c.model.fields.get(path.replace(/^T\./, ""));
    return f?.deprecated ? (f.sunset ? { sunset: f.sunset } : {}) : undefined;
  },
};

const side = (text: string, ref: string, version?: string, date?: string): Side => ({
  source: { reader: new MemoryReader({ "t.txt": text }, ref), path: "t.txt" },
  ref,
  ...(version ? { version } : {}),
  ...(date ? { date } : {}),
});

function request(over: Partial<CompareRequest>): CompareRequest {
  return { contract: "t", kind: "graphql", engine: fake as Engine, failOn: "breaking", old: side("a: Int", "t@1.0.0", "1.0.0"), new: side("a: Int", "working tree"), now: new Date("2026-06-15T00:00:00Z"), ...over };
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.severity} ${f.rule} ${f.path}${f.accepted ? " accepted" : ""}${f.note ? ` (${f.note})` : ""}`);

describe("compatibility modes", () => {
  const old = side("a: Int\nb: Int", "t@1.0.0", "1.0.0");
  const next = side("a: Int\nc: Int", "working tree");
  const cases: Array<[CompareRequest["mode"], string[], string]> = [
    ["backward", ["breaking FIELD_REMOVED T.b", "safe FIELD_ADDED T.c"], "fail"],
    // Swapped: what the old reader lacks (c) is a removal from its point of view; b is new to it.
    ["forward", ["breaking FIELD_REMOVED T.c (judged from an old reader's side (forward compatibility))", "safe FIELD_ADDED T.b (judged from an old reader's side (forward compatibility))"], "fail"],
    ["none", ["breaking FIELD_REMOVED T.b", "safe FIELD_ADDED T.c"], "pass"],
  ];
  for (const [mode, expected, verdict] of cases) {
    test(`${mode}`, async () => {
      const { result } = await compareDetailed(request({ old, new: next, mode }));
      expect(summary(result.findings)).toEqual(expected);
      expect(result.verdict).toBe(verdict as "pass" | "fail");
    });
  }

  test("forward findings keep each location on its own side", async () => {
    const { result } = await compareDetailed(request({ old, new: next, mode: "forward" }));
    const c = result.findings.find((f) => f.path === "T.c")!;
    expect([c.old, c.new]).toEqual([undefined, { file: "t.txt", line: 2, column: 1 }]);
  });

  test("full reports both directions", async () => {
    const { result } = await compareDetailed(request({ old, new: next, mode: "full" }));
    expect(result.findings.filter((f) => f.severity === "breaking").map((f) => f.path).sort()).toEqual(["T.b", "T.c"]);
  });

  // The classic case for transitive modes: b removed in 1.1.0, re-added with another type in the working copy.
  const v1 = side("a: Int\nb: Int", "t@1.0.0", "1.0.0");
  const v11 = side("a: Int", "t@1.1.0", "1.1.0");
  const now = side("a: Int\nb: String", "working tree");
  test("backward only sees the latest release", async () => {
    const { result } = await compareDetailed(request({ old: v11, earlier: [v1], new: now, mode: "backward" }));
    expect(summary(result.findings)).toEqual(["safe FIELD_ADDED T.b"]);
    expect(result.verdict).toBe("pass");
  });
  test("backward-transitive also compares with every earlier release", async () => {
    const { result } = await compareDetailed(request({ old: v11, earlier: [v1], new: now, mode: "backward-transitive" }));
    expect(summary(result.findings)).toEqual(["breaking FIELD_TYPE_CHANGED T.b (against t@1.0.0)", "safe FIELD_ADDED T.b"]);
    expect(result.verdict).toBe("fail");
    expect(result.notes).toEqual(["checked against t@1.1.0, t@1.0.0"]);
  });
});

describe("deprecation history", () => {
  const history = (texts: Array<[string, string, string]>) =>
    texts.map(([text, version, date]) => ({ source: { reader: new MemoryReader({ "t.txt": text }), path: "t.txt" }, version, date }));
  const hist = history([
    ["a: Int\nb: Int", "1.0.0", "2026-01-10T00:00:00Z"],
    ["a: Int\nb: Int deprecated", "1.1.0", "2026-06-01T00:00:00Z"],
  ]);
  const old = side("a: Int\nb: Int deprecated", "t@1.1.0", "1.1.0");
  const policy = (days: number): PolicyConfig => ({ deprecation: { "min-days": days } });

  test("the age counts from the first release that deprecated the element", async () => {
    const { result } = await compareDetailed(request({ old, new: side("a: Int", "working tree"), history: hist, policy: policy(10) }));
    expect(summary(result.findings)).toEqual(["safe FIELD_REMOVED T.b (deprecated since 1.1.0 (2026-06-01, 14 days ago))"]);
  });
  test("a removal the engine did not flag is flagged from its deprecation() of the old version", async () => {
    const unflagged: Engine<Model> = { ...fake, diff: async (b, a, o) => (await fake.diff(b, a, o)).map(({ deprecated: _d, ...f }) => f) };
    const { result } = await compareDetailed(request({ engine: unflagged as Engine, old, new: side("a: Int", "working tree"), history: hist, policy: policy(0) }));
    expect(summary(result.findings)).toEqual(["safe FIELD_REMOVED T.b (deprecated since 1.1.0 (2026-06-01, 14 days ago))"]);
    expect(result.findings[0]!.deprecated).toEqual({});
  });
  test("too young a deprecation keeps the removal breaking", async () => {
    const { result } = await compareDetailed(request({ old, new: side("a: Int", "working tree"), history: hist, policy: policy(30) }));
    expect(summary(result.findings)).toEqual(["breaking FIELD_REMOVED T.b (deprecated in 1.1.0 only 14 days ago; removal needs at least 30 (policy.deprecation.min-days))"]);
    expect(result.verdict).toBe("fail");
  });
  test("a released sunset date that has passed softens the removal; an unreleased one does not", async () => {
    const sunset = history([
      ["a: Int\nb: Int", "1.0.0", "2026-01-10T00:00:00Z"],
      ["a: Int\nb: Int deprecated sunset=2026-06-01", "1.1.0", "2026-06-10T00:00:00Z"],
    ]);
    const old = side("a: Int\nb: Int deprecated sunset=2026-06-01", "t@1.1.0", "1.1.0");
    const released = await compareDetailed(request({ old, new: side("a: Int", "working tree"), history: sunset, policy: policy(365) }));
    expect(summary(released.result.findings)).toEqual(["safe FIELD_REMOVED T.b (deprecated since 1.1.0 (2026-06-10), removed after its sunset date 2026-06-01)"]);
    const unreleased = await compareDetailed(request({ old, new: side("a: Int", "working tree"), history: sunset.slice(0, 1), policy: policy(0) }));
    expect(summary(unreleased.result.findings)).toEqual(["breaking FIELD_REMOVED T.b (deprecated, but in no released version yet; the deprecation must be released before the removal)"]);
  });
  test("without release history (diff of two files) the removal stays breaking, with a note", async () => {
    const { result } = await compareDetailed(request({ old, new: side("a: Int", "working tree"), policy: policy(0) }));
    expect(summary(result.findings)).toEqual(["breaking FIELD_REMOVED T.b (deprecated in the old version, but without release history nothing shows consumers were told; judged as if it were not deprecated)"]);
  });
});

describe("accept entries and the declared version", () => {
  const old = side("a: Int\nb: Int", "t@1.0.0", "1.0.0");
  const next = (version?: string): Side => ({ ...side("a: Int", "working tree", version), versionLocation: { file: "comms.yaml", line: 3, column: 40 } });
  const accept = { contract: "t", rule: "FIELD_REMOVED", path: "T.b", reason: "unused" };
  const cases: Array<{ name: string; version?: string; policy?: PolicyConfig; expected: string[]; verdict: string; matched: number[] }> = [
    { name: "no declared version: only the break", expected: ["breaking FIELD_REMOVED T.b"], verdict: "fail", matched: [] },
    { name: "same version declared: the break and version-not-bumped", version: "1.0.0", expected: ["breaking version-not-bumped contracts.t.version", "breaking FIELD_REMOVED T.b"], verdict: "fail", matched: [] },
    { name: "new major declared: allowed", version: "2.0.0", expected: ["breaking FIELD_REMOVED T.b accepted"], verdict: "pass", matched: [] },
    { name: "accepted break, same version: it still needs a major version", version: "1.0.0", policy: { accept: [accept] }, expected: ["breaking version-not-bumped contracts.t.version", "breaking FIELD_REMOVED T.b accepted"], verdict: "fail", matched: [0] },
    { name: "accepted break, new major declared: passes", version: "2.0.0", policy: { accept: [accept] }, expected: ["breaking FIELD_REMOVED T.b accepted"], verdict: "pass", matched: [0] },
    { name: "accepted break, no declared version: passes", policy: { accept: [accept] }, expected: ["breaking FIELD_REMOVED T.b accepted"], verdict: "pass", matched: [0] },
    { name: "an entry matching nothing is not reported as matched", policy: { accept: [{ ...accept, path: "T.z" }] }, expected: ["breaking FIELD_REMOVED T.b"], verdict: "fail", matched: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { result, matchedAccepts } = await compareDetailed(request({ old, new: next(c.version), policy: c.policy, checkVersion: true }));
      expect(summary(result.findings)).toEqual(c.expected);
      expect(result.verdict).toBe(c.verdict as "pass" | "fail");
      expect(matchedAccepts).toEqual(c.matched);
    });
  }
  test("diff does not judge the version but says what check would", async () => {
    const { result } = await compareDetailed(request({ old, new: next("1.0.0") }));
    expect(summary(result.findings)).toEqual(["breaking FIELD_REMOVED T.b"]);
    expect(result.notes).toEqual(["1 breaking change since 1.0.0 needs a new major version, but the declared version is 1.0.0 (was 1.0.0; expected 2.0.0 or later) ('comms check' fails on this: version-not-bumped)"]);
  });
  test("version-not-bumped points at the declaration", async () => {
    const { result } = await compareDetailed(request({ old, new: next("1.0.0"), checkVersion: true }));
    expect(result.findings[0]!.new).toEqual({ file: "comms.yaml", line: 3, column: 40 });
  });
});
