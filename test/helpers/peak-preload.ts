// Loaded before src/main.ts by runCliPeak: at exit, the process's own peak resident memory is written
// to COMMS_PEAK_FILE, in bytes (the kernel counts it per process; a parent's figures mix its children).
import { writeFileSync } from "node:fs";

const out = process.env.COMMS_PEAK_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
