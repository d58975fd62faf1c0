import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RegistryError } from "../../src/core/errors.ts";
import { verifyHistory } from "../../src/gate/history.ts";
import { indexEntryHistory, type IndexVersion } from "../../src/gate/index-history.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { changesBelow, readObjects } from "../../src/registry/git.ts";
import { manyReleases } from "../helpers/many-releases.ts";

// What the committed versions of index.json say is kept in the git directory, so a run reads only the
// versions committed since the last one. Each verdict below is the one a run without the cache gives.

const RELEASES = 40;
let origin: { dir: string; commits: string[] };
const dirs: string[] = [];
beforeAll(() => {
  origin = manyReleases(RELEASES);
  dirs.push(origin.dir);
}, 600_000);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const env = { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com" };
const git = (dir: string, ...args: string[]) => {
  const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
};

function clone(...args: string[]): string {
  const parent = mkdtempSync(join(tmpdir(), "comms-history-cache-"));
  dirs.push(parent);
  const dir = join(parent, "repo");
  git(tmpdir(), "clone", "-q", ...args, `file://${origin.dir}`, dir);
  return dir;
}

const INDEX = ".comms/index.json";
const readIndex = (dir: string) => JSON.parse(readFileSync(join(dir, INDEX), "utf8"));
const writeIndex = (dir: string, data: unknown) => writeFileSync(join(dir, INDEX), `${JSON.stringify(data, null, 2)}\n`);
const commit = (dir: string, message: string) => {
  git(dir, "commit", "-q", "-a", "-m", message);
  return git(dir, "rev-parse", "HEAD");
};
const short = (c: string) => c.slice(0, 12);

/** Release 4 (api0@1.1.0, three contracts taking turns), its date moved. */
function rewriteEntry(dir: string): void {
  const data = readIndex(dir);
  data.releases.find((r: any) => r.contract === "api0" && r.version === "1.1.0").date = "2020-01-01T00:00:00.000Z";
  writeIndex(dir, data);
}

/** A new release of api1 at the end of the index, as `comms release` would add it. */
function addRelease(dir: string, version: string): void {
  const data = readIndex(dir);
  data.releases.push({ ...data.releases.findLast((r: any) => r.contract === "api1"), version });
  writeIndex(dir, data);
}

function verdict(dir: string, cache = true): string {
  const file = join(dir, "comms.yaml");
  const project = parseConfig(readFileSync(file, "utf8"), "comms.yaml", file);
  try {
    verifyHistory(project, { cache });
    return "ok";
  } catch (e) {
    if (!(e instanceof RegistryError)) throw e;
    return e.message;
  }
}

const cacheFiles = (dir: string) => {
  const d = join(dir, ".git", "comms");
  return existsSync(d) ? readdirSync(d).filter((f) => f.startsWith("index-history-")).map((f) => join(d, f)) : [];
};

describe("the entries' history is carried on from the last run", () => {
  test("resuming from any version gives what reading them all gives, reading only the versions since", () => {
    const versions: IndexVersion[] = changesBelow(origin.dir, ".comms")
      .reverse()
      .flatMap((c) => c.changes.filter((ch) => ch.path === "index.json").map((ch) => ({ commit: c.commit, root: c.root, blob: ch.blob })));
    expect(versions.length).toBe(RELEASES);
    const read = (blobs: string[]) => readObjects(origin.dir, blobs, (x) => x, 1 << 30);
    const all = indexEntryHistory(versions, read);
    for (const done of [1, 17, RELEASES - 1, RELEASES]) {
      const earlier = indexEntryHistory(versions.slice(0, done), read);
      const asked: string[] = [];
      const resumed = indexEntryHistory(versions, (blobs) => (asked.push(...blobs), read(blobs)), { history: earlier, done });
      expect([...resumed.first]).toEqual([...all.first]);
      expect([...resumed.latest]).toEqual([...all.latest]);
      // The last version read before, for its layout, then each one since.
      expect(asked).toEqual(done === RELEASES ? [] : versions.slice(done - 1).map((v) => v.blob));
    }
  });

  test("a run keeps the history in the git directory; the next run's verdicts are unchanged", () => {
    const dir = clone();
    expect(cacheFiles(dir)).toEqual([]);
    expect(verdict(dir)).toBe("ok");
    const [file] = cacheFiles(dir);
    expect(JSON.parse(readFileSync(file!, "utf8")).done).toBe(RELEASES);
    expect(verdict(dir)).toBe("ok");

    // Releases added since: only they are read, and the kept history follows them.
    addRelease(dir, "9.0.0");
    commit(dir, "release api1@9.0.0");
    expect(verdict(dir)).toBe("ok");
    expect(JSON.parse(readFileSync(file!, "utf8")).done).toBe(RELEASES + 1);

    // An old entry rewritten after the kept history: refused as without it.
    rewriteEntry(dir);
    const forged = commit(dir, "tidy the index");
    const m = verdict(dir);
    expect(m).toContain(`the index entry of the released snapshot api0@1.1.0 was changed in commit ${short(forged)}`);
    expect(m).toContain(`released in commit ${short(origin.commits[3]!)}`);
    expect(verdict(dir, false)).toBe(m);
    expect(verdict(dir)).toBe(m);
  }, 600_000);

  test("history rewritten under the kept one (a reset, a forged commit in its place): every version is read again", () => {
    const dir = clone();
    expect(verdict(dir)).toBe("ok");
    git(dir, "reset", "-q", "--hard", "HEAD~2");
    rewriteEntry(dir);
    const forged = commit(dir, "forge");
    addRelease(dir, "9.0.0");
    commit(dir, "release");
    addRelease(dir, "9.1.0");
    commit(dir, "release");
    // As many versions as the kept history and more, but not the same ones.
    const m = verdict(dir);
    expect(m).toContain(`api0@1.1.0 was changed in commit ${short(forged)}`);
    expect(verdict(dir, false)).toBe(m);
  }, 600_000);

  test("a damaged or foreign cache file is ignored and written again", () => {
    const dir = clone();
    expect(verdict(dir)).toBe("ok");
    const [file] = cacheFiles(dir);
    const good = readFileSync(file!, "utf8");
    const kept = JSON.parse(good);
    const damaged = [
      "{not json",
      "[]",
      JSON.stringify({ ...kept, format: 2 }),
      JSON.stringify({ ...kept, done: RELEASES + 5 }),
      JSON.stringify({ ...kept, chain: "0".repeat(64) }),
      JSON.stringify({ ...kept, first: [["__proto__", "x", false, 1]] }),
      JSON.stringify({ ...kept, latest: kept.latest.slice(1) }),
    ];
    for (const text of damaged) {
      writeFileSync(file!, text);
      rewriteEntry(dir);
      expect(verdict(dir)).toContain("api0@1.1.0 was changed in the working tree");
      git(dir, "checkout", "-q", "--", INDEX);
      expect(verdict(dir)).toBe("ok");
      expect(readFileSync(file!, "utf8")).toBe(good);
    }
  }, 600_000);

  test("nothing is kept through a link in the git directory, or for a shallow clone", () => {
    const dir = clone();
    const elsewhere = mkdtempSync(join(tmpdir(), "comms-history-elsewhere-"));
    dirs.push(elsewhere);
    symlinkSync(elsewhere, join(dir, ".git", "comms"));
    expect(verdict(dir)).toBe("ok");
    expect(readdirSync(elsewhere)).toEqual([]);

    const shallow = clone("--depth", "5");
    expect(verdict(shallow)).toBe("ok");
    expect(existsSync(join(shallow, ".git", "comms"))).toBe(false);
  }, 600_000);

  test("work trees of one repository share it", () => {
    const dir = clone();
    const wt = join(dir, "..", "wt");
    git(dir, "worktree", "add", "-q", wt);
    expect(verdict(wt)).toBe("ok");
    // The work tree's own git directory holds none; the repository's common one does.
    expect(cacheFiles(dir).length).toBe(1);
    expect(readdirSync(join(dir, ".git", "worktrees", "wt")).includes("comms")).toBe(false);
  }, 600_000);
});
