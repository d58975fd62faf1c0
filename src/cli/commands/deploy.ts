import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import { policyNow } from "../../policy/clock.ts";
import { appendDeployment, checkEnvName, whoAmI } from "../../registry/deployments.ts";
import { projectRegistry } from "../../registry/store.ts";
import { parseTarget } from "../../gate/consumers-deploy.ts";
import { terminalText } from "../../report/escape.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { writeErr, writeOut } from "../io.ts";
import { loadProject } from "../project.ts";

export default defineCommand({
  meta: {
    name: "deploy",
    description:
      "Record that a released version of a contract (provider or consumer) is deployed in an environment: an append-only, hash-chained record in the registry, with who and when. Commit it; comms can-i-deploy answers from these records.",
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
    const record = appendDeployment(registry, { ...target, env, by: whoAmI(project.root), date: policyNow().toISOString() });
    if (opts.format === "json") writeOut(`${JSON.stringify(record, null, 2)}\n`);
    else writeOut(`recorded: ${terminalText(record.contract)}@${record.version} deployed to ${terminalText(env)} by ${terminalText(record.by)} at ${record.date} (record #${record.seq})\n`);
    if (!opts.quiet) writeErr(`comms: commit ${terminalText(registry.display(`${registry.dir}/_deployments/${env}.jsonl`))} so that every checkout sees it\n`);
    return 0;
  },
});
