import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, RegistryError } from "../../src/core/errors.ts";
import type { VersionEntry } from "../../src/registry/store.ts";
import { checkLedger } from "../../src/sources/ledger.ts";

// The ledger of another repository's releases: a release seen once may not change or vanish, and
// several comms at once on one cache keep every release any of them saw.

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), "comms-ledger-"));
  dirs.push(d);
  return d;
};

const URL = "https://git.example.com/pagos.git";
const release = (version: string, hash = `sha256:${version}`) => ({ contract: "pagos-api", version, hash }) as VersionEntry;
const seen = (file: string) => Object.keys(JSON.parse(readFileSync(file, "utf8")).releases).sort();

describe("ledger of releases seen", () => {
  const cases: Array<{ name: string; before: VersionEntry[]; now: VersionEntry[]; error?: string; after?: string[] }> = [
    { name: "new releases are recorded", before: [release("1.0.0")], now: [release("1.0.0"), release("1.1.0")], after: ["pagos-api@1.0.0", "pagos-api@1.1.0"] },
    { name: "a release whose hash changed is refused", before: [release("1.0.0")], now: [release("1.0.0", "sha256:other")], error: "release pagos-api@1.0.0 has a different hash" },
    { name: "a release that vanished is refused", before: [release("1.0.0"), release("1.1.0")], now: [release("1.1.0")], error: "release pagos-api@1.0.0 is gone from its registry" },
    { name: "a key named __proto__ is a release like any other", before: [{ ...release("1.0.0"), contract: "__proto__" }], now: [release("1.0.0")], error: "release __proto__@1.0.0 is gone" },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const file = join(temp(), "ledger.json");
      checkLedger(file, "pagos", URL, c.before);
      if (c.error) {
        expect(() => checkLedger(file, "pagos", URL, c.now)).toThrow(RegistryError);
        expect(() => checkLedger(file, "pagos", URL, c.now)).toThrow(c.error);
      } else {
        checkLedger(file, "pagos", URL, c.now);
        expect(seen(file)).toEqual(c.after!);
      }
      expect(existsSync(`${file}.lock`)).toBe(false);
    });
  }

  test("two comms at once: the one that read second waits, and neither loses what the other recorded", () => {
    const dir = temp();
    const file = join(dir, "ledger.json");
    const marker = join(dir, "read");
    const script = join(dir, "run.ts");
    // A process that has read the ledger and holds it for a second before writing.
    writeFileSync(
      script,
      `import { writeFileSync } from "node:fs";
import { checkLedger } from ${JSON.stringify(join(import.meta.dir, "../../src/sources/ledger.ts"))};
const [file, marker, versions, hold] = process.argv.slice(2);
const releases = versions.split(",").map((version) => ({ contract: "pagos-api", version, hash: "sha256:" + version }));
checkLedger(file, "pagos", "u", releases, { whileLocked: () => { if (hold !== "0") { writeFileSync(marker, ""); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(hold)); } } });
`,
    );
    const slow = Bun.spawn([process.execPath, script, file, marker, "1.0.0,1.1.0", "1500"], { stdout: "pipe", stderr: "pipe" });
    while (!existsSync(marker)) Bun.sleepSync(5);
    // The first still holds what it read (nothing yet): this one sees a newer state of the remote.
    const fast = Bun.spawnSync([process.execPath, script, file, marker, "1.0.0,1.1.0,1.2.0", "0"], { stdout: "pipe", stderr: "pipe" });
    expect(fast.stderr.toString()).toBe("");
    expect(fast.exitCode).toBe(0);
    return slow.exited.then((code) => {
      expect(code).toBe(0);
      expect(seen(file)).toEqual(["pagos-api@1.0.0", "pagos-api@1.1.0", "pagos-api@1.2.0"]);
      expect(existsSync(`${file}.lock`)).toBe(false);
    });
  }, 60_000);

  test("a lock held by a live process past the wait is exit 2 naming it; one left by a dead process is taken over", () => {
    const dir = temp();
    const file = join(dir, "ledger.json");
    const host = hostname();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.ppid, host }));
    const err = (() => {
      try {
        checkLedger(file, "pagos", URL, [release("1.0.0")], { lockTimeoutMs: 200 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(`its ledger ${file} is locked by process ${process.ppid} on ${host}`);
    expect(existsSync(file)).toBe(false);

    // A pid no process has (above the kernel's limit).
    writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 1, host }));
    checkLedger(file, "pagos", URL, [release("1.0.0")], { lockTimeoutMs: 200 });
    expect(seen(file)).toEqual(["pagos-api@1.0.0"]);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
