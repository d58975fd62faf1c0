import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { publish } from "../helpers/git-servers.ts";
import { TempRepo } from "../e2e/gate-helpers.ts";
import { sourcesMaxAge } from "../../src/cli/commands/check.ts";

// A fetched source is used again for a while without asking its remote: ten minutes on the pre-commit
// path, never elsewhere unless COMMS_SOURCES_MAX_AGE says so. The remote is moved away to prove that
// nothing contacted it.
setDefaultTimeout(120_000);
const tmp = mkdtempSync(join(tmpdir(), "comms-max-age-"));
const served = join(tmp, "served");
mkdirSync(served);
const repos: TempRepo[] = [];
const saved = { cache: process.env.COMMS_CACHE_DIR, age: process.env.COMMS_SOURCES_MAX_AGE };
afterAll(() => {
  for (const [k, v] of [["COMMS_CACHE_DIR", saved.cache], ["COMMS_SOURCES_MAX_AGE", saved.age]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const record = (fields: string[]) => `{"type": "record", "name": "Pago", "namespace": "acme", "fields": [${fields.join(", ")}]}\n`;
const ID = `{"name": "id", "type": "string"}`;
const AMOUNT = `{"name": "amount", "type": "double"}`;

function setup(name: string): { consumer: TempRepo; bare: string } {
  const p = new TempRepo();
  const c = new TempRepo();
  repos.push(p, c);
  p.write("pago.avsc", record([ID, AMOUNT]));
  p.write("comms.yaml", "version: 1\nname: pagos\ncontracts:\n  pagos-api: { kind: avro, path: pago.avsc, version: 1.0.0 }\n");
  expect(p.comms("release", "pagos-api", "--version", "1.0.0").code).toBe(0);
  p.git("add", "-A");
  p.git("commit", "-qm", "pagos 1.0.0");
  const bare = publish(p.dir, served, name);
  c.write("reader.avsc", record([ID, AMOUNT]));
  c.write("comms.yaml", `version: 1\nname: web\nsources:\n  pagos: { git: ${JSON.stringify(`file://${bare}`)} }\ncontracts:\n  reader: { kind: avro, path: reader.avsc, provider: pagos/pagos-api }\n`);
  c.git("add", "-A");
  c.git("commit", "-qm", "web");
  // A staged change so that --staged has a contract to check.
  c.write("reader.avsc", record([ID, AMOUNT, `{"name": "note", "type": "string", "default": ""}`]));
  c.git("add", "reader.avsc");
  process.env.COMMS_CACHE_DIR = mkdtempSync(join(tmp, "cache-"));
  return { consumer: c, bare };
}

describe("a recently fetched source is used again without contacting its remote", () => {
  test("--staged reads a copy fetched within ten minutes, and says so; a plain check always fetches", () => {
    const { consumer, bare } = setup("pagos-a");
    delete process.env.COMMS_SOURCES_MAX_AGE;
    expect(consumer.comms("check", "--staged").code).toBe(0);
    renameSync(bare, `${bare}.away`);
    const hook = consumer.comms("check", "--staged");
    expect(hook.code).toBe(0);
    expect(hook.stderr + hook.stdout).toMatch(/source 'pagos' read from the cache at [0-9a-f]+, fetched \d+ s ago \(not fetched again within 600 s; comms fetch refreshes it\)/);
    const ci = consumer.comms("check");
    expect(ci.code).toBe(2);
    expect(ci.stderr).toContain("source 'pagos'");
    expect(consumer.comms("fetch").code).toBe(2);
  });

  test("COMMS_SOURCES_MAX_AGE sets the window for every check; 0 always fetches", () => {
    const { consumer, bare } = setup("pagos-b");
    process.env.COMMS_SOURCES_MAX_AGE = "3600";
    expect(consumer.comms("check").code).toBe(0);
    renameSync(bare, `${bare}.away`);
    expect(consumer.comms("check").code).toBe(0);
    process.env.COMMS_SOURCES_MAX_AGE = "0";
    expect(consumer.comms("check", "--staged").code).toBe(2);
    delete process.env.COMMS_SOURCES_MAX_AGE;
  });

  test("a copy used again keeps its fetch time, so the window ends", () => {
    const { consumer, bare } = setup("pagos-c");
    process.env.COMMS_SOURCES_MAX_AGE = "3600";
    expect(consumer.comms("check").code).toBe(0);
    const stamps = () => {
      const dir = join(process.env.COMMS_CACHE_DIR!, "sources");
      return readdirSync(dir).filter((f) => f.endsWith(".fetched")).map((f) => readFileSync(join(dir, f), "utf8"));
    };
    const first = stamps();
    expect(first).toHaveLength(1);
    renameSync(bare, `${bare}.away`);
    expect(consumer.comms("check").code).toBe(0);
    expect(stamps()).toEqual(first);
    delete process.env.COMMS_SOURCES_MAX_AGE;
  });
});

describe("COMMS_SOURCES_MAX_AGE", () => {
  test.each([
    [undefined, true, 600],
    [undefined, false, 0],
    ["0", true, 0],
    ["90", false, 90],
  ] as const)("%p with staged=%p is %p seconds", (raw, staged, want) => {
    expect(sourcesMaxAge(staged, { COMMS_SOURCES_MAX_AGE: raw })).toBe(want);
  });
  test.each(["-1", "1e3", "ten", "1".repeat(12)])("%p is a usage error", (raw) => {
    expect(() => sourcesMaxAge(false, { COMMS_SOURCES_MAX_AGE: raw })).toThrow("COMMS_SOURCES_MAX_AGE");
  });
});
