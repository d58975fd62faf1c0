#!/usr/bin/env node
// Runs once after npm installs @comms-cli/comms. Where the platform package installed (and its binary
// runs here), bin/comms.js, the file npm links as `comms`, is replaced by that binary (a hard link, or a
// copy across file systems), so every command starts the binary without Node starting first. Anywhere
// else (no platform package, a binary that cannot run, Windows, where npm's shims call Node), nothing
// changes and bin/comms.js stays the Node launcher. With --ignore-scripts this never runs: same result.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const shim = path.join(__dirname, "bin", "comms.js");
const debug = (m) => process.env.COMMS_DEBUG && process.stderr.write(`comms install: ${m}\n`);

// The launcher chooses the platform binary; installing asks it rather than choosing again.
const { binaryPath } = require("./bin/comms.js");

function main() {
  if (process.platform === "win32") return debug("Windows: npm's shims run Node; keeping the launcher");
  const bin = binaryPath();
  if (!bin) return debug("no platform package installed; keeping the Node launcher");
  const version = require("./package.json").version;
  let said;
  try {
    said = execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 }).trim();
  } catch (e) {
    return debug(`${bin} does not run here (${e.message}); keeping the Node launcher`);
  }
  if (said !== version) return debug(`${bin} says ${said}, not ${version}; keeping the Node launcher`);
  // A new name first, then a rename over the launcher: an interrupted install leaves one of the two whole.
  const tmp = `${shim}.${process.pid}.tmp`;
  try {
    try {
      fs.linkSync(bin, tmp);
    } catch {
      fs.copyFileSync(bin, tmp);
    }
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, shim);
    debug(`bin/comms.js is now ${bin}`);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    debug(`cannot replace the launcher (${e.message}); keeping it`);
  }
}

main();
