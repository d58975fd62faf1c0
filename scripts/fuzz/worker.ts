/**
 * A long-lived comms process that runs one CLI invocation per request, in process: the parent gives
 * it files (its stdout and stderr) and sends `{ id, dir, args }` over IPC; it answers with the exit
 * code, the time taken and its memory. A hang, a crash or a runaway allocation ends only this process,
 * which the parent detects and replaces.
 */
import { ftruncateSync, writeSync } from "node:fs";
import { describeFailure, run } from "../../src/main.ts";

interface Request {
  id: number;
  dir: string;
  args: string[];
}

/** Thrown in place of exiting: library code must never end the process. */
class ExitCalled extends Error {}

let current: number | undefined;
let exitCalls = 0;
let uncaught: string | undefined;

const exit = process.exit.bind(process);
// Orphaned (the fuzzer was stopped): nothing will ask for more runs.
process.on("disconnect", () => exit(0));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) exit(0);
}, 1000).unref();
process.exit = ((code?: number) => {
  exitCalls++;
  throw new ExitCalled(`process.exit(${code ?? ""}) called`);
}) as typeof process.exit;
process.on("uncaughtException", (e) => {
  uncaught = `uncaught exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
});
process.on("unhandledRejection", (e) => {
  uncaught = `unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
});

async function handle(req: Request): Promise<void> {
  current = req.id;
  exitCalls = 0;
  uncaught = undefined;
  // Both streams are files opened for appending: emptying them starts this run's output.
  ftruncateSync(1, 0);
  ftruncateSync(2, 0);
  process.chdir(req.dir);
  process.exitCode = 0;
  const t0 = performance.now();
  let code: number;
  let note: string | undefined;
  try {
    code = await run(req.args);
  } catch (e) {
    if (e instanceof ExitCalled) {
      code = 3;
      note = e.message;
    } else {
      const { message, code: c } = describeFailure(e, true);
      writeSync(2, `${message}\n`);
      code = c;
    }
  }
  const ms = performance.now() - t0;
  const mem = process.memoryUsage();
  process.send!({ id: req.id, code, ms, rss: mem.rss, heap: mem.heapUsed, note: note ?? (exitCalls ? "process.exit called" : undefined) ?? uncaught });
  current = undefined;
}

let queue = Promise.resolve();
process.on("message", (msg: Request) => {
  queue = queue.then(() => handle(msg)).catch((e) => {
    process.send!({ id: current ?? msg.id, code: 3, ms: 0, rss: 0, heap: 0, note: `worker failure: ${String(e)}` });
  });
});
process.send!({ ready: true });
