#!/usr/bin/env node
// Starts comms: the prebuilt binary of the platform package npm installed as an optional dependency when
// there is one, otherwise the bundled JavaScript build on this Node (npm i --omit=optional, other platforms).
"use strict";

const { spawn } = require("node:child_process");
const path = require("node:path");

const SCOPE = "@comms-cli/comms";

/** glibc unless Node reports no glibc runtime (Alpine and other musl systems). */
function isMusl() {
  if (process.platform !== "linux") return false;
  try {
    process.report.excludeNetwork = true;
    const header = process.report.getReport().header;
    return !(header && header.glibcVersionRuntime);
  } catch {
    return false;
  }
}

function resolveBinary(name) {
  const exe = process.platform === "win32" ? "comms.exe" : "comms";
  try {
    return require.resolve(`${name}/bin/${exe}`);
  } catch {
    return undefined;
  }
}

function binaryPath() {
  const base = `${SCOPE}-${process.platform}-${process.arch}`;
  if (process.platform !== "linux") return resolveBinary(base);
  // npm installs the package whose libc matches; ask Node which libc runs only when both are there.
  const glibc = resolveBinary(base);
  const musl = resolveBinary(`${base}-musl`);
  if (glibc && musl) return isMusl() ? musl : glibc;
  return glibc || musl;
}

function runOnNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) {
    process.stderr.write(`comms: Node ${process.versions.node} is too old; comms needs Node 20 or newer\n`);
    process.exit(2);
  }
  const { pathToFileURL } = require("node:url");
  if (process.env.COMMS_DEBUG) process.stderr.write(`comms: running the JavaScript build on Node ${process.versions.node}\n`);
  import(pathToFileURL(path.join(__dirname, "..", "lib", "comms.mjs")).href).catch((e) => {
    process.stderr.write(`comms: internal error: cannot load the JavaScript build: ${e && e.message}\n`);
    process.exit(3);
  });
}

function runBinary(bin) {
  if (process.env.COMMS_DEBUG) process.stderr.write(`comms: running ${bin}\n`);
  const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });
  // A signal sent to this launcher alone (CI cancelling a step, a supervisor) must reach comms too.
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"].filter((s) => process.platform !== "win32" || s !== "SIGQUIT");
  const forward = (signal) => {
    try {
      child.kill(signal);
    } catch {
      // The child has already gone.
    }
  };
  for (const s of signals) process.on(s, forward);
  child.on("error", (e) => {
    // The binary cannot start here (a wrong libc, a noexec mount): the JavaScript build still can.
    for (const s of signals) process.off(s, forward);
    if (process.env.COMMS_DEBUG) process.stderr.write(`comms: ${bin}: ${e.message}; using the JavaScript build\n`);
    runOnNode();
  });
  child.on("exit", (code, signal) => {
    for (const s of signals) process.off(s, forward);
    if (signal) {
      // Die of the same signal so that the caller sees what the child saw.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 3 : code);
  });
}

// install.js asks the same question at install time: one answer for both.
if (require.main === module) {
  const bin = binaryPath();
  if (bin) runBinary(bin);
  else runOnNode();
} else module.exports = { binaryPath };
