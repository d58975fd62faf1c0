import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Finding } from "../../src/core/finding.ts";
import { MemoryReader } from "../../src/core/source.ts";
import engine from "../../src/kinds/asyncapi/index.ts";
import { SHARED } from "../helpers/cli.ts";

const DIR = join(SHARED, "conformance", "events", "asyncapi");
const available = existsSync(DIR);
if (!available) console.warn(`asyncapi conformance skipped: ${DIR} not found`);

interface Exception {
  case: string;
  path?: string;
  reason: string;
}
const exceptions: Exception[] = JSON.parse(readFileSync(join(import.meta.dir, "..", "fixtures", "asyncapi", "conformance-exceptions.json"), "utf8"));
const options = { settings: {}, warn: () => {} };

async function run(dir: string, expected: { files?: { old?: { raw?: string }; new?: { raw?: string } } }): Promise<{ findings: Finding[]; oldDoc: any }> {
  const oldName = expected.files?.old?.raw ?? (existsSync(join(dir, "old.yaml")) ? "old.yaml" : "old.json");
  const newName = expected.files?.new?.raw ?? (existsSync(join(dir, "new.yaml")) ? "new.yaml" : "new.json");
  const files = { [oldName.replace(/^old/, "a/spec")]: readFileSync(join(dir, oldName), "utf8"), [newName.replace(/^new/, "b/spec")]: readFileSync(join(dir, newName), "utf8") };
  const reader = new MemoryReader(files);
  const [a, b] = Object.keys(files);
  const before = await engine.load({ reader, path: a! }, options);
  const after = await engine.load({ reader, path: b! }, options);
  const parsed = existsSync(join(dir, "old.parsed.json")) ? JSON.parse(readFileSync(join(dir, "old.parsed.json"), "utf8")) : JSON.parse(readFileSync(join(dir, oldName), "utf8"));
  return { findings: await engine.diff(before, after, options), oldDoc: parsed };
}

/** The channel address a `/channels/<id>...` change is about, in the old document. */
function address(doc: any, id: string): string {
  return doc?.channels?.[id]?.address ?? id;
}

describe.skipIf(!available)("asyncapi conformance with @asyncapi/diff", () => {
  test("breaking and non-breaking classifications agree, except documented differences", async () => {
    const cases = readdirSync(DIR).filter((c) => existsSync(join(DIR, c, "expected.json"))).sort();
    let classified = 0;
    let agree = 0;
    let excepted = 0;
    const failures: string[] = [];
    for (const name of cases) {
      const dir = join(DIR, name);
      const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8"));
      const caseException = exceptions.find((e) => e.case === name && !e.path);
      let result: Awaited<ReturnType<typeof run>>;
      try {
        result = await run(dir, expected);
      } catch (e) {
        if (!caseException) failures.push(`${name}: ${(e as Error).message}`);
        continue;
      }
      const breaking = result.findings.filter((f) => f.severity === "breaking");
      for (const change of expected.changes as Array<{ path: string; action: string; type: string }>) {
        if (change.type === "unclassified") continue;
        classified++;
        if (caseException || exceptions.some((e) => e.case === name && e.path === change.path)) {
          excepted++;
          continue;
        }
        const m = /^\/channels\/([^/]+)(\/address)?$/.exec(change.path);
        let ok: boolean;
        if (m) {
          const addr = change.action === "add" ? m[1]! : address(result.oldDoc, m[1]!);
          ok = change.type === "breaking" ? breaking.some((f) => f.path === addr) : result.findings.some((f) => f.path === addr && f.severity !== "breaking");
        } else ok = change.type === "non-breaking" ? breaking.length === 0 || !breaking.some((f) => change.path.includes(f.path)) : false;
        if (ok) agree++;
        else failures.push(`${name}: ${change.action} ${change.path} (${change.type}); comms: ${breaking.map((f) => `${f.rule} ${f.path}`).join(", ") || "nothing breaking"}`);
      }
      if (caseException && !expected.changes?.length) excepted++;
    }
    console.log(`asyncapi conformance: ${cases.length} cases, ${classified} classified changes, ${agree} agree, ${excepted} documented differences`);
    expect(failures).toEqual([]);
  });
});
