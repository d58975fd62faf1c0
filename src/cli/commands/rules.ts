import { defineCommand } from "citty";
import { KIND_IDS, type KindId } from "../../core/engine.ts";
import { InputError, UsageError } from "../../core/errors.ts";
import type { RuleInfo } from "../../core/rule.ts";
import { getEngine } from "../../kinds/index.ts";
import { jsonDocument, markdownText, oneLine } from "../../report/escape.ts";
import { POLICY_KIND, POLICY_RULES } from "../../report/policy-rules.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { setLogLevel } from "../logger.ts";
import { writeOut } from "../io.ts";

/** Rules of the given kinds (kinds whose engine is not in this build contribute none), then the policy's. */
export async function allRules(kinds: readonly KindId[] = KIND_IDS, policy = true): Promise<RuleInfo[]> {
  const lists = await Promise.all(kinds.map(async (k) => (await getEngine(k)).rules()));
  return [...lists.flat(), ...(policy ? POLICY_RULES : [])];
}

/** `kind/ID`: how a rule is named wherever kinds meet (SARIF, this command). */
export function qualifiedId(r: Pick<RuleInfo, "kind" | "id">): string {
  return `${r.kind}/${r.id}`;
}

/**
 * How to name a rule to `comms rules`: the bare id when one kind alone has it, `kind/ID` when several
 * kinds share it (avro's and asyncapi's TYPE_MISMATCH), so the command explains the rule that fired
 * rather than listing every kind's. The policy's own rules keep their bare id.
 */
export async function ruleName(): Promise<(kind: string, id: string) => string> {
  const kinds = new Map<string, Set<string>>();
  for (const r of await allRules()) {
    const id = r.id.toLowerCase();
    kinds.set(id, (kinds.get(id) ?? new Set()).add(r.kind));
  }
  return (kind, id) => {
    const owners = kinds.get(id.toLowerCase());
    return owners && owners.size > 1 && owners.has(kind) ? `${kind}/${id}` : id;
  };
}

/**
 * The rules an id names: `graphql/FIELD_ADDED` names one; a bare `FIELD_ADDED` names it in every kind
 * that has it. Case does not matter, since ids are typed from memory.
 */
export function findRules(rules: readonly RuleInfo[], id: string): RuleInfo[] {
  const wanted = id.toLowerCase();
  const slash = wanted.indexOf("/");
  if (slash > 0 && rules.some((r) => r.kind === wanted.slice(0, slash))) {
    return rules.filter((r) => qualifiedId(r).toLowerCase() === wanted);
  }
  const found = rules.filter((r) => r.id.toLowerCase() === wanted);
  // A kind's own rule reported on a consumer (`consumer-READER_FIELD_MISSING_DEFAULT_VALUE`) is that rule.
  return found.length || !wanted.startsWith("consumer-") ? found : findRules(rules, id.slice("consumer-".length));
}

function explain(r: RuleInfo): string {
  const facts = [r.kind, r.severity, ...(r.categories ?? [])].join(", ");
  const lines = [`${qualifiedId(r)}  (${facts})`, "", r.summary];
  if (r.why) lines.push("", `Why it matters: ${r.why}`);
  // A multi-line example keeps its lines, indented under its label.
  const example = (label: string, text: string) => text.split("\n").map((l, i) => `${i ? "       " : `  ${label}: `}${l}`);
  if (r.example) lines.push("", "Example:", ...example("old", r.example.old), ...example("new", r.example.new));
  if (r.fix) lines.push("", `How to fix: ${r.fix}`);
  return `${lines.map((l) => oneLine(l)).join("\n")}\n`;
}

/** What a bare id shared by several kinds prints: the kinds, and how to ask for one. */
function ambiguous(id: string, matches: readonly RuleInfo[]): string {
  const w = Math.max(...matches.map((r) => qualifiedId(r).length));
  const rows = matches.map((r) => `  ${qualifiedId(r).padEnd(w)}  ${r.severity.padEnd(9)}  ${oneLine(r.summary)}`);
  return `'${oneLine(id)}' is a rule of ${matches.length} kinds (${matches.map((r) => r.kind).join(", ")}):\n${rows.join("\n")}\nExplain one with: comms rules ${qualifiedId(matches[0]!)}\n`;
}

function table(rules: readonly RuleInfo[]): string {
  const k = Math.max(4, ...rules.map((r) => r.kind.length));
  const w = Math.max(4, ...rules.map((r) => r.id.length));
  const rows = rules.map((r) => `${r.kind.padEnd(k)}  ${r.id.padEnd(w)}  ${r.severity.padEnd(9)}  ${oneLine(r.summary)}`);
  return `${["kind".padEnd(k), "rule".padEnd(w), "severity".padEnd(9), "summary"].join("  ")}\n${rows.join("\n")}\n${rules.length} rules\n`;
}

/** `--kind`: an engine kind, or `policy` for the gate's own rules. */
function kindFilter(value: unknown): { kinds: KindId[]; policy: boolean } {
  if (value === undefined) return { kinds: [...KIND_IDS], policy: true };
  if (value === POLICY_KIND) return { kinds: [], policy: true };
  if ((KIND_IDS as readonly unknown[]).includes(value)) return { kinds: [value as KindId], policy: false };
  throw new UsageError(`unknown --kind '${String(value)}' (expected one of ${[...KIND_IDS, POLICY_KIND].join(", ")})`);
}

export default defineCommand({
  meta: { name: "rules", description: "List the rules of every kind (or one kind), or explain one rule" },
  args: {
    id: { type: "positional", description: "Rule id to explain: FIELD_REMOVED, or kind/id where kinds share it (protobuf/FIELD_ADDED)", required: false },
    kind: { type: "string", description: `Only this kind: ${[...KIND_IDS, POLICY_KIND].join(", ")}`, valueHint: "kind" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const filter = kindFilter(args.kind);
    const rules = await allRules(filter.kinds, filter.policy);
    const id = typeof args.id === "string" ? args.id : undefined;
    const selected = id === undefined ? rules : findRules(rules, id);
    if (id !== undefined && !selected.length) throw new InputError(`unknown rule '${id}' (list them with 'comms rules')`);
    if (opts.format === "json") writeOut(jsonDocument(selected));
    else if (id !== undefined && opts.format === "text") writeOut(selected.length > 1 ? ambiguous(id, selected) : explain(selected[0]!));
    else if (opts.format === "markdown") {
      const rows = selected.map((r) => `| ${r.kind} | \`${r.id}\` | ${r.severity} | ${markdownText(r.summary)} |`);
      writeOut(`| kind | rule | severity | summary |\n|---|---|---|---|\n${rows.join("\n")}\n`);
    } else if (opts.format === "text") writeOut(table(selected));
    else throw new UsageError(`'comms rules' prints text, json or markdown, not ${opts.format}`);
    return 0;
  },
});
