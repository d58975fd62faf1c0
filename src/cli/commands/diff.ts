import { basename } from "node:path";
import { defineCommand } from "citty";
import { KIND_IDS } from "../../core/engine.ts";
import { InputError, UsageError } from "../../core/errors.ts";
import { buildReport, type ContractResult } from "../../report/model.ts";
import { globalArgs, globalOptions, kindOption } from "../args.ts";
import { DIFF_MODES, modeOption } from "../../policy/modes.ts";
import { normalizePath } from "../../core/source.ts";
import type { LoadedConfig } from "../../policy/config.ts";
import { projectRegistry } from "../../registry/store.ts";
import { registrySubject } from "../../schemas/subject.ts";
import { compareContract, type CompareRequest } from "../compare.ts";
import { engineSettings, readOperations } from "../contracts.ts";
import { setLogLevel } from "../logger.ts";
import { emitReport } from "../output.ts";
import { loadProject } from "../project.ts";
import { detectKind, resolveSide, undetectable, type ResolvedContract, type ResolvedSide } from "../resolve.ts";

/**
 * When the old side is a release of a contract, the releases up to it: a removal of an element
 * deprecated in them is judged as `check` and `log` judge it, as of the new side's release date when
 * that is a release too. Any other old side (a file, a git ref) has no release history.
 */
function releaseHistory(project: LoadedConfig | undefined, name: string, old: ResolvedContract, next: ResolvedContract, cwd: string): Pick<CompareRequest, "history" | "now"> {
  if (!project || !Object.hasOwn(project.config.contracts, name)) return {};
  const registry = projectRegistry(project, cwd);
  const versions = [...registry.versions(name)].reverse();
  const isRelease = (side: ResolvedContract) => versions.findIndex((e) => side.ref === `${name}@${e.version}`);
  const upTo = isRelease(old);
  if (upTo < 0) return {};
  const history = versions.slice(0, upTo + 1).map((e) => ({ source: { reader: registry.reader(e), path: normalizePath(e.path) }, version: e.version, date: e.date }));
  const newer = isRelease(next);
  return newer >= 0 ? { history, now: new Date(versions[newer]!.date) } : { history };
}

/** Pairs the two sides into contract comparisons. */
function pairSides(a: ResolvedSide, b: ResolvedSide, args: { old: string; new: string }): Array<[string, ResolvedContract, ResolvedContract]> {
  if (a.type === "one" && b.type === "one") {
    const name = b.contract.name ?? a.contract.name ?? basename(b.contract.source.path);
    return [[name, a.contract, b.contract]];
  }
  if (a.type === "all" && b.type === "all") {
    const pairs: Array<[string, ResolvedContract, ResolvedContract]> = [];
    for (const [name, old] of a.contracts) {
      const next = b.contracts.get(name);
      if (next) pairs.push([name, old, next]);
    }
    if (!pairs.length) throw new InputError(`no contract exists in both '${a.label}' and '${b.label}'`);
    return pairs;
  }
  const [set, one, oneIsNew] = a.type === "all" ? [a, (b as Extract<ResolvedSide, { type: "one" }>).contract, true] : [b as Extract<ResolvedSide, { type: "all" }>, a.contract, false];
  const match = one.name ? set.contracts.get(one.name) : undefined;
  if (!match) {
    throw new UsageError(`'${oneIsNew ? args.new : args.old}' is not a contract declared in comms.yaml, so it cannot be paired with '${set.label}'`);
  }
  return oneIsNew ? [[one.name!, match, one]] : [[one.name!, one, match]];
}

export default defineCommand({
  meta: {
    name: "diff",
    description:
      "Compare two versions of a contract. Each side is a file or directory, a released version (users-api@1.2.0, or 1.2.0 for every contract), or a git ref (main:contracts/x.yaml, or main for every contract in comms.yaml).",
  },
  args: {
    old: { type: "positional", description: "Old version", required: true },
    new: { type: "positional", description: "New version", required: true },
    kind: { type: "string", description: `Contract kind when it cannot be detected: ${KIND_IDS.join(", ")}`, valueHint: "kind" },
    operations: { type: "string", description: "GraphQL: glob of client operation documents, for usage-aware checks", valueHint: "glob" },
    mode: { type: "string", description: "Compatibility mode, overriding policy.compatibility: backward (default), forward, full or none", valueHint: "mode" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const kindFlag = kindOption(args.kind);
    const modeFlag = modeOption(args.mode, DIFF_MODES);
    const project = loadProject(opts);
    const ctx = { cwd: opts.cwd, project };
    const oldSide = resolveSide(args.old, ctx);
    const newSide = resolveSide(args.new, ctx);
    const failOn = opts.failOn ?? project?.config.policy?.["fail-on"] ?? "breaking";
    const results: ContractResult[] = [];
    for (const [name, old, next] of pairSides(oldSide, newSide, { old: args.old, new: args.new })) {
      const kind = kindFlag ?? detectKind(next) ?? detectKind(old);
      if (!kind) throw undetectable(next);
      const declared = project?.config.contracts[name];
      const opGlobs = args.operations ? [args.operations] : (declared?.operations ?? []);
      const operations =
        kind === "graphql" && opGlobs.length
          ? readOperations(opGlobs, args.operations ? opts.cwd : (project?.root ?? opts.cwd), opts.cwd)
          : undefined;
      results.push(
        await compareContract({
          contract: name,
          kind,
          old: { source: old.source, ref: old.ref, version: old.version },
          new: { source: next.source, ref: next.ref, version: next.version },
          settings: engineSettings(project, kind, declared),
          subject: registrySubject(kind, declared),
          operations,
          policy: project?.config.policy,
          failOn,
          // Two given versions have no earlier releases to walk: a transitive mode compares them alone.
          mode: modeFlag ?? declared?.compatibility ?? project?.config.policy?.compatibility,
          ...releaseHistory(project, name, old, next, opts.cwd),
        }),
      );
    }
    return emitReport(buildReport(results), opts, "diff", failOn);
  },
});
