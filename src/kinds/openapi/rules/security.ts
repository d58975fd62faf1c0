import type { DiffContext } from "../context.ts";
import { escapeSegment, isObj, type N } from "../load.ts";
import { child } from "../model.ts";

/** Rule family: security requirements (global and per operation) and security schemes. */
export const ids = [
  "api-global-security-added",
  "api-global-security-alternative-added",
  "api-global-security-removed",
  "api-global-security-scope-added",
  "api-global-security-scope-removed",
  "api-security-added",
  "api-security-alternative-added",
  "api-security-removed",
  "api-security-scope-added",
  "api-security-scope-removed",
  "api-security-component-added",
  "api-security-component-removed",
  "api-security-component-type-changed",
  "api-security-component-oauth-url-changed",
  "api-security-component-oauth-token-url-changed",
  "api-security-component-oauth-scope-added",
  "api-security-component-oauth-scope-removed",
  "api-security-component-oauth-scope-changed",
];

type Requirements = Map<string, Map<string, string[]>>;

/** Security requirements keyed by the sorted scheme names of each alternative. */
function requirements(v: unknown): Requirements {
  const out: Requirements = new Map();
  if (!Array.isArray(v)) return out;
  for (const req of v) {
    if (!isObj(req)) continue;
    const schemes = new Map<string, string[]>();
    for (const [k, scopes] of Object.entries(req)) schemes.set(k, Array.isArray(scopes) ? scopes.map(String) : []);
    out.set([...schemes.keys()].sort().join(" AND ") || "(none)", schemes);
  }
  return out;
}

function compare(cx: DiffContext, prefix: "api-global-security" | "api-security", a: N, b: N, path: string, op?: Parameters<DiffContext["report"]>[0]["op"]): void {
  const ra = requirements(a.v);
  const rb = requirements(b.v);
  const where = { path, old: a, new: b, op };
  for (const [k, schemes] of ra) {
    const other = rb.get(k);
    if (!other) {
      cx.report({ id: `${prefix}-removed`, message: `security requirement '${k}' removed`, ...where });
      continue;
    }
    for (const [scheme, scopes] of schemes) {
      const next = other.get(scheme) ?? [];
      for (const s of scopes) if (!next.includes(s)) cx.report({ id: `${prefix}-scope-removed`, message: `scope '${s}' removed from security scheme '${scheme}'`, ...where });
      for (const s of next) if (!scopes.includes(s)) cx.report({ id: `${prefix}-scope-added`, message: `scope '${s}' added to security scheme '${scheme}'`, ...where });
    }
  }
  // Requirements are alternatives: while every old one is still accepted, a new one only offers
  // clients another way in. Otherwise calls with the old credentials (or none) start failing.
  const widening = ra.size > 0 && [...ra.keys()].every((k) => rb.has(k));
  for (const k of rb.keys()) {
    if (ra.has(k)) continue;
    if (widening) cx.report({ id: `${prefix}-alternative-added`, message: `security requirement '${k}' added as an alternative to the existing ones`, ...where });
    else cx.report({ id: `${prefix}-added`, message: `security requirement '${k}' added`, ...where });
  }
}

export function check(cx: DiffContext): void {
  const a: N = { v: cx.before.doc.security, f: cx.before.spec.rootPath, p: "/security" };
  const b: N = { v: cx.after.doc.security, f: cx.after.spec.rootPath, p: "/security" };
  compare(cx, "api-global-security", a, b, "/security");
  for (const [key, op] of cx.after.ops) {
    const old = cx.before.ops.get(key);
    if (!old) continue;
    // An operation without `security` has the global requirements; one that sets it replaces them.
    const x = child(old.node, "security");
    const y = child(op.node, "security");
    if (x.v === undefined && y.v === undefined) continue;
    compare(cx, "api-security", x.v === undefined ? a : x, y.v === undefined ? b : y, `${op.pointer}/security`, op);
  }
  schemes(cx);
}

function schemes(cx: DiffContext): void {
  const get = (doc: Record<string, unknown>, f: string): N => {
    if (isObj(doc.components) && isObj(doc.components.securitySchemes)) return { v: doc.components.securitySchemes, f, p: "/components/securitySchemes" };
    return { v: doc.securityDefinitions, f, p: "/securityDefinitions" };
  };
  const a = get(cx.before.doc, cx.before.spec.rootPath);
  const b = get(cx.after.doc, cx.after.spec.rootPath);
  const av = isObj(a.v) ? a.v : {};
  const bv = isObj(b.v) ? b.v : {};
  for (const name of Object.keys(av)) {
    const path = `/components/securitySchemes/${escapeSegment(name)}`;
    if (!(name in bv)) {
      cx.report({ id: "api-security-component-removed", path, message: `security scheme '${name}' removed`, old: child(a, name) });
      continue;
    }
    const x = cx.before.spec.deref(child(a, name));
    const y = cx.after.spec.deref(child(b, name));
    if (!isObj(x.v) || !isObj(y.v)) continue;
    const at = { path, old: x, new: y };
    if (x.v.type !== y.v.type) cx.report({ id: "api-security-component-type-changed", message: `security scheme '${name}' type changed from '${String(x.v.type)}' to '${String(y.v.type)}'`, ...at });
    const fa = isObj(x.v.flows) ? x.v.flows : {};
    const fb = isObj(y.v.flows) ? y.v.flows : {};
    for (const flow of Object.keys(fa)) {
      const p = fa[flow];
      const q = fb[flow];
      if (!isObj(p) || !isObj(q)) continue;
      if (p.authorizationUrl !== q.authorizationUrl) cx.report({ id: "api-security-component-oauth-url-changed", message: `security scheme '${name}' ${flow} authorization URL changed`, ...at });
      if (p.tokenUrl !== q.tokenUrl) cx.report({ id: "api-security-component-oauth-token-url-changed", message: `security scheme '${name}' ${flow} token URL changed`, ...at });
      const sa = isObj(p.scopes) ? p.scopes : {};
      const sb = isObj(q.scopes) ? q.scopes : {};
      for (const s of Object.keys(sa)) {
        if (!(s in sb)) cx.report({ id: "api-security-component-oauth-scope-removed", message: `scope '${s}' removed from security scheme '${name}'`, ...at });
        else if (sa[s] !== sb[s]) cx.report({ id: "api-security-component-oauth-scope-changed", message: `scope '${s}' of security scheme '${name}' changed`, ...at });
      }
      for (const s of Object.keys(sb)) if (!(s in sa)) cx.report({ id: "api-security-component-oauth-scope-added", message: `scope '${s}' added to security scheme '${name}'`, ...at });
    }
  }
  for (const name of Object.keys(bv)) {
    if (!(name in av)) cx.report({ id: "api-security-component-added", path: `/components/securitySchemes/${escapeSegment(name)}`, message: `security scheme '${name}' added`, new: child(b, name) });
  }
}
