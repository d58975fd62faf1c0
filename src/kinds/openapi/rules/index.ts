import type { DiffContext } from "../context.ts";
import * as components from "./components.ts";
import * as operations from "./operations.ts";
import * as parameters from "./parameters.ts";
import * as requestBody from "./request-body.ts";
import * as responses from "./responses.ts";
import * as security from "./security.ts";
import * as versioning from "./versioning.ts";

/** A rule family: the ids it reports directly (schema ids are derived) and its check. */
export interface Family {
  name: string;
  ids: readonly string[];
  check(cx: DiffContext): void;
}

/** Every family, reached through static imports so the compiled binary needs no directory scan. */
export const families: readonly Family[] = [
  { name: "components", ...components },
  { name: "operations", ...operations },
  { name: "parameters", ...parameters },
  { name: "request-body", ...requestBody },
  { name: "responses", ...responses },
  { name: "security", ...security },
  // Last: it judges info.version against what the others found.
  { name: "versioning", ...versioning },
];
