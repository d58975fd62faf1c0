import { isTypeExtensionNode, Kind, type DefinitionNode, type DirectiveNode, type DocumentNode, type InputValueDefinitionNode, type Location, type Token } from "graphql";
import { Lexer } from "graphql/language/lexer.js";
import { Parser } from "graphql/language/parser.js";
import { Source } from "graphql/language/source.js";
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

/**
 * Tokens parsed per version of a schema (all its files), and in all consumer operations together.
 * SDL runs at about 300,000 tokens per megabyte and its syntax tree at about 100 bytes per token, so
 * this admits about 7 MB of SDL (GitHub's public schema is 1.2 MB) while bounding memory and work.
 */
export const MAX_TOKENS = 2_000_000;

/**
 * Parses a document with what is left of a token budget, before any recursion: nesting is checked
 * first, then graphql-js stops at the budget with a positioned error. Returns the document and the
 * tokens it used (all of them, comments and both ends of the file included).
 *
 * A node's location keeps only its offsets and source. graphql-js links every token to the next and
 * the previous one and gives each location its first and last token, so the whole token list (half
 * the memory of a parsed schema) would live as long as the document; here each token is dropped as
 * soon as the parser has passed it. A syntax error becomes a ContractError here, whichever copy of
 * graphql-js the parser classes come from (a bundle may hold two).
 */
export function parseBounded(text: string, file: string, budget: number): { doc: DocumentNode; tokens: number } {
  checkNesting(text, file);
  const maxTokens = Math.max(budget, 1);
  const source = new Source(text, file);
  const lexer = new CountingLexer(source);
  let doc: DocumentNode;
  try {
    doc = new OffsetParser(source, { maxTokens, lexer } as ConstructorParameters<typeof Parser>[1]).parseDocument();
  } catch (e) {
    if (!(e instanceof Error) || e.name !== "GraphQLError") throw e;
    const at = (e as Error & { locations?: readonly { line: number; column: number }[] }).locations?.[0];
    // graphql-js words this as a syntax error; it is a size limit.
    if (/contains more th\w+ \d+ tokens/.test(e.message)) {
      throw new ContractError(`more than ${MAX_TOKENS} tokens in all files together; refusing to parse further`, { file, line: at?.line ?? 1, column: at?.column ?? 1 });
    }
    throw new ContractError(oneLine(e.message), { file, line: at?.line ?? 1, column: at?.column ?? 1 });
  }
  return { doc, tokens: lexer.count };
}

type LinkedToken = { prev: Token | null; next: Token | null };

/** Counts every token it reads and unlinks each one the parser has moved past, so none is kept alive by the list. */
class CountingLexer extends Lexer {
  /** The start-of-file token. */
  count = 1;

  override advance(): Token {
    const passed = this.token;
    const token = super.advance();
    // From the token passed to the new one, comments included: the parser only ever looks ahead.
    for (let t = passed; t !== token; ) {
      const next = t.next!;
      (t as unknown as LinkedToken).next = null;
      (next as unknown as LinkedToken).prev = null;
      this.count++;
      t = next;
    }
    return token;
  }
}

/** graphql-js's parser with locations of offsets and source only, holding no token. */
class OffsetParser extends Parser {
  override node<T extends { loc?: Location }>(startToken: Token, node: T): T {
    node.loc = { start: startToken.start, end: this._lexer.lastToken.end, source: this._lexer.source } as Location;
    return node;
  }
}

/** A library message as one line: an error is reported on a single line whatever the library wrote. */
export const oneLine = (message: string): string => message.replace(/\s*[\r\n]+\s*/g, " ").trim();

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const HASH = 0x23;

/**
 * Refuses a document nested deeper than `MAX_NESTING`, before any recursive parser sees it. One
 * pass over the brackets that skips strings, block strings and comments as the GraphQL lexer
 * reads them (so brackets inside them do not count, and none can hide outside them); works for
 * SDL, operations and JSON alike. The error points at the bracket that goes one level too deep.
 */
export function checkNesting(text: string, file: string, limit = MAX_NESTING): void {
  let depth = 0;
  const special = /[#"{}[\]()]/g;
  for (let m = special.exec(text); m; m = special.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === HASH) special.lastIndex = lineEnd(text, i);
    else if (c === QUOTE) special.lastIndex = stringEnd(text, i);
    else if (c === 0x7b || c === 0x5b || c === 0x28) {
      if (++depth > limit) {
        throw new ContractError(`nested more than ${limit} levels deep (lists, objects, arguments or selections); refusing to read further`, new LineIndex(text).location(file, i));
      }
    } else if (depth > 0) depth--;
  }
}

/** Where a comment starting at `i` ends: the next line break. */
function lineEnd(text: string, i: number): number {
  const lf = text.indexOf("\n", i);
  const cr = text.indexOf("\r", i);
  const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  return end < 0 ? text.length : end;
}

const STRING_BODY = /(?:[^"\\\n\r]|\\[^\n\r])*/y;

/**
 * Where a string starting at `i` ends: after the closing quote, or where the lexer would stop with
 * an error (a line break in a string, the end of the text). A block string ends at the first `"""`
 * not escaped as `\"""`; a backslash escapes nothing else in it.
 */
function stringEnd(text: string, i: number): number {
  if (text.startsWith('"""', i)) {
    for (let from = i + 3; ; ) {
      const k = text.indexOf('"""', from);
      if (k < 0) return text.length;
      if (text.charCodeAt(k - 1) !== BACKSLASH) return k + 3;
      from = k + 3;
    }
  }
  STRING_BODY.lastIndex = i + 1;
  STRING_BODY.exec(text);
  const end = STRING_BODY.lastIndex;
  return text.charCodeAt(end) === QUOTE ? end + 1 : end;
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
    if (directives === undefined || directives.length <= MAX_REPEATED_DIRECTIVES) return;
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
