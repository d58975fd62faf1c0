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
