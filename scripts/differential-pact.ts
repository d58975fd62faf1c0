/**
 * comms's pact/OpenAPI judge side by side with @pactflow/openapi-pact-comparator (PactFlow's
 * bi-directional comparison) on the pairs of test/helpers/pact-pairs.ts: for each pair, whether each
 * finds an error, and with which codes. `bun scripts/differential-pact.ts` prints the table; the
 * differential test pins the disagreements.
 */
import { rmSync } from "node:fs";
import { parse } from "yaml";
import { MemoryReader } from "../src/core/source.ts";
import { judgePair, loadContract } from "../src/gate/consumers.ts";
import { generatedPacts } from "../test/helpers/pact.ts";
import { pactsFrom, VARIANTS } from "../test/helpers/pact-pairs.ts";

export interface Row {
  variant: string;
  pact: string;
  comms: string[];
  comparator: string[];
}

export async function differential(dir: string): Promise<Row[]> {
  const { Comparator } = await import("@pactflow/openapi-pact-comparator");
  const rows: Row[] = [];
  for (const [variant, openapi] of VARIANTS) {
    const comparator = new Comparator(parse(openapi));
    for (const [name, pact] of pactsFrom(dir)) {
      const reader = new MemoryReader(new Map([["api.yaml", openapi], ["pact.json", pact]]), "pair");
      const v = await judgePair("c", await loadContract("pact", { reader, path: "pact.json" }, {}), await loadContract("openapi", { reader, path: "api.yaml" }, {}));
      const theirs: string[] = [];
      for await (const r of comparator.compare(JSON.parse(pact))) if ((r as { type: string }).type === "error") theirs.push((r as { code: string }).code);
      rows.push({ variant, pact: name, comms: [...new Set(v.findings.filter((f) => f.severity === "breaking").map((f) => f.rule))].sort(), comparator: [...new Set(theirs)].sort() });
    }
  }
  return rows;
}

if (import.meta.main) {
  const dir = generatedPacts();
  try {
    const rows = await differential(dir);
    let disagree = 0;
    for (const r of rows) {
      const same = (r.comms.length > 0) === (r.comparator.length > 0);
      if (!same) disagree++;
      console.log(`${same ? "  " : "≠ "}${r.variant.padEnd(48)} ${r.pact.padEnd(28)} comms: ${r.comms.join(",") || "-"} | comparator: ${r.comparator.join(",") || "-"}`);
    }
    console.log(`${rows.length} pairs, ${disagree} disagreements on whether the pair is broken`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
