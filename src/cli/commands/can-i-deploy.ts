import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import { canIDeploy, parseTarget, type Matrix, type Pair } from "../../gate/consumers-deploy.ts";
import { checkEnvName } from "../../registry/deployments.ts";
import { projectRegistry } from "../../registry/store.ts";
import { jsonDocument, markdownCode, markdownText, terminalText } from "../../report/escape.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { writeErr, writeOut } from "../io.ts";
import { loadProject } from "../project.ts";

const at = (t: { contract: string; version: string }) => `${t.contract}@${t.version}`;
const where = (f: Finding) => (f.new ? `${f.new.file}:${f.new.line}:${f.new.column}` : f.consumer?.location ? `${f.consumer.location.file}:${f.consumer.location.line}:${f.consumer.location.column}` : "");
const STATUS: Record<Pair["status"], string> = { compatible: "ok", breaks: "BREAKS", "not deployed": "not deployed", "not judged": "not judged" };

export function renderText(m: Matrix): string {
  const out = [`can-i-deploy ${m.targets.map((t) => terminalText(at(t))).join(", ")} to ${terminalText(m.env)}: ${m.verdict === "pass" ? "yes" : "no"}`];
  if (!m.pairs.length) out.push("  no consumer or provider of these contracts is declared in comms.yaml");
  const rows = m.pairs.map((p) => [terminalText(at(p.consumer)), terminalText(at(p.provider)), STATUS[p.status]]);
  const w = [0, 1].map((i) => Math.max(8, ...rows.map((r) => r[i]!.length)));
  if (rows.length) out.push(`  ${"consumer".padEnd(w[0]!)}  ${"provider".padEnd(w[1]!)}  result`);
  for (const [i, p] of m.pairs.entries()) {
    const r = rows[i]!;
    out.push(`  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}${p.note ? ` (${terminalText(p.note)})` : ""}`);
    for (const f of p.findings) out.push(`      ${where(f)}  ${f.severity}  ${terminalText(f.rule)}  ${terminalText(f.message)}`);
  }
  return `${out.join("\n")}\n`;
}

export function renderMarkdown(m: Matrix): string {
  const out = [`### can-i-deploy to ${markdownText(m.env)}: ${m.verdict === "pass" ? "yes" : "**no**"}`, "", `Deploying ${m.targets.map((t) => markdownCode(at(t))).join(", ")}.`, ""];
  if (m.pairs.length) {
    out.push("| consumer | provider | result | findings |", "| --- | --- | --- | --- |");
    for (const p of m.pairs) {
      const findings = p.findings.map((f) => `${markdownCode(f.rule)} ${markdownText(f.message)}`).join("<br>") || (p.note ? markdownText(p.note) : "");
      out.push(`| ${markdownCode(at(p.consumer))} | ${markdownCode(at(p.provider))} | ${STATUS[p.status]} | ${findings} |`);
    }
  } else out.push("No consumer or provider of these contracts is declared in comms.yaml.");
  if (m.next.length) out.push("", "**Next step**", "", ...m.next.map((n) => `- ${markdownText(n)}`));
  return `${out.join("\n")}\n`;
}

export default defineCommand({
  meta: {
    name: "can-i-deploy",
    description:
      "Answer from the deployment records whether released versions can be deployed to an environment: a provider version against every consumer deployed there, a consumer version against the provider version deployed there, in this repository or (with shared deployment records) in the repositories under sources:. Exit 0 (yes) or 1 (no), with the matrix of pairs checked and, when no, what to deploy first.",
  },
  args: {
    targets: { type: "positional", required: true, description: "Released versions to deploy together", valueHint: "contract@version…" },
    env: { type: "string", required: true, description: "Environment name", valueHint: "env" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    if (!["text", "json", "markdown"].includes(opts.format)) throw new UsageError(`comms can-i-deploy prints text, json or markdown, not '${opts.format}'`);
    const project = loadProject(opts, true)!;
    const registry = projectRegistry(project, opts.cwd);
    const raw = ((args._ as string[] | undefined) ?? []).length ? (args._ as string[]) : [String(args.targets)];
    const targets = raw.map((t) => parseTarget(project, registry, t));
    const env = checkEnvName(String(args.env));
    const failOn = opts.failOn ?? project.config.policy?.["fail-on"] ?? "breaking";
    const matrix = await canIDeploy(project, targets, env, failOn, { offline: opts.offline, note: (n) => !opts.quiet && writeErr(`comms: ${terminalText(n)}\n`) });
    if (opts.format === "json") writeOut(jsonDocument(matrix));
    else if (opts.format === "markdown") writeOut(renderMarkdown(matrix));
    else writeOut(renderText(matrix));
    if (matrix.next.length && !opts.quiet) writeErr(`comms: what to do next:\n${matrix.next.map((n) => `  ${terminalText(n)}`).join("\n")}\n`);
    return matrix.verdict === "pass" ? 0 : 1;
  },
});
