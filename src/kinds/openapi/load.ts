import { posix } from "node:path";
import { LineIndex, type Location } from "../../core/location.ts";
import { CommsError, ContractError } from "../../core/errors.ts";
import type { SourceReader } from "../../core/source.ts";
import { normalizePath, withoutBom } from "../../core/source.ts";
import { type Alias, isAlias, isMap, isScalar, isSeq, type Node, parseDocument, Scalar, type Document } from "yaml";
import { aliasCostExceeded, aliases, aliasTargets, eachNode, nestingTooDeep, QUIET } from "../../core/yaml-guard.ts";
import { jsonDuplicateKey, jsonRepeats, judgeRepeats, yamlDuplicateSuspect, yamlRepeats } from "../../core/duplicate-keys.ts";
import { jsonSyntaxError } from "./json-check.ts";
import { inspect, isStackOverflow, LimitError, MAX_DEPTH, oneLine, type Shape } from "./limits.ts";
import { JsonLocator, YamlLocator, type Locator } from "./locate.ts";
import { YamlLineLocator } from "./yaml-lines.ts";

/** A value of a spec with where it lives: reader path and JSON pointer inside that file. */
export interface N {
  v: unknown;
  f: string;
  p: string;
}

/** One parsed file of a (possibly multi-file) spec. */
export class SpecFile {
  private index?: LineIndex;
  constructor(
    readonly path: string,
    readonly text: string,
    readonly value: unknown,
    private readonly locator: Locator,
    /** Values reached through more than one path (YAML aliases), by the path where they are defined. */
    readonly shared: ReadonlyMap<object, string[]> = new Map(),
  ) {}

  /** 1-based location of the element at `pointer` (or its nearest existing ancestor). */
  locate(pointer: string): Location {
    this.index ??= new LineIndex(this.text);
    return this.index.location(this.path, this.locator.offset(splitPointer(pointer)));
  }
}

export function splitPointer(p: string): string[] {
  if (p === "" || p === "/") return [];
  return p
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function escapeSegment(s: string): string {
  if (!s.includes("~") && !s.includes("/")) return s;
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** What a value that is not an object is, for messages: "a boolean", "an array", "a null". */
export function kindOf(v: unknown): string {
  return Array.isArray(v) ? "an array" : isObj(v) ? "an object" : `a ${v === null ? "null" : typeof v}`;
}

/** Containers whose members are named by the author or numbered: their members are named `parent/member`. */
const MEMBER_OF = new Set(["parameters", "responses", "headers", "content", "paths", "webhooks", "securitySchemes", "securityDefinitions", "security"]);

/** How an error names the element at `pointer`: its key, with the container it is a member of (`responses/200`). */
function elementName(pointer: string): string {
  const segs = splitPointer(pointer);
  const last = segs[segs.length - 1] ?? "";
  const parent = segs[segs.length - 2];
  return oneLine(parent !== undefined && MEMBER_OF.has(parent) ? `${escapeSegment(parent)}/${escapeSegment(last)}` : escapeSegment(last));
}

// Keys written twice are found by yamlRepeats, in linear time.
const YAML_OPTIONS = { merge: true, uniqueKeys: false, strict: false, ...QUIET } as const;

/**
 * Values of a large YAML document through Bun's native parser (about 20 times faster than a full
 * parse with positions); undefined when it is not available or fails, so the `yaml` library
 * decides (and reports errors with positions). Small files always take the `yaml` library, which
 * also reports duplicate keys and undefined aliases where they are written.
 */
function fastYaml(text: string): Record<string, unknown> | undefined {
  const native = (globalThis as { Bun?: { YAML?: { parse(t: string): unknown } } }).Bun?.YAML;
  if (!native || text.length <= FAST_YAML_MIN) return undefined;
  try {
    const v = native.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const FAST_YAML_MIN = 256 * 1024;

/** Node depths summed over a document with aliases (the library's cost to resolve them): about a second. */
const MAX_ALIAS_WALK = 4_000_000;

/** A file whose name says JSON is read as strict JSON only, never as YAML. */
const JSON_NAME = /\.json$/i;

/** The first error of a YAML parse, as a one-line ContractError; duplicate keys name both places. */
function yamlError(path: string, text: string, doc: Document): ContractError | undefined {
  const err = doc.errors[0];
  // Repeated keys written before the first syntax error are judged first, as they come first in the text.
  judgeRepeats(path, text, yamlRepeats(doc, text, YAML_OPTIONS.merge).filter((r) => !err || r.second < err.pos[0]));
  if (!err) return undefined;
  const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
  const at = { file: path, line: pos.line, column: pos.col };
  const msg = (err.message.split("\n")[0] ?? err.message).replace(/ at line \d+, column \d+:?$/, "");
  if (/call stack/i.test(msg)) return new ContractError(`nesting too deep to read (more than the parser can follow)`, at);
  return new ContractError(`invalid YAML/JSON: ${oneLine(msg)}`, at);
}

/**
 * Keys that are mappings or lists, given the names js-yaml gives them (the reader of OpenAPI tooling,
 * and of comms' fast path): "[object Object]" for a mapping, a list's items joined with commas. The
 * YAML library would render them as YAML instead, at a cost that doubles with each level of keys
 * nested in keys. A list in a list key is refused, as js-yaml refuses it.
 */
function nameCollectionKeys(path: string, text: string, doc: Document): void {
  let targets: Map<Alias, Node> | undefined;
  const item = (v: unknown): string => {
    const node = isAlias(v) ? (targets ??= aliasTargets(doc.contents)).get(v) : v;
    if (isMap(node)) return "[object Object]";
    if (isSeq(node)) throw new ContractError("a list inside a list used as a key is not supported (js-yaml refuses it too)", new LineIndex(text).location(path, node.range?.[0] ?? 0));
    return isScalar(node) && node.value != null ? String(node.value) : "";
  };
  eachNode(doc.contents, (node) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key;
      if (!isMap(key) && !isSeq(key)) continue;
      const named = new Scalar(isMap(key) ? "[object Object]" : key.items.map(item).join(","));
      named.range = key.range;
      pair.key = named;
    }
  });
}

/** An alias whose anchor is not defined before it, with its offset. */
function undefinedAlias(doc: Document): { name: string; offset: number } | undefined {
  const bad = aliases(doc.contents).find((a) => !a.defined)?.alias;
  return bad && { name: bad.source, offset: bad.range?.[0] ?? 0 };
}

/** Turns a limit exceeded inside a parsed value into an error at the element. */
function checked(path: string, text: string, value: unknown, locator: Locator, aliases: boolean): Shape {
  try {
    return inspect(value, aliases);
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    let offset = 0;
    try {
      offset = locator.offset(e.segments);
    } catch (inner) {
      if (!isStackOverflow(inner)) throw inner;
    }
    throw new ContractError(e.message, new LineIndex(text).location(path, offset));
  }
}

/** Parses YAML or JSON text; values take a fast path and positions are found lazily. */
export function parseText(path: string, source: string): SpecFile {
  const text = withoutBom(source);
  const trimmed = text.trimStart();
  const jsonName = JSON_NAME.test(path);
  if (jsonName || trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let value: unknown;
    let ok = false;
    try {
      value = JSON.parse(text);
      ok = true;
    } catch (e) {
      // Small files not named .json may be YAML flow style that is not strict JSON: the YAML parser
      // accepts them or says where they break. A .json file is JSON, and large ones are too:
      // locating the error must not cost a YAML parse.
      if (jsonName || text.length > 1_000_000 || isStackOverflow(e)) {
        const err = jsonSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
        throw new ContractError(`invalid JSON: ${err.message}`, new LineIndex(text).location(path, err.offset));
      }
    }
    if (ok) {
      const locator = new JsonLocator(text);
      const dup = jsonDuplicateKey(text, MAX_DEPTH);
      if (dup && "tooDeep" in dup) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, new LineIndex(text).location(path, dup.tooDeep));
      if (dup) judgeRepeats(path, text, jsonRepeats(text));
      return new SpecFile(path, text, value, locator);
    }
  }
  // The YAML parser and its tree walks slow down sharply on deep nesting: refuse it before parsing.
  const deep = nestingTooDeep(text, MAX_DEPTH);
  if (deep !== undefined) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, new LineIndex(text).location(path, deep));
  const fast = fastYaml(text);
  if (fast !== undefined) {
    const locator = new YamlLineLocator(text);
    const shape = checked(path, text, fast, locator, true);
    const dup = yamlDuplicateSuspect(text) ? parseDocument(text, YAML_OPTIONS) : undefined;
    const err = dup && yamlError(path, text, dup);
    if (err) throw err;
    return new SpecFile(path, text, fast, locator, shape.shared);
  }
  let doc: Document;
  try {
    doc = parseDocument(text, YAML_OPTIONS);
  } catch (e) {
    if (isStackOverflow(e)) throw new ContractError("nesting too deep to read", { file: path, line: 1, column: 1 });
    throw e;
  }
  const err = yamlError(path, text, doc);
  if (err) throw err;
  const missing = undefinedAlias(doc);
  if (missing) throw new ContractError(`undefined alias '*${oneLine(missing.name)}' (no anchor '&${oneLine(missing.name)}' before it)`, new LineIndex(text).location(path, missing.offset));
  const costly = aliasCostExceeded(doc.contents, MAX_ALIAS_WALK);
  if (costly) throw new ContractError("aliases in a document nested this deeply cost too much to resolve; write the shared parts out or nest less", new LineIndex(text).location(path, costly.range?.[0] ?? 0));
  nameCollectionKeys(path, text, doc);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    if (isStackOverflow(e)) throw new ContractError("nesting too deep to read", { file: path, line: 1, column: 1 });
    throw new ContractError(`invalid YAML: ${oneLine((e as Error).message)}`, { file: path, line: 1, column: 1 });
  }
  const locator = new YamlLocator(doc);
  const shape = checked(path, text, value, locator, true);
  return new SpecFile(path, text, value, locator, shape.shared);
}

/** Maps whose keys are names chosen by the author (a property may well be called "example"). */
const NAME_MAPS = new Set(["properties", "patternProperties", "definitions", "schemas", "$defs", "dependentSchemas", "responses", "parameters", "headers", "examples", "links", "callbacks", "securitySchemes", "requestBodies", "pathItems", "paths", "webhooks", "content", "encoding", "mapping"]);

/**
 * Whether member `k` (below the path `segs`) holds literal data rather than spec structure: examples,
 * defaults, enums and extensions may contain a "$ref" key that is just data.
 */
function literal(k: string, segs: string[]): boolean {
  const parent = segs[segs.length - 1];
  if (parent !== undefined && NAME_MAPS.has(parent)) return false;
  if (k === "example" || k === "default" || k === "enum" || k === "const" || k.startsWith("x-")) return true;
  return k === "value" && segs[segs.length - 2] === "examples";
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A value below `segments` by own members only: `#/components/schemas/constructor` names nothing inherited. */
export function lookup(root: unknown, segments: string[]): unknown {
  let v = root;
  for (const seg of segments) {
    if (Array.isArray(v)) v = /^(0|[1-9]\d*)$/.test(seg) ? v[Number(seg)] : undefined;
    else if (isObj(v)) v = Object.hasOwn(v, seg) ? v[seg] : undefined;
    else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/** A reference to a file the reader refused, as an error at the reference naming both. */
function refused(e: unknown, ref: string, file: string, at: () => Location): unknown {
  if (e instanceof CommsError && !(e instanceof ContractError)) {
    const why = oneLine(e.message);
    return new ContractError(`$ref '${ref}' cannot be followed: ${why}${why.includes(file) ? "" : ` ('${oneLine(file)}')`}`, at());
  }
  return e;
}

/** A loaded spec: its files, and `$ref` resolution across them. */
export class Spec {
  readonly files = new Map<string, SpecFile>();
  private readonly targets = new Map<string, N | null>();

  constructor(
    readonly reader: SourceReader,
    readonly rootPath: string,
    private readonly allowRemote: readonly string[],
    private readonly warn: (m: string) => void,
  ) {}

  /** Reads and parses a file once. */
  file(path: string, from?: () => Location, ref?: string): SpecFile {
    let f = this.files.get(path);
    if (f) return f;
    let text: string | undefined;
    try {
      text = this.reader.read(path);
    } catch (e) {
      // The reader refuses files outside the root (symlinks included), special files and huge ones.
      if (from && ref !== undefined) throw refused(e, ref, path, from);
      throw e;
    }
    if (text === undefined) {
      throw new ContractError(`cannot read '${oneLine(path)}'`, from?.() ?? { file: path, line: 1, column: 1 });
    }
    f = parseText(path, text);
    this.files.set(path, f);
    return f;
  }

  get root(): SpecFile {
    return this.file(this.rootPath);
  }

  /** Synthetic pointers (`file#pointer`) standing for a real element elsewhere in the files. */
  private readonly aliases = new Map<string, { f: string; p: string }>();

  /**
   * Declares that a pointer the model made up (a Swagger 2.0 form field seen as a schema property)
   * stands for a real element, so findings below it are located in the file where the user wrote it.
   */
  alias(from: { f: string; p: string }, to: { f: string; p: string }): void {
    this.aliases.set(`${from.f}#${from.p}`, to);
  }

  locate(n: { f: string; p: string }): Location {
    let { f: file, p: pointer } = n;
    if (this.aliases.size) {
      // The longest aliased prefix wins; the rest of the pointer continues below its target.
      for (let cut = pointer.length; cut > 0; cut = pointer.lastIndexOf("/", cut - 1)) {
        const to = this.aliases.get(`${file}#${pointer.slice(0, cut)}`);
        if (to) {
          file = to.f;
          pointer = to.p + pointer.slice(cut);
          break;
        }
      }
    }
    const f = this.files.get(file);
    return f ? f.locate(pointer) : { file, line: 1, column: 1 };
  }

  /** Follows `$ref`s until a value that is not a reference (or an allowed remote one, kept as is). */
  deref(n: N): N {
    return this.follow(n).node;
  }

  /** `deref`, also giving the last reference followed (the one whose target is the value), if any. */
  private follow(n: N): { node: N; via?: { from: N; ref: string } } {
    let cur = n;
    let via: { from: N; ref: string } | undefined;
    for (let hops = 0; hops < 64; hops++) {
      const ref = isObj(cur.v) ? cur.v.$ref : undefined;
      if (typeof ref !== "string") return { node: cur, via };
      const t = this.target(cur, ref);
      if (!t) return { node: cur, via };
      via = { from: cur, ref };
      cur = t;
    }
    throw new ContractError("$ref cycle: a reference that only points to references", this.locate(n));
  }

  /**
   * The OpenAPI object at `n` (a path item, operation, parameter, request body, response, header,
   * media type...), `$ref`s followed; undefined when the member is absent. Only a schema may be
   * `true` or `false` (`target` lets booleans through for schemas): anywhere else a value that is
   * not an object, written there or reached through a `$ref`, is refused where it is written.
   * `what` names the expected object ("a response").
   */
  object(n: N, what: string): (N & { v: Record<string, unknown> }) | undefined {
    if (n.v === undefined) return undefined;
    const { node, via } = this.follow(n);
    if (isObj(node.v)) return node as N & { v: Record<string, unknown> };
    if (via) {
      throw new ContractError(`$ref '${oneLine(via.ref)}' resolves to ${kindOf(node.v)}, not an object (${what})`, this.locate({ f: via.from.f, p: `${via.from.p}/$ref` }));
    }
    throw new ContractError(`${elementName(n.p)} must be an object (${what}), not ${kindOf(n.v)}`, this.locate(n));
  }

  /**
   * The map at `n` (responses by status, media types by name...), written in place; undefined when
   * absent or empty (`responses:` with nothing after it is YAML for null, and common in real specs).
   */
  map(n: N, what: string): (N & { v: Record<string, unknown> }) | undefined {
    if (n.v === undefined || n.v === null) return undefined;
    if (isObj(n.v)) return n as N & { v: Record<string, unknown> };
    throw new ContractError(`${elementName(n.p)} must be an object (${what}), not ${kindOf(n.v)}`, this.locate(n));
  }

  /** The list at `n` (parameters), written in place; undefined when absent or empty (null), as for `map`. */
  list(n: N, what: string): (N & { v: unknown[] }) | undefined {
    if (n.v === undefined || n.v === null) return undefined;
    if (Array.isArray(n.v)) return n as N & { v: unknown[] };
    throw new ContractError(`${elementName(n.p)} must be an array (${what}), not ${kindOf(n.v)}`, this.locate(n));
  }

  /** The node a `$ref` points to; null for an allowed remote reference (never fetched). */
  target(from: N, ref: string): N | null {
    const key = `${from.f}\u0000${ref}`;
    const hit = this.targets.get(key);
    if (hit !== undefined) return hit;
    const refLoc = (): Location => this.locate({ f: from.f, p: `${from.p}/$ref` });
    const shown = oneLine(ref);
    const hash = ref.indexOf("#");
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    let frag: string;
    try {
      frag = hash === -1 ? "" : decodeURIComponent(ref.slice(hash + 1));
    } catch {
      throw new ContractError(`$ref '${shown}' has a malformed percent-encoding`, refLoc());
    }
    if (REMOTE.test(filePart) || filePart.startsWith("//")) {
      let host: string;
      try {
        host = new URL(filePart, "x:/").host;
      } catch {
        throw new ContractError(`remote $ref '${shown}' is not a valid URL`, refLoc());
      }
      if (this.allowRemote.some((prefix) => filePart.startsWith(prefix) || host === prefix)) {
        this.warn(`${refLoc().file}: remote $ref '${shown}' is allowed but not fetched; it is compared by its URL only`);
        this.targets.set(key, null);
        return null;
      }
      throw new ContractError(
        `remote $ref '${shown}' is not allowed (comms never fetches references; list the host in policy.openapi.allow-remote-refs to compare it by URL)`,
        refLoc(),
      );
    }
    let file = from.f;
    if (filePart) {
      if (filePart.startsWith("/") || /^[a-z]:[\\/]/i.test(filePart)) throw new ContractError(`$ref '${shown}' points outside the repository`, refLoc());
      file = normalizePath(posix.join(posix.dirname(from.f), filePart));
      if (file === ".." || file.startsWith("../")) {
        throw new ContractError(`$ref '${shown}' points outside the repository root`, refLoc());
      }
      let kind: ReturnType<SourceReader["stat"]>;
      try {
        kind = this.files.has(file) ? "file" : this.reader.stat(file);
      } catch (e) {
        throw refused(e, shown, file, refLoc);
      }
      if (kind !== "file") throw new ContractError(`unresolved $ref '${shown}': file '${oneLine(file)}' not found`, refLoc());
    }
    const sf = this.file(file, refLoc, shown);
    if (frag && !frag.startsWith("/")) throw new ContractError(`unsupported $ref fragment '#${oneLine(frag)}'`, refLoc());
    const v = lookup(sf.value, splitPointer(frag));
    if (v === undefined) throw new ContractError(`unresolved $ref '${shown}'`, refLoc());
    // Every OpenAPI reference names an object (a schema, parameter, response...); JSON Schema also allows true/false.
    if (!isObj(v) && typeof v !== "boolean") {
      throw new ContractError(`$ref '${shown}' resolves to ${Array.isArray(v) ? "an array" : `a ${v === null ? "null" : typeof v}`}, not an object`, refLoc());
    }
    const out: N = { v, f: file, p: frag === "/" ? "" : frag };
    this.targets.set(key, out);
    return out;
  }

  /** The place where a value reached through a YAML alias is written, for values used in more than one place. */
  canonical(n: N): N {
    if (typeof n.v !== "object" || n.v === null) return n;
    const sf = this.files.get(n.f);
    const segs = sf?.shared.get(n.v);
    if (!segs) return n;
    return { v: n.v, f: n.f, p: segs.length ? `/${segs.map(escapeSegment).join("/")}` : "" };
  }

  /** Resolves every `$ref` reachable from the root so that broken references fail the load. */
  checkRefs(): void {
    const seen = new Set<string>();
    // A value shared through YAML aliases is checked once, not once per alias.
    const visited = new Set<object>();
    const walkFile = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const sf = this.file(path);
      // Pointers are only built for the (few) nodes that hold a $ref; a 10 MB spec has millions of others.
      const segs: string[] = [];
      const visit = (v: unknown): void => {
        if (visited.has(v as object)) return;
        visited.add(v as object);
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            const c = v[i];
            if (typeof c === "object" && c !== null) {
              segs.push(String(i));
              visit(c);
              segs.pop();
            }
          }
          return;
        }
        const o = v as Record<string, unknown>;
        const ref = o.$ref;
        if (typeof ref === "string") {
          const p = segs.length ? `/${segs.map(escapeSegment).join("/")}` : "";
          const t = this.target({ v, f: path, p }, ref);
          if (t && t.f !== path) walkFile(t.f);
          // References that only lead to references never reach a value: fail here, not mid-diff.
          if (t && isObj(t.v) && typeof t.v.$ref === "string") this.deref({ v, f: path, p });
        }
        for (const k in o) {
          const c = o[k];
          if (typeof c === "object" && c !== null && !literal(k, segs)) {
            segs.push(k);
            visit(c);
            segs.pop();
          }
        }
      };
      if (typeof sf.value === "object" && sf.value !== null) visit(sf.value);
    };
    walkFile(this.rootPath);
  }
}
