import { type DiffContext, jsRule } from "./define.ts";

export const ID_CHANGED = jsRule("ID_CHANGED", true, "The schema's `$id` changed.", "Validation does not depend on the id; tools that cache schemas by id see a new schema.");
export const TITLE_CHANGED = jsRule("TITLE_CHANGED", true, "A `title` changed.", "Titles are annotations; validation is unchanged.");
export const DESCRIPTION_CHANGED = jsRule("DESCRIPTION_CHANGED", true, "A `description` changed.", "Descriptions are annotations; validation is unchanged.");
export const DEFAULT_CHANGED = jsRule(
  "DEFAULT_CHANGED",
  true,
  "A `default` changed.",
  "The registry accepts it, but consumers that fill in defaults now read another value for data that omits the property.",
  { dangerous: true, fix: "Make sure no consumer depends on the old default." },
);

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Annotations the registry compares on every schema pair. */
export function compareMeta(ctx: DiffContext): void {
  const o = ctx.original;
  const u = ctx.update;
  if (o.id !== u.id) ctx.add(ID_CHANGED, `$id changed from ${o.id ?? "none"} to ${u.id ?? "none"}`, { key: ["$id"], registry: [] });
  if (o.title !== u.title) ctx.add(TITLE_CHANGED, "title changed", { key: ["title"], registry: [] });
  if (o.description !== u.description) ctx.add(DESCRIPTION_CHANGED, "description changed", { key: ["description"], registry: [] });
  if (!!o.hasDefault !== !!u.hasDefault || !same(o.default, u.default))
    ctx.add(DEFAULT_CHANGED, `default changed from ${o.hasDefault ? JSON.stringify(o.default) : "none"} to ${u.hasDefault ? JSON.stringify(u.default) : "none"}`, { key: ["default"] });
}

export const META_RULES = [ID_CHANGED, TITLE_CHANGED, DESCRIPTION_CHANGED, DEFAULT_CHANGED];
