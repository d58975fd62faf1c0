import { expect } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliResult } from "../helpers/cli.ts";
import { TempRepo } from "../e2e/gate-helpers.ts";

export { SCHEMA_V1, TempRepo } from "../e2e/gate-helpers.ts";

/** A string that must never appear in any output: it only exists outside the project. */
export const SECRET = "SECRET-7f3a9c-outside-the-project";

/** A project (git repository) and a sibling directory outside it holding a secret and a victim folder. */
export class Attack {
  readonly repo = new TempRepo();
  readonly outside = mkdtempSync(join(tmpdir(), "comms-outside-"));

  constructor() {
    writeFileSync(join(this.outside, "secret.yaml"), `openapi: 3.0.3\ninfo: { title: ${SECRET}, version: 1.0.0 }\npaths: {}\ncomponents:\n  schemas:\n    S: { type: string, enum: [${SECRET}] }\n`);
    writeFileSync(join(this.outside, "secret.graphql"), `type Query { ${SECRET.replace(/-/g, "_")}: Int }\n`);
  }

  get dir(): string {
    return this.repo.dir;
  }

  comms(...args: string[]): CliResult {
    return this.repo.comms(...args);
  }

  /** Every file below the outside directory, to prove nothing was written or deleted there. */
  outsideTree(): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string, prefix: string) => {
      if (!existsSync(d)) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
        else out[`${prefix}${e.name}`] = e.isFile() ? readFileSync(join(d, e.name), "utf8") : "(special)";
      }
    };
    walk(this.outside, "");
    return out;
  }

  cleanup(): void {
    rmSync(this.repo.dir, { recursive: true, force: true });
    rmSync(this.outside, { recursive: true, force: true });
  }
}

/** The safe outcome of an attack: exit 2, one line on stderr with `needle`, no secret anywhere, no stack trace. */
export function refusedSafely(r: CliResult, needle: string | RegExp): void {
  const all = r.stdout + r.stderr;
  expect(all).not.toContain(SECRET);
  expect(all).not.toContain(SECRET.replace(/-/g, "_"));
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  if (typeof needle === "string") expect(r.stderr).toContain(needle);
  else expect(r.stderr).toMatch(needle);
}

/** Runs `fn` and returns how long it took, in milliseconds. */
export function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const out = fn();
  return [out, performance.now() - start];
}
