// Each index entry must read as in the first commit that listed it. Every committed version of
// index.json holds every release so far, so parsing each one is quadratic in the number of releases.
// Versions are read in order instead and each compared with the one before: the common head and tail
// are found by native string comparison (a binary search), and only the entries between them are parsed.
// The positions of the entries are carried from one version to the next. That holds while the file is
// laid out as comms writes it (two-space JSON, `version` then `releases`); a version that leaves that
// layout is parsed whole, so an unusual history is slower, never less checked.

/**
 * What a release is, in an index entry: its files, their hash, its path, kind and date (deprecation ages
 * count from it). Descriptive fields (`subject`, `commit`, `fileHashes`, which only names the file that
 * changed) may be filled in later without changing what was released.
 */
const RELEASE_KEYS = ["contract", "version", "kind", "date", "hash", "path", "files"] as const;

/** An index entry as one comparable string. */
export function canonical(e: unknown): string {
  const r = (e ?? {}) as Record<string, unknown>;
  return JSON.stringify(RELEASE_KEYS.map((k) => (Object.hasOwn(r, k) ? r[k] : null)));
}

/** `<contract>/<version>` of an index entry, or undefined for an entry that names neither. */
export function entryId(e: unknown): string | undefined {
  if (!e || typeof e !== "object") return undefined;
  const r = e as Record<string, unknown>;
  return typeof r.contract === "string" && typeof r.version === "string" ? `${r.contract}/${r.version}` : undefined;
}

export interface EntryHistory {
  /** Commit that first listed each entry, and the entry's text there. */
  first: Map<string, { commit: string; root: boolean; text: string }>;
  /** Last commit that changed each entry's text, and the text it left. */
  latest: Map<string, { commit: string; text: string }>;
}

/** One committed version of index.json, oldest first. */
export interface IndexVersion {
  commit: string;
  root: boolean;
  blob: string;
}

/** Versions read per `git cat-file` batch: memory stays bounded whatever the history. */
const BATCH = 64;

/** An entry block as comms writes it, inside the releases array. */
const block = (e: unknown) => JSON.stringify(e, null, 2).replace(/^/gm, "    ");

/** Length of the common head of two strings, by binary search over native comparisons. */
function commonHead(a: string, b: string): number {
  let lo = 0;
  let hi = Math.min(a.length, b.length);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(0, mid) === b.slice(0, mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common tail of two strings, at most `max`. */
function commonTail(a: string, b: string, max: number): number {
  let lo = 0;
  let hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid) === b.slice(b.length - mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A version as laid out by comms: its text and where each entry block starts and ends. */
interface Layout {
  text: string;
  starts: number[];
  ends: number[];
}

/** What the versions before `done` left: the history is carried on from the version `done - 1`. */
export interface EntryResume {
  history: EntryHistory;
  done: number;
}

/**
 * The first and latest text of every index entry across `versions` (oldest first). `read` returns the
 * texts of a batch of blobs (undefined for one that cannot be read). With `resume`, the versions before
 * `resume.done` are taken as read: the result is the same as reading them all again.
 */
export function indexEntryHistory(versions: readonly IndexVersion[], read: (blobs: string[]) => Map<string, string | undefined>, resume?: EntryResume): EntryHistory {
  const out: EntryHistory = resume?.history ?? { first: new Map(), latest: new Map() };
  const note = (v: IndexVersion, e: unknown) => {
    const id = entryId(e);
    if (id === undefined) return;
    const text = canonical(e);
    if (!out.first.has(id)) out.first.set(id, { commit: v.commit, root: v.root, text });
    if (out.latest.get(id)?.text !== text) out.latest.set(id, { commit: v.commit, text });
  };

  /** Reads a version whole: every entry (unless they were noted already), and its layout when it is comms' own. */
  const whole = (v: IndexVersion, text: string, noted = false): Layout | undefined => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      // A damaged index in history was reported when it was current; its entries prove nothing.
      return undefined;
    }
    if (!data || typeof data !== "object" || Array.isArray(data) || !Object.hasOwn(data, "releases")) return undefined;
    const releases = (data as { releases: unknown }).releases;
    if (!Array.isArray(releases)) return undefined;
    if (!noted) for (const e of releases) note(v, e);
    if (!releases.length || Object.keys(data).join() !== "version,releases" || `${JSON.stringify(data, null, 2)}\n` !== text) return undefined;
    const layout: Layout = { text, starts: [], ends: [] };
    const open = '\n  "releases": [\n';
    let at = text.indexOf(open) + open.length;
    for (const e of releases) {
      const b = block(e);
      if (text.slice(at, at + b.length) !== b) return undefined;
      layout.starts.push(at);
      layout.ends.push(at + b.length);
      at += b.length + 2;
    }
    return layout;
  };

  /**
   * The next version from the previous one's layout: the entries between the common head and tail,
   * widened by one entry on each side, must be whole blocks as comms writes them; then only they are
   * parsed. Undefined when that does not hold (the version is read whole).
   */
  const step = (v: IndexVersion, prev: Layout, text: string): Layout | undefined => {
    const head = commonHead(prev.text, text);
    const tail = commonTail(prev.text, text, Math.min(prev.text.length, text.length) - head);
    const until = prev.text.length - tail;
    const n = prev.starts.length;
    // First entry ending at or after the change, last one starting at or before its end; one more each side.
    const i0 = lowerBound(prev.ends, head);
    const j0 = lowerBound(prev.starts, until + 1) - 1;
    const i = Math.max(0, Math.min(i0, j0) - 1);
    const j = Math.min(n - 1, Math.max(i0, j0) + 1);
    if (prev.starts[i]! > head || prev.ends[j]! < until) return undefined;
    const delta = text.length - prev.text.length;
    const from = prev.starts[i]!;
    const to = prev.ends[j]! + delta;
    if (to <= from) return undefined;
    const region = text.slice(from, to);
    let entries: unknown;
    try {
      entries = JSON.parse(`[${region}]`);
    } catch {
      return undefined;
    }
    if (!Array.isArray(entries) || !entries.length || entries.some((x) => !x || typeof x !== "object" || Array.isArray(x))) return undefined;
    const blocks = entries.map(block);
    if (blocks.join(",\n") !== region) return undefined;
    for (const e of entries) note(v, e);
    const layout: Layout = { text, starts: prev.starts.slice(0, i), ends: prev.ends.slice(0, i) };
    let at = from;
    for (const b of blocks) {
      layout.starts.push(at);
      layout.ends.push(at + b.length);
      at += b.length + 2;
    }
    for (let k = j + 1; k < n; k++) {
      layout.starts.push(prev.starts[k]! + delta);
      layout.ends.push(prev.ends[k]! + delta);
    }
    return layout;
  };

  let prev: Layout | undefined;
  let last = "";
  const from = Math.min(resume?.done ?? 0, versions.length);
  if (from > 0 && from < versions.length) {
    // Only the layout of the last version read is needed to go on; its entries were noted then.
    const v = versions[from - 1]!;
    last = v.blob;
    const text = ZERO.test(v.blob) ? undefined : read([v.blob]).get(v.blob);
    prev = text === undefined ? undefined : whole(v, text, true);
  }
  for (let b = from; b < versions.length; b += BATCH) {
    const batch = versions.slice(b, b + BATCH);
    const texts = read(batch.map((v) => v.blob).filter((x) => !ZERO.test(x)));
    for (const v of batch) {
      if (v.blob === last) continue;
      last = v.blob;
      const text = texts.get(v.blob);
      if (text === undefined) {
        prev = undefined;
        continue;
      }
      prev = (prev && step(v, prev, text)) || whole(v, text);
    }
  }
  return out;
}

/** Index of the first element of a sorted array that is >= x. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ZERO = /^0+$/;
