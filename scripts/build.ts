/**
 * Compiles comms into one self-contained binary, dist/comms.
 * bunfig.toml and .env autoloading are off so that a user's project files cannot change how comms runs.
 */
import pkg from "../package.json";

const outfile = process.argv[2] ?? "dist/comms";
const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile, autoloadBunfig: false, autoloadDotenv: false },
  minify: true,
  bytecode: true,
  format: "esm",
  // One chunk per lazily loaded command or engine: start-up then loads only what a run needs.
  splitting: true,
  sourcemap: "none",
  define: { COMMS_VERSION: JSON.stringify(pkg.version) },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.error(`built ${outfile} (comms ${pkg.version})`);
