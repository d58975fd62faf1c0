#!/usr/bin/env node
// The GitHub Action's step (action.yml): runs comms with the action's inputs, writes annotations to the log
// and the report to the job summary, optionally a SARIF file, and fails the step as comms does.
// Plain JavaScript for the Node every runner has; comms itself comes from npm (or COMMS_BIN).
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

const env = process.env;
const input = (name, fallback = "") => (env[`INPUT_${name}`] ?? "").trim() || fallback;
const isWindows = process.platform === "win32";

const FORMATS = ["github", "text", "json", "markdown", "sarif", "junit", "gitlab"];
const command = input("COMMAND", "check").split(/\s+/);
const format = input("FORMAT", "github");
const failOn = input("FAIL_ON");
// By default the comms of the action's own release: `uses: …@v1.2.3` runs comms 1.2.3.
const version = input("VERSION") || JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
const sarif = input("SARIF");
const workspace = resolve(env.GITHUB_WORKSPACE ?? ".");
const cwd = resolve(workspace, input("WORKING_DIRECTORY", "."));
// comms names files relative to where it runs; GitHub wants them relative to the repository.
const prefix = relative(workspace, cwd).split(sep).join("/");

function fail(message) {
  process.stdout.write(`::error title=comms::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  summary(`### comms\n\n${message}\n`);
  process.exit(2);
}

function summary(markdown) {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
}

function git(args) {
  return spawnSync("git", args, { cwd, encoding: "utf8" });
}

if (!FORMATS.includes(format)) fail(`unknown format '${format}' (one of ${FORMATS.join(", ")})`);
if (failOn && !["breaking", "dangerous"].includes(failOn)) fail(`unknown fail-on '${failOn}' (breaking or dangerous)`);
// The version goes to npx, through a shell on Windows: only what a version or dist-tag can hold.
if (!/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(version)) fail(`invalid version '${version}'`);

/** `against`: as given; else, in a pull request, the tip of its base branch, fetched when the checkout lacks it. */
function against() {
  const given = input("AGAINST");
  if (given) return given === "release" ? undefined : given;
  const base = env.GITHUB_BASE_REF;
  if (!base || command[0] !== "check") return undefined;
  const ref = `origin/${base}`;
  if (git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status !== 0) {
    // actions/checkout fetches one commit by default: bring the base branch in.
    const fetched = git(["fetch", "--no-tags", "--quiet", "origin", `+refs/heads/${base}:refs/remotes/${ref}`]);
    if (fetched.status !== 0) fail(`cannot fetch the base branch '${base}': ${fetched.stderr.trim()}`);
  }
  return ref;
}

const base = against();
const args = [...command, ...(base ? ["--against", base] : []), ...(failOn ? ["--fail-on", failOn] : [])];

/** An annotation (`::error file=…,line=…::…`) with its file relative to the repository. */
function rebaseAnnotation(line) {
  if (!prefix) return line;
  const escaped = `${prefix}/`.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
  return line.replace(/^(::(?:error|warning|notice) (?:[^:,]*,)*?file=)/, `$1${escaped}`);
}

/** A SARIF log with every relative artifact URI made relative to the repository. */
function rebaseSarif(text) {
  if (!prefix) return text;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === "artifactLocation" || key === "location") && value && typeof value.uri === "string" && (!value.uriBaseId || value.uriBaseId === "%SRCROOT%") && !/^[a-z][a-z0-9+.-]*:|^\//i.test(value.uri)) {
        value.uri = `${prefix.split("/").map(encodeURIComponent).join("/")}/${value.uri}`;
      }
      walk(value);
    }
  };
  const log = JSON.parse(text);
  walk(log);
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Runs comms; output goes to the log unless `outFile` is given. */
function comms(extra, outFile) {
  const [file, pre] = env.COMMS_BIN ? [env.COMMS_BIN, []] : [isWindows ? "npx.cmd" : "npx", ["--yes", `@comms-cli/comms@${version}`]];
  const capture = outFile || (prefix && extra.includes("github"));
  const r = spawnSync(file, [...pre, ...args, ...extra], {
    cwd,
    stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    shell: isWindows && !env.COMMS_BIN,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...env, NO_COLOR: "1" },
  });
  if (r.error) fail(`cannot run comms (${file}): ${r.error.message}`);
  if (outFile) {
    mkdirSync(dirname(outFile), { recursive: true });
    let sarifText = r.stdout.toString();
    try {
      sarifText = rebaseSarif(sarifText);
    } catch {
      // Not SARIF (comms failed before writing it): keep what it printed.
    }
    writeFileSync(outFile, sarifText);
  } else if (capture) {
    process.stdout.write(r.stdout.toString().split("\n").map(rebaseAnnotation).join("\n"));
  }
  return r.status ?? 3;
}

console.log(`comms ${args.join(" ")}`);
// Annotations on the diff and the report in the job summary (comms appends it to GITHUB_STEP_SUMMARY).
const code = comms(["--format", "github"]);
if (format !== "github") comms(["--format", format]);
if (sarif) {
  const sarifCode = comms(["--format", "sarif", "--quiet"], resolve(workspace, sarif));
  if (sarifCode > 1) fail(`writing SARIF failed (exit ${sarifCode})`);
}
if (code > 1) summary(`### comms\n\n\`comms ${args.join(" ")}\` stopped with exit code ${code}: see the step log.\n`);
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\n`);
process.exit(code);
