import { relative } from "node:path";
import { defineCommand } from "citty";
import { gt, inc, valid } from "semver";
import { CommsError, InputError, UsageError } from "../../core/errors.ts";
import type { Finding } from "../../core/finding.ts";
import { normalizePath, type SourceReader } from "../../core/source.ts";
import { getEngine } from "../../kinds/index.ts";
import { isMajorBump, nextMajor } from "../../policy/steps/version.ts";
import { policyNow } from "../../policy/clock.ts";
import { snapshotHash } from "../../registry/hash.ts";
import { missingContract, statDeclared } from "../../registry/baseline.ts";
import { projectRegistry, workingReader, type VersionEntry } from "../../registry/store.ts";
import { subjectVersions } from "../../registry/subjects.ts";
import { writeRelease } from "../../registry/write.ts";
import { registrySubject } from "../../schemas/subject.ts";
import { oneLine } from "../../report/escape.ts";
import type { Bump } from "../../report/model.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { compareDetailed } from "../compare.ts";
import { logger, setLogLevel } from "../logger.ts";
import { loadProject } from "../project.ts";
import { engineSettings } from "../contracts.ts";
import { writeOut } from "../io.ts";

/** A release refused because its version does not fit the change: a violation (exit 1), not bad input. */
export class VersionMismatchError extends CommsError {
  override readonly exitCode: number = 1;
}

/** Every file of a contract as it is: what the engine loaded, or the declared file or folder. */
function contractFiles(reader: SourceReader, path: string, loaded: string[]): Map<string, string> {
  const names = loaded.length ? loaded : reader.stat(path) === "dir" ? reader.list(path) : [path];
  const files = new Map<string, string>();
  for (const f of names) {
    const p = normalizePath(f);
    const text = reader.read(p);
    if (text === undefined) throw new InputError(`${p}: cannot read this file of the contract`);
    files.set(p, text);
  }
  return files;
}

/** A release refused because its change breaks its subject's history: a violation (exit 1), not bad input. */
export class SubjectBreakError extends CommsError {
  override readonly exitCode: number = 1;
}

function subjectBreak(name: string, subject: string, findings: Finding[]): SubjectBreakError {
  const breaking = findings.filter((f) => f.severity === "breaking" && !f.accepted && f.gate !== "version");
  const shown = breaking.slice(0, 10).map((f) => `  - ${oneLine(f.message)} [${oneLine(f.rule)}] at ${oneLine(f.path)}`);
  if (breaking.length > shown.length) shown.push(`  and ${breaking.length - shown.length} more`);
  return new SubjectBreakError(
    [
      `${name}: not released: the registry refuses this schema under ${subject} (a new major version does not change that):`,
      ...shown,
      `start a new subject (a versioned topic, published beside the old one while consumers move): set contracts.${name}.topic or subject in comms.yaml, then run 'comms release ${name} --subject <new subject>';`,
      `or change the subject's mode deliberately (contracts.${name}.compatibility), or accept the reviewed break in policy.accept ('comms check ${name} --accept').`,
    ].join("\n"),
  );
}

/**
 * Whether this release starts a new subject, and which subject it follows. A subject never moves
 * silently: comms.yaml naming a subject other than the last release's needs `--subject`, and
 * `--subject` needs comms.yaml to name that subject (so that `check` judges it afterwards).
 */
function startsSubject(name: string, kind: string, subject: string | undefined, flag: string | undefined, all: VersionEntry[]): { predecessor?: string } | undefined {
  if (flag !== undefined) {
    if (kind !== "avro" && kind !== "jsonschema") throw new UsageError(`--subject is for Avro and JSON Schema contracts; ${name} is ${kind}`);
    if (flag !== subject) {
      throw new UsageError(
        `--subject ${oneLine(flag)}: comms.yaml gives ${name} ${subject ? `the subject ${oneLine(subject)}` : "no subject"}; set contracts.${name}.subject (or topic) to the new subject first, so that 'comms check' judges it`,
      );
    }
    if (all.length && subjectVersions(all, subject).length) throw new UsageError(`${name} is already released under ${oneLine(subject)}; --subject starts a subject that has no release yet`);
    const previous = all[0]?.subject;
    return previous ? { predecessor: previous } : {};
  }
  if (subject && all.length && !subjectVersions(all, subject).length) {
    throw new UsageError(
      `${name}: comms.yaml gives the subject ${oneLine(subject)}, but ${name}@${all[0]!.version} was released under ${oneLine(all[0]!.subject ?? "no subject")}; to start the new subject run 'comms release ${name} --subject ${oneLine(subject)}'`,
    );
  }
  return undefined;
}

export default defineCommand({
  meta: {
    name: "release",
    description:
      "Record the current contract as a new version in the registry (.comms/). Without --version the bump is computed from the diff with the previous release: major when breaking, minor when something was added, patch otherwise.",
  },
  args: {
    name: { type: "positional", description: "Contract name from comms.yaml", required: true },
    version: { type: "string", description: "Version to record (x.y.z); default: the declared version, else computed", valueHint: "x.y.z" },
    subject: {
      type: "string",
      description:
        "Start a new schema registry subject (Avro, JSON Schema): the one comms.yaml now gives the contract (its subject or topic). The release records the previous subject as its predecessor; without it a release never moves a subject",
      valueHint: "subject",
    },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const explicit = args.version;
    if (explicit !== undefined && !valid(explicit)) {
      throw new UsageError(`invalid --version '${explicit}': expected a semantic version such as 1.2.0`);
    }
    const project = loadProject(opts, true)!;
    const name = args.name;
    const c = Object.hasOwn(project.config.contracts, name) ? project.config.contracts[name] : undefined;
    if (!c) {
      const known = Object.keys(project.config.contracts).join(", ") || "none";
      throw new InputError(`no contract named '${name}' in ${relative(opts.cwd, project.file) || project.file} (contracts: ${known})`);
    }
    const registry = projectRegistry(project, opts.cwd);
    const all = registry.versions(name);
    const subject = registrySubject(c.kind, c);
    const start = startsSubject(name, c.kind, subject, args.subject, all);
    // Compared with the releases of the same subject, as `check` compares; a new subject with its predecessor's latest.
    const history = subject && !start ? subjectVersions(all, subject) : all;
    const latest = start ? all[0] : history[0];
    const oldReader = latest ? registry.reader(latest) : undefined;

    const engine = await getEngine(c.kind);
    const path = normalizePath(c.path);
    const reader = workingReader(project);
    if (!statDeclared(project, name, reader, path)) throw missingContract(project, name, path);
    const settings = engineSettings(project, c.kind, c);
    const loaded = await engine.load({ reader, path }, { settings, warn: (m) => logger.warn(m) });
    const files = contractFiles(reader, path, loaded.files);
    if (latest && latest.hash === snapshotHash(files) && !start) {
      throw new InputError(`${name} has not changed since ${name}@${latest.version}; nothing to release`);
    }

    let bump: Bump = "major";
    let summary = "first release";
    // Accepted breaks stop the gate from failing; they still make the release a major one.
    let accepted: Finding[] = [];
    if (latest && oldReader) {
      const side = (e: VersionEntry) => ({ source: { reader: registry.reader(e), path: normalizePath(e.path) }, ref: `${name}@${e.version}`, version: e.version, date: e.date });
      // The same comparisons as `check`: the contract's mode, and every earlier release of the subject in a transitive mode.
      const mode = c.compatibility ?? project.config.policy?.compatibility;
      const { result } = await compareDetailed({
        contract: name,
        kind: c.kind,
        engine,
        old: { ...side(latest), source: { reader: oldReader, path: normalizePath(latest.path) } },
        new: { source: { reader, path }, ref: "working tree" },
        earlier: start ? [] : history.slice(1).map(side),
        settings,
        policy: project.config.policy,
        failOn: "breaking",
        mode,
        ...(subject ? { subject } : {}),
        // Release dates decide whether a deprecation was released long enough ago to soften a removal.
        history: [...all].reverse().map((e) => ({ source: { reader: registry.reader(e), path: normalizePath(e.path) }, version: e.version, date: e.date })),
      });
      if (subject && !start && result.verdict === "fail") throw subjectBreak(name, subject, result.findings);
      // Files changed but no rule saw a difference (formatting, comments): still a new patch version.
      bump = result.suggestedBump === "none" ? "patch" : result.suggestedBump;
      accepted = result.findings.filter((f) => f.accepted && f.severity === "breaking");
      const n = result.findings.length;
      summary = n ? `${bump}: ${n} change${n === 1 ? "" : "s"} since ${latest.version}` : `${bump}: no contract change since ${latest.version}`;
    }

    const declared = [loaded.version, c.version].find((v): v is string => v !== undefined && valid(v) !== null);
    let version: string;
    if (explicit) version = valid(explicit)!;
    else if (declared && (!latest || gt(declared, latest.version))) version = valid(declared)!;
    else if (latest) version = inc(latest.version, bump)!;
    else version = "1.0.0";

    if (latest) {
      if (!gt(version, latest.version)) {
        throw new UsageError(`version ${version} is not greater than the latest release ${name}@${latest.version}`);
      }
      if (bump === "major" && !isMajorBump(latest.version, version)) {
        const why = accepted.length
          ? `breaking (${accepted.length} accepted in policy.accept: accepting a break lets the gate pass, the change still needs a major version)`
          : "breaking";
        throw new VersionMismatchError(
          `${name}: the changes since ${latest.version} are ${why}, so ${version} must be a new major version (${nextMajor(latest.version)} or later); run 'comms check ${name}' to see them`,
        );
      }
    }
    if (loaded.version !== undefined && loaded.version !== version) {
      logger.warn(`${path}: info.version is ${loaded.version}, but this release is ${version}; consider updating it`);
    } else if (loaded.version === undefined && c.version !== undefined && c.version !== version) {
      logger.warn(`comms.yaml declares version ${c.version} for ${name}, but this release is ${version}; consider updating contracts.${name}.version`);
    }

    const entry = writeRelease(registry, {
      contract: name,
      kind: c.kind,
      version,
      path,
      files,
      subject,
      ...(start && start.predecessor ? { predecessor: start.predecessor } : {}),
      // COMMS_NOW pins release dates as it pins the policy's "today", so dated deprecations replay exactly.
      date: policyNow(),
      // No commit: the checked-out HEAD is the baseline, not the commit that will contain this release.
      // `comms log` finds the commit that added the snapshot once it is committed.
    });
    const where = relative(opts.cwd, registry.snapshotDir(entry)) || registry.snapshotDir(entry);
    if (opts.format === "json") {
      const acceptedJson = accepted.map((f) => ({ rule: f.rule, path: f.path, message: f.message, reason: f.accepted!.reason }));
      writeOut(`${JSON.stringify({ release: entry, bump, previous: latest?.version ?? null, accepted: acceptedJson }, null, 2)}\n`);
    } else {
      const subjectText = entry.subject ? `, ${start ? "new " : ""}registry subject ${oneLine(entry.subject)}${entry.predecessor ? ` (follows ${oneLine(entry.predecessor)})` : ""}` : "";
      const lines = [`released ${name}@${version} (${summary}) in ${where}${subjectText}`];
      if (accepted.length) {
        lines.push(`major because of ${accepted.length} accepted breaking change${accepted.length === 1 ? "" : "s"}:`);
        for (const f of accepted) lines.push(`  - ${f.message} [${f.rule}] (accepted: ${f.accepted!.reason})`);
      }
      writeOut(`${lines.join("\n")}\n`);
    }
    return 0;
  },
});
