/** Catalogue ids this engine does not report yet (kept out of `comms rules`). */
export const NOT_IMPLEMENTED: ReadonlySet<string> = new Set<string>([]);
