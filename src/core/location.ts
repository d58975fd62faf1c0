/** A 1-based position in a contract file, as editors and terminals expect it. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** `file:line:col`, the form terminals and editors make clickable. */
export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

/** Maps character offsets of one text to 1-based line and column, in O(log n) per lookup. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** Line and column (both 1-based) of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }

  /** A Location in `file` for a 0-based offset (and optional end offset). */
  location(file: string, offset: number, end?: number): Location {
    const start = this.position(offset);
    const loc: Location = { file, line: start.line, column: start.column };
    if (end !== undefined) {
      const e = this.position(end);
      loc.endLine = e.line;
      loc.endColumn = e.column;
    }
    return loc;
  }
}
