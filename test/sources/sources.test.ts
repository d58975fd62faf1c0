import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { MAIN } from "../helpers/cli.ts";
import { git, publish, serversMissing, startDaemon, startHttp, type GitServer, type HttpGitServer } from "../helpers/git-servers.ts";
import { TempRepo } from "../e2e/gate-helpers.ts";
import { urlKey } from "../../src/sources/cache.ts";

// Other repositories read through git: every transport, the faults a remote or the cache can have, and
// hostile sources. The provider is `pagos` (an Avro event, released), the consumer `web` (an Avro reader).
setDefaultTimeout(120_000);
const missing = serversMissing();
if (missing) console.warn(missing);

const tmp = mkdtempSync(join(tmpdir(), "comms-sources-"));
const base = join(tmp, "served");
Bun.spawnSync(["mkdir", "-p", base]);
let daemon: GitServer;
let http: HttpGitServer;
const cleanup: string[] = [tmp];
beforeAll(async () => {
  if (missing) return;
  daemon = await startDaemon(base);
  http = await startHttp(base);
});
afterAll(async () => {
  await daemon?.stop();
  await http?.stop();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

const record = (fields: string[]) => `{"type": "record", "name": "Pago", "namespace": "acme", "fields": [${fields.join(", ")}]}\n`;
const ID = `{"name": "id", "type": "string"}`;
const AMOUNT = `{"name": "amount", "type": "double"}`;

function repo(): TempRepo {
  const r = new TempRepo();
  cleanup.push(r.dir);
  return r;
}

/** A fresh cache for the next commands. */
function freshCache(): string {
  const dir = mkdtempSync(join(tmp, "cache-"));
  process.env.COMMS_CACHE_DIR = dir;
  return dir;
}

/** The provider: `pagos-api`, an Avro event released at 1.0.0, published as `<name>.git`. */
function provider(served = "pagos", opts: { filters?: boolean; extra?: (r: TempRepo) => void; config?: string } = {}): { repo: TempRepo; bare: string } {
  const p = repo();
  p.write("events/pago.avsc", record([ID, AMOUNT]));
  // A large file comms never needs: a sparse fetch leaves it on the server.
  p.write("docs/big.txt", "x".repeat(200_000));
  p.write("comms.yaml", opts.config ?? `version: 1\nname: pagos\ncontracts:\n  pagos-api: { kind: avro, path: events/pago.avsc, version: 1.0.0 }\n`);
  opts.extra?.(p);
  if (!opts.config) expect(p.comms("release", "pagos-api", "--version", "1.0.0").code).toBe(0);
  p.git("add", "-A");
  p.git("commit", "-qm", "pagos 1.0.0");
  return { repo: p, bare: publish(p.dir, base, served, { filters: opts.filters }) };
}

/** The consumer: an Avro reader of `pagos/pagos-api`, with the source given as written in comms.yaml. */
function consumer(git: string, extra = ""): TempRepo {
  const c = repo();
  c.write("reader.avsc", record([ID, AMOUNT]));
  c.write("comms.yaml", `version: 1\nname: web\nsources:\n  pagos: { git: ${JSON.stringify(git)}${extra} }\ncontracts:\n  reader: { kind: avro, path: reader.avsc, provider: pagos/pagos-api }\n`);
  return c;
}

/** The CLI run without blocking this process (the HTTP server answers from its event loop). */
async function commsAsync(r: TempRepo, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", GIT_DIR: undefined, GIT_INDEX_FILE: undefined })) if (v !== undefined) env[k] = v;
  const child = Bun.spawn([process.execPath, MAIN, ...args], { cwd: r.dir, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

async function jsonAsync(r: TempRepo, ...args: string[]): Promise<{ code: number; out: any; stderr: string }> {
  const res = await commsAsync(r, ...args, "--format", "json");
  try {
    return { code: res.code, out: JSON.parse(res.stdout), stderr: res.stderr };
  } catch {
    throw new Error(`not JSON (exit ${res.code}): ${res.stdout}\n${res.stderr}`);
  }
}

const judgedNote = (r: { out: any }) => r.out.results?.[0]?.notes?.find((n: string) => n.startsWith("judged against"));

/** Blobs present in the cached repository of a URL. */
function cachedBlobs(cache: string, url: string): string[] {
  const repoDir = join(cache, "sources", `${urlKey(url)}.git`);
  const out = git(repoDir, "cat-file", "--batch-all-objects", "--batch-check");
  return out.split("\n").filter((l) => l.split(" ")[1] === "blob");
}

describe.skipIf(!!missing)("transports", () => {
  const cases: [string, (bare: string, name: string) => string][] = [
    ["a file:// URL of a bare repository", (bare) => `file://${bare}`],
    ["an absolute local path", (bare) => bare],
    ["a relative local path (against comms.yaml's folder)", (bare) => bare],
    ["git daemon (git://)", (_, name) => daemon.url(`${name}.git`)],
    ["smart HTTP (git http-backend)", (_, name) => http.url(`${name}.git`)],
  ];
  for (const [i, [what, url]] of cases.entries()) {
    test(`${what}: the consumer is judged against the provider's 1.0.0, fetching only the files read`, async () => {
      const name = `t${i}`;
      const { bare } = provider("pagos");
      // Each case serves its own copy, so the caches differ.
      const served = join(base, `${name}.git`);
      renameSync(bare, served);
      const c = consumer("REL");
      const written = what.startsWith("a relative") ? relative(c.dir, served) : url(served, name);
      c.write("comms.yaml", c.read("comms.yaml").replace('"REL"', JSON.stringify(written)));
      const cache = freshCache();
      const r = await jsonAsync(c, "check");
      expect(r.code).toBe(0);
      expect(judgedNote(r)).toMatch(/^judged against its provider's latest release pagos\/pagos-api@1\.0\.0 \(source 'pagos', HEAD at [0-9a-f]{12}\)$/);
      // comms.yaml, the index and the snapshot: the event in the work tree and docs/big.txt stay on the server.
      const key = what.startsWith("a relative") ? served : url(served, name);
      const sizes = cachedBlobs(cache, key).map((l) => Number(l.split(" ")[2]));
      expect(sizes.length).toBe(3);
      expect(sizes.every((s) => s < 200_000)).toBe(true);
    });
  }

  test("a server that ignores filters sends everything, and the check works the same", () => {
    provider("nofilter", { filters: false });
    const c = consumer(daemon.url("nofilter.git"));
    const cache = freshCache();
    const r = c.json("check");
    expect(r.code).toBe(0);
    expect(judgedNote(r)).toStartWith("judged against its provider's latest release pagos/pagos-api@1.0.0");
    expect(cachedBlobs(cache, daemon.url("nofilter.git")).some((l) => Number(l.split(" ")[2]) === 200_000)).toBe(true);
  });
});

describe.skipIf(!!missing)("faults", () => {
  test("the remote disappears before a fetch: exit 2 naming the source, the cache intact for --offline", () => {
    const { bare } = provider("gone");
    const c = consumer(`file://${bare}`);
    freshCache();
    expect(c.comms("check").code).toBe(0);
    renameSync(bare, `${bare}.away`);
    const r = c.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`source 'pagos' (file://${bare}): fetching 'HEAD' failed:`);
    expect(r.stderr).toContain("the cache is unchanged");
    const offline = c.json("check", "--offline");
    expect(offline.code).toBe(0);
    expect(offline.out.results[0].notes.some((n: string) => /^source 'pagos' read from the cache at [0-9a-f]{12} \(--offline; last fetched \d{4}-\d\d-\d\dT/.test(n))).toBe(true);
    renameSync(`${bare}.away`, bare);
  });

  test("the HTTP server goes away in the middle of a fetch (after the commit, before the files): exit 2, the previous copy still read offline", async () => {
    const { repo: p } = provider("midway");
    const c = consumer(http.url("midway.git"));
    freshCache();
    expect((await commsAsync(c, "check")).code).toBe(0);
    // A new release needs new files: the tip arrives, then the server stops answering.
    p.write("events/pago.avsc", record([ID, AMOUNT, `{"name": "note", "type": "string", "default": ""}`]));
    p.write("comms.yaml", p.read("comms.yaml").replace("version: 1.0.0", "version: 1.1.0"));
    expect(p.comms("release", "pagos-api", "--version", "1.1.0").code).toBe(0);
    p.git("add", "-A");
    p.git("commit", "-qm", "1.1.0");
    publish(p.dir, base, "midway");
    let cut: { n: number; stderr: string } | undefined;
    for (let n = 1; n <= 12 && !cut; n++) {
      http.dropAfter = n;
      const r = await commsAsync(c, "check");
      expect(r.code).toBe(2);
      if (/fetching \d+ files? failed/.test(r.stderr)) cut = { n, stderr: r.stderr };
    }
    http.dropAfter = undefined;
    expect(cut?.stderr).toContain(`source 'pagos' (${http.url("midway.git")}): fetching`);
    expect(cut?.stderr).toContain("the cache is unchanged");
    // Offline, the copy fetched before the cut: 1.0.0.
    expect(judgedNote(await jsonAsync(c, "check", "--offline"))).toStartWith("judged against its provider's latest release pagos/pagos-api@1.0.0");
    expect(judgedNote(await jsonAsync(c, "check"))).toStartWith("judged against its provider's latest release pagos/pagos-api@1.1.0");
  });

  const rewrites: [string, (p: TempRepo) => void, string][] = [
    [
      "a release rewritten with other content",
      (p) => {
        rmSync(join(p.dir, ".comms"), { recursive: true, force: true });
        p.write("events/pago.avsc", record([ID]));
        expect(p.comms("release", "pagos-api", "--version", "1.0.0").code).toBe(0);
      },
      "release pagos-api@1.0.0 has a different hash",
    ],
    [
      "a release removed from history",
      (p) => {
        rmSync(join(p.dir, ".comms"), { recursive: true, force: true });
      },
      "release pagos-api@1.0.0 is gone from its registry",
    ],
  ];
  for (const [what, rewrite, message] of rewrites) {
    test(`a force-pushed source, ${what}: exit 2 naming the source and the release`, () => {
      const { repo: p } = provider("forced");
      const c = consumer(daemon.url("forced.git"));
      freshCache();
      expect(c.comms("check").code).toBe(0);
      rewrite(p);
      p.git("add", "-A");
      p.git("commit", "-q", "--amend", "-m", "pagos, rewritten");
      publish(p.dir, base, "forced");
      const r = c.comms("check");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`source 'pagos' (${daemon.url("forced.git")}): ${message}`);
      expect(r.stderr).toContain("history was rewritten");
      rmSync(join(base, "forced.git"), { recursive: true, force: true });
    });
  }

  test("a damaged cache (objects deleted, HEAD overwritten, the saved copy cut short) is deleted and fetched again, with a note; offline it is exit 2", () => {
    const { bare } = provider("damaged");
    const c = consumer(`file://${bare}`);
    const cache = freshCache();
    expect(c.comms("check").code).toBe(0);
    const pack = join(cache, "sources", `${urlKey(`file://${bare}`)}.git`, "objects", "pack");
    for (const f of readdirSync(pack)) rmSync(join(pack, f));
    writeFileSync(join(pack, "..", "..", "HEAD"), "garbage\n");
    // The saved copy of what was read is damaged too: cut short.
    writeFileSync(join(cache, "sources", `${urlKey(`file://${bare}`)}.read.json`), "{\"version\": 1, \"commit\"");
    const offline = c.comms("check", "--offline");
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain("source 'pagos'");
    expect(offline.stderr).toContain("the cached copy is damaged");
    const r = c.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].notes).toContain("the cached copy of source 'pagos' was damaged: deleted and fetched again");
    expect(judgedNote(r)).toStartWith("judged against its provider's latest release pagos/pagos-api@1.0.0");
  });

  test("--offline with the daemon stopped reads the cache with a staleness note; with no cache it is exit 2", async () => {
    provider("offline");
    const own = await startDaemon(base);
    const c = consumer(own.url("offline.git"));
    freshCache();
    expect(c.comms("fetch").code).toBe(0);
    await own.stop();
    const online = c.comms("check");
    expect(online.code).toBe(2);
    expect(online.stderr).toContain("source 'pagos'");
    const r = c.json("check", "--offline");
    expect(r.code).toBe(0);
    expect(r.out.results[0].notes.some((n: string) => n.startsWith("source 'pagos' read from the cache at") && n.includes("last fetched"))).toBe(true);
    expect(judgedNote(r)).toStartWith("judged against its provider's latest release pagos/pagos-api@1.0.0");
    // COMMS_OFFLINE=1 is the same switch.
    expect(c.comms("check", "--quiet").code).toBe(2);
    freshCache();
    const none = c.comms("check", "--offline");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`source 'pagos' (${own.url("offline.git")}) was never fetched, and --offline reads only the cache`);
  });
});

describe.skipIf(!!missing)("hostile sources", () => {
  const marker = join(tmp, "pwned");
  const urls: [string, string, string][] = [
    ["an option as the URL", `-oProxyCommand=touch ${marker}`, "a git URL cannot start with '-'"],
    ["a transport helper running a shell", `ext::sh -c touch% ${marker}`, "git transport helpers"],
    ["ssh with an option as the host", "ssh://-oProxyCommand=x/y", "a host or user name cannot start with '-'"],
    ["fd:: transport", "fd::3", "git transport helpers"],
  ];
  for (const [what, url, message] of urls) {
    test(`git: ${what} is refused at its comms.yaml line, nothing run`, () => {
      const c = consumer(url);
      freshCache();
      const r = c.comms("check");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/comms\.yaml:4:\d+: /);
      expect(r.stderr).toContain(message);
      expect(existsSync(marker)).toBe(false);
    });
  }

  test("ref: an option (--upload-pack=touch x) is refused at its comms.yaml line", () => {
    const { bare } = provider("refopt");
    const c = consumer(`file://${bare}`, `, ref: "--upload-pack=touch ${marker}"`);
    freshCache();
    const r = c.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/comms\.yaml:4:\d+: ref '--upload-pack=touch .*': a ref cannot start with '-'/);
    expect(existsSync(marker)).toBe(false);
    expect(c.comms("fetch").code).toBe(2);
  });

  const paths: [string, string][] = [
    ["a contract path climbing out", "../../x.avsc"],
    ["an absolute contract path", "/etc/passwd"],
  ];
  for (const [what, path] of paths) {
    test(`the source's comms.yaml with ${what}: exit 2 at their comms.yaml line, nothing read`, () => {
      const { bare } = provider(`path${path.length}`, { config: `version: 1\nname: pagos\ncontracts:\n  pagos-api: { kind: avro, path: ${path}, version: 1.0.0 }\n` });
      const c = consumer(`file://${bare}`);
      freshCache();
      const r = c.comms("check");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`pagos:comms.yaml:4:`);
      expect(r.stderr).toContain(`contracts.pagos-api.path: '${path}' lies outside the repository`);
    });
  }

  test("a symbolic link in the consumer's repository pointing outside is not followed by the provider's check", () => {
    const web = repo();
    const outside = join(tmp, "secret.avsc");
    writeFileSync(outside, record([ID]));
    symlinkSync(outside, join(web.dir, "reader.avsc"));
    web.write("comms.yaml", "version: 1\nname: web\ncontracts:\n  reader: { kind: avro, path: reader.avsc, provider: pagos/pagos-api }\n");
    web.git("add", "-A");
    web.git("commit", "-qm", "a link");
    const bare = publish(web.dir, base, "weblink");
    const p = repo();
    p.write("events/pago.avsc", record([ID, AMOUNT]));
    p.write("comms.yaml", `version: 1\nname: pagos\nsources:\n  web: { git: "file://${bare}" }\ncontracts:\n  pagos-api: { kind: avro, path: events/pago.avsc }\n`);
    freshCache();
    const r = p.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("web:reader.avsc: is a symbolic link in another repository; links there are not followed");
  });

  test("a file over the size limit is refused before it is read", () => {
    const { bare } = provider("oversized", { extra: (p) => p.write("events/pago.avsc", record([ID, AMOUNT, ...Array.from({ length: 200 }, (_, i) => `{"name": "f${i}", "type": "string", "default": "${"y".repeat(40)}"}`)])) });
    const c = consumer(`file://${bare}`);
    c.write("comms.yaml", `${c.read("comms.yaml")}limits: { max-file-bytes: 4000 }\n`);
    freshCache();
    const r = c.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("pagos:.comms/pagos-api/1.0.0/events/pago.avsc: is larger than the size limit of 4000 bytes");
  });

  test("a source calling itself by another name is a ConfigError at the sources key", () => {
    const { bare } = provider("renamed", { config: `version: 1\nname: payments\ncontracts:\n  pagos-api: { kind: avro, path: events/pago.avsc, version: 1.0.0 }\n` });
    const c = consumer(`file://${bare}`);
    freshCache();
    const r = c.comms("check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("comms.yaml:4:3: source 'pagos' calls itself 'payments' (name: in pagos:comms.yaml)");
  });

  test("a provider naming an unknown source, or a contract the source lacks, is exit 2 at the provider line", () => {
    const { bare } = provider("lacks");
    const c = consumer(`file://${bare}`);
    c.write("comms.yaml", c.read("comms.yaml").replace("provider: pagos/pagos-api", "provider: nope/pagos-api"));
    const unknown = c.comms("check");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("comms.yaml:6:");
    expect(unknown.stderr).toContain("contracts.reader.provider: no source named 'nope' under sources: (sources: pagos)");
    c.write("comms.yaml", c.read("comms.yaml").replace("provider: nope/pagos-api", "provider: pagos/constructor"));
    freshCache();
    const lacking = c.comms("check");
    expect(lacking.code).toBe(2);
    expect(lacking.stderr).toContain("contracts.reader.provider: source 'pagos' has no contract 'constructor' (its contracts: pagos-api)");
  });

  test("a provider without name: says that consumers elsewhere cannot name it, and fetches nothing", () => {
    const p = repo();
    p.write("events/pago.avsc", record([ID]));
    p.write("comms.yaml", `version: 1\nsources:\n  web: { git: "file://${join(tmp, "never-there.git")}" }\ncontracts:\n  pagos-api: { kind: avro, path: events/pago.avsc }\n`);
    const cache = freshCache();
    const r = p.json("check");
    expect(r.code).toBe(0);
    expect(r.out.results[0].notes).toContain("comms.yaml has no name:, so no consumer in other repositories (sources: web) can name this repository's contracts; set name: to the name they use for it");
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe.skipIf(!!missing)("a given released version of another repository", () => {
  test("loadSourceRelease loads the version asked for, verified, and names the versions there when it is missing", async () => {
    const { loadProject } = await import("../../src/cli/project.ts");
    const { loadSourceRelease } = await import("../../src/sources/contracts.ts");
    const { repo: p, bare } = provider("versions");
    p.write("events/pago.avsc", record([ID, AMOUNT, `{"name": "note", "type": "string", "default": ""}`]));
    p.write("comms.yaml", p.read("comms.yaml").replace("version: 1.0.0", "version: 1.1.0"));
    expect(p.comms("release", "pagos-api", "--version", "1.1.0").code).toBe(0);
    p.git("add", "-A");
    p.git("commit", "-qm", "1.1.0");
    publish(p.dir, base, "versions");
    const c = consumer(`file://${bare}`);
    freshCache();
    const project = loadProject({ cwd: c.dir }, true)!;
    const old = await loadSourceRelease(project, "pagos", "pagos-api", "1.0.0", { offline: false });
    expect([old.kind, old.source.reader.label, old.source.path]).toEqual(["avro", "pagos/pagos-api@1.0.0", "events/pago.avsc"]);
    expect(old.source.reader.read("events/pago.avsc")).toBe(record([ID, AMOUNT]));
    // A version never read is not in the cache: offline, that is an error; online it is fetched and kept.
    await expect(loadSourceRelease(project, "pagos", "pagos-api", "v1.1.0", { offline: true })).rejects.toThrow("1 file is not in the cache (--offline)");
    expect((await loadSourceRelease(project, "pagos", "pagos-api", "v1.1.0", { offline: false })).source.reader.label).toBe("pagos/pagos-api@1.1.0");
    const offline = await loadSourceRelease(project, "pagos", "pagos-api", "1.1.0", { offline: true });
    expect(offline.source.reader.read("events/pago.avsc")).toContain('"note"');
    await expect(loadSourceRelease(project, "pagos", "pagos-api", "3.0.0", { offline: true })).rejects.toThrow("source 'pagos' has no release pagos-api@3.0.0 (released: 1.1.0, 1.0.0)");
  });
});
