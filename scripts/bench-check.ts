/**
 * The pre-commit fast path: `comms check --staged` of the compiled binary in a repository with 50
 * released contracts, when the staged change touches none of them. Wall time per run including
 * process spawn; median and 90th percentile.
 * Usage: bun scripts/bench-check.ts [binary] [runs]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadAverage, must, percentile, requireBinary, spawnTimes } from "./bench-lib.ts";

const bin = resolve(process.argv[2] ?? "dist/comms");
const runs = Number(process.argv[3] ?? 30);
const CONTRACTS = 50;
requireBinary(bin);

const dir = mkdtempSync(join(tmpdir(), "comms-bench-check-"));
const env = { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined, GIT_WORK_TREE: undefined, NO_COLOR: "1" };
const inRepo = (cmd: string[]) => must(cmd, { cwd: dir, env });

try {
  inRepo(["git", "init", "-q"]);
  inRepo(["git", "config", "user.email", "bench@example.com"]);
  inRepo(["git", "config", "user.name", "bench"]);
  const lines = ["version: 1", "contracts:"];
  for (let i = 0; i < CONTRACTS; i++) {
    const name = `service-${String(i).padStart(2, "0")}`;
    mkdirSync(join(dir, "contracts", name), { recursive: true });
    const fields = Array.from({ length: 40 }, (_, j) => `  field${j}: String`).join("\n");
    writeFileSync(join(dir, "contracts", name, "schema.graphql"), `type Query {\n  item(id: ID!): Item\n}\n\ntype Item {\n  id: ID!\n${fields}\n}\n`);
    lines.push(`  ${name}: { kind: graphql, path: contracts/${name}/schema.graphql }`);
  }
  writeFileSync(join(dir, "comms.yaml"), `${lines.join("\n")}\n`);
  for (let i = 0; i < CONTRACTS; i++) inRepo([bin, "release", `service-${String(i).padStart(2, "0")}`, "--quiet"]);
  inRepo(["git", "add", "-A"]);
  inRepo(["git", "commit", "-qm", "contracts"]);
  // Wall time includes waiting for a CPU on a busy machine; CPU time (user + system) does not.
  type Samples = { wall: number[]; cpu: number[] };
  const measure = (args = ["check", "--staged", "--quiet"]): Samples => spawnTimes([bin, ...args], runs, { cwd: dir, env });
  const line = (s: Samples) =>
    `wall median ${percentile(s.wall, 50).toFixed(1)} ms (p90 ${percentile(s.wall, 90).toFixed(1)}, min ${s.wall[0]!.toFixed(1)}); cpu median ${percentile(s.cpu, 50).toFixed(1)} ms`;

  // The common case: a commit of source code. Decided from the staged names alone.
  writeFileSync(join(dir, "README.md"), "# services\n");
  inRepo(["git", "add", "README.md"]);
  const plain = measure();
  // A staged YAML file outside every contract: comms.yaml and the registry index are read, no engine is.
  mkdirSync(join(dir, ".github"), { recursive: true });
  writeFileSync(join(dir, ".github/ci.yml"), "on: push\n");
  inRepo(["git", "add", ".github/ci.yml"]);
  const yaml = measure();

  console.log(`comms check --staged with nothing relevant staged, ${CONTRACTS} released contracts, ${runs} runs (${bin})`);
  console.log(`  README.md staged:        ${line(plain)}`);
  console.log(`  unrelated YAML staged:   ${line(yaml)}`);
  console.log(`  --version, for scale:    ${line(measure(["--version"]))}`);
  console.log(`  load average: ${loadAverage()}`);
  const worst = Math.max(percentile(plain.wall, 50), percentile(yaml.wall, 50));
  console.log(worst < 50 ? "ok: every median under 50 ms" : `slow: a median is ${worst.toFixed(1)} ms (target < 50 ms)`);
  console.log(
    `check: comms check --staged ${percentile(plain.wall, 50).toFixed(1)} ms (README.md staged), ${percentile(yaml.wall, 50).toFixed(1)} ms (unrelated YAML) median, under 50 ms: ${worst < 50 ? "yes" : "no"}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
