import type { DiffContext } from "../context.ts";
import { isObj } from "../load.ts";
import type { Operation, Param } from "../model.ts";
import { daysUntil, lifecycleOf } from "./lifecycle.ts";
import { diffSchema } from "./schema.ts";
import { styleChanged } from "./serialization.ts";

/** Rule family: request parameters (path, query, header, cookie) and their schemas. */
export const ids = [
  "new-optional-request-default-parameter-to-existing-path",
  "new-optional-request-parameter",
  "new-request-path-parameter",
  "new-required-request-default-parameter-to-existing-path",
  "new-required-request-parameter",
  "request-parameter-became-optional",
  "request-parameter-became-required",
  "request-parameter-deprecated",
  "request-parameter-deprecated-sunset-missing",
  "request-parameter-reactivated",
  "request-parameter-removed",
  "request-parameter-removed-before-sunset",
  "request-parameter-removed-with-deprecation",
  "request-parameter-sunset-date-changed-too-small",
  "request-parameter-sunset-date-too-small",
  "request-parameter-sunset-deleted",
  "request-parameter-sunset-parse",
  "request-parameter-style-changed",
];

/** Query parameters default to form style, exploded (`?a=1&a=2`). */
const exploded = (p: Param): boolean => {
  const v = isObj(p.node.v) ? p.node.v : {};
  return p.in === "query" && (v.style ?? "form") === "form" && v.explode !== false;
};

const obj = (p: Param): Record<string, unknown> => (isObj(p.node.v) ? p.node.v : {});

/** Serialised by `style` as text, rather than by a media type (`content`) such as JSON. */
const textual = (p: Param): boolean => obj(p).content === undefined;
const label = (p: Param) => `${p.in} parameter '${p.name}'`;

export function check(cx: DiffContext): void {
  const sharedAdded = new Set<string>();
  for (const [key, op] of cx.after.ops) {
    const old = cx.before.ops.get(key);
    if (old) operation(cx, old, op, sharedAdded);
  }
}

function operation(cx: DiffContext, old: Operation, op: Operation, sharedAdded: Set<string>): void {
  for (const [k, p] of old.params) {
    if (op.params.has(k)) continue;
    const lc = lifecycleOf(obj(p));
    const at = { path: p.ptr, old: p.node, new: op.node, op };
    if (!lc.deprecated) cx.report({ id: "request-parameter-removed", message: `${label(p)} removed`, ...at });
    else if (lc.sunsetRaw !== undefined && !lc.sunset) cx.report({ id: "request-parameter-sunset-parse", message: `${label(p)} removed with an invalid sunset date '${String(lc.sunsetRaw)}'`, ...at });
    else if (lc.sunset && daysUntil(lc.sunset, cx.now) > 0) {
      cx.report({ id: "request-parameter-removed-before-sunset", message: `${label(p)} removed before its sunset date ${lc.sunset}`, deprecated: { sunset: lc.sunset }, ...at });
    } else {
      cx.report({ id: "request-parameter-removed-with-deprecation", message: `${label(p)} removed after deprecation`, deprecated: lc.sunset ? { sunset: lc.sunset } : {}, ...at });
    }
  }
  for (const [k, p] of op.params) {
    const before = old.params.get(k);
    if (!before) {
      const at = { path: p.ptr, new: p.node, op };
      if (p.in === "path") cx.report({ id: "new-request-path-parameter", message: `new path parameter '${p.name}'`, ...at });
      else if (p.shared && !old.params.has(k)) {
        // Added to the path item: oasdiff reports it once per path, not once per operation.
        const once = `${op.path}\u0000${k}`;
        if (sharedAdded.has(once)) continue;
        sharedAdded.add(once);
        cx.report({
          id: p.required ? "new-required-request-default-parameter-to-existing-path" : "new-optional-request-default-parameter-to-existing-path",
          message: `${p.required ? "required" : "optional"} ${label(p)} added to all operations of path '${op.path}'`,
          ...at,
        });
      } else if (p.required) cx.report({ id: "new-required-request-parameter", message: `new required ${label(p)}`, ...at });
      else cx.report({ id: "new-optional-request-parameter", message: `new optional ${label(p)}`, ...at });
      continue;
    }
    param(cx, op, before, p);
  }
}

function param(cx: DiffContext, op: Operation, a: Param, b: Param): void {
  const at = { path: b.ptr, old: a.node, new: b.node, op };
  if (!a.required && b.required) cx.report({ id: "request-parameter-became-required", message: `${label(b)} became required`, ...at });
  else if (a.required && !b.required) cx.report({ id: "request-parameter-became-optional", message: `${label(b)} became optional`, ...at });
  const la = lifecycleOf(obj(a));
  const lb = lifecycleOf(obj(b));
  if (!la.deprecated && lb.deprecated) {
    if (lb.sunsetRaw !== undefined && !lb.sunset) cx.report({ id: "request-parameter-sunset-parse", message: `${label(b)} deprecated with an invalid sunset date '${String(lb.sunsetRaw)}'`, ...at });
    else if (!lb.sunset && cx.deprecationDays > 0) cx.report({ id: "request-parameter-deprecated-sunset-missing", message: `${label(b)} deprecated without a sunset date`, ...at });
    else if (lb.sunset && daysUntil(lb.sunset, cx.now) < cx.deprecationDays) {
      cx.report({ id: "request-parameter-sunset-date-too-small", message: `${label(b)} sunset date ${lb.sunset} is too close`, ...at });
    } else cx.report({ id: "request-parameter-deprecated", message: `${label(b)} deprecated${lb.sunset ? ` (sunset: ${lb.sunset})` : ""}`, ...at });
  } else if (la.deprecated && !lb.deprecated) cx.report({ id: "request-parameter-reactivated", message: `${label(b)} reactivated`, ...at });
  else if (la.deprecated && lb.deprecated) {
    if (la.sunsetRaw !== undefined && lb.sunsetRaw === undefined) cx.report({ id: "request-parameter-sunset-deleted", message: `${label(b)} sunset date deleted`, ...at });
    else if (la.sunsetRaw !== lb.sunsetRaw && lb.sunsetRaw !== undefined) {
      if (!la.sunset || !lb.sunset) cx.report({ id: "request-parameter-sunset-parse", message: `cannot parse sunset date of ${label(b)}`, ...at });
      else if (lb.sunset < la.sunset && daysUntil(lb.sunset, cx.now) < cx.deprecationDays) {
        cx.report({ id: "request-parameter-sunset-date-changed-too-small", message: `${label(b)} sunset date moved from ${la.sunset} to ${lb.sunset}`, ...at });
      }
    }
  }
  styleChanged(cx, op, a, b);
  if (a.schema && b.schema) {
    const changes = diffSchema(cx, { dir: "request", flavour: "parameter", header: b.in === "header", exploded: exploded(b), textual: textual(a) && textual(b) }, a.schema, b.schema);
    const base = b.schema.f === b.node.f && b.schema.p.startsWith(b.node.p) ? b.ptr + b.schema.p.slice(b.node.p.length) : `${b.ptr}/schema`;
    cx.reportSchema(changes, base, (c) => `${label(b)}${c.prop ? ` property '${c.prop}'` : ""}:`, op);
  }
}
