import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { indexEntryHistory, type IndexVersion } from "../../src/gate/index-history.ts";
import { changesBelow, readObjects } from "../../src/registry/git.ts";
import { historyVerdict, releasesFixture } from "../helpers/history-fixture.ts";
import { commitAll as commit, gitIn as git, INDEX, readIndex, writeIndex } from "../helpers/many-releases.ts";

// What the committed versions of index.json say is kept in the git directory, so a run reads only the
// versions committed since the last one. Each verdict below is the one a run without the cache gives.

const RELEASES = 40;
const fixture = releasesFixture(RELEASES);
const dirs = fixture.dirs;

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

const verdict = (dir: string, cache = true) => historyVerdict(dir, { cache });

const cacheFiles = (dir: string) => {
  const d = join(dir, ".git", "comms");
  return existsSync(d) ? readdirSync(d).filter((f) => f.startsWith("index-history-")).map((f) => join(d, f)) : [];
};

describe("the entries' history is carried on from the last run", () => {
  test("resuming from any version gives what reading them all gives, reading only the versions since", () => {
    const versions: IndexVersion[] = changesBelow(fixture.origin().dir, ".comms")
      .reverse()
      .flatMap((c) => c.changes.filter((ch) => ch.path === "index.json").map((ch) => ({ commit: c.commit, root: c.root, blob: ch.blob })));
    expect(versions.length).toBe(RELEASES);
    const read = (blobs: string[]) => readObjects(fixture.origin().dir, blobs, (x) => x, 1 << 30);
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
    const dir = fixture.clone();
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
    expect(m).toContain(`released in commit ${short(fixture.origin().commits[3]!)}`);
    expect(verdict(dir, false)).toBe(m);
    expect(verdict(dir)).toBe(m);
  }, 600_000);

  test("history rewritten under the kept one (a reset, a forged commit in its place): every version is read again", () => {
    const dir = fixture.clone();
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
    const dir = fixture.clone();
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
    const dir = fixture.clone();
    const elsewhere = mkdtempSync(join(tmpdir(), "comms-history-elsewhere-"));
    dirs.push(elsewhere);
    symlinkSync(elsewhere, join(dir, ".git", "comms"));
    expect(verdict(dir)).toBe("ok");
    expect(readdirSync(elsewhere)).toEqual([]);

    const shallow = fixture.clone("--depth", "5");
    expect(verdict(shallow)).toBe("ok");
    expect(existsSync(join(shallow, ".git", "comms"))).toBe(false);
  }, 600_000);

  test("work trees of one repository share it", () => {
    const dir = fixture.clone();
    const wt = join(dir, "..", "wt");
    git(dir, "worktree", "add", "-q", wt);
    expect(verdict(wt)).toBe("ok");
    // The work tree's own git directory holds none; the repository's common one does.
    expect(cacheFiles(dir).length).toBe(1);
    expect(readdirSync(join(dir, ".git", "worktrees", "wt")).includes("comms")).toBe(false);
  }, 600_000);
});
