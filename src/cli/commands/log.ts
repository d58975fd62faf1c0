import { defineCommand } from "citty";
import { InputError, UsageError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import { normalizePath } from "../../core/source.ts";
import type { KindId } from "../../core/engine.ts";
import { verifyHistory } from "../../gate/history.ts";
import { addedIn } from "../../registry/git.ts";
import { projectRegistry, type VersionEntry } from "../../registry/store.ts";
import { subjectVersions, succession } from "../../registry/subjects.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { compareDetailed } from "../compare.ts";
import { setLogLevel } from "../logger.ts";
import { loadProject } from "../project.ts";
import { engineSettings } from "../contracts.ts";
import { writeOut } from "../io.ts";
import { markdownCode, markdownText, terminalText } from "../../report/escape.ts";

/** One version in the log, with what changed since the version before it. */
interface LogEntry {
  version: string;
  date: string;
  commit?: string;
  /** Schema registry subject of the release, and the subject it succeeds when it started a new one. */
  subject?: string;
  predecessor?: string;
  /** Absent for the first release. */
  changes?: { bump: string; breaking: number; dangerous: number; safe: number; findings: Finding[] };
}

interface ContractLog {
  contract: string;
  kind: string;
  /** Set when the log was asked for one subject: its place in the succession. */
  subject?: { name: string; predecessor?: string; successor?: string };
  versions: LogEntry[];
}

const FORMATS = ["text", "markdown", "json"];

function counts(findings: Finding[]) {
  const c = { breaking: 0, dangerous: 0, safe: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

/** "2 breaking, 1 safe: response property 'email' removed …; +2 more" */
export function summaryLine(e: LogEntry): string {
  if (!e.changes) return "first release";
  const { findings } = e.changes;
  if (!findings.length) return "no contract change (formatting or comments only)";
  const parts = (["breaking", "dangerous", "safe"] as const).filter((s) => e.changes![s]).map((s) => `${e.changes![s]} ${s}`);
  const lead = findings.find((f) => !f.cosmetic) ?? findings[0]!;
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : "";
  return `${parts.join(", ")}: ${terminalText(lead.message)}${more}`;
}

function renderText(logs: ContractLog[]): string {
  const out: string[] = [];
  for (const l of logs) {
    out.push(`${terminalText(l.contract)} (${l.kind})${l.subject ? `  subject ${terminalText(l.subject.name)}` : ""}`);
    if (l.subject?.successor) out.push(`  followed by subject ${terminalText(l.subject.successor)}`);
    if (!l.versions.length) out.push("  no release yet");
    const width = Math.max(0, ...l.versions.map((v) => v.version.length));
    for (const v of [...l.versions].reverse()) {
      const commit = v.commit ? `  ${v.commit.slice(0, 7)}` : "";
      out.push(`  ${v.version.padEnd(width)}  ${terminalText(v.date.slice(0, 10))}${commit}  ${summaryLine(v)}${successionText(v, terminalText)}`);
    }
    if (l.subject?.predecessor) out.push(`  follows subject ${terminalText(l.subject.predecessor)}`);
    out.push("");
  }
  return out.join("\n");
}

/** " [new subject b (follows a)]" on the release that started a subject. */
function successionText(v: LogEntry, text: (s: string) => string): string {
  return v.predecessor && v.subject ? ` [new subject ${text(v.subject)} (follows ${text(v.predecessor)})]` : "";
}

function renderMarkdown(logs: ContractLog[]): string {
  const out: string[] = ["# Changelog", ""];
  for (const l of logs) {
    out.push(`## ${markdownText(l.contract)}`, "");
    if (!l.versions.length) out.push("No release yet.", "");
    for (const v of [...l.versions].reverse()) {
      out.push(`### ${markdownText(v.version)} (${markdownText(v.date.slice(0, 10))})`, "");
      if (v.predecessor && v.subject) out.push(`New registry subject ${markdownCode(v.subject)}, following ${markdownCode(v.predecessor)}.`, "");
      if (!v.changes) {
        out.push("First release.", "");
        continue;
      }
      if (!v.changes.findings.length) out.push("No contract change (formatting or comments only).", "");
      for (const sev of ["breaking", "dangerous", "safe"] as const) {
        const fs = v.changes.findings.filter((f) => f.severity === sev);
        if (!fs.length) continue;
        out.push(`**${sev === "breaking" ? "Breaking changes" : sev === "dangerous" ? "Dangerous changes" : "Other changes"}**`, "");
        for (const f of fs) {
          const tail = f.accepted ? ` (accepted: ${markdownText(f.accepted.reason)})` : f.note ? ` (${markdownText(f.note)})` : "";
          out.push(`- ${markdownText(f.message)} ${markdownCode(f.rule)}${tail}`);
        }
        out.push("");
      }
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

export default defineCommand({
  meta: { name: "log", description: "List released versions with their dates and what changed between consecutive ones (--format markdown gives a changelog)" },
  args: {
    name: { type: "positional", description: "Contract name, or a registry subject (its releases and the subjects before and after it); default: every contract", required: false },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    if (!FORMATS.includes(opts.format)) throw new UsageError(`'comms log' writes text, markdown or json, not ${opts.format}`);
    const project = loadProject(opts, true)!;
    // A changelog of rewritten history would hide the rewrite: exit 2, as in check.
    verifyHistory(project, { cwd: opts.cwd });
    const registry = projectRegistry(project, opts.cwd);
    const declared = project.config.contracts;
    const released = new Set(registry.contracts());
    let names = [...new Set([...Object.keys(declared), ...released])].sort();
    // `comms log <subject>`: the releases of one registry subject, with the subjects before and after it.
    let bySubject: { contract: string; name: string } | undefined;
    if (args.name && !Object.hasOwn(declared, args.name) && !released.has(args.name)) {
      const owner = [...released].sort().find((c) => registry.versions(c).some((e) => e.subject === args.name));
      if (owner) bySubject = { contract: owner, name: args.name };
    }
    if (bySubject) names = [bySubject.contract];
    else if (args.name) {
      if (!Object.hasOwn(declared, args.name) && !released.has(args.name)) {
        throw new InputError(`no contract named '${args.name}' in comms.yaml or the registry (contracts: ${names.join(", ") || "none"})`);
      }
      names = [args.name];
    }
    // The commit of a release is the one that added its snapshot (the index's own `commit`, written by
    // older versions of comms, was the checked-out baseline and is not shown).
    const commits = addedIn(project.root, project.registryDir);
    const commitOf = (v: VersionEntry) => commits.get(normalizePath(`${v.contract}/${v.version}`));
    const logs: ContractLog[] = [];
    for (const name of names) {
      const versions = registry.versions(name).reverse();
      const kind = ((Object.hasOwn(declared, name) ? declared[name]!.kind : undefined) ?? versions[0]?.kind ?? "openapi") as KindId;
      const entries: LogEntry[] = [];
      // One lazy reader per version: a snapshot is read (and verified against its hash) once, when a
      // comparison or the deprecation history first needs it.
      const readers = versions.map((e) => registry.reader(e));
      const history = versions.map((e, i) => ({ source: { reader: readers[i]!, path: normalizePath(e.path) }, version: e.version, date: e.date }));
      let prev: { entry: VersionEntry; reader: ReturnType<typeof registry.reader> } | undefined;
      for (const [i, v] of versions.entries()) {
        const commit = commitOf(v);
        const entry: LogEntry = { version: v.version, date: v.date, ...(commit ? { commit } : {}), ...(v.subject ? { subject: v.subject } : {}), ...(v.predecessor ? { predecessor: v.predecessor } : {}) };
        const reader = readers[i]!;
        if (prev) {
          const p = prev.entry;
          const { result } = await compareDetailed({
            contract: name,
            kind,
            old: { source: { reader: prev.reader, path: normalizePath(p.path) }, ref: `${name}@${p.version}`, version: p.version },
            new: { source: { reader, path: normalizePath(v.path) }, ref: `${name}@${v.version}`, version: v.version },
            settings: engineSettings(project, kind, Object.hasOwn(declared, name) ? declared[name] : undefined),
            // The log states what changed; today's accept entries say nothing about past releases.
            policy: project.config.policy ? { ...project.config.policy, accept: undefined } : undefined,
            failOn: "breaking",
            // Judged as on the day of the release, with the releases before it: a removal softened by a
            // deprecation then reads the same in the changelog.
            history: history.slice(0, i),
            now: new Date(v.date),
          });
          entry.changes = { bump: result.suggestedBump, ...counts(result.findings), findings: result.findings };
        }
        entries.push(entry);
        prev = { entry: v, reader };
      }
      if (bySubject) {
        const all = registry.versions(name);
        const mine = new Set(subjectVersions(all, bySubject.name).map((e) => e.version));
        logs.push({ contract: name, kind, subject: { name: bySubject.name, ...succession(all, bySubject.name) }, versions: entries.filter((e) => mine.has(e.version)) });
      } else logs.push({ contract: name, kind, versions: entries });
    }
    const text =
      opts.format === "json"
        ? `${JSON.stringify({ version: 1, contracts: logs }, null, 2)}\n`
        : opts.format === "markdown"
          ? renderMarkdown(logs)
          : renderText(logs);
    writeOut(text);
    return 0;
  },
});
