import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock } from "../../src/core/lock.ts";

const dir = mkdtempSync(join(tmpdir(), "comms-lock-"));
// A process that stays alive for the length of the tests: a holder that is not stale.
const sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
afterAll(() => {
  sleeper.kill();
  rmSync(dir, { recursive: true, force: true });
});

class Failed extends Error {}
class TimedOut extends Error {}
const failures = { failed: (e: unknown) => new Failed((e as Error).message), timeout: (who: string) => new TimedOut(who) };

let n = 0;
/** A fresh lock path with `setup` applied to it. */
function lockWith(setup: (lock: string) => void): string {
  const lock = join(dir, `lock-${n++}`);
  setup(lock);
  return lock;
}
const holder = (pid: number) => `${JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() })}\n`;
const aged = (lock: string, seconds: number) => utimesSync(lock, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));

describe("acquireLock", () => {
  const taken: Array<[string, (lock: string) => void]> = [
    ["no lock yet", () => {}],
    ["a lock whose process is gone", (lock) => writeFileSync(lock, holder(2 ** 22 + 17))],
    ["a lock of an older comms (a bare pid), over 10 s old", (lock) => (writeFileSync(lock, "12345\n"), aged(lock, 11))],
    ["a lock over an hour old, even of a live process", (lock) => (writeFileSync(lock, holder(sleeper.pid!)), aged(lock, 3601))],
  ];
  for (const [name, setup] of taken) {
    test(`taken: ${name}; released, the file is gone`, () => {
      const lock = lockWith(setup);
      const release = acquireLock(lock, 200, failures);
      expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(process.pid);
      release();
      expect(existsSync(lock)).toBe(false);
    });
  }

  const waited: Array<[string, (lock: string) => void, string]> = [
    ["a lock of a live process", (lock) => writeFileSync(lock, holder(sleeper.pid!)), `process ${sleeper.pid} on ${hostname()}`],
    ["a lock of an older comms, brand new", (lock) => writeFileSync(lock, "12345\n"), "an unknown process"],
  ];
  for (const [name, setup, who] of waited) {
    test(`held: ${name} is waited for, then a timeout naming the holder`, () => {
      const lock = lockWith(setup);
      const before = readFileSync(lock, "utf8");
      expect(() => acquireLock(lock, 200, failures)).toThrow(new TimedOut(who));
      expect(readFileSync(lock, "utf8")).toBe(before);
    });
  }

  // A repository can hold a directory or a link where the lock goes: without this, the wait never ended.
  const refused: Array<[string, (lock: string) => void]> = [
    ["a directory", (lock) => mkdirSync(join(lock, "inside"), { recursive: true })],
    ["a link to a file", (lock) => symlinkSync("/etc/hostname", lock)],
    ["a dangling link", (lock) => symlinkSync(join(dir, "nowhere"), lock)],
  ];
  for (const [name, setup] of refused) {
    test(`refused at once: ${name} in the place of the lock`, () => {
      const lock = lockWith(setup);
      expect(() => acquireLock(lock, 60_000, failures)).toThrow(new Failed(`lock-${n - 1} is not a lock file comms wrote (a directory, a link or unreadable); remove it if no comms is running`));
    });
  }

  test("a release leaves a lock taken over by someone else in place", () => {
    const lock = lockWith(() => {});
    const release = acquireLock(lock, 200, failures);
    writeFileSync(lock, holder(sleeper.pid!));
    release();
    expect(JSON.parse(readFileSync(lock, "utf8")).pid).toBe(sleeper.pid!);
  });
});
