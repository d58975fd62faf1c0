import type { Location } from "../core/location.ts";
import { isObj, type N } from "../kinds/openapi/load.ts";
import { child, type Media, type OpenApiModel, type Operation, type Param } from "../kinds/openapi/model.ts";
import { matchersAt } from "../kinds/pact/load.ts";
import type { Interaction, Matcher, PactModel } from "../kinds/pact/model.ts";
import type { Expectation } from "./consumers-model.ts";

/**
 * Judges a pact's HTTP interactions against an OpenAPI description: each request must be one the
 * description accepts, and each expected response one it can produce, field by field, with the pact's
 * matching rules. Facts only; the caller names the consumer and applies policy.
 */

/** Work done per judged pair of contracts: schema steps across all interactions. */
const MAX_STEPS = 5_000_000;
const MAX_DEPTH = 256;
/** Findings kept per interaction: the first ones say what is wrong. */
const MAX_PER_INTERACTION = 20;

export const RULES = {
  pathUnknown: "consumer-request-path-unknown",
  methodUnknown: "consumer-request-method-unknown",
  paramMissing: "consumer-request-parameter-missing",
  paramInvalid: "consumer-request-parameter-invalid",
  paramUnknown: "consumer-request-parameter-unknown",
  bodyMissing: "consumer-request-body-missing",
  bodyUnexpected: "consumer-request-body-unknown",
  mediaType: "consumer-request-media-type-unsupported",
  bodyInvalid: "consumer-request-body-invalid",
  statusUnknown: "consumer-response-status-unknown",
  responseMedia: "consumer-response-media-type-unknown",
  responseBody: "consumer-response-body-unknown",
  fieldUnknown: "consumer-response-field-unknown",
  fieldType: "consumer-response-field-type-mismatch",
  fieldValue: "consumer-response-field-value-mismatch",
  arrayLength: "consumer-response-array-length",
  headerMissing: "consumer-response-header-unknown",
} as const;

/** What the walker needs of a schema document: `$ref`s followed, and where a node is written. */
export interface SchemaSpec {
  deref(n: N): N;
  locate(n: { f: string; p: string }): Location;
}
type Spec = SchemaSpec;

interface Problem {
  rule: string;
  severity: "breaking" | "dangerous";
  /** Where in the request or response: `request.query.limit`, `response.body.lines[].qty`. */
  where: string;
  message: string;
  provider: Location;
  consumer: Location;
}

class Budget {
  steps = 0;
  tick(spec: Spec, n: N): void {
    if (++this.steps > MAX_STEPS) throw Object.assign(new Error("budget"), { loc: spec.locate(n) });
  }
}

const JSON_MEDIA = /^application\/(?:[\w.+-]*\+)?json$|^\*\/\*$|^application\/\*$/i;

function bare(mt: string): string {
  return mt.split(";")[0]!.trim().toLowerCase();
}

/** Whether a declared media type (maybe a wildcard) covers a concrete one. */
function covers(declared: string, actual: string): boolean {
  const [dt, ds] = bare(declared).split("/");
  const [at, as] = bare(actual).split("/");
  return (dt === "*" || dt === at) && (ds === "*" || ds === as);
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function types(s: Record<string, unknown>): string[] | undefined {
  const t = s.type;
  const list = Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : typeof t === "string" ? [t] : undefined;
  if (!list) return undefined;
  if (s.nullable === true || s["x-nullable"] === true) list.push("null");
  return list;
}

function allows(list: string[], t: string): boolean {
  return list.includes(t) || (t === "integer" && list.includes("number"));
}

function display(path: Array<string | number>): string {
  return path.map((s) => (typeof s === "number" ? "[]" : s)).join(".").replace(/\.\[\]/g, "[]") || "(body)";
}

interface WalkContext {
  spec: Spec;
  budget: Budget;
  /** Response: what the pact reads must be producible; request: what it sends must be accepted. */
  response: boolean;
  rules?: Map<string, Matcher[]>;
  locs: (path: Array<string | number>) => Location | undefined;
  /** Where the request or response is written, when no element of its body is. */
  fallback: () => Location;
  out: Problem[];
  prefix: string;
  /** Property names sibling allOf branches declare for the object at `at`. */
  known?: { at: string; names: Set<string> };
}

function consumerAt(cx: WalkContext, path: Array<string | number>): Location {
  for (let n = path.length; n > 0; n--) {
    const l = cx.locs(path.slice(0, n));
    if (l) return l;
  }
  return cx.fallback();
}

function problem(cx: WalkContext, rule: string, path: Array<string | number>, at: N, message: string, severity: Problem["severity"] = "breaking"): void {
  cx.out.push({ rule, severity, where: `${cx.prefix}.${display(path)}`, message, provider: cx.spec.locate(at), consumer: consumerAt(cx, path) });
}

/** Whether `value` fits `schema` exactly (no matchers): the branch test of oneOf/anyOf. */
function fits(cx: WalkContext, schema: N, value: unknown, path: Array<string | number>, depth: number): boolean {
  const probe: WalkContext = { ...cx, out: [] };
  walk(probe, schema, value, path, depth);
  return probe.out.length === 0;
}

/**
 * Walks a value against a schema. In a response, a matcher on an element turns the check of its value
 * into a check of its kind (a `type` matcher asks for the same JSON type, `integer` for integers only,
 * `regex` for strings every declared value of which matches); without one the value itself must fit.
 */
function walk(cx: WalkContext, raw: N, value: unknown, path: Array<string | number>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const n = cx.spec.deref(raw);
  cx.budget.tick(cx.spec, n);
  if (n.v === true || n.v === undefined) return;
  if (n.v === false) return problem(cx, cx.response ? RULES.fieldUnknown : RULES.bodyInvalid, path, n, "the schema allows no value here");
  if (!isObj(n.v)) return;
  const s = n.v;
  for (const [k, branches] of [["allOf", true], ["anyOf", false], ["oneOf", false]] as const) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    const items = list.map((_, i) => child(child(n, k), i));
    if (branches) {
      // Every branch must accept the value; a property one branch declares is known to all.
      const names = mergedProperties(cx.spec, items, depth);
      for (const b of items) walk({ ...cx, known: { at: path.join("."), names } }, b, value, path, depth + 1);
    } else if (!items.some((b) => fits(cx, b, value, path, depth + 1))) {
      // No branch fits: report what the closest branch says.
      const tries = items.map((b) => {
        const probe: WalkContext = { ...cx, out: [] };
        walk(probe, b, value, path, depth + 1);
        return probe.out;
      });
      tries.sort((a, b) => a.length - b.length);
      cx.out.push(...(tries[0] ?? []));
    }
  }
  const matchers = cx.response && cx.rules ? matchersAt(cx.rules, path) : undefined;
  const kind = jsonType(value);
  const ts = types(s);
  const m = matchers?.[0];
  const fieldRule = cx.response ? RULES.fieldType : RULES.bodyInvalid;
  const valueRule = cx.response ? RULES.fieldValue : RULES.bodyInvalid;
  if (m && m.match !== "equality") {
    if (ts && !kindMatches(m, kind, ts)) {
      return problem(cx, fieldRule, path, n, `'${display(path)}' is read as ${expected(m, kind)} (${m.match} matcher), but the provider's schema gives ${ts.join(" or ")}`);
    }
    if (m.match === "regex" && m.regex !== undefined && Array.isArray(s.enum)) {
      const re = safeRegex(m.regex);
      const bad = re ? s.enum.filter((e) => typeof e === "string" && !re.test(e)) : [];
      if (bad.length) problem(cx, valueRule, path, child(n, "enum"), `'${display(path)}' must match /${m.regex.slice(0, 80)}/, but the provider may send ${bad.slice(0, 3).map((b) => JSON.stringify(b)).join(", ")}`);
    }
  } else {
    if (ts && !allows(ts, kind)) {
      return problem(cx, fieldRule, path, n, `'${display(path)}' is ${kind} (${JSON.stringify(value)?.slice(0, 40)}), but the provider's schema gives ${ts.join(" or ")}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
      problem(cx, valueRule, path, child(n, "enum"), `'${display(path)}' is ${JSON.stringify(value)?.slice(0, 60)}, which the provider's schema does not list (${s.enum.slice(0, 5).map((e) => JSON.stringify(e)).join(", ")})`);
    }
    if (Object.hasOwn(s, "const") && JSON.stringify(s.const) !== JSON.stringify(value)) {
      problem(cx, valueRule, path, child(n, "const"), `'${display(path)}' is ${JSON.stringify(value)?.slice(0, 60)}, but the provider's schema fixes it to ${JSON.stringify(s.const)?.slice(0, 60)}`);
    }
    if (!cx.response || !m) bounds(cx, n, s, value, path);
  }
  if (kind === "object") objectMembers(cx, n, s, value as Record<string, unknown>, path, depth);
  else if (kind === "array") arrayItems(cx, n, s, value as unknown[], path, depth, m);
}

/**
 * A regex from a hostile input (the pact's matcher, the provider's pattern) that is tried on a value
 * only when it cannot backtrack exponentially: a regex with a quantified group and any other quantifier
 * or alternation (`(a+)+`, `(a|aa)*`, `((a+))+`), or with a backreference, is not tried at all, so a
 * check never hangs.
 */
function safeRegex(src: string): RegExp | undefined {
  if (src.length > 1000) return undefined;
  const quantifiedGroup = /\)\s*[+*{?]/.test(src);
  if (/\\\d/.test(src) || (quantifiedGroup && (src.replace(/\)\s*[+*{?]/g, ")").search(/[+*{|]/) !== -1))) return undefined;
  try {
    return new RegExp(src);
  } catch {
    return undefined;
  }
}

function expected(m: Matcher, kind: string): string {
  if (m.match === "integer") return "an integer";
  if (m.match === "decimal") return "a decimal number";
  if (m.match === "number") return "a number";
  if (m.match === "boolean") return "a boolean";
  if (m.match === "null") return "null";
  if (["regex", "date", "time", "timestamp", "datetime", "include", "semver"].includes(m.match)) return "a string";
  return kind === "integer" ? "a number" : kind;
}

/** Whether a schema allowing types `ts` only produces values this matcher accepts. */
function kindMatches(m: Matcher, kind: string, ts: string[]): boolean {
  const real = ts.filter((t) => t !== "null");
  const nullOk = ts.includes("null") ? false : true;
  if (!nullOk && m.match !== "null" && kind !== "null") return false;
  switch (m.match) {
    case "integer":
      return real.every((t) => t === "integer");
    case "decimal":
      return real.every((t) => t === "number");
    case "number":
      return real.every((t) => t === "number" || t === "integer");
    case "boolean":
      return real.every((t) => t === "boolean");
    case "null":
      return ts.every((t) => t === "null");
    case "regex":
    case "date":
    case "time":
    case "timestamp":
    case "datetime":
    case "include":
    case "semver":
      return real.every((t) => t === "string");
    default: {
      // `type` (also with min/max), and matchers this check does not refine: the same JSON type.
      const k = kind === "integer" ? "number" : kind;
      return real.every((t) => (t === "integer" ? "number" : t) === k);
    }
  }
}

function bounds(cx: WalkContext, n: N, s: Record<string, unknown>, value: unknown, path: Array<string | number>): void {
  const rule = cx.response ? RULES.fieldValue : RULES.bodyInvalid;
  const where = display(path);
  const num = (k: string) => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  if (typeof value === "number") {
    const min = num("minimum");
    const max = num("maximum");
    const emin = s.exclusiveMinimum;
    const emax = s.exclusiveMaximum;
    if ((min !== undefined && (value < min || (emin === true && value === min))) || (typeof emin === "number" && value <= emin)) problem(cx, rule, path, n, `'${where}' is ${value}, below the provider's minimum`);
    if ((max !== undefined && (value > max || (emax === true && value === max))) || (typeof emax === "number" && value >= emax)) problem(cx, rule, path, n, `'${where}' is ${value}, above the provider's maximum`);
  }
  if (typeof value === "string") {
    const minL = num("minLength");
    const maxL = num("maxLength");
    if (minL !== undefined && [...value].length < minL) problem(cx, rule, path, n, `'${where}' is shorter than the provider's minLength ${minL}`);
    if (maxL !== undefined && [...value].length > maxL) problem(cx, rule, path, n, `'${where}' is longer than the provider's maxLength ${maxL}`);
    if (typeof s.pattern === "string" && value.length <= 10_000) {
      const re = safeRegex(s.pattern);
      if (re && !re.test(value)) problem(cx, rule, path, child(n, "pattern"), `'${where}' (${JSON.stringify(value).slice(0, 40)}) does not match the provider's pattern /${s.pattern.slice(0, 80)}/`);
    }
  }
  if (Array.isArray(value)) {
    const minI = num("minItems");
    const maxI = num("maxItems");
    if (minI !== undefined && value.length < minI) problem(cx, rule, path, n, `'${where}' has ${value.length} items, fewer than the provider's minItems ${minI}`);
    if (maxI !== undefined && value.length > maxI) problem(cx, rule, path, n, `'${where}' has ${value.length} items, more than the provider's maxItems ${maxI}`);
  }
}

/** Properties declared by a list of allOf branches (and what they nest), by name. */
function mergedProperties(spec: Spec, items: N[], depth: number): Set<string> {
  const out = new Set<string>();
  if (depth > MAX_DEPTH) return out;
  for (const raw of items) {
    const b = spec.deref(raw);
    if (!isObj(b.v)) continue;
    if (isObj(b.v.properties)) for (const k of Object.keys(b.v.properties)) out.add(k);
    for (const k of ["allOf", "anyOf", "oneOf"]) {
      if (Array.isArray(b.v[k])) for (const p of mergedProperties(spec, (b.v[k] as unknown[]).map((_, i) => child(child(b, k), i)), depth + 1)) out.add(p);
    }
  }
  return out;
}

function objectMembers(cx: WalkContext, n: N, s: Record<string, unknown>, value: Record<string, unknown>, path: Array<string | number>, depth: number): void {
  const props = isObj(s.properties) ? child(n, "properties") : undefined;
  const composed = ["allOf", "anyOf", "oneOf"].some((k) => Array.isArray(s[k]));
  const known = composed ? mergedProperties(cx.spec, [n], depth) : new Set<string>();
  const ap = s.additionalProperties;
  for (const k of Object.keys(value)) {
    const here = [...path, k];
    if (props && Object.hasOwn(props.v as object, k)) {
      walk(cx, child(props, k), value[k], here, depth + 1);
      continue;
    }
    if (known.has(k) || (cx.known && cx.known.at === path.join(".") && cx.known.names.has(k))) continue;
    if (isObj(ap) || ap === true) {
      if (isObj(ap)) walk(cx, child(n, "additionalProperties"), value[k], here, depth + 1);
      continue;
    }
    if (composed && !props) continue;
    if (cx.response) {
      // What the consumer reads must be something the provider says it sends.
      if (ap === undefined && !props && !types(s)) continue;
      problem(cx, RULES.fieldUnknown, here, props ?? n, `the consumer reads '${display(here)}', which the provider's schema does not define`);
    } else if (ap === false) {
      problem(cx, RULES.bodyInvalid, here, n, `the consumer sends '${display(here)}', which the provider's schema does not allow (additionalProperties: false)`);
    }
  }
  if (!cx.response && Array.isArray(s.required)) {
    for (const r of s.required) {
      if (typeof r === "string" && !Object.hasOwn(value, r)) problem(cx, RULES.bodyInvalid, path, child(n, "required"), `the consumer does not send '${display([...path, r])}', which the provider requires`);
    }
  }
}

function arrayItems(cx: WalkContext, n: N, s: Record<string, unknown>, value: unknown[], path: Array<string | number>, depth: number, m: Matcher | undefined): void {
  const items = s.items !== undefined ? child(n, "items") : undefined;
  if (cx.response && m && (m.min !== undefined || m.max !== undefined)) {
    const minI = typeof s.minItems === "number" ? s.minItems : 0;
    const maxI = typeof s.maxItems === "number" ? s.maxItems : Infinity;
    const where = display(path);
    // A minimum of one is what eachLike writes by default; only a larger one asks for more than the provider promises.
    if (m.min !== undefined && m.min > Math.max(minI, 1)) problem(cx, RULES.arrayLength, path, n, `'${where}' is read with at least ${m.min} item${m.min === 1 ? "" : "s"}, but the provider's schema allows ${minI}`, "dangerous");
    if (m.max !== undefined && m.max < maxI) problem(cx, RULES.arrayLength, path, n, `'${where}' is read with at most ${m.max} items, but the provider's schema allows ${maxI === Infinity ? "any number" : maxI}`, "dangerous");
  }
  if (!items) return;
  // With a matcher on the array (eachLike), the first element stands for all: one walk is enough.
  const walked = m && m.match === "type" ? value.slice(0, 1) : value;
  walked.forEach((v, i) => walk(cx, items, v, [...path, i], depth + 1));
}

/** Coerces a query, path or header value (a string) to the type its schema declares. */
function coerce(spec: Spec, schema: N | undefined, raw: string): unknown {
  if (!schema) return raw;
  const s = spec.deref(schema).v;
  const ts = isObj(s) ? types(s) : undefined;
  if (!ts) return raw;
  if ((ts.includes("integer") || ts.includes("number")) && raw.trim() !== "" && !Number.isNaN(Number(raw))) return Number(raw);
  if (ts.includes("boolean") && (raw === "true" || raw === "false")) return raw === "true";
  if (ts.includes("array")) return raw.split(",");
  return raw;
}

interface Route {
  path: string;
  /** Per segment: the literal, or a pattern for a segment with parameters (`{id}`, `{id}.json`). */
  segs: Array<string | RegExp>;
  ops: Operation[];
}

const routeCache = new WeakMap<OpenApiModel, Map<number, Route[]>>();

/** The description's paths by segment count, each segment ready to match: built once per model. */
function routes(model: OpenApiModel): Map<number, Route[]> {
  let byLength = routeCache.get(model);
  if (byLength) return byLength;
  byLength = new Map();
  const ops = new Map<string, Operation[]>();
  for (const o of model.ops.values()) {
    if (o.webhook) continue;
    let list = ops.get(o.path);
    if (!list) ops.set(o.path, (list = []));
    list.push(o);
  }
  for (const { path } of model.paths.values()) {
    const segs = path
      .split("/")
      .filter(Boolean)
      .map((t) => (!t.includes("{") ? t : /^\{[^}]*\}$/.test(t) ? /^[^/]+$/ : new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]*\\?\}/g, "[^/]+")}$`)));
    let list = byLength.get(segs.length);
    if (!list) byLength.set(segs.length, (list = []));
    list.push({ path, segs, ops: ops.get(path) ?? [] });
  }
  routeCache.set(model, byLength);
  return byLength;
}

/** How well a route matches a concrete path: literal segments count more than parameters; -1 when it does not. */
function pathScore(route: Route, actual: string[]): number {
  let score = 0;
  for (let i = 0; i < route.segs.length; i++) {
    const t = route.segs[i]!;
    if (typeof t === "string") {
      if (t !== actual[i]) return -1;
      score += 2;
    } else if (t.test(actual[i]!)) score += 1;
    else return -1;
  }
  return score;
}

const baseCache = new WeakMap<OpenApiModel, string[]>();

/** Base paths of the description's servers (`/api/v1`), which a consumer's paths include. */
function basePaths(model: OpenApiModel): string[] {
  const known = baseCache.get(model);
  if (known) return known;
  const out = new Set<string>([""]);
  const doc = model.doc;
  if (typeof doc.basePath === "string") out.add(doc.basePath.replace(/\/$/, ""));
  if (Array.isArray(doc.servers)) {
    for (const sv of doc.servers) {
      if (!isObj(sv) || typeof sv.url !== "string") continue;
      const p = sv.url.replace(/^[a-z]+:\/\/[^/]*/i, "").replace(/\{[^}]*\}/g, "").replace(/\/$/, "");
      if (p.startsWith("/")) out.add(p);
    }
  }
  const list = [...out];
  baseCache.set(model, list);
  return list;
}

interface Located {
  ops: Operation[];
  params: Map<string, string>;
}

function findPath(model: OpenApiModel, path: string): { path: string; ops: Operation[]; values: string[] } | undefined {
  let best: { score: number; path: string; ops: Operation[]; values: string[] } | undefined;
  const table = routes(model);
  for (const base of basePaths(model)) {
    if (base && !(path === base || path.startsWith(`${base}/`))) continue;
    const rest = (base ? path.slice(base.length) : path).split("?")[0]!;
    const actual = rest.split("/").filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    for (const route of table.get(actual.length) ?? []) {
      const score = pathScore(route, actual);
      if (score < 0 || (best && best.score >= score)) continue;
      best = { score, path: route.path, ops: route.ops, values: actual };
    }
  }
  return best;
}

const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

/** Judges one HTTP interaction. */
function judgeHttp(spec: Spec & { rootPath: string }, model: OpenApiModel, i: Interaction, budget: Budget): Problem[] {
  const req = i.request!;
  const res = i.response!;
  const out: Problem[] = [];
  const root: N = { v: model.doc, f: spec.rootPath, p: "" };
  const found = findPath(model, req.path);
  if (!found) {
    out.push({ rule: RULES.pathUnknown, severity: "breaking", where: "request.path", message: `the provider has no path matching ${req.path.slice(0, 200)}`, provider: spec.locate(child(root, "paths")), consumer: req.loc });
    return out;
  }
  const op = found.ops.find((o) => o.method === req.method);
  const pathNode = model.paths.get(found.path.replace(/\{[^}]*\}/g, "{}"))?.node ?? child(root, "paths");
  if (!op) {
    out.push({ rule: RULES.methodUnknown, severity: "breaking", where: "request.method", message: `the provider has no ${req.method.toUpperCase()} on ${found.path}`, provider: spec.locate(pathNode), consumer: req.loc });
    return out;
  }
  const base = { spec, budget, locs: req.bodyLocs, fallback: () => req.loc, out };
  // Parameters.
  const names = [...found.path.matchAll(/\{([^}]*)\}/g)].map((x) => x[1]!);
  const templateSegs = found.path.split("/").filter(Boolean);
  const pathValues = new Map<string, string>();
  templateSegs.forEach((t, idx) => {
    const m = /^\{([^}]*)\}$/.exec(t);
    if (m) pathValues.set(m[1]!, found.values[idx]!);
  });
  void names;
  const sent = (p: Param): string[] | undefined => {
    if (p.in === "query") return req.query.get(p.name);
    if (p.in === "header") {
      const h = req.headers.get(p.name.toLowerCase());
      return h === undefined ? undefined : [h];
    }
    if (p.in === "path") {
      const v = pathValues.get(p.name);
      return v === undefined ? undefined : [v];
    }
    return undefined;
  };
  for (const p of op.params.values()) {
    if (p.in === "cookie" || (p.in === "header" && IGNORED_HEADERS.has(p.name.toLowerCase()))) continue;
    const values = sent(p);
    if (!values) {
      if (p.required) out.push({ rule: RULES.paramMissing, severity: "breaking", where: `request.${p.in}.${p.name}`, message: `the provider requires the ${p.in} parameter '${p.name}', which the consumer does not send`, provider: spec.locate(p.node), consumer: req.loc });
      continue;
    }
    if (!p.schema) continue;
    const list = p.in === "query" && values.length > 1 ? [values] : values;
    for (const v of list) {
      const schema = spec.deref(p.schema);
      const value = Array.isArray(v) ? v.map((x) => coerce(spec, isObj(schema.v) ? child(schema, "items") : undefined, x)) : coerce(spec, p.schema, v);
      const probe: Problem[] = [];
      walk({ ...base, out: probe, response: false, prefix: `request.${p.in}.${p.name}` }, p.schema, value, [], 0);
      for (const x of probe) out.push({ ...x, rule: RULES.paramInvalid, where: `request.${p.in}.${p.name}`, message: `${p.in} parameter '${p.name}': ${x.message.replace(/^'\(body\)' /, "the value ")}` });
    }
  }
  for (const name of req.query.keys()) {
    if (![...op.params.values()].some((p) => p.in === "query" && p.name === name)) {
      out.push({ rule: RULES.paramUnknown, severity: "dangerous", where: `request.query.${name}`, message: `the consumer sends the query parameter '${name}', which the provider does not declare (it may be ignored)`, provider: spec.locate(op.node), consumer: req.loc });
    }
  }
  // Request body.
  if (op.body && op.body.required && !req.hasBody) {
    out.push({ rule: RULES.bodyMissing, severity: "breaking", where: "request.body", message: "the provider requires a request body, which the consumer does not send", provider: spec.locate(op.body.node), consumer: req.loc });
  }
  if (req.hasBody && req.body !== undefined && req.body !== null && req.body !== "") {
    if (!op.body || !op.body.content.size) {
      out.push({ rule: RULES.bodyUnexpected, severity: "dangerous", where: "request.body", message: "the consumer sends a request body, which the provider does not declare", provider: spec.locate(op.node), consumer: req.loc });
    } else {
      const ct = req.contentType ?? (typeof req.body === "object" ? "application/json" : "text/plain");
      const media = mediaFor(op.body.content, ct);
      if (!media) {
        out.push({ rule: RULES.mediaType, severity: "breaking", where: "request.body", message: `the consumer sends ${bare(ct)}, which the provider does not accept (${[...op.body.content.keys()].join(", ")})`, provider: spec.locate(op.body.node), consumer: req.loc });
      } else if (media.schema && JSON_MEDIA.test(bare(ct)) || (media.schema && /json/i.test(ct))) {
        walk({ ...base, response: false, prefix: "request.body" }, media.schema!, req.body, [], 0);
      }
    }
  }
  // Response.
  const code = String(res.status);
  const response = op.responses.get(code) ?? op.responses.get(`${code[0]}XX`) ?? op.responses.get("DEFAULT");
  const rBase = { spec, budget, locs: res.bodyLocs, fallback: () => res.loc, out, rules: res.rules.body };
  if (!response) {
    out.push({ rule: RULES.statusUnknown, severity: "breaking", where: "response.status", message: `the consumer expects status ${code}, which the provider does not declare (${[...op.responses.values()].map((r) => r.code).join(", ") || "none"})`, provider: spec.locate(child(op.node, "responses")), consumer: res.loc });
    return out;
  }
  for (const [name] of res.headers) {
    if (name === "content-type" || response.headers.has(name)) continue;
    if (res.rules.header.has(name) || /^x-/i.test(name)) {
      out.push({ rule: RULES.headerMissing, severity: "dangerous", where: `response.header.${name}`, message: `the consumer reads the response header '${name}', which the provider does not declare`, provider: spec.locate(response.node), consumer: res.loc });
    }
  }
  const hasBody = res.hasBody && res.body !== undefined && res.body !== null && res.body !== "";
  if (!hasBody) return out;
  if (!response.content.size) {
    out.push({ rule: RULES.responseBody, severity: "breaking", where: "response.body", message: `the consumer reads a response body, but the provider's ${response.code} response has none`, provider: spec.locate(response.node), consumer: res.loc });
    return out;
  }
  const ct = res.contentType ?? (typeof res.body === "object" ? "application/json" : "text/plain");
  const media = mediaFor(response.content, ct);
  if (!media) {
    out.push({ rule: RULES.responseMedia, severity: "breaking", where: "response.body", message: `the consumer expects ${bare(ct)}, which the provider's ${response.code} response does not produce (${[...response.content.keys()].join(", ")})`, provider: spec.locate(response.node), consumer: res.loc });
    return out;
  }
  if (media.schema && /json/i.test(bare(ct))) walk({ ...rBase, response: true, prefix: "response.body" }, media.schema, res.body, [], 0);
  return out;
}

function mediaFor(content: Map<string, Media>, ct: string): Media | undefined {
  const exact = content.get(ct) ?? [...content.values()].find((m) => bare(m.type) === bare(ct));
  return exact ?? [...content.values()].find((m) => covers(m.type, ct));
}

/** Every HTTP interaction of a pact judged against one OpenAPI description. */
export function judgePactAgainstOpenapi(pact: PactModel, model: OpenApiModel): Expectation[] {
  const budget = new Budget();
  const out: Expectation[] = [];
  for (const p of pact.pacts) {
    for (const i of p.interactions) {
      if (i.type !== "http") continue;
      let problems: Problem[];
      try {
        problems = judgeHttp(model.spec, model, i, budget);
      } catch (e) {
        if ((e as { loc?: Location }).loc && (e as Error).message === "budget") {
          problems = [{ rule: RULES.bodyInvalid, severity: "breaking", where: "(all)", message: `more than ${MAX_STEPS} schema steps; the comparison was stopped`, provider: (e as { loc: Location }).loc, consumer: i.loc }];
        } else throw e;
      }
      const label = `${i.key} (${i.request!.method.toUpperCase()} ${i.request!.path.slice(0, 200)})`;
      for (const x of problems.slice(0, MAX_PER_INTERACTION)) {
        out.push({ rule: x.rule, severity: x.severity, interaction: label, where: x.where, message: x.message, provider: x.provider, consumer: x.consumer });
      }
    }
  }
  return out;
}

/** Operations of the description the pact's HTTP interactions reach (`GET /orders/{id}`), for `usage: required`. */
export function operationsUsed(pact: PactModel, model: OpenApiModel): Set<string> {
  const out = new Set<string>();
  for (const p of pact.pacts) {
    for (const i of p.interactions) {
      if (i.type !== "http") continue;
      const op = findPath(model, i.request!.path)?.ops.find((o) => o.method === i.request!.method);
      if (op) out.add(op.label);
    }
  }
  return out;
}

/** A payload schema a message may be judged against: its root node and how its document is read. */
export interface MessageSchema {
  spec: SchemaSpec;
  root: N;
}

/**
 * Every message interaction of a pact (v3 `messages`, v4 asynchronous and synchronous messages) against
 * the producer's payload schemas: what the consumer reads must be something a payload may carry, with the
 * same matching rules as a response body. `schemasFor` gives the candidate payloads of one message (or
 * what is wrong before any payload is compared, such as a channel the producer does not send on); with
 * several, the one that fits best is reported.
 */
export function judgeMessages(pact: PactModel, schemasFor: (i: Interaction) => MessageSchema[] | Omit<Expectation, "interaction">): Expectation[] {
  const out: Expectation[] = [];
  const budget = new Budget();
  for (const p of pact.pacts) {
    for (const i of p.interactions) {
      const m = i.message;
      if (i.type !== "message" || !m || m.contents === undefined || typeof m.contents !== "object" || m.contents === null) continue;
      const interaction = `${i.key} (message)`;
      const candidates = schemasFor(i);
      if (!Array.isArray(candidates)) {
        out.push({ ...candidates, interaction });
        continue;
      }
      let best: Problem[] | undefined;
      for (const { spec, root } of candidates) {
        let problems: Problem[] = [];
        try {
          walk({ spec, budget, response: true, rules: m.rules.body, locs: m.bodyLocs, fallback: () => i.loc, out: problems, prefix: "message.contents" }, root, m.contents, [], 0);
        } catch (e) {
          if (!(e as { loc?: Location }).loc || (e as Error).message !== "budget") throw e;
          problems = [{ rule: RULES.fieldUnknown, severity: "breaking", where: "message.contents", message: `more than ${MAX_STEPS} schema steps; the comparison was stopped`, provider: (e as { loc: Location }).loc, consumer: i.loc }];
        }
        if (!best || problems.length < best.length) best = problems;
        if (!problems.length) break;
      }
      for (const x of (best ?? []).slice(0, MAX_PER_INTERACTION)) {
        out.push({ rule: x.rule, severity: x.severity, interaction, where: x.where, message: x.message, provider: x.provider, consumer: x.consumer });
      }
    }
  }
  return out;
}
