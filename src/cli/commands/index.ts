import type { CommandDef } from "citty";

/** Commands, loaded on first use so that `comms --version` and hooks start fast. */
export const commands: Record<string, () => Promise<CommandDef<any>>> = {
  check: () => import("./check.ts").then((m) => m.default),
  "can-i-deploy": () => import("./can-i-deploy.ts").then((m) => m.default),
  deploy: () => import("./deploy.ts").then((m) => m.default),
  diff: () => import("./diff.ts").then((m) => m.default),
  fetch: () => import("./fetch.ts").then((m) => m.default),
  hook: () => import("./hook.ts").then((m) => m.default),
  init: () => import("./init.ts").then((m) => m.default),
  log: () => import("./log.ts").then((m) => m.default),
  release: () => import("./release.ts").then((m) => m.default),
  rules: () => import("./rules.ts").then((m) => m.default),
};

/** One-line descriptions for the root help, without loading any command. */
export const summaries: Record<string, string> = {
  diff: "Compare two versions of a contract: files, directories, git refs or released versions",
  check: "Gate: compare contracts with their last release (or a git ref) and apply policy",
  release: "Record the current contract as a new version (bump computed from the diff)",
  log: "List released versions and what changed between them",
  init: "Find contracts in the repository and write comms.yaml",
  hook: "Install the git pre-commit hook",
  rules: "List the rules of every kind, or explain one",
  deploy: "Record that a released version is deployed in an environment",
  fetch: "Fetch the other repositories named under sources: into the local cache",
  "can-i-deploy": "Answer whether released versions can be deployed to an environment, from the deployment records",
};
