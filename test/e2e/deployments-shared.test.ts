import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN, runCli, type CliResult } from "../helpers/cli.ts";
import { serversMissing, startDaemon, startHttpProcess, type GitServer } from "../helpers/git-servers.ts";
import { TempRepo } from "./gate-helpers.ts";

// Deployment records shared by several repositories through one git repository: pushed without a work
// tree, read after a fetch, refused when the shared history was rewritten.
setDefaultTimeout(300_000);
const base = mkdtempSync(join(tmpdir(), "comms-shared-deploy-"));
const made: TempRepo[] = [];
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  for (const r of made) rmSync(r.dir, { recursive: true, force: true });
});

const SCRUB = { GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, GIT_PREFIX: undefined };
const gitIn = (dir: string, ...args: string[]): CliResult => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...SCRUB })) if (v !== undefined) env[k] = v;
  const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};
const ok = (r: CliResult) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};
let n = 0;
/** A bare repository for the shared records. */
function bareRemote(dir = base): string {
  const path = join(dir, `shared-${++n}.git`);
  ok(gitIn(base, "init", "-q", "--bare", "-b", "main", path));
  return path;
}
const EVENT = `{"type": "record", "name": "E", "fields": [{"name": "id", "type": "string"}]}`;

/** A repository named `name` with an Avro provider `events` and its consumer `billing`, released at 1.0.0. */
function project(name: string, deployments: string, extra: string[] = []): { repo: TempRepo; cache: string; comms: (...args: string[]) => CliResult } {
  const repo = new TempRepo();
  made.push(repo);
  const cache = join(base, `cache-${++n}`);
  repo.write(
    "comms.yaml",
    [
      "version: 1",
      `name: ${name}`,
      `deployments: ${deployments}`,
      "contracts:",
      "  events: { kind: avro, path: events.avsc, version: 1.0.0 }",
      "  billing: { kind: avro, path: billing.avsc, provider: events, version: 1.0.0 }",
      ...extra,
      "",
    ].join("\n"),
  );
  repo.write("events.avsc", EVENT);
  repo.write("billing.avsc", EVENT);
  const comms = (...args: string[]) => runCli(args, { cwd: repo.dir, env: { ...SCRUB, COMMS_CACHE_DIR: cache, COMMS_OFFLINE: undefined } });
  ok(comms("release", "events", "--version", "1.0.0"));
  ok(comms("release", "billing", "--version", "1.0.0"));
  return { repo, cache, comms };
}
const recordsIn = (remote: string, file: string) =>
  ok(gitIn(base, "--git-dir", remote, "show", `main:${file}`))
    .stdout.trim()
    .split("\n")
    .map((l) => JSON.parse(l));
const commitCount = (remote: string, ...opts: string[]) => Number(ok(gitIn(base, "--git-dir", remote, "rev-list", "--count", ...opts, "main")).stdout.trim());

describe("shared deployment records over file:// and a local path", () => {
  test("two repositories record into one file; can-i-deploy reads the shared records", () => {
    const remote = bareRemote();
    const orders = project("orders", `{ git: "file://${remote}", ref: main, path: records }`);
    const pagos = project("pagos", `{ git: "file://${remote}", ref: main, path: records }`);
    // Before anything is recorded, the consumer is not deployed.
    const before = orders.comms("can-i-deploy", "events@1.0.0", "--env", "prod", "--format", "json");
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).pairs.map((p: any) => [p.consumer.contract, p.status])).toEqual([["billing", "not deployed"]]);
    const first = ok(orders.comms("deploy", "billing@1.0.0", "--env", "prod"));
    expect(first.stdout).toMatch(/^recorded: orders\/billing@1\.0\.0 deployed to prod by Dev at .* \(record #1, pushed to file:\/\/.* main as [0-9a-f]{12}\)\n$/);
    ok(pagos.comms("deploy", "events@1.0.0", "--env", "prod"));
    ok(orders.comms("deploy", "events@1.0.0", "--env", "staging"));
    expect(recordsIn(remote, "records/prod.jsonl").map((r) => [r.seq, r.contract, r.version, r.env, r.by])).toEqual([
      [1, "orders/billing", "1.0.0", "prod", "Dev"],
      [2, "pagos/events", "1.0.0", "prod", "Dev"],
    ]);
    expect(recordsIn(remote, "records/staging.jsonl").map((r) => [r.seq, r.contract])).toEqual([[1, "orders/events"]]);
    // One commit per record, no merge, and nothing written into the projects.
    expect(commitCount(remote)).toBe(3);
    expect(commitCount(remote, "--merges")).toBe(0);
    expect(existsSync(join(orders.repo.dir, ".comms/_deployments"))).toBe(false);
    const yes = orders.comms("can-i-deploy", "events@1.0.0", "--env", "prod", "--format", "json");
    expect(yes.code).toBe(0);
    // pagos/events is another repository's contract: orders' own events is still not deployed to prod.
    expect(JSON.parse(yes.stdout).pairs).toEqual([{ consumer: { contract: "billing", version: "1.0.0" }, provider: { contract: "events", version: "1.0.0" }, status: "compatible", deploying: "provider", findings: [] }]);
    const consumer = pagos.comms("can-i-deploy", "billing@1.0.0", "--env", "prod", "--format", "json");
    expect(JSON.parse(consumer.stdout).pairs.map((p: any) => [p.provider.contract, p.provider.version, p.status])).toEqual([["events", "1.0.0", "compatible"]]);
    const staging = orders.comms("can-i-deploy", "billing@1.0.0", "--env", "staging", "--format", "json");
    expect(JSON.parse(staging.stdout).pairs.map((p: any) => [p.provider.contract, p.status])).toEqual([["events", "compatible"]]);
  });

  test("a local path (relative to comms.yaml) works the same; the top level when no path is given", () => {
    // The project lives in tmpdir(): its sibling is the shared repository, named relative to comms.yaml.
    const sibling = `comms-shared-${process.pid}-${++n}.git`;
    const shared = join(tmpdir(), sibling);
    ok(gitIn(base, "init", "-q", "--bare", "-b", "main", shared));
    try {
      const p = project("orders", `{ git: ../${sibling} }`);
      ok(p.comms("deploy", "events@1.0.0", "--env", "prod"));
      ok(p.comms("deploy", "billing@1.0.0", "--env", "prod", "--format", "json"));
      expect(recordsIn(shared, "prod.jsonl").map((r) => [r.seq, r.contract])).toEqual([
        [1, "orders/events"],
        [2, "orders/billing"],
      ]);
      expect(p.comms("can-i-deploy", "events@1.0.0", "--env", "prod").stdout).toMatch(/billing@1\.0\.0\s+events@1\.0\.0\s+ok/);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });

  test("--offline reads the cache as it is, with a note; never fetched is exit 2; deploy refuses --offline", () => {
    const remote = bareRemote();
    const p = project("orders", `{ git: "${remote}" }`);
    const never = p.comms("can-i-deploy", "events@1.0.0", "--env", "prod", "--offline");
    expect(never.code).toBe(2);
    expect(never.stderr).toContain("were never fetched into");
    ok(p.comms("deploy", "billing@1.0.0", "--env", "prod"));
    // The remote goes away: online is exit 2 naming it, offline answers from the cache.
    renameSync(remote, `${remote}.gone`);
    const gone = p.comms("can-i-deploy", "events@1.0.0", "--env", "prod");
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`cannot fetch the shared deployment records from ${remote} (main)`);
    const deployGone = p.comms("deploy", "events@1.0.0", "--env", "prod");
    expect(deployGone.code).toBe(2);
    expect(deployGone.stderr).toContain("cannot fetch the shared deployment records");
    for (const offline of [["--offline"], []]) {
      const r = runCli(["can-i-deploy", "events@1.0.0", "--env", "prod", ...offline], { cwd: p.repo.dir, env: { ...SCRUB, COMMS_CACHE_DIR: p.cache, COMMS_OFFLINE: offline.length ? undefined : "1" } });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/billing@1\.0\.0\s+events@1\.0\.0\s+ok/);
      expect(r.stderr).toMatch(/comms: --offline: deployment records read from the cache of .* \(main\) as fetched \d{4}-.*; they may be stale/);
    }
    const d = p.comms("deploy", "events@1.0.0", "--env", "prod", "--offline");
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("cannot run --offline");
  });

  test("a damaged cache is rebuilt", () => {
    const remote = bareRemote();
    const p = project("orders", `{ git: "${remote}" }`);
    ok(p.comms("deploy", "events@1.0.0", "--env", "prod"));
    const [cache] = readdirSync(join(p.cache, "deployments"));
    const dir = join(p.cache, "deployments", cache!);
    writeFileSync(join(dir, "HEAD"), "garbage\n");
    rmSync(join(dir, "objects"), { recursive: true, force: true });
    ok(p.comms("deploy", "billing@1.0.0", "--env", "prod"));
    expect(recordsIn(remote, "prod.jsonl").map((r) => r.seq)).toEqual([1, 2]);
    // A cache path that is a file, not a repository.
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, "not a repository");
    expect(p.comms("can-i-deploy", "events@1.0.0", "--env", "prod").stdout).toMatch(/billing@1\.0\.0\s+events@1\.0\.0\s+ok/);
    expect(readdirSync(join(p.cache, "deployments"))).toEqual([cache!]);
    // A damaged cache does not forget the tip it saw: a history rewritten meanwhile is still refused.
    const clone = mkdtempSync(join(base, "clone-"));
    ok(gitIn(base, "clone", "-q", remote, clone));
    for (const [k, v] of [["user.name", "Mallory"], ["user.email", "m@example.com"], ["commit.gpgsign", "false"], ["core.hooksPath", "/dev/null"]]) ok(gitIn(clone, "config", k!, v!));
    ok(gitIn(clone, "commit", "-q", "--amend", "-m", "rewritten"));
    ok(gitIn(clone, "push", "-q", "--force", "origin", "HEAD:main"));
    writeFileSync(join(dir, "HEAD"), "garbage\n");
    const r = p.comms("can-i-deploy", "events@1.0.0", "--env", "prod");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/main was rewritten \(force-pushed\): [0-9a-f]{12} does not contain [0-9a-f]{12}, seen before the cache was rebuilt/);
    expect(p.comms("can-i-deploy", "events@1.0.0", "--env", "prod").code).toBe(2);
  });
});

describe("a rewritten shared history is exit 2, naming the record", () => {
  /** A clone with a work tree, where the history is rewritten and force-pushed, as someone with push rights could. */
  function rewrite(remote: string, edit: (clone: string) => void): void {
    const clone = mkdtempSync(join(base, "clone-"));
    ok(gitIn(base, "clone", "-q", remote, clone));
    for (const [k, v] of [["user.name", "Mallory"], ["user.email", "m@example.com"], ["commit.gpgsign", "false"], ["core.hooksPath", "/dev/null"]]) ok(gitIn(clone, "config", k!, v!));
    edit(clone);
    ok(gitIn(clone, "push", "-q", "--force", "origin", "HEAD:main"));
  }
  const file = (clone: string) => join(clone, "prod.jsonl");
  const lines = (clone: string) => Bun.spawnSync(["cat", file(clone)]).stdout.toString().trim().split("\n");

  const cases: Array<{ name: string; edit: (clone: string) => void; seen: RegExp; fresh?: RegExp }> = [
    {
      name: "a line edited in a new commit",
      edit: (c) => {
        const l = lines(c);
        writeFileSync(file(c), `${[l[0], l[1]!.replace('"version":"1.0.0"', '"version":"2.0.0"'), l[2]].join("\n")}\n`);
        ok(gitIn(c, "commit", "-qam", "fix"));
      },
      seen: /prod\.jsonl:2:1: deployment record #2 \(orders\/billing@1\.0\.0 recorded .*\) was rewritten or removed in the shared history of .* \(seen at [0-9a-f]{12}, now [0-9a-f]{12}\)/,
      fresh: /prod\.jsonl:2:1: deployment record #2 is damaged or was rewritten \(its content no longer matches its hash\)/,
    },
    {
      name: "the last record dropped by a force-push",
      edit: (c) => ok(gitIn(c, "reset", "-q", "--hard", "HEAD~1")),
      seen: /prod\.jsonl:3:1: deployment record #3 \(orders\/events@1\.0\.0 recorded .*\) was rewritten or removed/,
    },
    {
      name: "the same records in rewritten commits",
      edit: (c) => ok(gitIn(c, "commit", "-q", "--amend", "-m", "rewritten")),
      seen: /\(main\): main was rewritten \(force-pushed\): [0-9a-f]{12} does not contain [0-9a-f]{12}, seen before/,
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      const remote = bareRemote();
      const p = project("orders", `{ git: "${remote}" }`);
      ok(p.comms("deploy", "events@1.0.0", "--env", "prod"));
      ok(p.comms("deploy", "billing@1.0.0", "--env", "prod"));
      ok(p.comms("deploy", "events@1.0.0", "--env", "prod"));
      rewrite(remote, c.edit);
      for (const args of [["can-i-deploy", "events@1.0.0", "--env", "prod"], ["deploy", "billing@1.0.0", "--env", "prod"]]) {
        const r = p.comms(...args);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(c.seen);
      }
      // Still refused on the next run: the cache remembers the tip seen before the rewrite.
      expect(p.comms("can-i-deploy", "events@1.0.0", "--env", "prod").code).toBe(2);
      if (c.fresh) {
        const fresh = runCli(["can-i-deploy", "events@1.0.0", "--env", "prod"], { cwd: p.repo.dir, env: { ...SCRUB, COMMS_CACHE_DIR: join(base, `fresh-${++n}`) } });
        expect(fresh.code).toBe(2);
        expect(fresh.stderr).toMatch(c.fresh);
      }
    });
});

describe("what the shared repository holds is bounded", () => {
  /** A shared repository whose prod.jsonl is written by hand, pushed from a clone. */
  function served(write: (clone: string) => void): string {
    const remote = bareRemote();
    const clone = mkdtempSync(join(base, "clone-"));
    ok(gitIn(base, "init", "-q", "-b", "main", clone));
    for (const [k, v] of [["user.name", "Mallory"], ["user.email", "m@example.com"], ["commit.gpgsign", "false"], ["core.hooksPath", "/dev/null"]]) ok(gitIn(clone, "config", k!, v!));
    write(clone);
    ok(gitIn(clone, "add", "-A"));
    ok(gitIn(clone, "commit", "-qm", "records"));
    ok(gitIn(clone, "push", "-q", remote, "HEAD:main"));
    return remote;
  }
  const cases: Array<{ name: string; write: (clone: string) => void; extra?: string[]; message: string }> = [
    { name: "a symlink instead of the records file", write: (c) => symlinkSync("/etc/passwd", join(c, "prod.jsonl")), message: "prod.jsonl:1:1: not a plain file in the shared deployment records" },
    { name: "a records file over limits.max-file-bytes", write: (c) => writeFileSync(join(c, "prod.jsonl"), "x".repeat(5000)), extra: ["limits: { max-file-bytes: 4096 }"], message: "prod.jsonl:1:1: larger than 4096 bytes" },
    { name: "a records file that is not JSON lines", write: (c) => writeFileSync(join(c, "prod.jsonl"), "{}\n"), message: "prod.jsonl:1:1: deployment record #1 is damaged or was rewritten (expected record number 1)" },
  ];
  for (const c of cases)
    test(c.name, () => {
      const remote = served(c.write);
      const repo = new TempRepo();
      made.push(repo);
      const cache = join(base, `cache-${++n}`);
      repo.write("comms.yaml", ["version: 1", "name: orders", `deployments: { git: "${remote}" }`, ...(c.extra ?? []), "contracts:", "  events: { kind: avro, path: events.avsc, version: 1.0.0 }", ""].join("\n"));
      repo.write("events.avsc", EVENT);
      ok(repo.comms("release", "events", "--version", "1.0.0"));
      for (const args of [["can-i-deploy", "events@1.0.0", "--env", "prod"], ["deploy", "events@1.0.0", "--env", "prod"]]) {
        const r = runCli(args, { cwd: repo.dir, env: { ...SCRUB, COMMS_CACHE_DIR: cache } });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(c.message);
      }
      expect(commitCount(remote)).toBe(1);
    });
});

describe("comms.yaml's deployments: is checked before git runs", () => {
  const marker = join(base, "pwned");
  const cases: Array<{ name: string; deployments: string; message: string; at: string }> = [
    { name: "option injection as the URL", deployments: `{ git: "-oProxyCommand=touch ${marker}" }`, message: "a git URL cannot start with '-'", at: "comms.yaml:3:" },
    { name: "upload-pack option as the URL", deployments: `{ git: "--upload-pack=touch ${marker}" }`, message: "a git URL cannot start with '-'", at: "comms.yaml:3:" },
    { name: "ext:: transport", deployments: `{ git: "ext::sh -c touch% ${marker}" }`, message: "transport helpers", at: "comms.yaml:3:" },
    { name: "ssh host as an option", deployments: `{ git: "ssh://-oProxyCommand=touch%20${marker}/x" }`, message: "cannot start with '-'", at: "comms.yaml:3:" },
    { name: "ref as an option", deployments: `{ git: "${base}/none.git", ref: "--upload-pack=touch ${marker}" }`, message: "a ref cannot start with '-'", at: "comms.yaml:3:" },
    { name: "ref as a revision expression", deployments: `{ git: "${base}/none.git", ref: "main..other" }`, message: "not a valid git ref name", at: "comms.yaml:3:" },
    { name: "path out of the repository", deployments: `{ git: "${base}/none.git", path: ../up }`, message: "deployments.path: '../up'", at: "comms.yaml:3:" },
  ];
  for (const c of cases)
    test(c.name, () => {
      const p = project("orders", c.deployments);
      for (const args of [["deploy", "events@1.0.0", "--env", "prod"], ["can-i-deploy", "events@1.0.0", "--env", "prod"]]) {
        const r = p.comms(...args);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(c.message);
        expect(r.stderr).toContain(c.at);
      }
      expect(existsSync(marker)).toBe(false);
      expect(existsSync(p.cache)).toBe(false);
    });

  test("deployments: without name: is refused at the key", () => {
    const repo = new TempRepo();
    made.push(repo);
    repo.write("comms.yaml", `version: 1\ncontracts:\n  events: { kind: avro, path: events.avsc, version: 1.0.0 }\ndeployments: { git: "${base}/none.git" }\n`);
    repo.write("events.avsc", EVENT);
    ok(repo.comms("release", "events", "--version", "1.0.0"));
    const r = repo.comms("deploy", "events@1.0.0", "--env", "prod");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("comms.yaml:4:1: deployments: shared deployment records name contracts '<name>/<contract>': set 'name:'");
  });
});

describe("pushes through git servers on 127.0.0.1", () => {
  const servers: Array<{ name: string; start: (root: string) => Promise<GitServer> }> = [
    { name: "git daemon (receive-pack enabled)", start: (root) => startDaemon(root, { push: true }) },
    { name: "smart HTTP (git http-backend)", start: (root) => startHttpProcess(root, { push: true }) },
  ];
  const missing = serversMissing();
  for (const s of servers) {
    if (missing) {
      test.skip(`${s.name}: ${missing}`, () => {});
      continue;
    }
    test(`${s.name}: deploy, read, and --offline once the server stops`, async () => {
      const root = mkdtempSync(join(base, "served-"));
      const remote = bareRemote(root);
      const server = await s.start(root);
      const url = server.url(remote.slice(root.length + 1));
      const p = project("orders", `{ git: "${url}", ref: main, path: deployments }`);
      try {
        ok(p.comms("deploy", "billing@1.0.0", "--env", "prod"));
        ok(p.comms("deploy", "events@1.0.0", "--env", "prod"));
        expect(recordsIn(remote, "deployments/prod.jsonl").map((r) => [r.seq, r.contract])).toEqual([
          [1, "orders/billing"],
          [2, "orders/events"],
        ]);
        expect(p.comms("can-i-deploy", "events@1.0.0", "--env", "prod").stdout).toMatch(/billing@1\.0\.0\s+events@1\.0\.0\s+ok/);
      } finally {
        await server.stop();
      }
      const gone = p.comms("can-i-deploy", "events@1.0.0", "--env", "prod");
      expect(gone.code).toBe(2);
      expect(gone.stderr).toContain(`cannot fetch the shared deployment records from ${url} (main)`);
      const offline = p.comms("can-i-deploy", "events@1.0.0", "--env", "prod", "--offline");
      expect(offline.code).toBe(0);
      expect(offline.stderr).toContain("they may be stale");
    });
  }
});

describe("deployments pushed at the same time", () => {
  test("20 processes deploying 20 contracts at once: 20 records, one linear history, a verified chain", async () => {
    const remote = bareRemote();
    const names = Array.from({ length: 20 }, (_, i) => `svc${String(i + 1).padStart(2, "0")}`);
    const p = project(
      "orders",
      `{ git: "file://${remote}", ref: main }`,
      names.map((c) => `  ${c}: { kind: avro, path: events.avsc, version: 1.0.0 }`),
    );
    for (const c of names) ok(p.comms("release", c, "--version", "1.0.0"));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...SCRUB, NO_COLOR: "1" })) if (v !== undefined) env[k] = v;
    // Half share one cache (one machine), half have their own (separate pipelines).
    const runs = names.map((c, i) =>
      Bun.spawn([process.execPath, MAIN, "deploy", `${c}@1.0.0`, "--env", "prod"], {
        cwd: p.repo.dir,
        env: { ...env, COMMS_CACHE_DIR: i % 2 ? join(base, `own-cache-${i}`) : p.cache },
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    const codes = await Promise.all(runs.map((r) => r.exited));
    const errors = await Promise.all(runs.map((r) => new Response(r.stderr).text()));
    // The only thing said on stderr: which attempt pushed, when others landed first.
    const retried = errors.map((e) => /pushed on attempt (\d+)/.exec(e)?.[1]).filter((a) => a !== undefined).map(Number);
    expect(errors.filter((e) => e.trim() && !/^comms: pushed on attempt \d+: other deployments landed first/.test(e))).toEqual([]);
    expect(codes).toEqual(names.map(() => 0));
    const records = recordsIn(remote, "prod.jsonl");
    expect(records.map((r) => r.seq)).toEqual(names.map((_, i) => i + 1));
    expect(records.map((r) => r.contract).sort()).toEqual(names.map((c) => `orders/${c}`));
    expect(commitCount(remote, "--first-parent")).toBe(20);
    expect(commitCount(remote)).toBe(20);
    expect(commitCount(remote, "--merges")).toBe(0);
    // Every reader verifies the chain: a fresh cache fetches and accepts all 20.
    const fresh = runCli(["can-i-deploy", "svc07@1.0.0", "--env", "prod", "--format", "json"], { cwd: p.repo.dir, env: { ...SCRUB, COMMS_CACHE_DIR: join(base, `fresh-${++n}`) } });
    expect(fresh.code).toBe(0);
    console.log(`20 concurrent deploys: ${records.length} records, ${commitCount(remote)} commits, ${commitCount(remote, "--merges")} merges; ${retried.length} retried, most attempts ${Math.max(1, ...retried)}`);
  });
});
