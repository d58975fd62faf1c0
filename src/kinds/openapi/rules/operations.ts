import type { DiffContext } from "../context.ts";
import { escapeSegment, isObj } from "../load.ts";
import { child, type Operation } from "../model.ts";
import { daysUntil, lifecycleOf, stabilityRank } from "./lifecycle.ts";

/** Rule family: paths, operations and webhooks appearing, disappearing, being deprecated or re-labelled. */
export const ids = [
  "api-deprecated-sunset-missing",
  "api-deprecated-sunset-parse",
  "api-invalid-stability-level",
  "api-operation-id-added",
  "api-operation-id-removed",
  "api-path-removed-before-sunset",
  "api-path-removed-with-deprecation",
  "api-path-removed-without-deprecation",
  "api-path-sunset-parse",
  "api-removed-before-sunset",
  "api-removed-with-deprecation",
  "api-removed-without-deprecation",
  "api-stability-decreased",
  "api-stability-increased",
  "api-sunset-date-changed-too-small",
  "api-sunset-date-too-small",
  "api-tag-added",
  "api-tag-removed",
  "endpoint-added",
  "endpoint-deprecated",
  "endpoint-deprecated-with-sunset",
  "endpoint-reactivated",
  "sunset-deleted",
  "webhook-added",
  "webhook-removed",
];

const obj = (op: Operation): Record<string, unknown> => (isObj(op.node.v) ? op.node.v : {});

export function check(cx: DiffContext): void {
  const { before, after } = cx;
  for (const [key, op] of before.ops) {
    if (after.ops.has(key)) continue;
    if (op.webhook) {
      if (!after.webhooks.has(op.path)) cx.report({ id: "webhook-removed", path: `/webhooks/${escapeSegment(op.path)}`, message: `webhook '${op.path}' removed`, old: op.node });
      continue;
    }
    const pathGone = !after.paths.has(key.slice(key.indexOf(" ") + 1));
    const lc = lifecycleOf(obj(op));
    const base = pathGone ? "api-path-removed" : "api-removed";
    const where = { path: op.pointer, old: op.node, op, new: pathGone ? undefined : after.paths.get(key.slice(key.indexOf(" ") + 1))?.node };
    if (!lc.deprecated) {
      cx.report({ id: `${base}-without-deprecation`, message: `${pathGone ? "path" : "operation"} removed without deprecation`, ...where });
    } else if (lc.sunsetRaw !== undefined && !lc.sunset) {
      cx.report({ id: "api-path-sunset-parse", message: `removed with an invalid sunset date '${String(lc.sunsetRaw)}'`, ...where });
    } else if (lc.sunset && daysUntil(lc.sunset, cx.now) > 0) {
      cx.report({ id: `${base}-before-sunset`, message: `removed before its sunset date ${lc.sunset}`, deprecated: { sunset: lc.sunset }, ...where });
    } else {
      cx.report({ id: `${base}-with-deprecation`, message: "removed after deprecation", deprecated: lc.sunset ? { sunset: lc.sunset } : {}, ...where });
    }
  }
  for (const [key, op] of after.ops) {
    const old = before.ops.get(key);
    if (!old) {
      if (op.webhook) {
        if (!before.webhooks.has(op.path)) cx.report({ id: "webhook-added", path: `/webhooks/${escapeSegment(op.path)}`, message: `webhook '${op.path}' added`, new: op.node });
      } else cx.report({ id: "endpoint-added", path: op.pointer, message: "endpoint added", new: op.node, op });
      continue;
    }
    lifecycle(cx, old, op);
    const a = obj(old);
    const b = obj(op);
    if (a.operationId !== b.operationId) {
      if (a.operationId !== undefined) cx.report({ id: "api-operation-id-removed", path: `${op.pointer}/operationId`, message: `operation id '${String(a.operationId)}' removed`, old: old.node, new: op.node, op });
      if (b.operationId !== undefined) cx.report({ id: "api-operation-id-added", path: `${op.pointer}/operationId`, message: `operation id '${String(b.operationId)}' added`, old: old.node, new: op.node, op });
    }
    const ta = Array.isArray(a.tags) ? a.tags.map(String) : [];
    const tb = Array.isArray(b.tags) ? b.tags.map(String) : [];
    for (const t of ta) if (!tb.includes(t)) cx.report({ id: "api-tag-removed", path: `${op.pointer}/tags`, message: `tag '${t}' removed`, old: old.node, new: op.node, op });
    for (const t of tb) if (!ta.includes(t)) cx.report({ id: "api-tag-added", path: `${op.pointer}/tags`, message: `tag '${t}' added`, old: old.node, new: op.node, op });
  }
  // A stability level that is not a level is reported whichever version carries it.
  for (const [side, model] of [["before", before], ["after", after]] as const) {
    for (const op of model.ops.values()) {
      const s = lifecycleOf(obj(op)).stability;
      if (s !== undefined && stabilityRank(s) === undefined) {
        cx.report({
          id: "api-invalid-stability-level",
          path: `${op.pointer}/x-stability-level`,
          message: `invalid x-stability-level '${s}' (expected draft, alpha, beta or stable)`,
          // Located at the field itself, which is what needs fixing.
          ...(side === "before" ? { old: child(op.node, "x-stability-level") } : { new: child(op.node, "x-stability-level") }),
          op,
        });
      }
    }
  }
}

function lifecycle(cx: DiffContext, old: Operation, op: Operation): void {
  const a = lifecycleOf(obj(old));
  const b = lifecycleOf(obj(op));
  const at = { path: op.pointer, old: old.node, new: op.node, op };
  if (!a.deprecated && b.deprecated) {
    if (b.sunsetRaw !== undefined && !b.sunset) cx.report({ id: "api-deprecated-sunset-parse", message: `deprecated with an invalid sunset date '${String(b.sunsetRaw)}'`, ...at });
    else if (!b.sunset && cx.deprecationDays > 0) cx.report({ id: "api-deprecated-sunset-missing", message: "deprecated without a sunset date", ...at });
    else if (b.sunset && daysUntil(b.sunset, cx.now) < cx.deprecationDays) {
      cx.report({ id: "api-sunset-date-too-small", message: `sunset date ${b.sunset} is less than ${cx.deprecationDays} days away`, ...at });
    } else if (b.sunset) cx.report({ id: "endpoint-deprecated-with-sunset", message: `endpoint deprecated (sunset: ${b.sunset})`, ...at });
    else cx.report({ id: "endpoint-deprecated", message: "endpoint deprecated", ...at });
  } else if (a.deprecated && !b.deprecated) {
    cx.report({ id: "endpoint-reactivated", message: "endpoint reactivated", ...at });
  } else if (a.deprecated && b.deprecated) {
    if (a.sunsetRaw !== undefined && b.sunsetRaw === undefined) cx.report({ id: "sunset-deleted", message: `sunset date ${String(a.sunsetRaw)} deleted`, ...at });
    else if (a.sunsetRaw !== b.sunsetRaw && b.sunsetRaw !== undefined) {
      if (!a.sunset || !b.sunset) cx.report({ id: "api-path-sunset-parse", message: `cannot parse sunset date '${String(!a.sunset ? a.sunsetRaw : b.sunsetRaw)}'`, ...at });
      else if (b.sunset < a.sunset && daysUntil(b.sunset, cx.now) < cx.deprecationDays) {
        cx.report({ id: "api-sunset-date-changed-too-small", message: `sunset date moved from ${a.sunset} to ${b.sunset}`, ...at });
      }
    }
  }
  const ra = stabilityRank(a.stability);
  const rb = stabilityRank(b.stability);
  if (ra !== undefined && rb !== undefined && ra !== rb) {
    cx.report({
      id: rb < ra ? "api-stability-decreased" : "api-stability-increased",
      message: `stability level changed from '${a.stability ?? "stable"}' to '${b.stability ?? "stable"}'`,
      ...at,
    });
  }
}
