import { defineCommand } from "citty";
import { UsageError } from "../../core/errors.ts";
import { terminalText } from "../../report/escape.ts";
import { globalArgs, globalOptions } from "../args.ts";
import { writeErr, writeOut } from "../io.ts";
import { loadProject } from "../project.ts";

export default defineCommand({
  meta: {
    name: "fetch",
    description:
      "Fetch the other repositories named under sources: in comms.yaml into the local cache (shallow, only the files comms reads), so that check and --offline runs can read them. With --offline, report what the cache holds without contacting any remote.",
  },
  args: {
    sources: { type: "positional", required: false, description: "Source names from comms.yaml (default: every source)", valueHint: "source…" },
    ...globalArgs,
  },
  async run({ args }) {
    const opts = globalOptions(args);
    if (opts.format !== "text" && opts.format !== "json") throw new UsageError(`comms fetch prints text or json, not '${opts.format}'`);
    const project = loadProject(opts, true)!;
    const all = Object.keys(project.config.sources ?? {});
    const named = ((args._ as string[] | undefined) ?? []).filter(Boolean);
    for (const n of named) if (!all.includes(n)) throw new UsageError(`unknown source '${n}' (sources in comms.yaml: ${all.join(", ") || "none"})`);
    const names = named.length ? named : all;
    if (!names.length) {
      if (!opts.quiet) writeErr("comms: comms.yaml names no sources; nothing to fetch\n");
      if (opts.format === "json") writeOut(`${JSON.stringify({ version: 1, sources: [] }, null, 2)}\n`);
      return 0;
    }
    const [{ openSources }, { wantedFrom }] = await Promise.all([import("../../sources/open.ts"), import("../../gate/consumers-remote.ts")]);
    // Everything a check of every contract reads: the providers' latest releases and the consumers naming this repository.
    const sources = await openSources(project, { offline: opts.offline, want: wantedFrom(project, Object.keys(project.config.contracts)) }, names);
    const rows = [...sources.values()].map((s) => ({ source: s.name, git: s.url, ref: s.ref, commit: s.commit, contracts: Object.keys(s.contracts).length, releases: s.releases.length, notes: s.notes }));
    if (opts.format === "json") {
      writeOut(`${JSON.stringify({ version: 1, sources: rows }, null, 2)}\n`);
    } else {
      for (const r of rows) {
        writeOut(`${terminalText(r.source)}: ${terminalText(r.ref)} at ${r.commit.slice(0, 12)} (${r.contracts} contract${r.contracts === 1 ? "" : "s"}, ${r.releases} release${r.releases === 1 ? "" : "s"}) from ${terminalText(r.git)}\n`);
        for (const n of r.notes) writeOut(`  note: ${terminalText(n)}\n`);
      }
    }
    return 0;
  },
});
