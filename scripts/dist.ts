/**
 * Builds everything comms is distributed as, into dist/:
 *   dist/npm/comms/            the main npm package: launcher, bundled JavaScript build for Node, no dependencies
 *   dist/npm/comms-<target>/   one package per platform carrying its compiled binary
 *   dist/release/              an archive per platform (tar.gz; zip for Windows) and SHA256SUMS
 * Usage: bun scripts/dist.ts [--targets all|host|<id>,<id>…] [--no-archives] [--out <dir>] [--allow-missing]
 * Compiling for another platform needs Bun's runtime for it (fetched once from the npm registry into Bun's
 * cache). A platform that cannot be compiled fails the build, or with --allow-missing is skipped and named.
 */
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import pkg from "../package.json";
import { MAIN_PACKAGE, TARGETS, hostTarget, platformPackage, type Target } from "./dist-targets.ts";

const ROOT = join(import.meta.dir, "..");
const LICENSE = join(ROOT, "packaging/LICENSE");

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function selectTargets(spec: string): Target[] {
  if (spec === "all") return TARGETS;
  if (spec === "host") {
    const host = hostTarget();
    if (!host) throw new Error(`no prebuilt binary for ${process.platform}-${process.arch}`);
    return [host];
  }
  return spec.split(",").map((id) => {
    const found = TARGETS.find((x) => x.id === id);
    if (!found) throw new Error(`unknown target '${id}' (known: ${TARGETS.map((x) => x.id).join(", ")})`);
    return found;
  });
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const common = {
  version: pkg.version,
  license: "MIT",
};

/** The JavaScript build for Node: every runtime dependency bundled, one chunk per lazily loaded command. */
async function buildNodeBundle(outdir: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(ROOT, "scripts/dist-entry.ts")],
    outdir,
    target: "node",
    format: "esm",
    splitting: true,
    minify: true,
    sourcemap: "none",
    naming: { entry: "comms.mjs", chunk: "[name]-[hash].mjs", asset: "[name]-[hash].[ext]" },
    define: { COMMS_VERSION: JSON.stringify(pkg.version), "import.meta.main": "false" },
  });
  if (!result.success) throw new AggregateError(result.logs, "the JavaScript build failed");
}

async function buildMainPackage(dir: string, targets: Target[]): Promise<void> {
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(join(ROOT, "packaging/npm/bin/comms.js"), join(dir, "bin/comms.js"));
  chmodSync(join(dir, "bin/comms.js"), 0o755);
  copyFileSync(join(ROOT, "packaging/npm/install.js"), join(dir, "install.js"));
  copyFileSync(join(ROOT, "packaging/npm/README.md"), join(dir, "README.md"));
  copyFileSync(LICENSE, join(dir, "LICENSE"));
  await buildNodeBundle(join(dir, "lib"));
  writeJson(join(dir, "package.json"), {
    name: MAIN_PACKAGE,
    ...common,
    description: pkg.description,
    keywords: ["api", "contract", "breaking-changes", "openapi", "graphql", "protobuf", "avro", "json-schema", "asyncapi", "kafka", "ci", "pre-commit"],
    bin: { comms: "bin/comms.js" },
    // As esbuild does: the install step puts the platform binary where `bin` points, so commands skip
    // Node's start-up; without it (--ignore-scripts, no platform package) bin/comms.js launches on Node.
    scripts: { postinstall: "node install.js" },
    files: ["bin", "lib", "install.js", "LICENSE", "README.md"],
    engines: { node: ">=20" },
    // Every platform package, pinned: npm installs only the one whose os/cpu/libc match.
    optionalDependencies: Object.fromEntries(TARGETS.map((x) => [platformPackage(x), pkg.version])),
  });
  if (targets.length < TARGETS.length) console.error(`  (the main package names all ${TARGETS.length} platform packages; built here: ${targets.map((x) => x.id).join(", ")})`);
}

async function compileBinary(target: Target, outfile: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: [join(ROOT, "src/main.ts")],
    compile: { target: target.bun as never, outfile, autoloadBunfig: false, autoloadDotenv: false },
    minify: true,
    bytecode: true,
    format: "esm",
    splitting: true,
    sourcemap: "none",
    define: { COMMS_VERSION: JSON.stringify(pkg.version) },
  });
  if (!result.success) throw new AggregateError(result.logs, `compiling for ${target.id} failed`);
}

async function buildPlatformPackage(dir: string, target: Target): Promise<string> {
  mkdirSync(join(dir, "bin"), { recursive: true });
  const binary = join(dir, "bin", target.exe);
  await compileBinary(target, binary);
  chmodSync(binary, 0o755);
  copyFileSync(LICENSE, join(dir, "LICENSE"));
  writeFileSync(
    join(dir, "README.md"),
    `# ${platformPackage(target)}\n\nThe comms binary for ${target.id}. Install \`${MAIN_PACKAGE}\` instead: it picks this package when it fits.\n`,
  );
  writeJson(join(dir, "package.json"), {
    name: platformPackage(target),
    ...common,
    description: `The comms binary for ${target.id}`,
    os: [target.os],
    cpu: [target.cpu],
    ...(target.libc ? { libc: [target.libc] } : {}),
    files: ["bin", "LICENSE", "README.md"],
    preferUnplugged: true,
  });
  return binary;
}

function run(cmd: string[], cwd: string): void {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (exit ${r.exitCode})`);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of regular files, deflated, written here so that building needs no zip tool. */
function writeZip(file: string, entries: Array<{ name: string; path: string; mode: number }>): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const DOS_DATE = (1 << 5) | 1; // 1980-01-01: archives do not depend on when they were built
  for (const e of entries) {
    const data = readFileSync(e.path);
    const packed = deflateRawSync(data, { level: 9 });
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below is honoured
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, ...centrals, end]));
}

/** `comms-<version>-<target>.tar.gz` (or .zip) holding the binary and the licence at its top. */
function archive(releaseDir: string, target: Target, binary: string): string {
  const base = `comms-${pkg.version}-${target.id}`;
  if (target.os === "win32") {
    writeZip(join(releaseDir, `${base}.zip`), [
      { name: target.exe, path: binary, mode: 0o755 },
      { name: "LICENSE", path: LICENSE, mode: 0o644 },
    ]);
    return `${base}.zip`;
  }
  const stage = join(releaseDir, `.stage-${target.id}`);
  mkdirSync(stage, { recursive: true });
  copyFileSync(binary, join(stage, target.exe));
  chmodSync(join(stage, target.exe), 0o755);
  copyFileSync(LICENSE, join(stage, "LICENSE"));
  run(["tar", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "-czf", join(releaseDir, `${base}.tar.gz`), "-C", stage, target.exe, "LICENSE"], ROOT);
  rmSync(stage, { recursive: true, force: true });
  return `${base}.tar.gz`;
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

async function main(): Promise<void> {
  const out = option("--out") ?? join(ROOT, "dist");
  const targets = selectTargets(option("--targets") ?? "all");
  const archives = !process.argv.includes("--no-archives");
  const npmDir = join(out, "npm");
  const releaseDir = join(out, "release");
  rmSync(npmDir, { recursive: true, force: true });
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });

  const started = performance.now();
  await buildMainPackage(join(npmDir, "comms"), targets);
  console.error(`built ${MAIN_PACKAGE}@${pkg.version} (dist/npm/comms)`);
  const names: string[] = [];
  const missing: string[] = [];
  for (const target of targets) {
    const t0 = performance.now();
    let binary: string;
    try {
      binary = await buildPlatformPackage(join(npmDir, `comms-${target.id}`), target);
    } catch (e) {
      const reason = e instanceof AggregateError ? e.errors.map(String).join("; ") : (e as Error).message;
      missing.push(`${target.id} (${reason})`);
      rmSync(join(npmDir, `comms-${target.id}`), { recursive: true, force: true });
      console.error(`NOT BUILT: ${platformPackage(target)}: ${reason}`);
      continue;
    }
    const size = (statSync(binary).size / 1e6).toFixed(0);
    if (archives) names.push(archive(releaseDir, target, binary));
    console.error(`built ${platformPackage(target)} (${size} MB binary${archives ? ", archived" : ""}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (archives) {
    writeFileSync(join(releaseDir, "SHA256SUMS"), names.map((n) => `${sha256(join(releaseDir, n))}  ${n}\n`).join(""));
    console.error(`wrote ${names.length} archives and SHA256SUMS to ${releaseDir}`);
  }
  const skipped = TARGETS.filter((x) => !targets.includes(x)).map((x) => x.id);
  if (skipped.length) console.error(`not built (not selected): ${skipped.join(", ")}`);
  console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!existsSync(join(npmDir, "comms/lib/comms.mjs"))) throw new Error("the JavaScript build is missing");
  if (missing.length) {
    console.error(`not built (compilation failed): ${missing.join(", ")}`);
    if (!process.argv.includes("--allow-missing")) process.exit(1);
  }
}

await main().catch((e) => {
  console.error(`dist: ${e instanceof AggregateError ? `${e.message}\n${e.errors.join("\n")}` : (e as Error).message}`);
  process.exit(1);
});
