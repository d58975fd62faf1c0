import { afterAll, beforeAll } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { RegistryError } from "../../src/core/errors.ts";
import { type HistoryOptions, verifyHistory } from "../../src/gate/history.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { cloneOf, manyReleases } from "./many-releases.ts";

/**
 * A repository of `count` releases made once for the file, with clones of it to change; every
 * directory is removed after the file's tests.
 */
export function releasesFixture(count: number): { origin: () => { dir: string; commits: string[] }; clone: (...args: string[]) => string; dirs: string[] } {
  let origin: { dir: string; commits: string[] } | undefined;
  const dirs: string[] = [];
  beforeAll(() => {
    origin = manyReleases(count);
    dirs.push(origin.dir);
  }, 600_000);
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const get = () => {
    if (!origin) throw new Error("the repository is made before the tests");
    return origin;
  };
  return { origin: get, clone: (...args) => cloneOf(get().dir, dirs, ...args), dirs };
}

/** The history check of the project in `dir`: "ok", or the message it refuses with. */
export function historyVerdict(dir: string, opts: HistoryOptions = {}): string {
  const file = join(dir, "comms.yaml");
  const project = parseConfig(readFileSync(file, "utf8"), "comms.yaml", file);
  try {
    verifyHistory(project, opts);
    return "ok";
  } catch (e) {
    if (!(e instanceof RegistryError)) throw e;
    return e.message;
  }
}
