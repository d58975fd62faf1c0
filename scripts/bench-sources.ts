/**
 * Contracts across repositories: N consumer repositories (10, 50, 200 by default) of 5 Avro readers
 * each, every reader naming one of the 5 events of one provider repository, all served by git daemon
 * on 127.0.0.1. Measures, for the provider's `comms check` (from source, process start included):
 * a cold `comms fetch` of every source into an empty cache (wall time, peak RSS of the process tree
 * from /usr/bin/time -v), then the warm check online (one shallow fetch per source, in parallel) and
 * with --offline (the cache as it is, no git network command), and within the window a pre-commit check
 * reuses a fetched copy (COMMS_SOURCES_MAX_AGE). Median of runs for the warm figures.
 * Usage: bun scripts/bench-sources.ts [--sizes 10,50,200] [--runs 3]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, publish, startDaemon } from "../test/helpers/git-servers.ts";
import { BUN, countOption, measure, median, option, REPO } from "./bench-lib.ts";

const sizes = option("--sizes", "10,50,200").split(",").map(Number);
const runs = countOption("--runs", 3);
const MAIN = join(REPO, "src/main.ts");
const EVENTS = 5;

const record = (name: string, fields: string[]) => `{"type": "record", "name": "${name}", "namespace": "acme", "fields": [${fields.join(", ")}]}\n`;
const fields = (n: number) => Array.from({ length: n }, (_, i) => `{"name": "f${i}", "type": "string", "default": ""}`);

function commitAll(dir: string): void {
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "contracts");
}

const rows: string[][] = [];
const root = mkdtempSync(join(tmpdir(), "comms-bench-sources-"));
try {
  for (const n of sizes) {
    const dir = join(root, `n${n}`);
    const served = join(dir, "served");
    mkdirSync(served, { recursive: true });
    const daemon = await startDaemon(served);
    try {
      // The consumers: 5 readers each, one per provider event.
      for (let i = 0; i < n; i++) {
        const work = join(dir, `c${i}`);
        mkdirSync(join(work, "readers"), { recursive: true });
        const contracts = Array.from({ length: EVENTS }, (_, k) => `  r${k}: { kind: avro, path: readers/e${k}.avsc, provider: prov/ev${k} }`);
        writeFileSync(join(work, "comms.yaml"), `version: 1\nname: c${i}\ncontracts:\n${contracts.join("\n")}\n`);
        for (let k = 0; k < EVENTS; k++) writeFileSync(join(work, "readers", `e${k}.avsc`), record(`E${k}`, fields(10)));
        commitAll(work);
        publish(work, served, `c${i}`);
      }
      // The provider: 5 events, every consumer repository a source.
      const prov = join(dir, "prov");
      mkdirSync(join(prov, "events"), { recursive: true });
      const sources = Array.from({ length: n }, (_, i) => `  c${i}: { git: "${daemon.url(`c${i}.git`)}" }`);
      const events = Array.from({ length: EVENTS }, (_, k) => `  ev${k}: { kind: avro, path: events/e${k}.avsc }`);
      writeFileSync(join(prov, "comms.yaml"), `version: 1\nname: prov\nsources:\n${sources.join("\n")}\ncontracts:\n${events.join("\n")}\n`);
      for (let k = 0; k < EVENTS; k++) writeFileSync(join(prov, "events", `e${k}.avsc`), record(`E${k}`, fields(12)));
      commitAll(prov);
      const cache = join(dir, "cache");
      const env = { COMMS_CACHE_DIR: cache, NO_COLOR: "1" };
      const cmd = (...args: string[]) => [BUN, MAIN, ...args];
      const cold = measure(cmd("fetch", "--quiet"), { cwd: prov, env });
      if (cold.code !== 0) throw new Error(`cold fetch failed (exit ${cold.code}): ${cold.stderr}`);
      const online = [];
      const offline = [];
      const windowed = [];
      for (let r = 0; r < runs; r++) {
        const on = measure(cmd("check", "--quiet", "--format", "json"), { cwd: prov, env });
        if (on.code !== 0) throw new Error(`warm check failed (exit ${on.code}): ${on.stderr}`);
        // Every reader of every consumer repository was judged.
        const judged = (JSON.parse(on.stdout).results as { notes: string[] }[]).map((x) => x.notes.find((t) => t.startsWith("judged against its consumers in other"))?.split(", ").length ?? 0);
        if (judged.reduce((a, b) => a + b, 0) !== n * EVENTS) throw new Error(`expected ${n * EVENTS} consumers judged, got ${judged.join("+")}`);
        online.push(on);
        const off = measure(cmd("check", "--quiet", "--offline"), { cwd: prov, env });
        if (off.code !== 0) throw new Error(`offline check failed (exit ${off.code}): ${off.stderr}`);
        offline.push(off);
        // Within the window a pre-commit check uses (COMMS_SOURCES_MAX_AGE; 600 s with --staged): no remote asked.
        const win = measure(cmd("check", "--quiet"), { cwd: prov, env: { ...env, COMMS_SOURCES_MAX_AGE: "3600" } });
        if (win.code !== 0) throw new Error(`windowed check failed (exit ${win.code}): ${win.stderr}`);
        windowed.push(win);
      }
      const w = (xs: { wall: number }[]) => `${median(xs.map((x) => x.wall)).toFixed(2)} s`;
      const m = (xs: { rssMb: number }[]) => `${Math.round(median(xs.map((x) => x.rssMb)))} MB`;
      rows.push([String(n), String(n * EVENTS), `${cold.wall.toFixed(2)} s`, `${Math.round(cold.rssMb)} MB`, w(online), m(online), w(offline), m(offline), w(windowed)]);
      console.error(`${n} sources done`);
    } finally {
      await daemon.stop();
    }
  }
} finally {
  if (process.env.BENCH_KEEP) console.error(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

const head = ["sources", "consumer contracts", "cold fetch", "cold peak RSS", "warm check (online)", "online peak RSS", "warm check (--offline)", "offline peak RSS", "warm check (fetched < max-age ago)"];
console.log(`| ${head.join(" | ")} |`);
console.log(`|${head.map(() => "---").join("|")}|`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
