import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { historyVerdict, releasesFixture } from "../helpers/history-fixture.ts";
import { commitAll as commit, gitIn as git, INDEX, readIndex, writeIndex } from "../helpers/many-releases.ts";

// Released history with 300 releases, one commit each, entries landing inside the index (three
// contracts take turns): every rewrite of an entry is refused wherever it happens, and an untouched
// history passes. The index's versions are compared one with the next, so these also cover entries
// read from the changed part of a version and from a version read whole.

const RELEASES = 300;
const fixture = releasesFixture(RELEASES);

/** Release number 10 (api0@1.3.0 with three contracts taking turns), its date moved. */
function rewriteEntry(dir: string, indent?: number): void {
  const data = readIndex(dir);
  const e = data.releases.find((r: any) => r.contract === "api0" && r.version === "1.3.0");
  e.date = "2020-01-01T00:00:00.000Z";
  writeIndex(dir, data, indent);
}

const verdict = (dir: string, fromIndex = false) => historyVerdict(dir, { fromIndex });

const short = (c: string) => c.slice(0, 12);
/** Release 10 was the tenth commit. */
const released = () => `released in commit ${short(fixture.origin().commits[9]!)}`;

describe(`released history of ${RELEASES} releases`, () => {
  test("untouched: passes", () => {
    expect(verdict(fixture.origin().dir)).toBe("ok");
  }, 600_000);

  test("an old entry rewritten in a later commit: refused, naming that commit and the release", () => {
    const dir = fixture.clone();
    rewriteEntry(dir);
    const forged = commit(dir, "tidy the index");
    const m = verdict(dir);
    expect(m).toContain(".comms/index.json: the index entry of the released snapshot api0@1.3.0 was changed in commit " + short(forged));
    expect(m).toContain(released());
  }, 600_000);

  test("rewritten in the working tree, or staged in the git index only: refused, naming where", () => {
    const dir = fixture.clone();
    const before = readFileSync(join(dir, INDEX), "utf8");
    rewriteEntry(dir);
    expect(verdict(dir)).toContain("api0@1.3.0 was changed in the working tree");
    expect(verdict(dir)).toContain(released());
    git(dir, "add", INDEX);
    writeFileSync(join(dir, INDEX), before);
    // The working tree is as committed; what will be committed is not.
    expect(verdict(dir)).toBe("ok");
    const staged = verdict(dir, true);
    expect(staged).toContain("api0@1.3.0 was changed in the git index");
    expect(staged).toContain(released());
  }, 600_000);

  test("rewritten in a commit that also reformats the whole index: refused (the version is read whole)", () => {
    const dir = fixture.clone();
    rewriteEntry(dir, 0);
    const forged = commit(dir, "compact the index");
    // Back to comms' layout with the rewrite kept, in a later commit.
    writeIndex(dir, readIndex(dir));
    commit(dir, "format the index");
    const m = verdict(dir);
    expect(m).toContain(`api0@1.3.0 was changed in commit ${short(forged)}`);
    expect(m).toContain(released());
  }, 600_000);

  test("an entry rewritten and restored in a later commit, and descriptive fields filled in: passes", () => {
    const dir = fixture.clone();
    const before = readFileSync(join(dir, INDEX), "utf8");
    rewriteEntry(dir);
    commit(dir, "forge");
    writeFileSync(join(dir, INDEX), before);
    commit(dir, "restore");
    const data = readIndex(dir);
    data.releases[5].subject = "a subject filled in later";
    writeIndex(dir, data);
    commit(dir, "describe");
    expect(verdict(dir)).toBe("ok");
  }, 600_000);

  test("a release added in the middle of the index keeps the others verified", () => {
    const dir = fixture.clone();
    const data = readIndex(dir);
    // A new release of api1 lands among api1's entries, and an entry of api2 after it is rewritten.
    const i = data.releases.findIndex((r: any) => r.contract === "api2");
    data.releases.splice(i, 0, { ...data.releases[i - 1], version: "9.0.0" });
    data.releases[i + 3].path = "elsewhere.graphql";
    writeIndex(dir, data);
    const forged = commit(dir, "release and rewrite");
    const m = verdict(dir);
    expect(m).toContain(`the index entry of the released snapshot api2@1.2.0 was changed in commit ${short(forged)}`);
    expect(m).toContain(`released in commit ${short(fixture.origin().commits[8]!)}`);
  }, 600_000);
});
