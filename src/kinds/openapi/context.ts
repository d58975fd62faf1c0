import type { Finding } from "../../core/finding.ts";
import { CATALOGUE, levelSeverity, undeprecated, type Level } from "./catalogue.ts";

const RANK: Record<Level, number> = { INFO: 0, WARN: 1, ERR: 2 };
import { ContractError } from "../../core/errors.ts";
import { MAX_CARRIED, MAX_COMPARISONS } from "./limits.ts";
import { splitPointer, type N, type Spec } from "./load.ts";
import type { OpenApiModel, Operation } from "./model.ts";
import type { SchemaChange } from "./rules/schema.ts";

/** What a rule reports: an id of the catalogue, where, and the two sides. */
export interface Report {
  id: string;
  /** JSON pointer of the element (in the new version when it exists, else the old one). */
  path: string;
  message: string;
  old?: N | { f: string; p: string };
  new?: N | { f: string; p: string };
  op?: Operation;
  deprecated?: { sunset?: string };
  /** A change in a shared element: one finding for every operation that reaches it, the message names no operation. */
  shared?: boolean;
}

/** Keywords that step into a schema; a file whose pointer starts with one holds a single schema. */
const SCHEMA_STEPS = new Set(["properties", "items", "additionalProperties", "allOf", "oneOf", "anyOf"]);

/**
 * How a person names an element of a shared schema: `Line.quantity`, `Order.lines[].sku`, and in a
 * schema file `schemas/order.yaml#lines[][].quantity` (or `#Order.lines` for a file of named
 * schemas); the pointer itself elsewhere.
 */
export function coordinate(path: string): string {
  const hash = path.indexOf("#");
  const file = hash > 0 ? path.slice(0, hash) : "";
  const segs = splitPointer(hash >= 0 ? path.slice(hash + 1) : path);
  let i: number;
  let out: string;
  if (segs[0] === "components" && segs.length >= 3) [out, i] = [segs[2]!, 3];
  else if ((segs[0] === "definitions" || segs[0] === "$defs") && segs.length >= 2) [out, i] = [segs[1]!, 2];
  else if (file && segs.length && SCHEMA_STEPS.has(segs[0]!)) [out, i] = ["", 0];
  else if (file && segs.length >= 2 && SCHEMA_STEPS.has(segs[1]!)) [out, i] = [segs[0]!, 1];
  else return `${file}#${hash >= 0 ? path.slice(hash + 1) : path}`;
  for (; i < segs.length; i++) {
    const s = segs[i]!;
    if (s === "properties" && i + 1 < segs.length) out += `${out ? "." : ""}${segs[++i]}`;
    else if (s === "items") out += "[]";
    else if (s === "additionalProperties") out += "{}";
    else if ((s === "allOf" || s === "oneOf" || s === "anyOf") && i + 1 < segs.length) out += s === "allOf" ? "" : `${out ? "." : ""}${s}[${segs[++i]}]`;
    else out += `/${s}`;
  }
  return file ? `${file}#${out}` : out;
}

/** Shared state of one diff: both models, settings, caches and the findings collected. */
export class DiffContext {
  readonly findings: Finding[] = [];
  readonly schemaCache = new Map<string, SchemaChange[]>();
  readonly inProgress = new Set<string>();
  /** Steps left to the "accepts every value of" checks of this diff (each is cheap, but they must stay bounded). */
  readonly subsetBudget = { left: 200_000 };
  /** Schema comparisons made so far, against MAX_COMPARISONS. */
  private comparisons = 0;
  /** Changes carried up through nested schemas so far, against MAX_CARRIED. */
  private carried = 0;
  /** Findings by rule, path and message: the same change reached from several operations is one finding. */
  private readonly byChange = new Map<string, Finding>();
  private readonly levels: Record<string, string>;
  /** oasdiff's `--deprecation-days`: with a policy, a deprecation must carry a far enough sunset. */
  readonly deprecationDays: number;
  /** "Today" for sunset dates; tests pin it through `settings.now`. */
  readonly now: Date;

  constructor(
    readonly before: OpenApiModel,
    readonly after: OpenApiModel,
    settings: Record<string, unknown>,
  ) {
    this.levels = (settings.levels as Record<string, string> | undefined) ?? {};
    this.deprecationDays = typeof settings["deprecation-days"] === "number" ? (settings["deprecation-days"] as number) : 0;
    this.now = settings.now instanceof Date ? settings.now : new Date();
  }

  spec(side: "before" | "after"): Spec {
    return side === "before" ? this.before.spec : this.after.spec;
  }

  /** Level of an id after `policy.openapi.levels`; undefined when the id is unknown or disabled. */
  level(id: string): Level | undefined {
    const entry = CATALOGUE.get(id);
    if (!entry) return undefined;
    const o = this.levels[id];
    if (o === "NONE") return undefined;
    if (o !== undefined) return o as Level;
    // A level lowered for a removal applies to the same removal after deprecation, unless set apart.
    const plain = undeprecated(id);
    if (plain !== undefined && this.levels[plain] !== undefined) {
      const p = this.level(plain);
      return p === undefined || RANK[p] < RANK[entry.level] ? p : entry.level;
    }
    return entry.level;
  }

  /** Counts one schema comparison; a contract that asks for too many is refused rather than compared for hours. */
  tick(at: N): void {
    if (++this.comparisons > MAX_COMPARISONS) {
      throw new ContractError(`comparing these versions needs more than ${MAX_COMPARISONS} schema comparisons; the contract is too large or its references fan out too widely`, this.after.spec.locate(at));
    }
  }

  /**
   * Counts changes carried up from a schema pair to the one that refers to it. References that fan out
   * (a property re-pointed to another tree of components) can multiply them at every level; a count
   * of that work, not of pairs, is what keeps such a pair of 6 KB files from taking minutes.
   */
  carry(changes: number, at: N): void {
    this.carried += changes;
    if (this.carried > MAX_CARRIED) {
      throw new ContractError(`comparing these versions carries more than ${MAX_CARRIED} schema changes up through references; the contract is too large or its references fan out too widely (too costly to compare)`, this.after.spec.locate(at));
    }
  }

  report(r: Report): void {
    const level = this.level(r.id);
    if (!level) return;
    const message = r.op && !r.shared ? `${r.message} in ${r.op.label}` : r.message;
    const key = `${r.id}\u0000${r.path}\u0000${message}`;
    const seen = this.byChange.get(key);
    if (seen) {
      if (r.op && !seen.operations?.includes(r.op.label)) (seen.operations ??= []).push(r.op.label);
      return;
    }
    const f: Finding = {
      rule: r.id,
      severity: levelSeverity(level),
      path: r.path,
      message,
    };
    this.byChange.set(key, f);
    if (r.old) f.old = this.before.spec.locate(r.old);
    if (r.new) f.new = this.after.spec.locate(r.new);
    if (r.op) f.operations = [r.op.label];
    if (r.deprecated) f.deprecated = r.deprecated;
    this.findings.push(f);
  }

  /**
   * Replays schema changes found below `base` for one operation; a change inside a shared schema is
   * reported at that schema, once, listing every operation it reaches.
   */
  reportSchema(changes: SchemaChange[], base: string, what: (c: SchemaChange) => string, op: Operation): void {
    for (const c of changes) {
      const shared = c.at !== undefined;
      const side = /(^|-)request-/.test(c.id) ? "request" : "response";
      this.report({
        id: c.id,
        path: shared ? c.at! : base + c.suffix,
        message: shared ? `${side} ${c.prop ? "property" : "schema"} '${coordinate(c.at!)}' ${c.detail}` : `${what(c)} ${c.detail}`,
        old: c.old,
        new: c.new,
        op,
        deprecated: c.deprecated,
        shared,
      });
    }
  }
}
