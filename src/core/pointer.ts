/**
 * One segment of a JSON pointer taken from a URI fragment: percent-decoded, then `~1` and `~0`
 * unescaped. Undefined when the percent-encoding is malformed (`#/%`), so every caller turns a hostile
 * `$ref` into a contract error at its location instead of an exception from the decoder.
 */
export function pointerSegment(seg: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(seg);
  } catch {
    return undefined;
  }
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}
