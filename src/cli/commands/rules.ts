import { defineCommand } from "citty";
import { KIND_IDS, type KindId } from "../../core/engine.ts";
import { InputError, UsageError } from "../../core/errors.ts";
import type { RuleInfo } from "../../core/rule.ts";
import { getEngine } from "../../kinds/index.ts";
import { globalArgs, globalOptions, kindOption } from "../args.ts";
import { setLogLevel } from "../logger.ts";
import { writeOut } from "../io.ts";

/** Rules of the given kinds, kinds whose engine is not in this build contribute none. */
export async function allRules(kinds: readonly KindId[] = KIND_IDS): Promise<RuleInfo[]> {
  const lists = await Promise.all(kinds.map(async (k) => (await getEngine(k)).rules()));
  return lists.flat();
}

function explain(r: RuleInfo): string {
  const lines = [`${r.id}  (${r.kind}, ${r.severity}${r.categories?.length ? `, ${r.categories.join(", ")}` : ""})`, "", r.summary];
  if (r.why) lines.push("", `Why: ${r.why}`);
  if (r.example) lines.push("", "Example:", `  old: ${r.example.old}`, `  new: ${r.example.new}`);
  if (r.fix) lines.push("", `How to fix: ${r.fix}`);
  return `${lines.join("\n")}\n`;
}

function table(rules: RuleInfo[]): string {
  const w = Math.max(4, ...rules.map((r) => r.id.length));
  const rows = rules.map((r) => `${r.kind.padEnd(8)}  ${r.id.padEnd(w)}  ${r.severity.padEnd(9)}  ${r.summary}`);
  return `${["kind".padEnd(8), "rule".padEnd(w), "severity".padEnd(9), "summary"].join("  ")}\n${rows.join("\n")}\n${rules.length} rules\n`;
}

export default defineCommand({
  meta: { name: "rules", description: "List the rules of every kind (or one kind), or explain one rule" },
  args: {
    id: { type: "positional", description: "Rule id to explain", required: false },
    kind: { type: "string", description: `Only this kind: ${KIND_IDS.join(", ")}`, valueHint: "kind" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const kindFlag = kindOption(args.kind);
    const rules = await allRules(kindFlag ? [kindFlag] : KIND_IDS);
    const selected = args.id ? rules.filter((r) => r.id === args.id || r.id.toLowerCase() === String(args.id).toLowerCase()) : rules;
    if (args.id && !selected.length) throw new InputError(`unknown rule '${args.id}' (list them with 'comms rules')`);
    if (opts.format === "json") writeOut(`${JSON.stringify(selected, null, 2)}\n`);
    else if (args.id) writeOut(selected.map(explain).join("\n"));
    else if (opts.format === "markdown") {
      const esc = (s: string) => s.replace(/\|/g, "\\|");
      writeOut(
        `| kind | rule | severity | summary |\n|---|---|---|---|\n${selected.map((r) => `| ${r.kind} | \`${r.id}\` | ${r.severity} | ${esc(r.summary)} |`).join("\n")}\n`,
      );
    } else if (opts.format === "text") writeOut(table(selected));
    else throw new UsageError(`'comms rules' prints text, json or markdown, not ${opts.format}`);
    return 0;
  },
});
