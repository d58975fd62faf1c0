import { closeSync, constants, lstatSync, openSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, posix, relative } from "node:path";
import { defineCommand } from "citty";
import type { KindId } from "../../core/engine.ts";
import { InputError } from "../../core/errors.ts";
import { DiskReader, normalizePath } from "../../core/source.ts";
import { detectFileKind, KIND_EXTENSIONS } from "../../kinds/index.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { Document, isMap, parse as parseYaml } from "yaml";
import { DEFAULT_MODE } from "../../policy/modes.ts";
import { DEFAULT_MIN_DAYS } from "../../policy/steps/deprecation.ts";
import { oneLine } from "../../report/escape.ts";
import { logger, setLogLevel } from "../logger.ts";
import { writeOut } from "../io.ts";

const SKIP = /(^|\/)(node_modules|\.git|\.comms|dist|build|vendor|third_party|\.cache)(\/|$)/;
const SUFFIX: Partial<Record<string, string>> = { openapi: "api", graphql: "graph", protobuf: "grpc", avro: "avro", jsonschema: "schema", asyncapi: "events" };

/** Kinds whose contract is one root document that may `$ref` others. */
const ROOT_DOCUMENT_KINDS = new Set<string>(["openapi", "asyncapi"]);

/**
 * Folder and file names that say what a contract is, not whose it is: a contract is named after the
 * nearest other folder (services/orders/api/openapi.yaml is orders', services/payments/proto/v1 payments').
 */
const GENERIC = new Set([
  "api", "apis", "openapi", "swagger", "spec", "specs", "schema", "schemas", "graphql", "gql", "graph",
  "proto", "protos", "protobuf", "grpc", "idl", "contract", "contracts", "definitions", "interface",
  "interfaces", "services", "service", "src", "main", "resources", "docs", "doc", "public", "packages",
  "apps", "app", "server", "rest", "http", "v", "latest", "current", "index", "root", "avro", "avsc",
  "asyncapi", "jsonschema", "json-schema", "events", "event", "messages", "topics",
]);
const VERSION_SEGMENT = /^v\d+(?:(?:alpha|beta)\d*)?$/i;

export interface FoundContract {
  name: string;
  kind: KindId;
  path: string;
  /** Event schemas: the topic (AsyncAPI channel address) whose subject the schema is. */
  topic?: string;
}

/** A name comms.yaml accepts: letters, digits, '.', '_' and '-', starting with a letter or digit. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "").replace(/-+$/, "");
}

function meaningful(segment: string): string | undefined {
  const s = slug(segment.replace(/\.[^.]*$/, "").split(".")[0] ?? "");
  return s && !GENERIC.has(s) && !VERSION_SEGMENT.test(s) ? s : undefined;
}

/**
 * The owner of a contract from its path: the file's own name when it says more than the format
 * (`billing.yaml`), else the nearest folder that is not generic; for protobuf trees without one, the
 * package shared by their files; else the repository's folder.
 */
function ownerOf(c: Omit<FoundContract, "name">, root: string, packages: string[]): string {
  const parts = c.path.split("/");
  const file = c.kind === "protobuf" ? undefined : parts.pop();
  const candidates = [...(file ? [file] : []), ...parts.reverse()];
  for (const seg of candidates) {
    const m = meaningful(seg);
    if (m) return m;
  }
  for (const seg of commonPackage(packages).reverse()) {
    const m = meaningful(seg);
    if (m) return m;
  }
  return meaningful(basename(root)) || slug(basename(root)) || "contract";
}

/** The package prefix every file of a protobuf tree shares (acme.users.v1 and acme.orders.v1 share acme). */
function commonPackage(packages: string[]): string[] {
  if (!packages.length) return [];
  let common = packages[0]!.split(".");
  for (const p of packages.slice(1)) {
    const parts = p.split(".");
    let i = 0;
    while (i < common.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common;
}

/** The deepest version folder of a path (v1, v2beta1), to tell apart two versions of one service. */
function versionOf(path: string): string | undefined {
  return path.split("/").reverse().find((s) => VERSION_SEGMENT.test(s))?.toLowerCase();
}

/** Reads a file for detection; a file the reader refuses (too big, not regular, outside) is skipped. */
function readOrSkip(reader: DiskReader, path: string): string {
  try {
    return reader.read(path) ?? "";
  } catch (e) {
    logger.warn(`${oneLine(path)}: skipped (${oneLine((e as Error).message.split("\n")[0] ?? "")})`);
    return "";
  }
}

/**
 * Contracts in a tree: every OpenAPI or AsyncAPI root document; per folder the GraphQL schema files and
 * the Avro schemas; protobuf trees (a protobuf contract is the top folder of a run of nested folders
 * holding .proto files); and JSON Schema documents that no root document's folder holds (those are
 * usually the schemas it `$ref`s).
 */
export function findContracts(root: string): FoundContract[] {
  const reader = new DiskReader(root);
  const files = reader.list(".").filter((f) => !SKIP.test(f));
  const found: Array<Omit<FoundContract, "name">> = [];
  const protoDirs = new Map<string, string[]>();
  const graphqlDirs = new Map<string, string[]>();
  const avroDirs = new Map<string, string[]>();
  const jsonSchemas: string[] = [];
  for (const f of files) {
    const lower = f.toLowerCase();
    if (lower.endsWith(".proto")) {
      const content = readOrSkip(reader, f);
      const dir = protoImportRoot(f, content);
      const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
      protoDirs.set(dir, [...(protoDirs.get(dir) ?? []), ...(pkg ? [pkg] : [])]);
    } else if (KIND_EXTENSIONS.graphql.some((e) => lower.endsWith(e))) {
      const content = readOrSkip(reader, f);
      // Operation documents (queries sent by clients) are not schemas.
      if (/^\s*(type|schema|interface|enum|input|union|scalar|directive|extend)\b/m.test(content)) {
        const d = dirname(f);
        graphqlDirs.set(d, [...(graphqlDirs.get(d) ?? []), f]);
      }
    } else if (lower.endsWith(".avsc")) {
      avroDirs.set(dirname(f), [...(avroDirs.get(dirname(f)) ?? []), f]);
    } else if ((lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) && !/(^|\/)(package(-lock)?|tsconfig|comms)\.(json|ya?ml)$/.test(lower)) {
      const kind = detectFileKind(f, readOrSkip(reader, f));
      if (kind && ROOT_DOCUMENT_KINDS.has(kind)) found.push({ kind, path: f });
      else if (kind === "jsonschema") jsonSchemas.push(f);
    }
  }
  const rootDirs = found.map((c) => dirname(c.path));
  for (const f of jsonSchemas) {
    if (!rootDirs.some((d) => d === "." || f.startsWith(`${d}/`))) found.push({ kind: "jsonschema", path: f });
  }
  for (const [d, fs] of avroDirs) found.push({ kind: "avro", path: fs.length === 1 ? fs[0]! : d });
  const protoPackages = new Map<string, string[]>();
  const protoRoots = [...protoDirs.keys()].sort().filter((d, _, all) => !all.some((o) => o !== d && (o === "." || d.startsWith(`${o}/`))));
  for (const d of protoRoots) {
    found.push({ kind: "protobuf", path: d });
    // A root gathers the packages of the nested folders it stands for.
    const pkgs = [...protoDirs].filter(([o]) => o === d || d === "." || o.startsWith(`${d}/`)).flatMap(([, p]) => p);
    protoPackages.set(d, [...new Set(pkgs)]);
  }
  for (const [d, fs] of graphqlDirs) found.push({ kind: "graphql", path: fs.length === 1 ? fs[0]! : d });
  // Event schemas an AsyncAPI document sends or receives: one contract per subject, named after its topic.
  const subjects = eventSubjects(reader, found);
  for (const [file, topic] of subjects) {
    const kind = file.toLowerCase().endsWith(".avsc") ? "avro" : "jsonschema";
    const known = found.find((c) => c.path === file);
    if (known) known.topic = topic;
    else found.push({ kind, path: file, topic });
  }
  for (const c of found) {
    if (c.kind !== "avro" || c.topic) continue;
    // A folder of schemas some of which are subjects of their own keeps only the others.
    const rest = (avroDirs.get(c.path) ?? []).filter((f) => !subjects.has(f));
    if (rest.length === 1) c.path = rest[0]!;
  }
  const kept = found.filter((c) => !(c.kind === "avro" && !c.topic && (subjects.has(c.path) || (avroDirs.has(c.path) && avroDirs.get(c.path)!.every((f) => subjects.has(f))))));
  found.length = 0;
  found.push(...kept);
  found.sort((a, b) => (a.path < b.path ? -1 : 1));
  const named = found.map((c) => {
    if (c.topic) return { ...c, base: slug(c.topic) || "events" };
    const owner = ownerOf(c, root, c.kind === "protobuf" ? (protoPackages.get(c.path) ?? []) : []);
    const suffix = SUFFIX[c.kind] ?? c.kind;
    // A service folder that already says what it is (catalogo-api, clientes-graphql) is named once.
    const last = owner.split("-").pop()!;
    return { ...c, base: owner.includes("-") && (GENERIC.has(last) || last === suffix) ? owner : `${owner}-${suffix}` };
  });
  // Two contracts of one owner and kind: tell them apart by their version folder, else by a number.
  const counts = new Map<string, number>();
  for (const c of named) counts.set(c.base, (counts.get(c.base) ?? 0) + 1);
  const names = new Set<string>();
  return named.map(({ base, ...c }) => {
    const v = versionOf(c.path);
    let name = (counts.get(base) ?? 0) > 1 && v ? base.replace(/-([a-z]+)$/, `-${v}-$1`) : base;
    for (let i = 2; names.has(name); i++) name = `${base}-${i}`;
    names.add(name);
    return { name, ...c };
  });
}

/** Bounds on what init reads of an AsyncAPI document: it is hostile input like any other. */
const MAX_REF_HOPS = 10_000;
const MAX_DEPTH = 64;

/**
 * Event schema files the AsyncAPI documents among `found` use as message payloads, with the topic (the
 * channel address, or the channel's key when it has none) of the first channel that carries each. Only
 * files inside the root are kept; anything unreadable is skipped, as init skips every such file.
 */
export function eventSubjects(reader: DiskReader, found: Array<Omit<FoundContract, "name">>): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of found) {
    if (c.kind !== "asyncapi") continue;
    let doc: unknown;
    try {
      doc = parseYaml(readOrSkip(reader, c.path), { maxAliasCount: 100, uniqueKeys: false });
    } catch {
      continue;
    }
    const channels = own(doc, "channels");
    if (!isRecord(channels)) continue;
    const dir = posix.dirname(c.path);
    for (const key of Object.keys(channels)) {
      const channel = own(channels, key);
      const address = typeof own(channel, "address") === "string" ? (own(channel, "address") as string) : key;
      let hops = 0;
      const seen = new Set<unknown>();
      const walk = (v: unknown, depth: number): void => {
        if (depth > MAX_DEPTH || ++hops > MAX_REF_HOPS || !v || typeof v !== "object" || seen.has(v)) return;
        seen.add(v);
        if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
        const ref = own(v, "$ref");
        if (typeof ref === "string") {
          if (ref.startsWith("#/")) walk(pointerIn(doc, ref.slice(1)), depth + 1);
          else {
            const file = ref.split("#")[0]!;
            if (/\.(avsc|json)$/i.test(file) && !/^[a-z][a-z0-9+.-]*:/i.test(file)) {
              const target = posix.normalize(posix.join(dir, file));
              if (!target.startsWith("../") && target !== ".." && !posix.isAbsolute(target) && !out.has(target)) {
                try {
                  if (reader.stat(target) === "file") out.set(target, address);
                } catch {
                  // Outside the root or not a regular file: not a contract init proposes.
                }
              }
            }
          }
        }
        for (const k of Object.keys(v)) if (k !== "$ref") walk(own(v, k), depth + 1);
      };
      walk(channel, 0);
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** An own member only: keys from the document never reach the prototype chain. */
function own(v: unknown, k: string): unknown {
  return isRecord(v) && Object.hasOwn(v, k) ? v[k] : undefined;
}

function pointerIn(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const seg of pointer.split("/").slice(1)) {
    const k = seg.replace(/~1/g, "/").replace(/~0/g, "~");
    v = Array.isArray(v) ? v[Number(k)] : own(v, k);
  }
  return v;
}

/**
 * The import root of a .proto file: its folder minus the package path when the folder mirrors the
 * package (proto/acme/users/v1 for `package acme.users.v1` gives proto), else its folder.
 */
export function protoImportRoot(file: string, content: string): string {
  const dir = dirname(file);
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
  if (pkg) {
    const suffix = pkg.split(".").join("/");
    if (dir === suffix) return ".";
    if (dir.endsWith(`/${suffix}`)) return dir.slice(0, -suffix.length - 1);
  }
  return dir;
}

/**
 * comms.yaml text for the contracts found, written with the YAML library so that any path (with `#`,
 * `: `, quotes or line breaks in it) is quoted as needed and reads back as the same string.
 */
export function renderConfig(contracts: FoundContract[]): string {
  const doc = new Document({
    version: 1,
    contracts: Object.fromEntries(contracts.map((c) => [c.name, { kind: c.kind, path: c.path, ...(c.topic ? { topic: c.topic } : {}) }])),
    policy: { compatibility: DEFAULT_MODE, deprecation: { "min-days": DEFAULT_MIN_DAYS } },
    registry: ".comms",
  });
  const entries = doc.get("contracts", true);
  if (isMap(entries)) {
    if (!entries.items.length) entries.flow = true;
    for (const pair of entries.items) if (isMap(pair.value)) pair.value.flow = true;
  }
  const deprecation = doc.getIn(["policy", "deprecation"], true);
  if (isMap(deprecation)) deprecation.flow = true;
  return doc.toString({ lineWidth: 0 });
}

/** Writes comms.yaml without following a link created since it was checked. */
function writeConfig(target: string, text: string, shown: string): void {
  let fd: number;
  try {
    fd = openSync(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new InputError(`${shown} is a symbolic link; refusing to write through it (remove it first)`);
    throw new InputError(`cannot write ${shown}: ${code ?? (e as Error).message}`);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export default defineCommand({
  meta: { name: "init", description: "Find contracts in the repository and write comms.yaml" },
  args: {
    force: { type: "boolean", description: "Overwrite an existing comms.yaml" },
    "dry-run": { type: "boolean", description: "Print the config instead of writing it" },
    ...globalArgs,
  },
  run({ args }) {
    const opts = globalOptions(args);
    setLogLevel(opts);
    const target = join(opts.cwd, "comms.yaml");
    const contracts = findContracts(opts.cwd);
    const text = renderConfig(contracts);
    if (args["dry-run"]) {
      writeOut(text);
      return 0;
    }
    const shown = normalizePath(relative(process.cwd(), target)) || "comms.yaml";
    let existing: Stats | undefined;
    try {
      existing = lstatSync(target);
    } catch {
      // Nothing there yet.
    }
    // Writing through a link (or into a FIFO or device) would write somewhere else than comms.yaml.
    if (existing?.isSymbolicLink()) throw new InputError(`${shown} is a symbolic link; refusing to write through it (remove it first)`);
    if (existing && !existing.isFile()) throw new InputError(`${shown} exists and is not a regular file; refusing to write it`);
    if (existing && !args.force) throw new InputError(`${shown} already exists (use --force to overwrite)`);
    writeConfig(target, text, shown);
    logger.success(`wrote comms.yaml with ${contracts.length} contract${contracts.length === 1 ? "" : "s"}`);
    for (const c of contracts) logger.info(`  ${c.name}: ${c.kind} ${oneLine(c.path)}${c.topic ? ` (topic ${oneLine(c.topic)})` : ""}`);
    if (!contracts.length) logger.warn("no contracts found: add them under 'contracts:' by hand");
    return 0;
  },
});
