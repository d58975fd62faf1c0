/**
 * Finds the first syntax error of a JSON text that `JSON.parse` rejected, with its offset, so a
 * broken multi-megabyte file fails fast with file:line:col (JSC's parse errors carry no position,
 * and parsing a large JSON file as YAML to locate the error takes minutes).
 */
export function jsonSyntaxError(t: string): { offset: number; message: string } | undefined {
  const n = t.length;
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: Math.min(i, n), message };
  };
  const ws = () => {
    for (; i < n; i++) {
      const c = t.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
    }
  };
  const string = () => {
    let j = i + 1;
    for (;;) {
      j = t.indexOf('"', j);
      if (j === -1) {
        i = n;
        fail("unterminated string");
      }
      let b = j - 1;
      while (t.charCodeAt(b) === 0x5c) b--;
      if ((j - 1 - b) % 2 === 0) break;
      j++;
    }
    const nl = t.indexOf("\n", i);
    if (nl !== -1 && nl < j) {
      i = nl;
      fail("unterminated string");
    }
    i = j + 1;
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const value = (depth: number): void => {
    if (depth > 10_000) fail("nesting too deep");
    ws();
    const c = t[i];
    if (c === "{") {
      i++;
      ws();
      if (t[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (t[i] !== '"') fail("expected a property name in double quotes");
        string();
        ws();
        if (t[i] !== ":") fail("expected ':' after a property name");
        i++;
        value(depth + 1);
        ws();
        if (t[i] === ",") i++;
        else if (t[i] === "}") {
          i++;
          return;
        } else fail("expected ',' or '}' after a property value");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (t[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (t[i] === ",") i++;
        else if (t[i] === "]") {
          i++;
          return;
        } else fail("expected ',' or ']' after an array element");
      }
    }
    if (c === '"') return string();
    for (const lit of ["true", "false", "null"]) {
      if (t.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(t)) {
      i = NUMBER.lastIndex;
      return;
    }
    fail(i >= n ? "unexpected end of input" : `unexpected character '${c}'`);
  };
  try {
    value(0);
    ws();
    if (i < n) fail("unexpected text after the JSON value");
  } catch (e) {
    if (typeof e === "object" && e !== null && "offset" in e) return e as { offset: number; message: string };
    throw e;
  }
  return undefined;
}

/**
 * The first member name that occurs twice in one object of a valid JSON text, with the offsets of
 * both occurrences (`JSON.parse` keeps the last silently), or the offset where nesting goes deeper
 * than `maxDepth`. Only strings are scanned: in valid JSON
 * a string followed by ':' is a member name, and braces outside strings open and close objects.
 */
export function jsonDuplicateKey(t: string, maxDepth = Infinity): { key: string; first: number; second: number } | { tooDeep: number } | undefined {
  const n = t.length;
  // One entry per open container: the names seen so far in an object (created on its second member), or null for an array.
  const stack: Array<Map<string, number> | null | undefined> = [];
  const firstName: Array<[string, number] | undefined> = [];
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = t.indexOf('"', j);
        if (j === -1) return undefined;
        let b = j - 1;
        while (t.charCodeAt(b) === 0x5c) b--;
        if ((j - 1 - b) % 2 === 0) break;
        j++;
      }
      let k = j + 1;
      while (k < n && (t.charCodeAt(k) === 0x20 || t.charCodeAt(k) === 0x0a || t.charCodeAt(k) === 0x0d || t.charCodeAt(k) === 0x09)) k++;
      const depth = stack.length - 1;
      if (t.charCodeAt(k) === 0x3a && depth >= 0) {
        const raw = t.slice(i + 1, j);
        const name = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        const first = firstName[depth];
        if (first === undefined) firstName[depth] = [name, i];
        else {
          let seen = stack[depth];
          if (!seen) {
            seen = new Map([first]);
            stack[depth] = seen;
          }
          const prev = seen.get(name);
          if (prev !== undefined) return { key: name, first: prev, second: i };
          seen.set(name, i);
        }
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= maxDepth) return { tooDeep: i };
      stack.push(c === 0x5b ? null : undefined);
      firstName[stack.length - 1] = undefined;
    } else if (c === 0x7d || c === 0x5d) stack.pop();
    i++;
  }
  return undefined;
}
