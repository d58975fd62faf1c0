import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createHash } from "node:crypto";
import { valid } from "semver";
import { ContainmentError, InputError, RegistryError } from "../core/errors.ts";
import { acquireLock } from "../core/lock.ts";
import { DiskReader, isWithin, normalizePath, realpathLoose } from "../core/source.ts";
import { readTreeAtRef } from "./git.ts";
import type { Registry } from "./store.ts";

/**
 * Deployment records: which version of which contract runs in which environment. One append-only file
 * per environment in the registry (`<registry>/_deployments/<env>.jsonl`, a name no contract can take),
 * one JSON record per line. Each record carries the hash of the one before and its own, so a record that
 * is edited, removed or reordered breaks the chain and every read refuses the file (exit 2); where the
 * file is committed, the committed records must also be the start of the working file.
 */

export interface DeploymentRecord {
  seq: number;
  contract: string;
  version: string;
  env: string;
  /** Who recorded it: git's user.name, else $USER. */
  by: string;
  /** ISO date-time of the record. */
  date: string;
  /** Hash of the previous record, null for the first. */
  prev: string | null;
  hash: string;
}

export const DEPLOYMENTS_DIR = "_deployments";
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A contract in shared records: `<repository>/<contract>`, both parts named as in comms.yaml. */
const QUALIFIED = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HASH = /^sha256:[0-9a-f]{64}$/;
/** Records read per environment: years of deployments, not a disk. */
const MAX_RECORDS = 200_000;

export function checkEnvName(env: string): string {
  if (!NAME.test(env) || env.length > 100) throw new InputError(`--env '${env.replace(/[^\x20-\x7e]/g, "?").slice(0, 100)}': environment names use letters, digits, '.', '_' and '-'`);
  return env;
}

function recordHash(r: Omit<DeploymentRecord, "hash">): string {
  const body = JSON.stringify([r.seq, r.contract, r.version, r.env, r.by, r.date, r.prev]);
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

function fileOf(registry: Registry, env: string): { abs: string; rel: string } {
  const rel = `${DEPLOYMENTS_DIR}/${env}.jsonl`;
  return { abs: join(registry.dir, rel), rel };
}

/** What is wrong with one parsed record, or undefined. Shared records name contracts `<repository>/<contract>`. */
function problem(r: unknown, seq: number, prev: string | null, env: string, qualified: boolean): string | undefined {
  if (!r || typeof r !== "object" || Array.isArray(r)) return "expected a JSON object";
  const e = r as Record<string, unknown>;
  if (e.seq !== seq) return `expected record number ${seq}`;
  if (qualified ? typeof e.contract !== "string" || !QUALIFIED.test(e.contract) || e.contract.length > 300 : typeof e.contract !== "string" || !NAME.test(e.contract) || e.contract in Object.prototype) {
    return qualified ? "'contract' must be <repository>/<contract>" : "'contract' must be a contract name";
  }
  if (typeof e.version !== "string" || valid(e.version) !== e.version) return "'version' must be a semantic version";
  if (e.env !== env) return `'env' must be '${env}', the file's environment`;
  if (typeof e.by !== "string" || typeof e.date !== "string" || Number.isNaN(Date.parse(e.date))) return "'by' and 'date' must say who and when";
  if (e.prev !== prev) return "'prev' does not match the record before it";
  if (typeof e.hash !== "string" || !HASH.test(e.hash)) return "'hash' must be sha256:<64 hex digits>";
  if (recordHash(e as unknown as DeploymentRecord) !== e.hash) return "its content no longer matches its hash";
  return undefined;
}

/** Reads and verifies an environment's records; an absent file is an environment with no deployment yet. */
export function readDeployments(registry: Registry, env: string): DeploymentRecord[] {
  return readVerified(registry, env).records;
}

function readVerified(registry: Registry, env: string): { records: DeploymentRecord[]; text: string } {
  checkEnvName(env);
  const { abs, rel } = fileOf(registry, env);
  const display = registry.display(abs);
  const text = new DiskReader(registry.dir, "registry", { within: registry.root, maxFileBytes: registry.maxFileBytes, wallName: "the registry" }).read(rel);
  if (text === undefined) return { records: [], text: "" };
  const out = verifyRecords(text, display, env, false);
  checkCommitted(registry, rel, display, text);
  return { records: out, text };
}

/**
 * Parses and verifies the text of an environment's records (local or shared): every line a record, numbered
 * from 1, each chained to the one before. `display` names the file in messages.
 */
export function verifyRecords(text: string, display: string, env: string, qualified: boolean): DeploymentRecord[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length > MAX_RECORDS) throw new RegistryError(`${display}:1:1: more than ${MAX_RECORDS} deployment records; refusing to read them`);
  const out: DeploymentRecord[] = [];
  let prev: string | null = null;
  for (const [i, line] of lines.entries()) {
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch {
      r = undefined;
    }
    const why = r === undefined ? "not valid JSON" : problem(r, i + 1, prev, env, qualified);
    if (why) throw new RegistryError(`${display}:${i + 1}:1: deployment record #${i + 1} is damaged or was rewritten (${why}); deployment records are append-only: restore the file from git`);
    out.push(r as DeploymentRecord);
    prev = (r as DeploymentRecord).hash;
  }
  return out;
}

/** The record that follows `records`, and the file's text with it appended (earlier records byte for byte). */
export function nextRecord(records: DeploymentRecord[], before: string, input: { contract: string; version: string; env: string; by: string; date: string }): { record: DeploymentRecord; text: string } {
  const last = records[records.length - 1];
  const base = { seq: records.length + 1, contract: input.contract, version: input.version, env: input.env, by: input.by.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 200), date: input.date, prev: last?.hash ?? null };
  const record: DeploymentRecord = { ...base, hash: recordHash(base) };
  return { record, text: `${before}${before && !before.endsWith("\n") ? "\n" : ""}${JSON.stringify(record)}\n` };
}

/** The line (1-based) where `text` stops starting with `earlier`, or undefined when it does start with it. */
export function divergingLine(earlier: string, text: string): number | undefined {
  if (text.startsWith(earlier)) return undefined;
  let line = 1;
  for (let i = 0; i < Math.min(text.length, earlier.length) && text[i] === earlier[i]; i++) if (text[i] === "\n") line++;
  return line;
}

/** Where the records are committed, the committed text must be the start of the working file. */
function checkCommitted(registry: Registry, rel: string, display: string, text: string): void {
  const path = normalizePath(relative(registry.root, join(registry.dir, rel)));
  let committed: string | undefined;
  try {
    committed = readTreeAtRef(registry.root, "HEAD", [path], "HEAD", registry.maxFileBytes).read(path);
  } catch {
    // Not a git repository, no commit yet: the hash chain is the only check.
    return;
  }
  const line = committed === undefined ? undefined : divergingLine(committed, text);
  if (line === undefined) return;
  throw new RegistryError(`${display}:${line}:1: the deployment records differ from the committed ones from this line on; deployment records are append-only: restore the file from git`);
}

/** The version of each contract deployed last in an environment. */
export function deployedVersions(records: DeploymentRecord[]): Map<string, DeploymentRecord> {
  const out = new Map<string, DeploymentRecord>();
  for (const r of records) out.set(r.contract, r);
  return out;
}

/** Who records a deployment: git's user.name, else the login name. */
export function whoAmI(cwd: string, env: Record<string, string | undefined> = process.env): string {
  const r = spawnSync("git", ["config", "user.name"], { cwd, encoding: "utf8", timeout: 5000 });
  const name = r.status === 0 ? r.stdout.trim() : "";
  return name || env.USER || env.USERNAME || "unknown";
}

/**
 * Holds an environment's lock while `fn` runs, so two deployments recorded at once cannot both read the
 * same records and each write back one more (the later rename would drop the other's record).
 */
function withLock<T>(registry: Registry, env: string, fn: () => T): T {
  const dir = join(registry.dir, DEPLOYMENTS_DIR);
  // Written only inside the project: a symlinked records directory pointing elsewhere is refused.
  if (!isWithin(realpathLoose(dir), realpathLoose(registry.root))) throw new ContainmentError(`${registry.display(dir)}: resolves outside the project root (${registry.root}); refusing to write deployment records there`);
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, `.${env}.lock`);
  const unlock = acquireLock(lock, 5_000, {
    failed: (e) => new RegistryError(`${registry.display(lock)}: cannot lock the deployment records of ${env} (${(e as Error).message})`),
    timeout: (who) => new RegistryError(`${registry.display(lock)}: another deployment to ${env} is being recorded by ${who} (remove this file if no comms is running)`),
  });
  try {
    return fn();
  } finally {
    unlock();
  }
}

/** Appends a record (after verifying the file), written to a temporary file and renamed into place. */
export function appendDeployment(registry: Registry, input: { contract: string; version: string; env: string; by: string; date: string }): DeploymentRecord {
  checkEnvName(input.env);
  return withLock(registry, input.env, () => {
    const { records, text: before } = readVerified(registry, input.env);
    // The earlier records are kept byte for byte: the committed text must stay the start of the file.
    const { record, text } = nextRecord(records, before, input);
    const { abs } = fileOf(registry, input.env);
    const tmp = join(registry.dir, DEPLOYMENTS_DIR, `.${input.env}.jsonl.${process.pid}.${Date.now()}.tmp`);
    try {
      writeFileSync(tmp, text, { flag: "wx" });
      renameSync(tmp, abs);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new RegistryError(`${registry.display(abs)}: cannot write the deployment record (${(e as Error).message})`);
    }
    return record;
  });
}
