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
import { projectRegistry, workingReader } from "../../registry/store.ts";
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

export default defineCommand({
  meta: {
    name: "release",
    description:
      "Record the current contract as a new version in the registry (.comms/). Without --version the bump is computed from the diff with the previous release: major when breaking, minor when something was added, patch otherwise.",
  },
  args: {
    name: { type: "positional", description: "Contract name from comms.yaml", required: true },
    version: { type: "string", description: "Version to record (x.y.z); default: the declared version, else computed", valueHint: "x.y.z" },
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
    const latest = registry.latest(name);
    const oldReader = latest ? registry.reader(latest) : undefined;

    const engine = await getEngine(c.kind);
    const path = normalizePath(c.path);
    const reader = workingReader(project);
    if (!statDeclared(project, name, reader, path)) throw missingContract(project, name, path);
    const settings = engineSettings(project, c.kind, c);
    const loaded = await engine.load({ reader, path }, { settings, warn: (m) => logger.warn(m) });
    const files = contractFiles(reader, path, loaded.files);
    if (latest && latest.hash === snapshotHash(files)) {
      throw new InputError(`${name} has not changed since ${name}@${latest.version}; nothing to release`);
    }

    let bump: Bump = "major";
    let summary = "first release";
    // Accepted breaks stop the gate from failing; they still make the release a major one.
    let accepted: Finding[] = [];
    if (latest && oldReader) {
      const { result } = await compareDetailed({
        contract: name,
        kind: c.kind,
        engine,
        old: { source: { reader: oldReader, path: normalizePath(latest.path) }, ref: `${name}@${latest.version}`, version: latest.version },
        new: { source: { reader, path }, ref: "working tree" },
        settings,
        policy: project.config.policy,
        failOn: "breaking",
        // Release dates decide whether a deprecation was released long enough ago to soften a removal.
        history: [...registry.versions(name)].reverse().map((e) => ({ source: { reader: registry.reader(e), path: normalizePath(e.path) }, version: e.version, date: e.date })),
      });
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
      subject: registrySubject(c.kind, c),
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
      const lines = [`released ${name}@${version} (${summary}) in ${where}${entry.subject ? `, registry subject ${oneLine(entry.subject)}` : ""}`];
      if (accepted.length) {
        lines.push(`major because of ${accepted.length} accepted breaking change${accepted.length === 1 ? "" : "s"}:`);
        for (const f of accepted) lines.push(`  - ${f.message} [${f.rule}] (accepted: ${f.accepted!.reason})`);
      }
      writeOut(`${lines.join("\n")}\n`);
    }
    return 0;
  },
});
