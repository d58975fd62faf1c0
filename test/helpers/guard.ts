import { expect } from "bun:test";

/**
 * How far above its quiet-machine time bounded work may run before a test calls it unbounded. Cost bombs
 * (exponential expansion, quadratic scans, a read that never returns) take orders of magnitude longer or
 * forever; a busy machine (a build beside the tests, a shared CI runner) takes a few times longer. The
 * guard tells them apart without making the answer depend on the machine's speed.
 */
export const GUARD_FACTOR = 30;

/** Fails, with its own message, when `ms` is beyond the guard of work that takes about `quietMs` on a quiet machine. */
export function expectBounded(ms: number, quietMs: number): void {
  const limit = Math.max(quietMs * GUARD_FACTOR, 30_000);
  expect(ms < limit ? "bounded" : `took ${Math.round(ms)} ms, over the guard of ${limit} ms (about ${quietMs} ms on a quiet machine): unbounded work?`).toBe("bounded");
}
