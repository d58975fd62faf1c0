import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json";
import { hostTarget, TARGETS, type Target } from "../../scripts/dist-targets.ts";
import { buildDist } from "./build.ts";

// Every release binary, built once for all seven platforms: archives and their sums, the executable format
// each platform needs, and the version each one reports where this machine can run it (natively, under
// qemu user emulation, or with Debian's musl loader).
let out: string;
let unpacked: string;
const binaries = new Map<string, string>();
/** Platforms the build compiled (one whose Bun runtime could not be fetched is skipped, and logged). */
let built: Target[] = [];

beforeAll(() => {
  out = buildDist("all", true);
  unpacked = mkdtempSync(join(tmpdir(), "comms-release-"));
  built = TARGETS.filter((t) => existsSync(join(out, "npm", `comms-${t.id}`)));
  for (const t of built) {
    const dir = join(unpacked, t.id);
    Bun.spawnSync(["mkdir", "-p", dir]);
    const archive = join(out, "release", `comms-${pkg.version}-${t.id}.${t.os === "win32" ? "zip" : "tar.gz"}`);
    const cmd = t.os === "win32" ? (Bun.which("unzip") ? ["unzip", "-q", archive, "-d", dir] : undefined) : ["tar", "-xzf", archive, "-C", dir];
    if (!cmd) continue;
    const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
    if (r.exitCode !== 0) throw new Error(`${cmd.join(" ")}: ${r.stderr.toString()}`);
    binaries.set(t.id, join(dir, t.exe));
  }
  if (!Bun.which("unzip")) console.warn("zip contents not checked: unzip is not installed");
}, 600_000);
afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

/** Machine and program interpreter of an ELF file, the CPU of a Mach-O file, or the machine of a PE file. */
function executableFormat(file: string): { format: string; machine: number; interpreter?: string } {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) === 0x7f454c46) {
    const phoff = Number(b.readBigUInt64LE(0x20));
    const phentsize = b.readUInt16LE(0x36);
    const phnum = b.readUInt16LE(0x38);
    let interpreter: string | undefined;
    for (let i = 0; i < phnum; i++) {
      const p = phoff + i * phentsize;
      if (b.readUInt32LE(p) !== 3) continue; // PT_INTERP
      const offset = Number(b.readBigUInt64LE(p + 8));
      const size = Number(b.readBigUInt64LE(p + 32));
      interpreter = b.subarray(offset, offset + size - 1).toString();
    }
    return { format: "elf", machine: b.readUInt16LE(0x12), interpreter };
  }
  if (b.readUInt32LE(0) === 0xfeedfacf) return { format: "macho", machine: b.readUInt32LE(4) };
  if (b.subarray(0, 2).toString() === "MZ") {
    const pe = b.readUInt32LE(0x3c);
    expect(b.subarray(pe, pe + 4)).toEqual(Buffer.from("PE\0\0"));
    return { format: "pe", machine: b.readUInt16LE(pe + 4) };
  }
  return { format: "unknown", machine: 0 };
}

const EXPECTED: Record<string, { format: string; machine: number; interpreter?: string }> = {
  "linux-x64": { format: "elf", machine: 62, interpreter: "/lib64/ld-linux-x86-64.so.2" },
  "linux-arm64": { format: "elf", machine: 183, interpreter: "/lib/ld-linux-aarch64.so.1" },
  "linux-x64-musl": { format: "elf", machine: 62, interpreter: "/lib/ld-musl-x86_64.so.1" },
  "linux-arm64-musl": { format: "elf", machine: 183, interpreter: "/lib/ld-musl-aarch64.so.1" },
  "darwin-x64": { format: "macho", machine: 0x01000007 },
  "darwin-arm64": { format: "macho", machine: 0x0100000c },
  "win32-x64": { format: "pe", machine: 0x8664 },
};

function version(cmd: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** How this machine can start a binary of the target, or why it cannot. */
function launcher(t: Target): string[] | string {
  const hostArch = process.arch;
  if (t.os !== "linux" || process.platform !== "linux") return `${t.os} binaries cannot run on ${process.platform}`;
  if (t.libc === "musl") {
    const loader = EXPECTED[t.id]!.interpreter!;
    if (t.cpu !== hostArch) return `no ${loader} for ${t.cpu} here (Debian's musl package is for the host CPU only)`;
    if (!existsSync(loader)) return `${loader} is missing (apt-get install musl)`;
    return [];
  }
  if (t.cpu === hostArch) return [];
  if (t.cpu === "arm64") {
    const qemu = Bun.which("qemu-aarch64");
    if (!qemu) return "qemu-aarch64 is missing (apt-get install qemu-user)";
    if (!existsSync("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1")) return "no arm64 glibc for qemu (apt-get install libc6-arm64-cross)";
    return [qemu, "-L", "/usr/aarch64-linux-gnu"];
  }
  return `no emulator for ${t.cpu}`;
}

describe("release archives", () => {
  test("SHA256SUMS lists one archive per platform, and every sum matches", () => {
    // This machine's platform never needs a download: it is always there.
    expect(built.map((t) => t.id)).toContain(hostTarget()!.id);
    const sums = readFileSync(join(out, "release/SHA256SUMS"), "utf8").trimEnd().split("\n");
    expect(sums).toHaveLength(built.length);
    const files = readdirSync(join(out, "release")).filter((f) => f !== "SHA256SUMS").sort();
    expect(sums.map((l) => l.split("  ")[1]).sort()).toEqual(files);
    for (const line of sums) {
      const [sum, name] = line.split("  ");
      expect(createHash("sha256").update(readFileSync(join(out, "release", name!))).digest("hex")).toBe(sum!);
    }
    const check = Bun.which("sha256sum") ? Bun.spawnSync(["sha256sum", "--check", "--strict", "SHA256SUMS"], { cwd: join(out, "release") }) : undefined;
    if (check) expect(check.exitCode).toBe(0);
  }, 600_000);

  test("each platform package declares its os, cpu and libc and carries the same binary as the archive", () => {
    for (const t of built) {
      const manifest = JSON.parse(readFileSync(join(out, "npm", `comms-${t.id}`, "package.json"), "utf8"));
      expect(manifest).toMatchObject({ name: `@comms-cli/comms-${t.id}`, version: pkg.version, os: [t.os], cpu: [t.cpu] });
      expect(manifest.libc).toEqual(t.libc ? [t.libc] : undefined);
      const archived = binaries.get(t.id);
      if (!archived) continue;
      const packaged = join(out, "npm", `comms-${t.id}`, "bin", t.exe);
      const hash = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
      expect(hash(archived)).toBe(hash(packaged));
    }
  }, 600_000);

  for (const t of TARGETS) {
    test(`${t.id}: the executable format of its platform, and its version where it can run here`, () => {
      if (!built.includes(t)) {
        console.warn(`${t.id}: not built here (see the NOT BUILT line above)`);
        return;
      }
      const bin = binaries.get(t.id) ?? join(out, "npm", `comms-${t.id}`, "bin", t.exe);
      expect(executableFormat(bin)).toEqual(EXPECTED[t.id]!);
      const how = launcher(t);
      if (typeof how === "string") {
        console.warn(`${t.id}: --version not run: ${how}`);
        return;
      }
      const r = version([...how, bin, "--version"]);
      if (t.libc === "musl" && r.code !== 0 && /libstdc\+\+|libgcc_s/.test(r.stderr)) {
        // Debian's musl package is the C library alone; Bun's musl build also needs musl's libstdc++.
        expect(r.stderr).toMatch(/^Error loading shared library (libstdc\+\+|libgcc_s)/);
        console.warn(`${t.id}: --version not run: the musl loader starts it, but Debian has no musl libstdc++/libgcc_s`);
        return;
      }
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.code).toBe(0);
    }, 600_000);
  }
});
