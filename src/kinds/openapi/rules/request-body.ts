import type { DiffContext } from "../context.ts";
import { escapeSegment } from "../load.ts";
import type { Media, Operation } from "../model.ts";
import { diffSchema } from "./schema.ts";

/** Rule family: request bodies, their media types and schemas. */
export const ids = [
  "request-body-added-optional",
  "request-body-added-required",
  "request-body-became-optional",
  "request-body-became-required",
  "request-body-media-type-added",
  "request-body-media-type-removed",
  "request-body-media-type-schema-added",
  "request-body-media-type-schema-removed",
  "request-body-removed",
];

/** Media types that carry no JSON typing, where object and string schemas are interchangeable. */
export const isLoose = (type: string): boolean => !/json|\*\/\*/i.test(type);

/** JSON is UTF-8 by definition (RFC 8259): `application/json; charset=utf-8` names the same content as `application/json`. */
export function sameJson(a: string, b: string): boolean {
  const norm = (t: string) =>
    t
      .toLowerCase()
      .split(";")
      .map((x) => x.trim().replace(/\s*=\s*/, "="))
      .filter((x) => x && !/^charset="?utf-8"?$/.test(x))
      .join(";");
  return /json/i.test(a) && norm(a) === norm(b);
}

export function check(cx: DiffContext): void {
  for (const [key, op] of cx.after.ops) {
    const old = cx.before.ops.get(key);
    if (old) operation(cx, old, op);
  }
}

function operation(cx: DiffContext, old: Operation, op: Operation): void {
  const a = old.body;
  const b = op.body;
  const path = `${op.pointer}/requestBody`;
  if (!a && !b) return;
  if (!a && b) {
    cx.report({ id: b.required ? "request-body-added-required" : "request-body-added-optional", path, message: `${b.required ? "required" : "optional"} request body added`, new: b.node, op });
    return;
  }
  if (a && !b) {
    cx.report({ id: "request-body-removed", path: `${old.pointer}/requestBody`, message: "request body removed", old: a.node, new: op.node, op });
    return;
  }
  if (!a || !b) return;
  if (!a.required && b.required) cx.report({ id: "request-body-became-required", path, message: "request body became required", old: a.node, new: b.node, op });
  else if (a.required && !b.required) cx.report({ id: "request-body-became-optional", path, message: "request body became optional", old: a.node, new: b.node, op });
  // Old media types by the name they now have, when only a UTF-8 charset was added or dropped.
  const renamed = new Map<string, Media>();
  for (const [type, m] of a.content) {
    if (b.content.has(type)) continue;
    const to = [...b.content.keys()].find((t) => !a.content.has(t) && !renamed.has(t) && sameJson(type, t));
    if (to) renamed.set(to, m);
    else cx.report({ id: "request-body-media-type-removed", path: `${path}/content/${escapeSegment(type)}`, message: `request media type '${type}' removed`, old: m.node, new: b.node, op });
  }
  for (const [type, m] of b.content) {
    const om = a.content.get(type) ?? renamed.get(type);
    if (!om) {
      cx.report({ id: "request-body-media-type-added", path: `${path}/content/${escapeSegment(type)}`, message: `request media type '${type}' added`, new: m.node, op });
      continue;
    }
    media(cx, op, om, m, `${path}/content/${escapeSegment(type)}`);
  }
}

function media(cx: DiffContext, op: Operation, a: Media, b: Media, path: string): void {
  if (!a.schema && b.schema) {
    cx.report({ id: "request-body-media-type-schema-added", path: `${path}/schema`, message: `schema added to request media type '${b.type}'`, old: a.node, new: b.schema, op });
    return;
  }
  if (a.schema && !b.schema) {
    cx.report({ id: "request-body-media-type-schema-removed", path: `${path}/schema`, message: `schema removed from request media type '${b.type}'`, old: a.schema, new: b.node, op });
    return;
  }
  if (!a.schema || !b.schema) return;
  const changes = diffSchema(cx, { dir: "request", flavour: "body", loose: isLoose(b.type) }, a.schema, b.schema);
  cx.reportSchema(changes, `${path}/schema`, (c) => (c.prop ? `request property '${c.prop}'` : `request body (${b.type})`), op);
}
