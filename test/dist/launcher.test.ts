import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostTarget } from "../../scripts/dist-targets.ts";
import { buildDist } from "./build.ts";

// The npm package's launcher (bin/comms.js) passes arguments, stdin, stdout, stderr, the exit code and
// signals through to the platform binary. The binary here is a shell script that shows what it received.
const host = hostTarget();
const NODE = Bun.which("node");
const canRun = !!host && host.os !== "win32" && !!NODE;
if (!canRun) console.warn("launcher pass-through tests skipped: they need Node and a POSIX shell");

let dir: string;
let launcher: string;

const PROBE = `#!/bin/sh
trap 'echo "got TERM" >&2; exit 143' TERM
echo "args:$#"
for a in "$@"; do echo "arg:$a"; done
if [ "$1" = "stdin" ]; then read -r line; echo "stdin:$line"; fi
if [ "$1" = "wait" ]; then : > "$PROBE_READY"; while :; do sleep 0.05; done; fi
if [ "$1" = "die" ]; then trap - TERM; kill -TERM $$; fi
echo "to stderr" >&2
exit 7
`;

beforeAll(() => {
  if (!canRun) return;
  dir = mkdtempSync(join(tmpdir(), "comms-launcher-"));
  const scope = join(dir, "node_modules/@comms-cli");
  cpSync(join(buildDist("host"), "npm/comms"), join(scope, "comms"), { recursive: true });
  mkdirSync(join(scope, `comms-${host!.id}`, "bin"), { recursive: true });
  writeFileSync(join(scope, `comms-${host!.id}`, "package.json"), JSON.stringify({ name: `@comms-cli/comms-${host!.id}`, version: "0.0.0" }));
  writeFileSync(join(scope, `comms-${host!.id}`, "bin", host!.exe), PROBE, { mode: 0o755 });
  launcher = join(scope, "comms/bin/comms.js");
}, 600_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!canRun)("the npm launcher", () => {
  test("arguments (spaces, quotes, empty), stdout, stderr and the exit code pass through", () => {
    const r = Bun.spawnSync([NODE!, launcher, "check", "a b", "it's", "", "--format=json"], { stdout: "pipe", stderr: "pipe" });
    expect(r.stdout.toString()).toBe("args:5\narg:check\narg:a b\narg:it's\narg:\narg:--format=json\n");
    expect(r.stderr.toString()).toBe("to stderr\n");
    expect(r.exitCode).toBe(7);
  });

  test("with both the glibc and the musl package installed, the one matching this Node's libc runs", () => {
    if (host!.os !== "linux") return;
    const glibc = !host!.libc || host!.libc === "glibc";
    const other = glibc ? `comms-${host!.os}-${host!.cpu}-musl` : `comms-${host!.os}-${host!.cpu}`;
    const otherDir = join(dir, "node_modules/@comms-cli", other);
    mkdirSync(join(otherDir, "bin"), { recursive: true });
    writeFileSync(join(otherDir, "package.json"), JSON.stringify({ name: `@comms-cli/${other}`, version: "0.0.0" }));
    writeFileSync(join(otherDir, "bin/comms"), "#!/bin/sh\necho wrong libc\nexit 9\n", { mode: 0o755 });
    try {
      const r = Bun.spawnSync([NODE!, launcher, "x"], { stdout: "pipe", stderr: "pipe" });
      expect(r.stdout.toString()).toBe("args:1\narg:x\n");
      expect(r.exitCode).toBe(7);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  test("stdin reaches the binary", () => {
    const r = Bun.spawnSync([NODE!, launcher, "stdin"], { stdin: Buffer.from("hello there\n"), stdout: "pipe", stderr: "pipe" });
    expect(r.stdout.toString()).toContain("stdin:hello there\n");
  });

  test("SIGTERM sent to the launcher reaches the binary; a binary killed by a signal kills the launcher with it", async () => {
    const ready = join(dir, "ready");
    const p = Bun.spawn([NODE!, launcher, "wait"], { stdout: "ignore", stderr: "pipe", env: { ...process.env, PROBE_READY: ready } });
    const stderr = new Response(p.stderr).text();
    // The script marks itself running, by which time the launcher has set its handlers.
    for (let i = 0; i < 200 && !existsSync(ready); i++) await Bun.sleep(50);
    p.kill("SIGTERM");
    await p.exited;
    expect(await stderr).toBe("got TERM\n");
    expect(p.exitCode).toBe(143);

    const die = Bun.spawnSync([NODE!, launcher, "die"], { stdout: "pipe", stderr: "pipe" });
    expect(die.signalCode).toBe("SIGTERM");
  }, 600_000);
});
