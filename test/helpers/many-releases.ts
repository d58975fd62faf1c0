import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileHash, snapshotHash } from "../../src/registry/hash.ts";
import type { VersionEntry } from "../../src/registry/store.ts";
import { serializeIndex } from "../../src/registry/write.ts";

/**
 * A repository with `count` releases, one commit each, as `comms release` leaves them (a snapshot file and
 * its index entry, the index in comms' own order), written in one `git fast-import` stream so that
 * hundreds of releases take seconds. Contracts take turns, so new entries land inside the index, not
 * only at its end. The work tree is checked out at the last commit.
 */
export function manyReleases(count: number, contracts = 3): { dir: string; commits: string[]; entries: VersionEntry[] } {
  const dir = mkdtempSync(join(tmpdir(), "comms-history-"));
  const env = { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined };
  const git = (args: string[], input?: string) => {
    const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdin: input === undefined ? "ignore" : Buffer.from(input), stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`git ${args[0]}: ${r.stderr.toString()}`);
    return r.stdout.toString();
  };
  git(["init", "-q", "-b", "main"]);
  const names = Array.from({ length: contracts }, (_, i) => `api${i}`);
  const config = `contracts:\n${names.map((n) => `  ${n}: { kind: graphql, path: ${n}.graphql }\n`).join("")}`;
  const chunks: string[] = [];
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const entries: VersionEntry[] = [];
  const schemas: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const contract = names[i % contracts]!;
    const version = `1.${Math.floor(i / contracts)}.0`;
    const schema = `type Query {\n  v${i}: String\n}\n`;
    schemas[contract] = schema;
    const file = `${contract}.graphql`;
    entries.push({ contract, kind: "graphql", version, date: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), hash: snapshotHash({ [file]: schema }), path: file, files: [file], fileHashes: { [file]: fileHash(schema) } });
    chunks.push(
      `commit refs/heads/main\nmark :${i + 1}\ncommitter Dev <dev@example.com> ${1767225600 + i} +0000\n${data(`release ${contract}@${version}`)}`,
      i ? `from :${i}\n` : "",
      i ? "" : `M 100644 inline comms.yaml\n${data(config)}`,
      `M 100644 inline ${file}\n${data(schema)}`,
      `M 100644 inline .comms/${contract}/${version}/${file}\n${data(schema)}`,
      `M 100644 inline .comms/index.json\n${data(serializeIndex({ version: 1, releases: entries }))}\n`,
    );
  }
  git(["fast-import", "--quiet", "--done"], `${chunks.join("")}done\n`);
  git(["checkout", "-q", "-f", "main"]);
  const commits = git(["rev-list", "--reverse", "main"]).trim().split("\n");
  // The work tree keeps each contract's latest schema (what the last release of each recorded).
  for (const [c, s] of Object.entries(schemas)) writeFileSync(join(dir, `${c}.graphql`), s);
  return { dir, commits, entries };
}

const authored = { GIT_AUTHOR_NAME: "Dev", GIT_AUTHOR_EMAIL: "dev@example.com", GIT_COMMITTER_NAME: "Dev", GIT_COMMITTER_EMAIL: "dev@example.com" };

/** Runs git in `dir` with a fixed author; its output, trimmed. */
export function gitIn(dir: string, ...args: string[]): string {
  const env = { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, ...authored };
  const r = Bun.spawnSync(["git", ...args], { cwd: dir, env, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

/** A clone of `origin` in a new temporary directory (listed in `dirs` for removal), with git's `args`. */
export function cloneOf(origin: string, dirs: string[], ...args: string[]): string {
  const parent = mkdtempSync(join(tmpdir(), "comms-history-clone-"));
  dirs.push(parent);
  const dir = join(parent, "repo");
  // A local path is cloned by linking its objects; options such as --depth need a transport.
  gitIn(tmpdir(), "clone", "-q", ...args, args.length ? `file://${origin}` : origin, dir);
  return dir;
}

export const INDEX = ".comms/index.json";
export const readIndex = (dir: string) => JSON.parse(readFileSync(join(dir, INDEX), "utf8"));
export const writeIndex = (dir: string, data: unknown, indent: number | undefined = 2) => writeFileSync(join(dir, INDEX), `${JSON.stringify(data, null, indent)}\n`);

/** Commits every change of the work tree; the new commit. */
export function commitAll(dir: string, message: string): string {
  gitIn(dir, "commit", "-q", "-a", "-m", message);
  return gitIn(dir, "rev-parse", "HEAD");
}
