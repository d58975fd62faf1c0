import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN } from "../helpers/cli.ts";
import { publish } from "../helpers/git-servers.ts";
import { TempRepo } from "../e2e/gate-helpers.ts";

// Parallel CI jobs on one runner share one cache: fetches of the same sources at the same moment must
// all succeed, and leave a cache an offline run can read.
setDefaultTimeout(180_000);
const tmp = mkdtempSync(join(tmpdir(), "comms-concurrent-sources-"));
const served = join(tmp, "served");
mkdirSync(served);
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const record = (name: string) => `{"type": "record", "name": "${name}", "namespace": "acme", "fields": [{"name": "id", "type": "string"}]}\n`;
const SOURCES = ["pagos", "envios", "stock"];

function run(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const all: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env, NO_COLOR: "1" })) if (v !== undefined && k !== "GIT_DIR" && k !== "GIT_INDEX_FILE") all[k] = v;
  const child = Bun.spawn([process.execPath, MAIN, ...args], { cwd, env: all, stdout: "pipe", stderr: "pipe" });
  return Promise.all([new Response(child.stderr).text(), child.exited]).then(([stderr, code]) => ({ code, stderr }));
}

test("eight processes fetching the same three sources into one cache all succeed", async () => {
  const consumer = new TempRepo();
  repos.push(consumer);
  const lines: string[] = [];
  for (const s of SOURCES) {
    const p = new TempRepo();
    repos.push(p);
    p.write("event.avsc", record(s));
    p.write("comms.yaml", `version: 1\nname: ${s}\ncontracts:\n  ${s}-events: { kind: avro, path: event.avsc, version: 1.0.0 }\n`);
    expect(p.comms("release", `${s}-events`, "--version", "1.0.0").code).toBe(0);
    p.git("add", "-A");
    p.git("commit", "-qm", `${s} 1.0.0`);
    lines.push(`  ${s}: { git: ${JSON.stringify(`file://${publish(p.dir, served, s)}`)} }`);
    consumer.write(`${s}.avsc`, record(s));
  }
  const contracts = SOURCES.map((s) => `  ${s}-reader: { kind: avro, path: ${s}.avsc, provider: ${s}/${s}-events }`);
  consumer.write("comms.yaml", `version: 1\nname: web\nsources:\n${lines.join("\n")}\ncontracts:\n${contracts.join("\n")}\n`);
  const env = { COMMS_CACHE_DIR: join(tmp, "cache") };
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => run(consumer.dir, env, ...(i % 2 ? ["fetch"] : ["check"]))));
  expect(runs.map((r) => (r.code === 0 ? "ok" : r.stderr.trim()))).toEqual(runs.map(() => "ok"));
  const offline = await run(consumer.dir, env, "check", "--offline");
  expect(offline.code).toBe(0);
  expect(offline.stderr).not.toContain("damaged");
});
