#!/usr/bin/env node
// The GitHub Action's step (action.yml): runs comms with the action's inputs, writes annotations to the log
// and the report to the job summary, optionally a SARIF file, and fails the step as comms does.
// Plain JavaScript for the Node every runner has; comms itself comes from npm (or COMMS_BIN).
import { spawnSync } from "node:child_process";
import { appendFileSync, closeSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

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

/** The directory of the comms.yaml comms uses from `cwd` (the nearest, stopping at a git root), as comms finds it. */
function configDir() {
  for (let d = cwd; ; ) {
    if (existsSync(join(d, "comms.yaml")) || existsSync(join(d, "comms.yml"))) return d;
    const up = dirname(d);
    if (existsSync(join(d, ".git")) || up === d) return undefined;
    d = up;
  }
}
// comms names a contract's files relative to its comms.yaml (which may lie above working-directory),
// and files given on the command line relative to where it runs; GitHub wants them relative to the
// repository. Each path is rebased on the first of those directories where the file exists.
const bases = [configDir(), cwd].filter((d, i, all) => d && all.indexOf(d) === i);
const needsRebase = bases.some((d) => relative(workspace, d) !== "");

/** A path comms printed, relative to the repository (forward slashes), or undefined to leave it alone. */
function fromRepository(file) {
  if (isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) return undefined;
  const base = bases.find((d) => existsSync(resolve(d, file))) ?? bases[0];
  const rel = relative(workspace, resolve(base, file)).split(sep).join("/");
  return rel.startsWith("../") ? undefined : rel;
}

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

const escapeProperty = (s) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
const unescapeProperty = (s) => s.replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%0A/g, "\n").replace(/%0D/g, "\r").replace(/%25/g, "%");

/** An annotation (`::error file=…,line=…::…`) with its file relative to the repository. */
function rebaseAnnotation(line) {
  if (!needsRebase) return line;
  return line.replace(/^(::(?:error|warning|notice) (?:[^:,]*,)*?file=)([^,:]*)/, (all, head, file) => {
    const rel = fromRepository(unescapeProperty(file));
    return rel === undefined ? all : `${head}${escapeProperty(rel)}`;
  });
}

/** The job summary comms wrote, with each `file:line:col` location relative to the repository. */
function rebaseSummary(markdown) {
  if (!needsRebase) return markdown;
  return markdown.replace(/`([^`\s]+?):(\d+):(\d+)`/g, (all, file, line, col) => {
    const rel = fromRepository(file);
    return rel === undefined ? all : `\`${rel}:${line}:${col}\``;
  });
}

/** A SARIF log with every relative artifact URI made relative to the repository. */
function rebaseSarif(text) {
  if (!needsRebase) return text;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === "artifactLocation" || key === "location") && value && typeof value.uri === "string" && (!value.uriBaseId || value.uriBaseId === "%SRCROOT%") && !/^[a-z][a-z0-9+.-]*:|^\//i.test(value.uri)) {
        const rel = fromRepository(decodeURIComponent(value.uri));
        if (rel !== undefined) value.uri = rel.split("/").map(encodeURIComponent).join("/");
      }
      walk(value);
    }
  };
  const log = JSON.parse(text);
  walk(log);
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Where a report may be written: a regular file inside the workspace, reached without any symbolic
 * link. A pull request can commit a symlink where the SARIF file goes (or on the way to it), and
 * `../x` leaves the checkout; either would let it overwrite a file of the runner.
 */
function safeOutput(rel) {
  const target = resolve(workspace, rel);
  const inside = relative(workspace, target);
  if (!inside || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) fail(`sarif: '${rel}' lies outside the workspace (${workspace}); give a path inside the repository`);
  let d = workspace;
  const parts = inside.split(sep);
  for (const [i, part] of parts.entries()) {
    d = join(d, part);
    let st;
    try {
      st = lstatSync(d);
    } catch {
      if (i < parts.length - 1) mkdirSync(d);
      continue;
    }
    if (st.isSymbolicLink()) fail(`sarif: '${rel}' goes through the symbolic link '${relative(workspace, d)}'; refusing to write through it`);
    if (i < parts.length - 1 && !st.isDirectory()) fail(`sarif: '${relative(workspace, d)}' is not a directory`);
    if (i === parts.length - 1 && !st.isFile()) fail(`sarif: '${rel}' exists and is not a regular file; refusing to write it`);
  }
  return target;
}

/** Writes a file, created or truncated, without following a symbolic link put at its name meanwhile. */
function writeRegular(file, text) {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

const [commsFile, commsPre] = env.COMMS_BIN ? [env.COMMS_BIN, []] : [isWindows ? "npx.cmd" : "npx", ["--yes", `@comms-cli/comms@${version}`]];

/** Runs comms; output goes to the log unless `outFile` is given. */
function comms(extra, outFile) {
  const capture = outFile || (needsRebase && extra.includes("github"));
  const ownSummary = scratch && !outFile ? join(scratch, "summary.md") : undefined;
  const r = spawnSync(commsFile, [...commsPre, ...args, ...extra], {
    cwd,
    stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    shell: isWindows && !env.COMMS_BIN,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...env, NO_COLOR: "1", ...(ownSummary ? { GITHUB_STEP_SUMMARY: ownSummary } : {}) },
  });
  if (r.error) fail(`cannot run comms (${commsFile}): ${r.error.message}`);
  if (ownSummary && existsSync(ownSummary)) {
    summary(rebaseSummary(readFileSync(ownSummary, "utf8")));
    rmSync(ownSummary, { force: true });
  }
  if (outFile) {
    let sarifText = r.stdout.toString();
    try {
      sarifText = rebaseSarif(sarifText);
    } catch {
      // Not SARIF (comms failed before writing it): keep what it printed.
    }
    writeRegular(outFile, sarifText);
  } else if (capture) {
    process.stdout.write(r.stdout.toString().split("\n").map(rebaseAnnotation).join("\n"));
  }
  return r.status ?? 3;
}

/**
 * Installs comms (npx caches it for the runs below) and checks that it starts. npx exits 1 when npm
 * cannot install a package, which would read as a contract violation: a failed installation is an
 * error of its own, with npm's words in the log and the job summary, and no exit-code output.
 */
function install() {
  if (env.COMMS_BIN) return;
  const r = spawnSync(commsFile, [...commsPre, "--version"], { cwd, encoding: "utf8", shell: isWindows, maxBuffer: 64 * 1024 * 1024, env: { ...env, NO_COLOR: "1" } });
  if (r.status === 0 && !r.error) return;
  const said = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim() || (r.error ? r.error.message : `exit code ${r.status}`);
  const tail = said.split("\n").slice(-30).join("\n");
  const message = `npm could not install @comms-cli/comms@${version}: ${tail}`;
  process.stdout.write(`::error title=comms could not be installed::${message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  summary(`### comms could not be installed\n\nnpm could not install \`@comms-cli/comms@${version}\`, so no contract was checked:\n\n\`\`\`\n${tail.replace(/```/g, "'''")}\n\`\`\`\n`);
  process.exit(2);
}

const sarifFile = sarif ? safeOutput(sarif) : undefined;
install();
// comms appends its report to the job summary; with paths to rebase it writes to a file of ours first.
const scratch = needsRebase && env.GITHUB_STEP_SUMMARY ? mkdtempSync(join(tmpdir(), "comms-action-")) : undefined;
console.log(`comms ${args.join(" ")}`);
// Annotations on the diff and the report in the job summary (comms appends it to GITHUB_STEP_SUMMARY).
const code = comms(["--format", "github"]);
if (format !== "github") comms(["--format", format]);
if (sarifFile) {
  const sarifCode = comms(["--format", "sarif", "--quiet"], sarifFile);
  if (sarifCode > 1) fail(`writing SARIF failed (exit ${sarifCode})`);
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
if (code > 1) summary(`### comms\n\n\`comms ${args.join(" ")}\` stopped with exit code ${code}: see the step log.\n`);
if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `exit-code=${code}\n`);
process.exit(code);
