#!/usr/bin/env bun
/**
 * Fetches the real GitHub GraphQL schema versions that tests compare when they are present
 * (`test/kinds/graphql/narrow.test.ts` and `simplify.test.ts`: narrowing and simplification must never
 * lose a finding),
 * into .cache/bench/gh-<version>/. Without the npm registry those tests skip and say so.
 *
 *   npx bun scripts/fetch-real-pairs.ts
 */
import { join } from "node:path";
import { CACHE, fetchPackage } from "./bench-lib.ts";

// 3.0.0 → 6.2.1 adds descriptions and interfaces beside type changes and argument additions;
// 6.70.1 → 7.0.0 and 7.7.1 → 8.0.0 change input types read by unchanged argument defaults.
const VERSIONS = ["3.0.0", "6.2.1", "6.70.1", "7.0.0", "7.7.1", "8.0.0"];

for (const v of VERSIONS) fetchPackage("@octokit/graphql-schema", v, join(CACHE, `gh-${v}`));
console.log(`GitHub GraphQL schemas ${VERSIONS.join(", ")} in ${CACHE}`);
