import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIN } from "../helpers/cli.ts";

// Releases of different contracts and checks run side by side (two developers, a hook and a CI job):
// a release finishing while another command reads the registry must never look like an edited index.
// Each round starts two releases and two checks at once; every one must succeed and leave a whole index.

const ROUNDS = 24;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "comms-concurrent-"));
  writeFileSync(join(dir, "comms.yaml"), "version: 1\ncontracts:\n  a: { kind: graphql, path: a.graphql }\n  b: { kind: graphql, path: b.graphql }\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function schema(round: number): string {
  return `type Query {\n${Array.from({ length: round + 1 }, (_, i) => `  f${i}: Int\n`).join("")}}\n`;
}

async function comms(args: string[]): Promise<{ code: number; stderr: string; args: string }> {
  const p = Bun.spawn([process.execPath, MAIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdout: "ignore", stderr: "pipe" });
  const [code, stderr] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  return { code, stderr, args: args.join(" ") };
}

test(
  `${ROUNDS} rounds of two releases and two checks at once all succeed and leave a whole index`,
  async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      writeFileSync(join(dir, "a.graphql"), schema(round));
      writeFileSync(join(dir, "b.graphql"), schema(round));
      const version = `1.${round}.0`;
      const results = await Promise.all([
        comms(["release", "a", "--version", version]),
        comms(["check"]),
        comms(["release", "b", "--version", version]),
        comms(["check", "a"]),
      ]);
      for (const r of results) if (r.code !== 0) failures.push(`round ${round}: comms ${r.args} exited ${r.code}: ${r.stderr.trim()}`);
      const index = JSON.parse(readFileSync(join(dir, ".comms/index.json"), "utf8")) as { releases: Array<{ contract: string; version: string }> };
      const listed = index.releases.map((r) => `${r.contract}@${r.version}`).sort();
      const expected = Array.from({ length: round + 1 }, (_, i) => [`a@1.${i}.0`, `b@1.${i}.0`]).flat().sort();
      if (JSON.stringify(listed) !== JSON.stringify(expected)) failures.push(`round ${round}: the index lists ${listed.join(", ")}`);
      if (failures.length) break;
    }
    expect(failures).toEqual([]);
  },
  // A guard only: the rounds are counted, never timed.
  600_000,
);
