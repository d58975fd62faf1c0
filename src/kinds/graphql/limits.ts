import { isTypeExtensionNode, Kind, type DefinitionNode, type DirectiveNode, type InputValueDefinitionNode } from "graphql";
import { ContractError } from "../../core/errors.ts";
import { LineIndex } from "../../core/location.ts";

/**
 * Deepest nesting of brackets (`{` `[` `(`) accepted in a schema, an operation document or an
 * introspection result. Real documents stay far below it; graphql-js and the inspector recurse
 * once or more per level (parsing, value coercion, comparison, operation validation), so without
 * a bound a few kilobytes of `[[[[` exhaust the stack.
 */
export const MAX_NESTING = 128;

/** Repeated applications of one directive on one element; the inspector pairs them in quadratic time. */
export const MAX_REPEATED_DIRECTIVES = 100;

/** A library message as one line: an error is reported on a single line whatever the library wrote. */
export const oneLine = (message: string): string => message.replace(/\s*[\r\n]+\s*/g, " ").trim();

const OPEN = new Set([0x7b, 0x5b, 0x28]);
const CLOSE = new Set([0x7d, 0x5d, 0x29]);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Refuses a document nested deeper than `MAX_NESTING`, before any recursive parser sees it. One
 * pass over the characters that skips strings, block strings and comments (so brackets inside them
 * do not count); works for SDL, operations and JSON alike. The error points at the bracket that
 * goes one level too deep.
 */
export function checkNesting(text: string, file: string, limit = MAX_NESTING): void {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      while (i + 1 < n && text.charCodeAt(i + 1) !== LF && text.charCodeAt(i + 1) !== CR) i++;
    } else if (c === QUOTE) {
      if (text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE) {
        // Block string: ends at the next `"""` not escaped as `\"""`.
        i += 3;
        while (i < n && !(text.charCodeAt(i) === QUOTE && text.charCodeAt(i + 1) === QUOTE && text.charCodeAt(i + 2) === QUOTE)) {
          i += text.charCodeAt(i) === BACKSLASH && text.charCodeAt(i + 1) === QUOTE ? 4 : 1;
        }
        i += 2;
      } else {
        i++;
        while (i < n && text.charCodeAt(i) !== QUOTE && text.charCodeAt(i) !== LF) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      }
    } else if (OPEN.has(c)) {
      if (++depth > limit) {
        throw new ContractError(`nested more than ${limit} levels deep (lists, objects, arguments or selections); refusing to read further`, new LineIndex(text).location(file, i));
      }
    } else if (CLOSE.has(c)) {
      if (depth > 0) depth--;
    }
  }
}

type WithDirectives = { readonly directives?: readonly DirectiveNode[] };

/**
 * Refuses an element that applies one directive more than `MAX_REPEATED_DIRECTIVES` times: the
 * inspector pairs repeated usages by scanning the whole list for each one (20,000 usages take
 * seconds). Real schemas repeat `@tag` or `@key` a handful of times.
 */
export function checkRepeatedDirectives(definitions: readonly DefinitionNode[]): void {
  const check = (node: WithDirectives) => {
    const directives = node.directives;
    if (!directives || directives.length <= MAX_REPEATED_DIRECTIVES) return;
    const counts = new Map<string, number>();
    for (const d of directives) {
      const n = (counts.get(d.name.value) ?? 0) + 1;
      counts.set(d.name.value, n);
      if (n > MAX_REPEATED_DIRECTIVES) {
        const loc = d.loc;
        const at = loc ? new LineIndex(loc.source.body).location(loc.source.name, loc.start) : { file: "", line: 1, column: 1 };
        throw new ContractError(`@${d.name.value} is applied more than ${MAX_REPEATED_DIRECTIVES} times to one element; refusing to compare it`, at);
      }
    }
  };
  const inputs = (args: readonly InputValueDefinitionNode[] | undefined) => {
    for (const a of args ?? []) check(a);
  };
  for (const d of definitions) {
    check(d as WithDirectives);
    if (d.kind === Kind.DIRECTIVE_DEFINITION) inputs(d.arguments);
    if ("values" in d) for (const v of d.values ?? []) check(v);
    if ("fields" in d) {
      for (const f of d.fields ?? []) {
        check(f);
        if ("arguments" in f) inputs(f.arguments);
      }
    }
  }
}

/**
 * The same directive definitions with each location listed once. Repeating a location means
 * nothing, and the inspector compares location lists pairwise (50,000 repeats take seconds).
 */
export function uniqueDirectiveLocations(definitions: readonly DefinitionNode[]): DefinitionNode[] {
  return definitions.map((d) => {
    if (d.kind !== Kind.DIRECTIVE_DEFINITION) return d;
    const seen = new Set<string>();
    const locations = d.locations.filter((l) => !seen.has(l.value) && !!seen.add(l.value));
    return locations.length === d.locations.length ? d : { ...d, locations };
  });
}

const LIST_KEYS = ["directives", "interfaces", "fields", "values", "types"] as const;

/**
 * The same definitions with all extensions of a type merged into its first extension, in order.
 * graphql-js copies a type's extension list for every further extension, which is quadratic: 100,000
 * `extend type Query` blocks take over ten seconds to build. The built schema is the same.
 */
export function mergeExtensions(definitions: readonly DefinitionNode[]): DefinitionNode[] {
  const merged = new Map<string, Record<string, unknown>>();
  const out: DefinitionNode[] = [];
  for (const d of definitions) {
    if (!isTypeExtensionNode(d)) {
      out.push(d);
      continue;
    }
    const first = merged.get(d.name.value);
    if (!first) {
      const copy: Record<string, unknown> = { ...d };
      for (const k of LIST_KEYS) if (k in d) copy[k] = [...((d as unknown as Record<string, readonly unknown[] | undefined>)[k] ?? [])];
      merged.set(d.name.value, copy);
      out.push(copy as unknown as DefinitionNode);
      continue;
    }
    for (const k of LIST_KEYS) {
      const items = (d as unknown as Record<string, readonly unknown[] | undefined>)[k];
      if (!items?.length) continue;
      const into = (first[k] ??= []) as unknown[];
      for (const item of items) into.push(item);
    }
  }
  return out;
}
