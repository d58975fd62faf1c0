import type { DiffContext } from "../context.ts";
import { isObj } from "../load.ts";
import { child, type Operation, type Param } from "../model.ts";

/** How a parameter is written on the wire: OpenAPI 3 `style` and `explode`, defaults filled in. */
interface Wire {
  style: string;
  explode: boolean;
}

/** Swagger 2.0 `collectionFormat` as the OpenAPI 3 style that writes the same text. */
const COLLECTION: Record<string, Wire> = {
  multi: { style: "form", explode: true },
  ssv: { style: "spaceDelimited", explode: false },
  pipes: { style: "pipeDelimited", explode: false },
  tsv: { style: "tabDelimited", explode: false },
};

function wire(p: Param, swagger: boolean): Wire {
  const v = isObj(p.node.v) ? p.node.v : {};
  if (swagger) {
    // Swagger 2.0 arrays default to csv: `?ids=1,2` in a query, `1,2` in a path or header.
    const f = typeof v.collectionFormat === "string" ? v.collectionFormat : "csv";
    return COLLECTION[f] ?? { style: p.in === "query" || p.in === "formData" ? "form" : "simple", explode: false };
  }
  const style = typeof v.style === "string" ? v.style : p.in === "query" || p.in === "cookie" ? "form" : "simple";
  return { style, explode: typeof v.explode === "boolean" ? v.explode : style === "form" };
}

const show = (w: Wire) => `${w.style}${w.explode ? ", exploded" : ""}`;

/**
 * A parameter whose style or explode changed is written differently by clients built against the
 * old version (`?ids=1&ids=2` against `?ids=1,2`, `/users/5` against `/users/.5`), so the server
 * misreads or rejects it. For a scalar only a path parameter's style changes the text.
 */
export function styleChanged(cx: DiffContext, op: Operation, a: Param, b: Param): void {
  // Parameters with `content` are written by their media type, not by a style.
  if (!a.schema || !b.schema || (isObj(a.node.v) && a.node.v.content) || (isObj(b.node.v) && b.node.v.content)) return;
  const x = wire(a, cx.before.swagger);
  const y = wire(b, cx.after.swagger);
  if (x.style === y.style && x.explode === y.explode) return;
  const structured = (side: "before" | "after", n: typeof a.schema) => {
    const v = cx.spec(side).deref(n!).v;
    return isObj(v) && (v.type === "array" || v.type === "object" || isObj(v.properties) || isObj(v.items));
  };
  const matters = structured("before", a.schema) || structured("after", b.schema) || (b.in === "path" && x.style !== y.style);
  if (!matters) return;
  // Located at the keyword that decides the style, or at the parameter when defaults decide it.
  const at = (p: Param) => {
    const v = isObj(p.node.v) ? p.node.v : {};
    const k = ["style", "explode", "collectionFormat"].find((x) => v[x] !== undefined);
    return k ? child(p.node, k) : p.node;
  };
  cx.report({
    id: "request-parameter-style-changed",
    path: b.ptr,
    message: `${b.in} parameter '${b.name}' is serialised differently: ${show(x)} became ${show(y)}`,
    old: at(a),
    new: at(b),
    op,
  });
}
