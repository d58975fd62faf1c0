/**
 * Every reproducer under test/fixtures/fuzz/<area>/<case>/ runs through the CLI: from source in one
 * long-lived worker (fast), or through the compiled binary when COMMS_BIN is set. A case directory
 * holds the input files and an expect.json:
 *   { "args": [...], "exit": 2 | [0, 1, 2], "stderr"?: "substring", "stdout"?: "substring", "links"?: { "path": "target" },
 *     "known"?: "why it still fails" }
 * The case is copied to a scratch directory (links are created there, so a link may point out of
 * the case) and run with that directory as the working directory. A case marked `known` documents
 * a failure nobody has fixed yet: it is reported as a todo rather than failing the suite.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { classify, InProcessRunner, makeSandbox, type Outcome, runSubprocess } from "../../scripts/fuzz/runner.ts";
import { BIN, REPO } from "../helpers/cli.ts";

const ROOT = join(REPO, "test/fixtures/fuzz");
const LIMIT_MS = 10_000;

interface Expect {
  args: string[];
  exit: number | number[];
  stderr?: string;
  /** A substring of the report: the verdict a reproducer of a wrong answer must keep giving. */
  stdout?: string;
  links?: Record<string, string>;
  known?: string;
}

/** Directories holding an expect.json, anywhere below the corpus root (a case is not searched further). */
function caseDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (existsSync(join(dir, "expect.json"))) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => caseDirs(join(dir, e.name)));
}

const sandbox = makeSandbox();
const runner = BIN ? undefined : new InProcessRunner({ timeoutMs: LIMIT_MS, memoryMb: 2048 });
afterAll(() => {
  runner?.close();
  rmSync(sandbox.root, { recursive: true, force: true });
});

async function runCase(dir: string, spec: Expect): Promise<Outcome> {
  rmSync(sandbox.caseDir, { recursive: true, force: true });
  cpSync(dir, sandbox.caseDir, { recursive: true, filter: (src) => relative(dir, src) !== "expect.json" });
  for (const [p, target] of Object.entries(spec.links ?? {})) {
    const abs = join(sandbox.caseDir, p);
    mkdirSync(dirname(abs), { recursive: true });
    rmSync(abs, { force: true, recursive: true });
    symlinkSync(target, abs);
  }
  return runner ? runner.run(sandbox.caseDir, spec.args) : await runSubprocess(sandbox.caseDir, spec.args, { bin: BIN, timeoutMs: LIMIT_MS });
}

const cases = caseDirs(ROOT);

describe(`hostile-input corpus (${BIN ? "compiled binary" : "source"})`, () => {
  test("the corpus is present", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const dir of cases) {
    const name = relative(ROOT, dir);
    let spec: Expect;
    try {
      spec = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8")) as Expect;
    } catch (e) {
      test(name, () => {
        throw new Error(`${name}/expect.json is not valid JSON: ${(e as Error).message}`);
      });
      continue;
    }
    const body = async () => {
      expect(Array.isArray(spec.args)).toBe(true);
      const o = await runCase(dir, spec);
      const allowed = Array.isArray(spec.exit) ? spec.exit : [spec.exit];
      const seen = { exit: o.code, failure: classify(o) ?? null, stderr: o.stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 400) };
      expect({ ...seen, exitAllowed: allowed.includes(o.code ?? -1) }).toEqual({ ...seen, exitAllowed: true });
      expect(seen.failure).toBeNull();
      if (spec.stderr !== undefined) expect(o.stderr).toContain(spec.stderr);
      if (spec.stdout !== undefined) expect(o.stdout).toContain(spec.stdout);
      expect(o.ms).toBeLessThan(LIMIT_MS);
    };
    if (spec.known) test.todo(`${name} (known: ${spec.known})`, body);
    else test(name, body, LIMIT_MS * 2);
  }
});
