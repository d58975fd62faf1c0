import type { DiffContext } from "../context.ts";
import { escapeSegment } from "../load.ts";
import type { Media, Operation, Response } from "../model.ts";
import { isLoose } from "./request-body.ts";
import { diffSchema } from "./schema.ts";

/** Rule family: response status codes, media types, headers and body schemas. */
export const ids = [
  "optional-response-header-removed",
  "required-response-header-removed",
  "response-body-media-type-schema-added",
  "response-body-media-type-schema-removed",
  "response-header-added",
  "response-header-became-optional",
  "response-media-type-added",
  "response-media-type-name-changed",
  "response-media-type-name-generalized",
  "response-media-type-name-specialized",
  "response-media-type-removed",
  "response-non-success-status-added",
  "response-non-success-status-removed",
  "response-success-status-added",
  "response-success-status-removed",
];

const success = (code: string) => /^2/.test(code);

export function check(cx: DiffContext): void {
  for (const [key, op] of cx.after.ops) {
    const old = cx.before.ops.get(key);
    if (old) operation(cx, old, op);
  }
}

function operation(cx: DiffContext, old: Operation, op: Operation): void {
  const base = `${op.pointer}/responses`;
  const absorbed = new Set<string>();
  for (const [code, r] of old.responses) {
    if (op.responses.has(code)) continue;
    // A status now covered by a range (200 → 2XX) is still documented: compare it with the range.
    const range = op.responses.get(`${code[0]}XX`);
    if (/^\d{3}$/.test(code) && range) {
      absorbed.add(range.code.toUpperCase());
      response(cx, op, r, range, `${base}/${escapeSegment(range.code)}`);
      continue;
    }
    // A range replaced by codes inside it (2XX → 200) narrows what clients get: each code is compared with the range.
    const inside = /^[1-5]XX$/.test(code) ? [...op.responses.values()].filter((x) => x.code[0] === code[0] && /^\d{3}$/.test(x.code) && !old.responses.has(x.code)) : [];
    if (inside.length) {
      for (const x of inside) {
        absorbed.add(x.code);
        response(cx, op, r, x, `${base}/${escapeSegment(x.code)}`);
      }
      continue;
    }
    cx.report({
      id: success(code) ? "response-success-status-removed" : "response-non-success-status-removed",
      path: `${base}/${escapeSegment(r.code)}`,
      message: `response status '${r.code}' removed`,
      old: r.node,
      new: op.node,
      op,
    });
  }
  for (const [code, r] of op.responses) {
    const o = old.responses.get(code);
    if (!o && absorbed.has(code)) continue;
    if (!o) {
      cx.report({
        id: success(code) ? "response-success-status-added" : "response-non-success-status-added",
        path: `${base}/${escapeSegment(r.code)}`,
        message: `response status '${r.code}' added`,
        new: r.node,
        op,
      });
      continue;
    }
    response(cx, op, o, r, `${base}/${escapeSegment(r.code)}`);
  }
}

/** `type/subtype` without parameters, lower-cased. */
const essence = (t: string) => t.split(";")[0]!.trim().toLowerCase();

/** Whether a media range (any type, or any subtype of one type) covers media type `t`. */
function covers(range: string, t: string): boolean {
  const [rt, rs] = essence(range).split("/");
  const [tt, ts] = essence(t).split("/");
  return (rt === "*" || rt === tt) && (rs === "*" || rs === ts) && essence(range) !== essence(t);
}

/**
 * Pairs a removed response media type with an added one that names the same content differently:
 * the same essence with other parameters (changed), a wider range (generalized: clients may now get
 * content they cannot parse) or a narrower one (specialized).
 */
function renamed(removed: string, added: string[]): { to: string; how: "changed" | "generalized" | "specialized" } | undefined {
  for (const to of added) {
    if (essence(to) === essence(removed)) return { to, how: "changed" };
    if (covers(to, removed)) return { to, how: "generalized" };
    if (covers(removed, to)) return { to, how: "specialized" };
  }
  return undefined;
}

function response(cx: DiffContext, op: Operation, a: Response, b: Response, path: string): void {
  const added = [...b.content.keys()].filter((t) => !a.content.has(t));
  const claimed = new Set<string>();
  for (const [type, m] of a.content) {
    if (b.content.has(type)) continue;
    const r = renamed(type, added.filter((t) => !claimed.has(t)));
    if (r) {
      claimed.add(r.to);
      const nm = b.content.get(r.to)!;
      cx.report({ id: `response-media-type-name-${r.how}`, path: `${path}/content/${escapeSegment(r.to)}`, message: `response media type '${type}' became '${r.to}' (status ${b.code})`, old: m.node, new: nm.node, op });
      // Renamed content is still the content clients parse: its schema is compared too.
      schemas(cx, op, m, nm, `${path}/content/${escapeSegment(r.to)}`, b.code);
      continue;
    }
    cx.report({ id: "response-media-type-removed", path: `${path}/content/${escapeSegment(type)}`, message: `response media type '${type}' removed (status ${b.code})`, old: m.node, new: b.node, op });
  }
  for (const [type, m] of b.content) {
    const om = a.content.get(type);
    const mpath = `${path}/content/${escapeSegment(type)}`;
    if (claimed.has(type)) continue;
    if (!om) {
      cx.report({ id: "response-media-type-added", path: mpath, message: `response media type '${type}' added (status ${b.code})`, new: m.node, op });
      continue;
    }
    schemas(cx, op, om, m, mpath, b.code);
  }
  for (const [k, h] of a.headers) {
    const nh = b.headers.get(k);
    const hpath = `${path}/headers/${escapeSegment(h.name)}`;
    if (!nh) {
      cx.report({ id: h.required ? "required-response-header-removed" : "optional-response-header-removed", path: hpath, message: `response header '${h.name}' removed (status ${b.code})`, old: h.node, new: b.node, op });
      continue;
    }
    if (h.required && !nh.required) cx.report({ id: "response-header-became-optional", path: hpath, message: `response header '${h.name}' became optional (status ${b.code})`, old: h.node, new: nh.node, op });
    if (h.schema && nh.schema) {
      const changes = diffSchema(cx, { dir: "response", flavour: "response-header" }, h.schema, nh.schema);
      cx.reportSchema(changes, `${hpath}/schema`, () => `response header '${h.name}' (status ${b.code})`, op);
    }
  }
  for (const [k, h] of b.headers) {
    if (!a.headers.has(k)) cx.report({ id: "response-header-added", path: `${path}/headers/${escapeSegment(h.name)}`, message: `response header '${h.name}' added (status ${b.code})`, new: h.node, op });
  }
}

function schemas(cx: DiffContext, op: Operation, om: Media, m: Media, mpath: string, code: string): void {
  const type = m.type;
  if (!om.schema && m.schema) cx.report({ id: "response-body-media-type-schema-added", path: `${mpath}/schema`, message: `schema added to response media type '${type}' (status ${code})`, old: om.node, new: m.schema, op });
  else if (om.schema && !m.schema) cx.report({ id: "response-body-media-type-schema-removed", path: `${mpath}/schema`, message: `schema removed from response media type '${type}' (status ${code})`, old: om.schema, new: m.node, op });
  else if (om.schema && m.schema) {
    const changes = diffSchema(cx, { dir: "response", flavour: "body", loose: isLoose(type) }, om.schema, m.schema);
    cx.reportSchema(changes, `${mpath}/schema`, (c) => (c.prop ? `response property '${c.prop}' (status ${code})` : `response body (status ${code}, ${type})`), op);
  }
}
