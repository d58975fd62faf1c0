import pkg from "../package.json";

declare const COMMS_VERSION: string | undefined;
/** Set at build time by scripts/build.ts; from package.json when run from source. */
export const VERSION = typeof COMMS_VERSION === "string" ? COMMS_VERSION : pkg.version;
