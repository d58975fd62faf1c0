import type { AvroType } from "./model.ts";

/**
 * The specification's Parsing Canonical Form: full names, only the attributes that matter for reading
 * (name, type, fields, symbols, items, values, size) in that order, a named type spelled out at its first
 * use and by name afterwards. Two schemas with the same form read and write the same bytes; docs,
 * aliases, defaults, logical types and formatting are outside it.
 */
export function canonicalForm(t: AvroType): string {
  const seen = new Set<string>();
  const walk = (x: AvroType): string => {
    switch (x.type) {
      case "record":
      case "enum":
      case "fixed": {
        if (seen.has(x.fullName)) return JSON.stringify(x.fullName);
        seen.add(x.fullName);
        const head = `{"name":${JSON.stringify(x.fullName)},"type":"${x.type}"`;
        if (x.type === "record") return `${head},"fields":[${x.fields.map((f) => `{"name":${JSON.stringify(f.name)},"type":${walk(f.type)}}`).join(",")}]}`;
        if (x.type === "enum") return `${head},"symbols":[${x.symbols.map((s) => JSON.stringify(s)).join(",")}]}`;
        return `${head},"size":${x.size}}`;
      }
      case "array":
        return `{"type":"array","items":${walk(x.items)}}`;
      case "map":
        return `{"type":"map","values":${walk(x.values)}}`;
      case "union":
        return `[${x.branches.map(walk).join(",")}]`;
      default:
        return JSON.stringify(x.type);
    }
  };
  return walk(t);
}

/** How a union tells its branches apart: the full name of a named type, else the type. */
export function branchKey(t: AvroType): string {
  return t.type === "record" || t.type === "enum" || t.type === "fixed" ? t.fullName : t.type;
}
