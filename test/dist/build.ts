import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { REPO } from "../helpers/cli.ts";
import { hostTarget } from "../../scripts/dist-targets.ts";

const built = new Map<string, string>();
const PREFIX = "comms-dist-test-";

/** Builds are large (a binary is over 100 MB): remove those of test runs that have ended. */
function removeStaleBuilds(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length).split("-")[0] : NaN);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}
process.on("exit", () => {
  for (const dir of built.values()) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `scripts/dist.ts` into a fresh directory (once per target list and test process) and returns it, so
 * the tests judge the packages of the source under test, never a stale dist/.
 */
export function buildDist(targets: "host" | "all", archives = false): string {
  const key = `${targets}:${archives}`;
  const cached = built.get(key);
  if (cached) return cached;
  removeStaleBuilds();
  const out = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const started = performance.now();
  const r = Bun.spawnSync([process.execPath, join(REPO, "scripts/dist.ts"), "--targets", targets, "--out", out, "--allow-missing", ...(archives ? [] : ["--no-archives"])], {
    cwd: REPO,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (r.exitCode !== 0) throw new Error(`scripts/dist.ts failed (exit ${r.exitCode}):\n${r.stderr.toString()}`);
  console.log(`dist (${targets}) built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // A platform whose Bun runtime could not be fetched is skipped by the build; say so here, in the test log.
  for (const line of r.stderr.toString().split("\n")) if (line.startsWith("NOT BUILT")) console.warn(line);
  built.set(key, out);
  return out;
}

/** The host's platform package directory in a dist build. */
export function hostPackage(out: string): string {
  const host = hostTarget();
  if (!host) throw new Error(`no platform package for ${process.platform}-${process.arch}`);
  return join(out, "npm", `comms-${host.id}`);
}

/** PATH without any directory that holds a `bun` (node_modules/.bin included): what a plain Node user has. */
export function pathWithoutBun(): string {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .filter((d) => d && !d.includes("node_modules") && !existsSync(join(d, "bun")) && !existsSync(join(d, "bun.exe")))
    .join(delimiter);
}

/** npm, when this machine has it. */
export const NPM = Bun.which("npm", { PATH: pathWithoutBun() }) ?? undefined;

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}
