import { posix } from "node:path";
import type { Finding } from "../core/finding.ts";
import { LineIndex } from "../core/location.ts";
import { normalizePath, type SourceReader } from "../core/source.ts";
import * as R from "../policy/trust-rules.ts";

// The breaking settings of a protobuf contract come from buf's files beside it, read the way the
// protobuf kind reads them (src/kinds/protobuf/load.ts): the folder's buf.yaml; without one, its
// buf.work.yaml, whose listed module directories each hold a buf.yaml (the first module with a
// `breaking:` section sets the workspace's). A change under review may edit any of these files, so each
// is compared with its version at the base ref, and so is the list of modules: a module dropped from
// buf.work.yaml takes its files out of the check.

/** buf's breaking settings, from comms.yaml or a buf.yaml. */
export type BreakingSettings = { use?: string[]; except?: string[]; ignore?: string[]; ignore_only?: Record<string, string[]>; ignore_unstable_packages?: boolean };

type Loss = { key: string[]; message: string };

/** What a protobuf breaking configuration no longer checks: rules dropped, paths ignored. */
export async function protobufLoosenings(was: BreakingSettings, now: BreakingSettings, ref: string): Promise<Loss[]> {
  const out: Loss[] = [];
  if (JSON.stringify(was) === JSON.stringify(now)) return out;
  const { selectRules } = await import("../kinds/protobuf/index.ts");
  const kept = new Set(selectRules(now).map((r) => r.id));
  const dropped = selectRules(was).map((r) => r.id).filter((id) => !kept.has(id));
  if (dropped.length) {
    const key = JSON.stringify(was.except ?? []) !== JSON.stringify(now.except ?? []) ? "except" : "use";
    const list = dropped.length > 6 ? `${dropped.slice(0, 6).join(", ")} and ${dropped.length - 6} more` : dropped.join(", ");
    out.push({ key: [key], message: `protobuf rules no longer run (they ran at ${ref}): ${list}` });
  }
  const added = (a: string[] | undefined, b: string[] | undefined) => (b ?? []).filter((x) => !(a ?? []).includes(x));
  const ignored = added(was.ignore, now.ignore);
  if (ignored.length) out.push({ key: ["ignore"], message: `protobuf paths newly ignored (not at ${ref}): ${ignored.join(", ")}` });
  for (const [id, paths] of Object.entries(now.ignore_only ?? {})) {
    const more = added(Object.hasOwn(was.ignore_only ?? {}, id) ? was.ignore_only![id] : [], paths);
    if (more.length) out.push({ key: ["ignore_only", id], message: `protobuf rule ${id} newly ignored (not at ${ref}) for ${more.join(", ")}` });
  }
  if (was.ignore_unstable_packages !== true && now.ignore_unstable_packages === true) {
    out.push({ key: ["ignore_unstable_packages"], message: `protobuf unstable packages are ignored now (checked at ${ref})` });
  }
  return out;
}

/** The settings the protobuf engine applies: buf.yaml's, each key overridden by comms.yaml's. */
export function effectiveBreaking(buf: BreakingSettings | undefined, policy: BreakingSettings | undefined): BreakingSettings {
  const out: BreakingSettings = { ...(buf ?? {}) };
  for (const k of ["use", "except", "ignore", "ignore_only", "ignore_unstable_packages"] as const) {
    if (policy?.[k] !== undefined) (out as Record<string, unknown>)[k] = policy[k];
  }
  return out;
}

/** One module of a protobuf contract: a directory and its buf.yaml. */
interface BufModule {
  dir: string;
  file: string;
  text?: string;
  breaking?: BreakingSettings;
}

/** How one version of a contract folder configures buf. */
export interface BufView {
  /** buf.work.yaml, when it is what lists the modules. */
  work?: { file: string; text: string };
  modules: BufModule[];
  /** The settings the engine applies to the contract, and the file they come from. */
  effective?: BreakingSettings;
  source?: string;
}

type Buf = typeof import("../kinds/protobuf/buf-config.ts");

const join = (dir: string, p: string) => posix.normalize(dir === "." || dir === "" ? p : `${dir}/${p}`);

/** The files to read first: buf.yaml and buf.work.yaml of a directory contract (none for one .proto file). */
export function bufEntryFiles(path: string): string[] {
  const p = normalizePath(path);
  return p.toLowerCase().endsWith(".proto") ? [] : [join(p, "buf.yaml"), join(p, "buf.work.yaml")];
}

/** An unreadable file is the engine's to report when it loads the contract; here it configures nothing. */
function quiet<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * The module directories a folder's buf.work.yaml lists, when no buf.yaml there takes precedence: their
 * buf.yaml files are what to read next.
 */
export function workModules(buf: Buf, dir: string, read: (file: string) => string | undefined): string[] {
  const [own, workFile] = bufEntryFiles(dir);
  if (!own || read(own) !== undefined) return [];
  const work = read(workFile!);
  if (work === undefined) return [];
  return [...new Set(quiet(() => buf.readBufWork(work, workFile!)) ?? [])].map((d) => join(dir, d));
}

/** One version's view of a contract folder, read as the protobuf kind reads it. */
export function bufView(buf: Buf, dir: string, read: (file: string) => string | undefined): BufView {
  const [own, workFile] = bufEntryFiles(dir);
  if (!own) return { modules: [] };
  const breaking = (text: string | undefined, file: string, at: string) => (text === undefined ? undefined : (quiet(() => buf.readBufYaml(text, file, at).breaking) as BreakingSettings | undefined));
  const ownText = read(own);
  if (ownText !== undefined) {
    const b = breaking(ownText, own, dir);
    return { modules: [{ dir: normalizePath(dir), file: own, text: ownText, breaking: b }], effective: b, source: own };
  }
  const work = read(workFile!);
  if (work === undefined) return { modules: [] };
  const view: BufView = { work: { file: workFile!, text: work }, modules: [] };
  for (const m of workModules(buf, dir, read)) {
    const file = join(m, "buf.yaml");
    const text = read(file);
    const b = breaking(text, file, m);
    view.modules.push({ dir: m, file, text, breaking: b });
    if (view.effective === undefined && b !== undefined) {
      view.effective = b;
      view.source = file;
    }
  }
  return view;
}

/** Offset of `key:` inside the text after `from` (a block or flow mapping key), else -1. */
function keyOffset(text: string, key: string, from: number): number {
  const re = new RegExp(`(^|[\\s{,])(${key.replace(/[^\w]/g, "\\$&")})\\s*:`, "gm");
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + m[1]!.length : -1;
}

/** Line and column of a key of the breaking section (`except`, `ignore_only.X`), else of `breaking:`, else 1:1. */
function locateKey(text: string | undefined, keys: readonly string[], top = "breaking"): { line: number; column: number } {
  if (text === undefined) return { line: 1, column: 1 };
  const lines = new LineIndex(text);
  let at = keyOffset(text, top, 0);
  if (at < 0) return { line: 1, column: 1 };
  for (const k of keys) {
    const next = keyOffset(text, k, at);
    if (next < 0) break;
    at = next;
  }
  return lines.position(at);
}

/** A setting as written at the base, for messages. */
function describe(s: BreakingSettings | undefined, key: string[]): string {
  let v: unknown = s;
  for (const k of key) v = v && typeof v === "object" && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined) return key[0] === "use" ? "use: [FILE] (the default)" : `${key.join(".")} not set`;
  return `${key.join(".")}: ${JSON.stringify(v)}`;
}

export interface BufComparison {
  /** Contract folder, relative to the project root. */
  dir: string;
  was: BufView;
  now: BufView;
  /** comms.yaml's protobuf settings, over buf's at both ends. */
  policy?: BreakingSettings;
  ref: string;
  /** The change's files: whether a module directory still holds protos. */
  reader: SourceReader;
  display: (file: string) => string;
}

/**
 * Every module's breaking settings against the base (a module without a `breaking:` section is judged by
 * the workspace's), and each module the base listed that no longer is while its files stay.
 */
export async function compareBufViews(c: BufComparison): Promise<Finding[]> {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const wasByDir = new Map(c.was.modules.map((m) => [m.dir, m]));
  for (const m of c.now.modules) {
    const before = wasByDir.get(m.dir);
    const from = before?.breaking ?? c.was.effective;
    const fromFile = before?.breaking !== undefined ? before.file : c.was.source;
    const to = m.breaking ?? c.now.effective;
    // At the module's own file when it sets or set the section; else where the workspace's settings come from.
    const own = m.breaking !== undefined || before?.breaking !== undefined;
    const file = own ? m.file : (c.now.source ?? m.file);
    const text = own ? m.text : c.now.modules.find((x) => x.file === file)?.text;
    const losses = await protobufLoosenings(effectiveBreaking(from, c.policy), effectiveBreaking(to, c.policy), c.ref);
    for (const l of losses) {
      const path = `${file}#breaking.${l.key.join(".")}`;
      if (seen.has(path)) continue;
      seen.add(path);
      const was = `${describe(from, l.key)} at ${fromFile ? `${c.ref}:${fromFile}` : c.ref}`;
      out.push({
        rule: R.POLICY_RULE_LOWERED,
        severity: "breaking",
        path,
        message: `${file}: ${l.message} (was ${was})`,
        gate: "config",
        new: { file: c.display(file), ...locateKey(text, l.key) },
      });
    }
  }
  const nowDirs = c.now.modules.map((m) => m.dir);
  const covered = (d: string) => nowDirs.some((n) => n === d || n === "." || d.startsWith(`${n}/`));
  for (const m of c.was.modules) {
    if (!c.was.work || covered(m.dir)) continue;
    const stays = quiet(() => c.reader.list(m.dir).filter((p) => p.endsWith(".proto")).length) ?? 0;
    if (!stays) continue;
    const work = c.now.work ?? c.was.work;
    const rel = posix.relative(c.dir === "." ? "" : c.dir, m.dir) || ".";
    out.push({
      rule: R.POLICY_RULE_LOWERED,
      severity: "breaking",
      path: `${work.file}#directories.${rel}`,
      message: `${work.file}: module ${rel} is no longer listed (listed at ${c.ref}:${c.was.work.file}): its ${stays} .proto file(s) are no longer checked`,
      gate: "config",
      new: { file: c.display(work.file), ...(c.now.work ? locateKey(c.now.work.text, [], "directories") : { line: 1, column: 1 }) },
    });
  }
  return out;
}
