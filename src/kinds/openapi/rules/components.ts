import type { DiffContext } from "../context.ts";
import { escapeSegment, isObj } from "../load.ts";

/** Rule family: reusable component schemas. */
export const ids = ["api-schema-removed"];

export function check(cx: DiffContext): void {
  const schemas = (doc: Record<string, unknown>): Record<string, unknown> => {
    if (isObj(doc.components) && isObj(doc.components.schemas)) return doc.components.schemas;
    return isObj(doc.definitions) ? doc.definitions : {};
  };
  const a = schemas(cx.before.doc);
  const b = schemas(cx.after.doc);
  const base = cx.before.swagger ? "/definitions" : "/components/schemas";
  for (const name of Object.keys(a)) {
    if (name in b) continue;
    const path = `${base}/${escapeSegment(name)}`;
    cx.report({ id: "api-schema-removed", path, message: `component schema '${name}' removed`, old: { f: cx.before.spec.rootPath, p: path } });
  }
}
