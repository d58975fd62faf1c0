// Loaded before src/main.ts by runCliPeak: at exit, the process's own peak resident memory is written
// to COMMS_PEAK_FILE, in bytes. Linux's VmHWM starts afresh with the program; getrusage's maxrss
// carries the peak of the process that spawned it over exec, so it is only the fallback elsewhere.
import { readFileSync, writeFileSync } from "node:fs";

function peakBytes(): number {
  try {
    const m = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // No /proc here.
  }
  return process.resourceUsage().maxRSS * 1024;
}

const out = process.env.COMMS_PEAK_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(peakBytes())));
