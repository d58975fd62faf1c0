import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Real pact files written by the Pact consumer DSL (`@pact-foundation/pact`, run with node): one v3 file
 * (web-pedidos-api.json: GET /orders/1 with integer, regex, eachLike and decimal matchers) and one v4 file
 * (web4-pedidos-api.json: POST /orders and an asynchronous message). Returns the directory.
 */
export function generatedPacts(): string {
  const dir = mkdtempSync(join(tmpdir(), "comms-pacts-"));
  const r = Bun.spawnSync(["node", join(import.meta.dir, "pact-gen.mjs"), dir], { stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  if (r.exitCode !== 0) throw new Error(`the Pact DSL could not write pact files (exit ${r.exitCode}): ${r.stderr.toString()}`);
  return dir;
}
