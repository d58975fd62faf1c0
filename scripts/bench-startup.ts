/**
 * Startup time of the compiled binary: `comms --version` and `comms --help`, wall time per run
 * including process spawn, median and 90th percentile over many runs.
 * Usage: bun scripts/bench-startup.ts [binary] [runs]
 *        bun scripts/bench-startup.ts --node [runs]       the npm package's Node build (dist/npm/comms, from npm run dist)
 *        bun scripts/bench-startup.ts --installed [runs]  the npm packages of dist/npm installed into a fresh project,
 *                                                         side by side with the raw binary (see installedRows below)
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostTarget } from "./dist-targets.ts";
import { loadAverage, must, percentile, requireBinary, spawnTimes } from "./bench-lib.ts";

if (process.argv[2] === "--installed") {
  installed(Number(process.argv[3] ?? 30));
  process.exit(0);
}

// --node: the launcher of the npm package run by Node, outside node_modules, so it takes the JavaScript build.
const node = process.argv[2] === "--node";
const bin = node ? "dist/npm/comms/bin/comms.js" : (process.argv[2] ?? "dist/comms");
const runs = Number(process.argv[3] ?? 50);
if (node && !existsSync(bin)) {
  console.error(`${bin} not found: run npm run dist -- --targets host first`);
  process.exit(2);
}
requireBinary(bin);
const cmd = node ? ["node", bin] : [bin];

const rows: Array<[string, number[]]> = [
  ["--version", spawnTimes([...cmd, "--version"], runs).wall],
  ["--help", spawnTimes([...cmd, "--help"], runs).wall],
];
// What any process costs to spawn here: the floor under every figure above.
const truth = spawnTimes(["true"], runs, { warmup: 0 }).wall;
console.log(`comms startup, ${runs} runs each (${bin})`);
for (const [name, s] of rows) console.log(`  ${name.padEnd(10)} median ${percentile(s, 50).toFixed(1)} ms, p90 ${percentile(s, 90).toFixed(1)} ms`);
console.log(`  spawn cost of /bin/true: median ${percentile(truth, 50).toFixed(1)} ms`);
const worst = Math.max(...rows.map(([, s]) => percentile(s, 50)));
console.log(worst < 50 ? `ok: every median under 50 ms` : `slow: a median is ${worst.toFixed(1)} ms (target < 50 ms)`);
console.log(
  `startup: comms ${rows.map(([name, s]) => `${name} ${percentile(s, 50).toFixed(1)} ms`).join(", ")} median (spawn of true ${percentile(truth, 50).toFixed(1)} ms), under 50 ms: ${worst < 50 ? "yes" : "no"}`,
);

/**
 * The packages of dist/npm installed as a team installs them (npm install from the tarballs, offline) into
 * a git project with one released contract, timed side by side with the raw binary in alternating rounds:
 *   raw binary        dist/npm/comms-<host>/bin/comms
 *   installed bin     node_modules/.bin/comms after the install step (the binary itself)
 *   Node launcher     node_modules/.bin/comms installed with --ignore-scripts (Node starts, then the binary)
 *   Node build        node_modules/.bin/comms without the platform package (the JavaScript build on Node)
 * for `--version` and a `check --staged` with nothing relevant staged (what a pre-commit hook pays).
 */
function installed(runs: number): void {
  const host = hostTarget();
  const dist = join(import.meta.dir, "..", "dist/npm");
  const platformDir = host && join(dist, `comms-${host.id}`);
  if (!platformDir || !existsSync(join(platformDir, "bin/comms")) || !existsSync(join(dist, "comms/install.js"))) {
    console.error("dist/npm is missing or stale: run npm run dist -- --targets host --no-archives first");
    process.exit(2);
  }
  const raw = join(platformDir, "bin/comms");
  const work = mkdtempSync(join(tmpdir(), "comms-bench-installed-"));
  try {
    const packs = join(work, "packs");
    mkdirSync(packs);
    const tarball = (dir: string) => join(packs, JSON.parse(must(["npm", "pack", "--json", "--pack-destination", packs], { cwd: dir }))[0].filename);
    const main = tarball(join(dist, "comms"));
    const platform = tarball(platformDir);
    const project = (name: string, tarballs: string[], flags: string[]): string => {
      const dir = join(work, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `bench-${name}`, version: "1.0.0", private: true }));
      must(["npm", "install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", ...flags, ...tarballs], { cwd: dir });
      const git = (...a: string[]) => must(["git", "-c", "user.email=b@example.com", "-c", "user.name=b", "-c", "commit.gpgsign=false", ...a], { cwd: dir });
      git("init", "-q");
      writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
      writeFileSync(join(dir, "comms.yaml"), "version: 1\ncontracts:\n  users: { kind: graphql, path: api/schema.graphql }\n");
      mkdirSync(join(dir, "api"));
      writeFileSync(join(dir, "api/schema.graphql"), "type Query { user(id: ID!): User }\ntype User { id: ID!, email: String }\n");
      must([raw, "release", "users", "--version", "1.0.0"], { cwd: dir });
      git("add", "-A");
      git("commit", "-qm", "init");
      // Staged, but no contract owns it: the gate's fast path.
      writeFileSync(join(dir, "README.md"), "# bench\n");
      git("add", "README.md");
      return dir;
    };
    const withScripts = project("installed", [main, platform], []);
    const ignored = project("ignore-scripts", [main, platform], ["--ignore-scripts"]);
    const nodeOnly = project("node-build", [main], ["--omit=optional"]);
    const variants: Array<[string, string, string]> = [
      ["raw binary", raw, withScripts],
      ["installed bin", join(withScripts, "node_modules/.bin/comms"), withScripts],
      ["Node launcher", join(ignored, "node_modules/.bin/comms"), ignored],
      ["Node build", join(nodeOnly, "node_modules/.bin/comms"), nodeOnly],
    ];
    const commands: Array<[string, string[]]> = [
      ["--version", ["--version"]],
      ["check --staged", ["check", "--staged"]],
    ];
    const times = new Map<string, number[]>();
    // Alternating rounds: every variant sees the same moments of a busy machine.
    for (let round = 0; round < runs; round++) {
      for (const [cname, args] of commands) {
        for (const [vname, exe, cwd] of variants) {
          const key = `${vname}\u0000${cname}`;
          const t = spawnTimes([exe, ...args], 1, { cwd, warmup: round === 0 ? 2 : 0 }).wall[0]!;
          times.set(key, [...(times.get(key) ?? []), t]);
        }
      }
    }
    const median = (v: string, c: string) => percentile([...times.get(`${v}\u0000${c}`)!].sort((a, b) => a - b), 50);
    console.log(`comms startup through the installed npm package, ${runs} alternating rounds, load ${loadAverage()}`);
    console.log(`| variant | ${commands.map(([c]) => `${c} median (ratio to raw)`).join(" | ")} |`);
    console.log(`| --- | ${commands.map(() => "---:").join(" | ")} |`);
    for (const [v] of variants) {
      console.log(`| ${v} | ${commands.map(([c]) => `${median(v, c).toFixed(1)} ms (${(median(v, c) / median("raw binary", c)).toFixed(2)}x)`).join(" | ")} |`);
    }
    const ratios = commands.map(([c]) => median("installed bin", c) / median("raw binary", c));
    const ok = ratios.every((r) => r <= 1.3);
    console.log(
      `installed: node_modules/.bin/comms ${commands.map(([c], i) => `${c} ${ratios[i]!.toFixed(2)}x`).join(", ")} the raw binary (target <= 1.3x): ${ok ? "yes" : "no"}; Node launcher ${commands.map(([c]) => `${c} ${(median("Node launcher", c) / median("raw binary", c)).toFixed(2)}x`).join(", ")}`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
