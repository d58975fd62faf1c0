import { posix } from "node:path";
import { LineIndex, type Location } from "../../core/location.ts";
import { ContractError } from "../../core/errors.ts";
import type { SourceReader } from "../../core/source.ts";
import { normalizePath } from "../../core/source.ts";
import { parseDocument } from "yaml";
import { jsonSyntaxError } from "./json-check.ts";
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

const YAML_OPTIONS = { merge: true, uniqueKeys: false, strict: false } as const;

/** Anchors, aliases and merge keys: left to the `yaml` library, whose handling of them is known. */
const ALIASING = /(^|[:-])[ \t]*&[^\s,[\]{}]+[ \t]*$|^[ \t]*<<[ \t]*:/m;

/**
 * Values of a plain YAML document through Bun's native parser (about 20 times faster than a full
 * parse with positions on large files); undefined when it is not available, fails or the text
 * uses aliasing, so the `yaml` library decides (and reports errors with positions).
 */
function fastYaml(text: string): Record<string, unknown> | undefined {
  const native = (globalThis as { Bun?: { YAML?: { parse(t: string): unknown } } }).Bun?.YAML;
  if (!native || ALIASING.test(text)) return undefined;
  try {
    const v = native.parse(text);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses YAML or JSON text; values take a fast path and positions are found lazily. */
export function parseText(path: string, text: string): SpecFile {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return new SpecFile(path, text, JSON.parse(text), new JsonLocator(text));
    } catch {
      // Small files may be YAML flow style that is not strict JSON: the YAML parser accepts them or
      // says where they break. Large ones are JSON; locating the error must not cost a YAML parse.
      if (text.length > 1_000_000) {
        const err = jsonSyntaxError(text) ?? { offset: 0, message: "not valid JSON" };
        throw new ContractError(`invalid JSON: ${err.message}`, new LineIndex(text).location(path, err.offset));
      }
    }
  }
  const fast = fastYaml(text);
  if (fast !== undefined) {
    // Large files are located by reading lines; small ones by the (exact, slower) full YAML parse,
    // done only if a finding needs a position.
    if (text.length > 256 * 1024) return new SpecFile(path, text, fast, new YamlLineLocator(text));
    let locator: YamlLocator | undefined;
    return new SpecFile(path, text, fast, { offset: (segments) => (locator ??= new YamlLocator(parseDocument(text, YAML_OPTIONS))).offset(segments) });
  }
  const doc = parseDocument(text, YAML_OPTIONS);
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
    const msg = err.message.split("\n")[0] ?? err.message;
    throw new ContractError(`invalid YAML/JSON: ${msg.replace(/ at line \d+, column \d+:?$/, "")}`, {
      file: path,
      line: pos.line,
      column: pos.col,
    });
  }
  return new SpecFile(path, text, doc.toJS({ maxAliasCount: -1 }), new YamlLocator(doc));
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
  file(path: string, from?: () => Location): SpecFile {
    let f = this.files.get(path);
    if (f) return f;
    const text = this.reader.read(path);
    if (text === undefined) {
      throw new ContractError(`cannot read '${path}'`, from?.() ?? { file: path, line: 1, column: 1 });
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
    let cur = n;
    for (let hops = 0; hops < 64; hops++) {
      const ref = isObj(cur.v) ? cur.v.$ref : undefined;
      if (typeof ref !== "string") return cur;
      const t = this.target(cur, ref);
      if (!t) return cur;
      cur = t;
    }
    throw new ContractError("$ref cycle: a reference that only points to references", this.locate(n));
  }

  /** The node a `$ref` points to; null for an allowed remote reference (never fetched). */
  target(from: N, ref: string): N | null {
    const key = `${from.f}\u0000${ref}`;
    const hit = this.targets.get(key);
    if (hit !== undefined) return hit;
    const refLoc = (): Location => this.locate({ f: from.f, p: `${from.p}/$ref` });
    const hash = ref.indexOf("#");
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const frag = hash === -1 ? "" : decodeURIComponent(ref.slice(hash + 1));
    if (REMOTE.test(filePart) || filePart.startsWith("//")) {
      if (this.allowRemote.some((prefix) => filePart.startsWith(prefix) || new URL(filePart, "x:/").host === prefix)) {
        this.warn(`${refLoc().file}: remote $ref '${ref}' is allowed but not fetched; it is compared by its URL only`);
        this.targets.set(key, null);
        return null;
      }
      throw new ContractError(
        `remote $ref '${ref}' is not allowed (comms never fetches references; list the host in policy.openapi.allow-remote-refs to compare it by URL)`,
        refLoc(),
      );
    }
    let file = from.f;
    if (filePart) {
      if (filePart.startsWith("/")) throw new ContractError(`$ref '${ref}' points outside the repository`, refLoc());
      file = normalizePath(posix.join(posix.dirname(from.f), filePart));
      if (file === ".." || file.startsWith("../")) {
        throw new ContractError(`$ref '${ref}' points outside the repository root`, refLoc());
      }
      if (!this.files.has(file) && this.reader.stat(file) !== "file") {
        throw new ContractError(`unresolved $ref '${ref}': file '${file}' not found`, refLoc());
      }
    }
    const sf = this.file(file, refLoc);
    if (frag && !frag.startsWith("/")) throw new ContractError(`unsupported $ref fragment '#${frag}'`, refLoc());
    let v: unknown = sf.value;
    for (const seg of splitPointer(frag)) {
      v = Array.isArray(v) ? v[Number(seg)] : isObj(v) ? v[seg] : undefined;
      if (v === undefined) throw new ContractError(`unresolved $ref '${ref}'`, refLoc());
    }
    const out: N = { v, f: file, p: frag === "/" ? "" : frag };
    this.targets.set(key, out);
    return out;
  }

  /** Resolves every `$ref` reachable from the root so that broken references fail the load. */
  checkRefs(): void {
    const seen = new Set<string>();
    const walkFile = (path: string) => {
      if (seen.has(path)) return;
      seen.add(path);
      const sf = this.file(path);
      // Pointers are only built for the (few) nodes that hold a $ref; a 10 MB spec has millions of others.
      const segs: string[] = [];
      const visit = (v: unknown): void => {
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
