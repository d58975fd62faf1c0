import { type DiffContext, jsRule, type JsonSchemaRule } from "./define.ts";

/**
 * The four difference types of one numeric keyword: added, removed, increased, decreased. `upper`
 * says whether a larger value accepts more (maxLength) or less (minLength).
 */
export interface BoundRules {
  keyword: string;
  added: JsonSchemaRule;
  removed: JsonSchemaRule;
  increased: JsonSchemaRule;
  decreased: JsonSchemaRule;
}

export function boundRules(keyword: string, prefix: string, upper: boolean, what: string, increasedName = "INCREASED", decreasedName = "DECREASED"): BoundRules {
  const looser = `Every value valid before is still valid: the ${what} limit only got looser.`;
  const stricter = (how: string) => `Values valid before can fall outside the new limit (${how}): consumers on the new schema reject data written under the old one.`;
  return {
    keyword,
    added: jsRule(`${prefix}_ADDED`, false, `A \`${keyword}\` was added.`, stricter(`there was no ${what} limit`)),
    removed: jsRule(`${prefix}_REMOVED`, true, `A \`${keyword}\` was removed.`, `Every value valid before is still valid: there is no ${what} limit any more.`),
    increased: jsRule(`${prefix}_${increasedName}`, upper, `\`${keyword}\` was increased.`, upper ? looser : stricter(`the ${what} limit went up`)),
    decreased: jsRule(`${prefix}_${decreasedName}`, !upper, `\`${keyword}\` was decreased.`, upper ? stricter(`the ${what} limit went down`) : looser),
  };
}

export function compareBound(ctx: DiffContext, r: BoundRules, o: number | undefined, u: number | undefined): void {
  if (o === u) return;
  const key = { key: [r.keyword] };
  if (o === undefined) ctx.add(r.added, `${r.keyword} ${u} added`, { ...key, side: "new" });
  else if (u === undefined) ctx.add(r.removed, `${r.keyword} ${o} removed`, key);
  else if (u > o) ctx.add(r.increased, `${r.keyword} increased from ${o} to ${u}`, key);
  else ctx.add(r.decreased, `${r.keyword} decreased from ${o} to ${u}`, key);
}

export function allBoundRules(b: BoundRules): JsonSchemaRule[] {
  return [b.added, b.removed, b.increased, b.decreased];
}
