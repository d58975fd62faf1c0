#!/usr/bin/env bun
/**
 * Fetches the real schema versions that tests compare when they are present, into .cache/bench/:
 * - GitHub's GraphQL schema (`@octokit/graphql-schema`) into gh-<version>/, read by
 *   `test/kinds/graphql/narrow.test.ts` and `simplify.test.ts` (narrowing and simplification must
 *   never lose a finding);
 * - GitHub's REST description (`@octokit/openapi`) into openapi/o-<version>/, read by
 *   `test/kinds/openapi/real-pairs.test.ts` (branches moved to components, unwrapped oneOfs,
 *   properties rewritten as oneOf, judged on real history), and Digdir's Dialogporten description
 *   (`@digdir/dialogporten-schema`) into openapi/dp-<version>/ for the same test.
 * Without the npm registry those tests skip and say so.
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

// 17.0.0 → 23.0.2: rule branches moved from inline to components, a one-branch oneOf unwrapped,
// `integration.owner` and `event.payload` rewritten as oneOf. The same directory as the OpenAPI benchmark.
const OPENAPI = ["17.0.0", "23.0.2"];
for (const v of OPENAPI) fetchPackage("@octokit/openapi", v, join(CACHE, "openapi", `o-${v}`));
console.log(`GitHub REST descriptions ${OPENAPI.join(", ")} in ${join(CACHE, "openapi")}`);

// 1.47.5 → 1.118.6: one-branch oneOf wrappers now pointing to renamed components with changes inside.
const DIALOGPORTEN = ["1.47.5-431c529", "1.118.6"];
for (const v of DIALOGPORTEN) fetchPackage("@digdir/dialogporten-schema", v, join(CACHE, "openapi", `dp-${v}`));
console.log(`Dialogporten descriptions ${DIALOGPORTEN.join(", ")} in ${join(CACHE, "openapi")}`);
