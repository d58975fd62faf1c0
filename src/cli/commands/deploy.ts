import { spawnSync } from "node:child_process";
import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import { policyNow } from "../../policy/clock.ts";
import { appendDeployment, checkEnvName, whoAmI } from "../../registry/deployments.ts";
import { maxFileBytes, projectRegistry } from "../../registry/store.ts";
import { appendShared, sharedDeployments } from "../../sources/deployments-remote.ts";
import { parseTarget } from "../../gate/consumers-deploy.ts";
import { terminalText } from "../../report/escape.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { writeErr, writeOut } from "../io.ts";
import { loadProject } from "../project.ts";

/** The committer's e-mail on the shared records: git's user.email here, else a placeholder git accepts. */
function emailOf(cwd: string): string {
  const r = spawnSync("git", ["config", "user.email"], { cwd, encoding: "utf8", timeout: 5000 });
  const email = r.status === 0 ? r.stdout.trim().replace(/[\u0000-\u001f\u007f<>]/g, "") : "";
  return email || "comms@localhost";
}

export default defineCommand({
  meta: {
    name: "deploy",
    description:
      "Record that a released version of a contract (provider or consumer) is deployed in an environment: an append-only, hash-chained record in the registry (commit it), or pushed to the shared repository named by deployments: in comms.yaml. comms can-i-deploy answers from these records.",
  },
  args: {
    target: { type: "positional", required: true, description: "The released version deployed", valueHint: "contract@version" },
    env: { type: "string", required: true, description: "Environment name (prod, staging...)", valueHint: "env" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    if (opts.format !== "text" && opts.format !== "json") throw new UsageError(`comms deploy prints text or json, not '${opts.format}'`);
    const project = loadProject(opts, true)!;
    const registry = projectRegistry(project, opts.cwd);
    const target = parseTarget(project, registry, String(args.target));
    const env = checkEnvName(String(args.env));
    const shared = sharedDeployments(project, maxFileBytes(project));
    if (shared) {
      if (opts.offline) throw new UsageError("comms deploy pushes to the shared deployment records and cannot run --offline");
      const by = whoAmI(project.root);
      const { record, commit, attempts } = await appendShared(shared, { ...target, env, by, date: policyNow().toISOString() }, { name: by, email: emailOf(project.root) });
      if (opts.format === "json") writeOut(`${JSON.stringify(record, null, 2)}\n`);
      else writeOut(`recorded: ${terminalText(record.contract)}@${record.version} deployed to ${terminalText(env)} by ${terminalText(record.by)} at ${record.date} (record #${record.seq}, pushed to ${terminalText(shared.shown)} ${terminalText(shared.ref)} as ${commit.slice(0, 12)})\n`);
      if (attempts > 1 && !opts.quiet) writeErr(`comms: pushed on attempt ${attempts}: other deployments landed first and the record was appended after them\n`);
      return 0;
    }
    const record = appendDeployment(registry, { ...target, env, by: whoAmI(project.root), date: policyNow().toISOString() });
    if (opts.format === "json") writeOut(`${JSON.stringify(record, null, 2)}\n`);
    else writeOut(`recorded: ${terminalText(record.contract)}@${record.version} deployed to ${terminalText(env)} by ${terminalText(record.by)} at ${record.date} (record #${record.seq})\n`);
    if (!opts.quiet) writeErr(`comms: commit ${terminalText(registry.display(`${registry.dir}/_deployments/${env}.jsonl`))} so that every checkout sees it\n`);
    return 0;
  },
});
