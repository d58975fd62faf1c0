import { InputError, ContractError } from "../../core/errors.ts";
import type { LoadedContract } from "../../core/engine.ts";
import type { Location } from "../../core/location.ts";
import type { ContractSource } from "../../core/source.ts";
import { jsonDuplicateKey, jsonRepeats, judgeRepeats } from "../../core/duplicate-keys.ts";
import { isObject, JsonDocument, member } from "../../schemas/json/parse.ts";
import type { BodyLocations, Interaction, Matcher, MatchingRules, PactFile, PactMessage, PactModel, PactRequest, PactResponse } from "./model.ts";

export const PACT_EXTENSIONS = [".json"] as const;

/** Interactions read from one contract: far more than any consumer writes, few enough to judge quickly. */
const MAX_INTERACTIONS = 100_000;
/** Deepest nesting of a pact file; JSON.parse itself recurses. */
const MAX_DEPTH = 512;

/**
 * Loads one pact file, or every `.json` file of a directory, as pact tools write them: specification
 * v2 and v3 (HTTP `interactions`, v3 `messages`) and v4 (`interactions` with a `type`: synchronous HTTP,
 * asynchronous and synchronous messages). Malformed files are ContractErrors at file:line:col.
 */
export async function loadPact(source: ContractSource): Promise<LoadedContract<PactModel>> {
  const { reader, path } = source;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory`);
  const files = kind === "file" ? [path] : reader.list(path).filter((f) => f.toLowerCase().endsWith(".json"));
  if (!files.length) throw new InputError(`${path}: no pact files (.json) in this directory`);
  const budget = { interactions: MAX_INTERACTIONS };
  const pacts: PactFile[] = [];
  for (const file of files) {
    const text = reader.read(file);
    if (text === undefined) throw new InputError(`${file}: cannot be read`);
    pacts.push(readPact(new Positions(file, text), budget));
  }
  return { model: { pacts }, files };
}

type Obj = Record<string, unknown>;

/**
 * A pact file parsed by the runtime's JSON parser (pact files run to megabytes, and most are judged
 * without a single finding); positions come from a second, positioned parse only when a message or a
 * finding needs one. Containers of the fast parse are found in the positioned one by their path.
 */
class Positions {
  readonly value: unknown;
  private doc?: JsonDocument;
  private paths?: WeakMap<object, Array<string | number>>;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    const dup = jsonDuplicateKey(body, MAX_DEPTH);
    if (dup && "tooDeep" in dup) throw new ContractError(`nesting deeper than ${MAX_DEPTH} levels`, this.positioned().loc(undefined));
    try {
      this.value = JSON.parse(body);
    } catch {
      // The positioned parser names the first syntax error at its line and column.
      this.positioned();
      throw new ContractError("invalid JSON", { file, line: 1, column: 1 });
    }
    if (dup) {
      // The same rule as every other reader: a repeat with the same value is read; a differing one
      // follows --duplicate-keys / policy.duplicate-keys.
      const shift = body === text ? 0 : 1;
      judgeRepeats(file, text, jsonRepeats(body).map((r) => ({ ...r, first: r.first + shift, second: r.second + shift })));
    }
  }

  private positioned(): JsonDocument {
    return (this.doc ??= new JsonDocument(this.file, this.text));
  }

  /** Where `key` of `container` (an object or array of the fast parse) is written. */
  loc(container: unknown, key?: string | number, which: "key" | "value" = "key"): Location {
    const doc = this.positioned();
    if (!this.paths) {
      this.paths = new WeakMap();
      const stack: Array<[unknown, Array<string | number>]> = [[this.value, []]];
      while (stack.length) {
        const [v, at] = stack.pop()!;
        if (typeof v !== "object" || v === null) continue;
        this.paths.set(v, at);
        if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, [...at, i]]));
        else for (const k of Object.keys(v)) stack.push([(v as Obj)[k], [...at, k]]);
      }
    }
    const path = typeof container === "object" && container !== null ? this.paths.get(container) : undefined;
    if (!path) return doc.loc(doc.value);
    let c: unknown = doc.value;
    for (const seg of path) c = (c as Record<string | number, unknown>)[seg];
    return doc.loc(c, key, which);
  }
}

class Reader {
  constructor(
    readonly doc: Positions,
    readonly budget: { interactions: number },
  ) {}

  fail(message: string, container: unknown, key?: string | number): never {
    throw new ContractError(message, this.doc.loc(container, key));
  }

  /** Locations of a body's elements, found on demand: `holder[key]` is the body. */
  bodyLocs(holder: Obj, key: string): BodyLocations {
    return (path) => {
      if (!path.length) return this.doc.loc(holder, key, "value");
      let c: unknown = holder[key];
      for (const seg of path.slice(0, -1)) {
        if (typeof c !== "object" || c === null || !Object.hasOwn(c, seg)) return undefined;
        c = (c as Record<string | number, unknown>)[seg];
      }
      const last = path[path.length - 1]!;
      return typeof c === "object" && c !== null && Object.hasOwn(c, last) ? this.doc.loc(c, last) : undefined;
    };
  }

  /** A member that must be an object when present. */
  object(o: Obj, key: string, what: string, required = false): Obj | undefined {
    const v = member(o, key);
    if (v === undefined && !required) return undefined;
    if (!isObject(v)) this.fail(`'${key}' must be ${what}`, o, v === undefined ? undefined : key);
    return v;
  }

  string(o: Obj, key: string, what: string, required = false): string | undefined {
    const v = member(o, key);
    if (v === undefined && !required) return undefined;
    if (typeof v !== "string") this.fail(`'${key}' must be ${what}`, o, v === undefined ? undefined : key);
    return v;
  }
}

function specVersion(r: Reader, root: Obj): 2 | 3 | 4 {
  const meta = r.object(root, "metadata", "an object");
  let written: unknown;
  let where: { o: Obj; k: string } | undefined;
  if (meta) {
    for (const k of ["pactSpecification", "pact-specification"]) {
      const s = member(meta, k);
      if (isObject(s) && member(s, "version") !== undefined) {
        written = member(s, "version");
        where = { o: s, k: "version" };
      }
    }
    if (written === undefined && member(meta, "pactSpecificationVersion") !== undefined) {
      written = member(meta, "pactSpecificationVersion");
      where = { o: meta, k: "pactSpecificationVersion" };
    }
  }
  if (written === undefined) {
    // Files without metadata: the shape says which specification wrote them.
    const list = member(root, "interactions");
    if (Array.isArray(list) && list.some((i) => isObject(i) && member(i, "type") !== undefined)) return 4;
    return member(root, "messages") !== undefined ? 3 : 2;
  }
  const m = /^(\d+)(?:\.\d+)*$/.exec(String(written));
  const major = m ? Number(m[1]) : NaN;
  if (major === 1 || major === 2) return 2;
  if (major === 3 || major === 4) return major;
  return r.fail(`unsupported Pact specification version '${String(written).slice(0, 40)}' (expected 2, 3 or 4)`, where!.o, where!.k);
}

function readPact(doc: Positions, budget: Reader["budget"]): PactFile {
  const r: Reader = new Reader(doc, budget);
  const root = doc.value;
  if (!isObject(root)) return r.fail("not a pact file: expected an object with 'consumer', 'provider' and 'interactions'", root);
  const party = (k: string) => {
    const p = r.object(root, k, `an object with a 'name' (the ${k})`, true)!;
    return r.string(p, "name", "a name", true)!;
  };
  const consumer = party("consumer");
  const provider = party("provider");
  const spec = specVersion(r, root);
  const interactions: Interaction[] = [];
  const list = member(root, "interactions");
  const messages = member(root, "messages");
  if (list === undefined && messages === undefined) r.fail("not a pact file: no 'interactions' or 'messages'", root);
  if (list !== undefined && !Array.isArray(list)) r.fail("'interactions' must be a list", root, "interactions");
  if (messages !== undefined && !Array.isArray(messages)) r.fail("'messages' must be a list", root, "messages");
  const seen = new Map<string, Interaction>();
  const add = (i: Interaction, container: unknown[], index: number) => {
    if (--budget.interactions < 0) r.fail(`more than ${MAX_INTERACTIONS} interactions; refusing to read further`, container, index);
    const first = seen.get(i.key);
    if (first) r.fail(`interaction '${i.key}' is written twice (first at line ${first.loc.line}); pact tools write each once`, container, index);
    seen.set(i.key, i);
    interactions.push(i);
  };
  for (const [index, item] of ((list as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(item)) r.fail("an interaction must be an object", list, index);
    const type = spec === 4 ? r.string(item, "type", "an interaction type", true)! : "Synchronous/HTTP";
    if (type === "Synchronous/HTTP") add(httpInteraction(r, item, spec), list as unknown[], index);
    else if (type === "Asynchronous/Messages") add(messageInteraction(r, item, spec), list as unknown[], index);
    else if (type === "Synchronous/Messages") add(syncMessageInteraction(r, item), list as unknown[], index);
    else r.fail(`unknown interaction type '${type.slice(0, 60)}' (expected Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages)`, item, "type");
  }
  for (const [index, item] of ((messages as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(item)) r.fail("a message must be an object", messages, index);
    add(messageInteraction(r, item, 3), messages as unknown[], index);
  }
  return { file: doc.file, consumer, provider, spec, interactions };
}

function states(r: Reader, item: Obj): string[] {
  const single = member(item, "providerState");
  if (single !== undefined) {
    if (typeof single !== "string") r.fail("'providerState' must be a string", item, "providerState");
    return [single];
  }
  const list = member(item, "providerStates");
  if (list === undefined) return [];
  if (!Array.isArray(list)) return r.fail("'providerStates' must be a list", item, "providerStates");
  return list.map((s, i) => {
    if (!isObject(s) || typeof member(s, "name") !== "string") r.fail("a provider state must be an object with a 'name'", list, i);
    return member(s, "name") as string;
  });
}

function keyOf(description: string, given: string[]): string {
  return given.length ? `${description} [given ${given.join(", ")}]` : description;
}

function headersOf(r: Reader, o: Obj, key: string): Map<string, string> {
  const out = new Map<string, string>();
  const h = r.object(o, key, "an object of header names and values");
  if (!h) return out;
  for (const name of Object.keys(h)) {
    const v = h[name];
    // v4 writes a header's values as a list.
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) out.set(name.toLowerCase(), v.join(", "));
    else if (typeof v === "string") out.set(name.toLowerCase(), v);
    else r.fail(`header '${name.slice(0, 60)}' must be a string`, h, name);
  }
  return out;
}

function queryOf(r: Reader, o: Obj): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const q = member(o, "query");
  if (q === undefined || q === null) return out;
  if (typeof q === "string") {
    // v2 writes the query string itself.
    for (const part of q.split("&")) {
      if (!part) continue;
      const eq = part.indexOf("=");
      const [k, v] = eq === -1 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
      const name = decode(k);
      const list = out.get(name) ?? [];
      list.push(decode(v));
      out.set(name, list);
    }
    return out;
  }
  if (!isObject(q)) return r.fail("'query' must be a query string or an object of parameter values", o, "query");
  for (const name of Object.keys(q)) {
    const v = q[name];
    if (typeof v === "string") out.set(name, [v]);
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out.set(name, v as string[]);
    else r.fail(`query parameter '${name.slice(0, 60)}' must be a string or a list of strings`, q, name);
  }
  return out;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** A body as v2/v3 write it (the value itself) or as v4 writes it (`{ content, contentType, encoded }`). */
function bodyOf(r: Reader, o: Obj, key: string, spec: number, headerType: string | undefined): { has: boolean; value?: unknown; contentType?: string; locs: BodyLocations } {
  const none: BodyLocations = () => undefined;
  if (!Object.hasOwn(o, key)) return { has: false, locs: none };
  const raw = o[key];
  if (spec === 4 && isObject(raw) && Object.hasOwn(raw, "content")) {
    const ct = r.string(raw, "contentType", "a media type") ?? headerType;
    const encoded = member(raw, "encoded");
    let value = raw.content;
    if (encoded === "JSON" || encoded === "json") {
      if (typeof value !== "string") r.fail("a body encoded as JSON must be a string", raw, "content");
      try {
        value = JSON.parse(value);
      } catch {
        r.fail("the body is marked as encoded JSON but is not valid JSON", raw, "content");
      }
      const holder = raw;
      return { has: true, value, contentType: ct, locs: () => r.doc.loc(holder, "content") };
    }
    if (encoded !== undefined && encoded !== false) return { has: true, value: undefined, contentType: ct, locs: none };
    return { has: true, value, contentType: ct, locs: r.bodyLocs(raw, "content") };
  }
  return { has: true, value: raw, contentType: headerType, locs: r.bodyLocs(o, key) };
}

/** `$.items[*].id`, `$['a-b'].c`, `$.body.x` (v2): the path as segments, `*` for any name or index. */
export function parseRulePath(text: string): string[] | undefined {
  if (!text.startsWith("$")) return undefined;
  const out: string[] = [];
  let i = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === ".") {
      let j = i + 1;
      while (j < text.length && text[j] !== "." && text[j] !== "[") j++;
      if (j === i + 1) return undefined;
      out.push(text.slice(i + 1, j));
      i = j;
    } else if (c === "[") {
      const end = text.indexOf("]", i);
      if (end === -1) return undefined;
      let inner = text.slice(i + 1, end).trim();
      if ((inner.startsWith("'") && inner.endsWith("'")) || (inner.startsWith('"') && inner.endsWith('"'))) inner = inner.slice(1, -1);
      if (!inner) return undefined;
      out.push(inner);
      i = end + 1;
    } else return undefined;
  }
  return out;
}

const MATCH_TYPES = new Set([
  "type", "regex", "equality", "include", "integer", "decimal", "number", "timestamp", "datetime", "date", "time", "boolean", "null",
  "min", "max", "minmax", "contentType", "values", "eachKey", "eachValue", "arrayContains", "semver", "notEmpty", "statusCode", "content-type",
]);

function matcherOf(r: Reader, m: unknown, container: unknown, key: string | number): Matcher {
  if (!isObject(m)) return r.fail("a matcher must be an object", container, key);
  const has = (k: string) => Object.hasOwn(m, k);
  let match = member(m, "match");
  // v2 may write only `min`/`max` or `regex`, which imply the matcher.
  if (match === undefined) match = has("regex") ? "regex" : has("min") || has("max") ? "type" : undefined;
  if (typeof match !== "string" || !MATCH_TYPES.has(match)) {
    return r.fail(`unknown matcher '${String(match).slice(0, 40)}'`, m, has("match") ? "match" : undefined);
  }
  const out: Matcher = { match };
  for (const k of ["min", "max"] as const) {
    const v = member(m, k);
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) r.fail(`'${k}' must be a whole number`, m, k);
    out[k] = v;
  }
  const re = member(m, "regex");
  if (re !== undefined) {
    if (typeof re !== "string") r.fail("'regex' must be a string", m, "regex");
    out.regex = re;
  }
  if (match === "regex" && out.regex === undefined) r.fail("a regex matcher needs a 'regex'", m);
  if (has("value")) out.value = m.value;
  return out;
}

function matchersOf(r: Reader, entry: unknown, container: Obj, key: string, spec: number): Matcher[] {
  if (spec >= 3) {
    if (!isObject(entry)) return r.fail("a matching rule must be an object with 'matchers'", container, key);
    const list = member(entry, "matchers");
    if (!Array.isArray(list)) return r.fail("a matching rule needs a list of 'matchers'", entry, "matchers" in entry ? "matchers" : undefined);
    return list.map((m, i) => matcherOf(r, m, list, i));
  }
  return [matcherOf(r, entry, container, key)];
}

function emptyRules(): MatchingRules {
  return { body: new Map(), header: new Map(), query: new Map(), path: [] };
}

function rulesOf(r: Reader, o: Obj, spec: number): MatchingRules {
  const rules = emptyRules();
  const mr = r.object(o, "matchingRules", "an object of matching rules");
  if (!mr) return rules;
  const addPath = (cat: "body", k: string, container: Obj, segs: string[] | undefined) => {
    if (!segs) r.fail(`'${k.slice(0, 80)}' is not a matching rule path such as $.items[*].id`, container, k);
    rules[cat].set(JSON.stringify(segs), matchersOf(r, container[k], container, k, spec));
  };
  if (spec < 3) {
    for (const k of Object.keys(mr)) {
      const segs = parseRulePath(k);
      if (!segs) r.fail(`'${k.slice(0, 80)}' is not a matching rule path such as $.body.items[*].id`, mr, k);
      const [cat, ...rest] = segs;
      const ms = matchersOf(r, mr[k], mr, k, spec);
      if (cat === "body") rules.body.set(JSON.stringify(rest), ms);
      else if (cat === "headers" || cat === "header") rules.header.set((rest[0] ?? "").toLowerCase(), ms);
      else if (cat === "query") rules.query.set(rest[0] ?? "", ms);
      else if (cat === "path") rules.path = ms;
    }
    return rules;
  }
  for (const cat of Object.keys(mr)) {
    const section = mr[cat];
    if (cat === "path") {
      rules.path = matchersOf(r, section, mr, cat, spec);
      continue;
    }
    if (!isObject(section)) r.fail(`matching rules '${cat.slice(0, 40)}' must be an object`, mr, cat);
    for (const k of Object.keys(section)) {
      if (cat === "body" || cat === "content") addPath("body", k, section, parseRulePath(k));
      else if (cat === "header" || cat === "headers") rules.header.set(k.toLowerCase(), matchersOf(r, section[k], section, k, spec));
      else if (cat === "query") rules.query.set(k, matchersOf(r, section[k], section, k, spec));
      else matchersOf(r, section[k], section, k, spec);
    }
  }
  return rules;
}

/** An interaction whose location and fingerprint are worked out when first asked for. */
function interaction(r: Reader, item: Obj, i: Omit<Interaction, "loc" | "fingerprint">, extra?: unknown): Interaction {
  let fp: string | undefined;
  // Everything the provider is held to, and nothing positional.
  const held = (x: Partial<PactRequest & PactResponse & PactMessage> | undefined) =>
    x && [x.method, x.path, x.query, x.headers, x.status, x.hasBody, x.body, x.contentType, x.contents, x.hasContents, x.metadata, x.rules];
  return {
    ...i,
    get loc() {
      return r.doc.loc(item);
    },
    get fingerprint() {
      return (fp ??= canonical({ request: held(i.request), response: held(i.response), message: held(i.message), extra }));
    },
  };
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x instanceof Map ? [...x].sort(([a], [b]) => (a < b ? -1 : 1)) : x));
}

function httpInteraction(r: Reader, item: Obj, spec: number): Interaction {
  const description = r.string(item, "description", "a description", true)!;
  const given = states(r, item);
  const req = r.object(item, "request", "an object", true)!;
  const res = r.object(item, "response", "an object", true)!;
  const method = r.string(req, "method", "an HTTP method", true)!;
  if (!/^[A-Za-z]+$/.test(method)) r.fail(`'${method.slice(0, 20)}' is not an HTTP method`, req, "method");
  const path = r.string(req, "path", "a path", true)!;
  if (!path.startsWith("/")) r.fail("a request path starts with '/'", req, "path");
  const reqHeaders = headersOf(r, req, "headers");
  const reqBody = bodyOf(r, req, "body", spec, reqHeaders.get("content-type"));
  const request: PactRequest = {
    method: method.toLowerCase(),
    path,
    query: queryOf(r, req),
    headers: reqHeaders,
    body: reqBody.value,
    hasBody: reqBody.has,
    contentType: reqBody.contentType,
    rules: rulesOf(r, req, spec),
    get loc() {
      return r.doc.loc(item, "request");
    },
    bodyLocs: reqBody.locs,
  };
  const status = member(res, "status");
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599) r.fail("'status' must be an HTTP status code", res, status === undefined ? undefined : "status");
  const resHeaders = headersOf(r, res, "headers");
  const resBody = bodyOf(r, res, "body", spec, resHeaders.get("content-type"));
  const response: PactResponse = {
    status: status as number,
    headers: resHeaders,
    body: resBody.value,
    hasBody: resBody.has,
    contentType: resBody.contentType,
    rules: rulesOf(r, res, spec),
    get loc() {
      return r.doc.loc(item, "response");
    },
    bodyLocs: resBody.locs,
  };
  return interaction(r, item, { type: "http", description, states: given, key: keyOf(description, given), request, response });
}

function messageOf(r: Reader, item: Obj, spec: number, key: string): PactMessage {
  const metaRaw = r.object(item, "metadata", "an object");
  const metadata = new Map<string, unknown>(metaRaw ? Object.keys(metaRaw).map((k) => [k, metaRaw[k]]) : []);
  const declared = metadata.get("contentType") ?? metadata.get("content-type") ?? metadata.get("Content-Type");
  const body = bodyOf(r, item, key, spec, typeof declared === "string" ? declared : undefined);
  return { contents: body.value, hasContents: body.has, contentType: body.contentType, metadata, rules: rulesOf(r, item, spec), bodyLocs: body.locs };
}

function messageInteraction(r: Reader, item: Obj, spec: number): Interaction {
  const description = r.string(item, "description", "a description", true)!;
  const given = states(r, item);
  if (!Object.hasOwn(item, "contents")) r.fail("a message needs 'contents'", item);
  const message = messageOf(r, item, spec, "contents");
  return interaction(r, item, { type: "message", description, states: given, key: keyOf(description, given), message });
}

/** A synchronous message (v4): the request message is what the provider receives, the first response what it sends. */
function syncMessageInteraction(r: Reader, item: Obj): Interaction {
  const description = r.string(item, "description", "a description", true)!;
  const given = states(r, item);
  const req = r.object(item, "request", "an object", true)!;
  const message = messageOf(r, req, 4, "contents");
  const response = member(item, "response");
  return interaction(r, item, { type: "message", description, states: given, key: keyOf(description, given), message }, response);
}

const parsedRules = new WeakMap<Map<string, Matcher[]>, Array<[string[], Matcher[]]>>();

/**
 * The matchers that apply to a body element: the most specific rule whose path matches the element or
 * one of its ancestors (pact's weighting: a longer match wins, a name beats `*`), since a matcher on an
 * object or array also governs what lies below it.
 */
export function matchersAt(rules: Map<string, Matcher[]>, at: Array<string | number>): Matcher[] | undefined {
  if (!rules.size) return undefined;
  let parsed = parsedRules.get(rules);
  if (!parsed) parsedRules.set(rules, (parsed = [...rules].map(([k, ms]) => [JSON.parse(k) as string[], ms])));
  let best: { score: number; ms: Matcher[] } | undefined;
  for (const [segs, ms] of parsed) {
    if (segs.length > at.length) continue;
    let score = segs.length * 4;
    let ok = true;
    for (let i = 0; i < segs.length; i++) {
      if (segs[i] === String(at[i])) score += 2;
      else if (segs[i] === "*") score += 1;
      else {
        ok = false;
        break;
      }
    }
    if (ok && (!best || score > best.score)) best = { score, ms };
  }
  return best?.ms;
}

/** The matchers written exactly at a body element (not inherited). */
export function ownMatchers(rules: Map<string, Matcher[]>, at: Array<string | number>): Matcher[] | undefined {
  const exact = rules.get(JSON.stringify(at.map(String)));
  if (exact) return exact;
  const wild = rules.get(JSON.stringify(at.map((s) => (typeof s === "number" ? "*" : s))));
  return wild;
}
