import type { Finding } from "../../core/finding.ts";
import { CATALOGUE, levelSeverity, type Level } from "./catalogue.ts";
import type { N, Spec } from "./load.ts";
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
}

/** Shared state of one diff: both models, settings, caches and the findings collected. */
export class DiffContext {
  readonly findings: Finding[] = [];
  readonly schemaCache = new Map<string, SchemaChange[]>();
  readonly inProgress = new Set<string>();
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
    return (o as Level | undefined) ?? entry.level;
  }

  report(r: Report): void {
    const level = this.level(r.id);
    if (!level) return;
    const f: Finding = {
      rule: r.id,
      severity: levelSeverity(level),
      path: r.path,
      message: r.op ? `${r.message} in ${r.op.label}` : r.message,
    };
    if (r.old) f.old = this.before.spec.locate(r.old);
    if (r.new) f.new = this.after.spec.locate(r.new);
    if (r.op) f.operations = [r.op.label];
    if (r.deprecated) f.deprecated = r.deprecated;
    this.findings.push(f);
  }

  /** Replays schema changes found below `base` for one operation. */
  reportSchema(changes: SchemaChange[], base: string, what: (c: SchemaChange) => string, op: Operation): void {
    for (const c of changes) {
      this.report({
        id: c.id,
        path: base + c.suffix,
        message: `${what(c)} ${c.detail}`,
        old: c.old,
        new: c.new,
        op,
        deprecated: c.deprecated,
      });
    }
  }
}
