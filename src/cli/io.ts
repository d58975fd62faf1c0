import { fstatSync, writeSync } from "node:fs";
import { sleepSync } from "../core/lock.ts";

// Touching process.stdout or process.stderr makes Bun build Node streams, about 20 ms at start-up:
// more than the rest of a no-change pre-commit run. comms writes whole reports synchronously instead.

/** Whether a file descriptor is a terminal (a character device; /dev/null counts too, harmlessly). */
export function isTerminal(fd: 1 | 2): boolean {
  try {
    return fstatSync(fd).isCharacterDevice();
  } catch {
    return false;
  }
}

function writeAll(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      // A non-blocking pipe that is full: wait for the reader rather than lose output.
      if ((e as NodeJS.ErrnoException).code === "EAGAIN") sleepSync(1);
      else if ((e as NodeJS.ErrnoException).code === "EPIPE") return;
      else throw e;
    }
  }
}

/** Writes to stdout, completely, before returning. */
export function writeOut(text: string): void {
  writeAll(1, text);
}

/** Writes to stderr, completely, before returning. */
export function writeErr(text: string): void {
  writeAll(2, text);
}
