import { describe, expect, test } from "bun:test";
import { RegistryError } from "../../src/core/errors.ts";
import { ownContract, recordName } from "../../src/gate/deployed-names.ts";
import { parseConfig } from "../../src/policy/config.ts";
import { divergingLine, nextRecord, verifyRecords, type DeploymentRecord } from "../../src/registry/deployments.ts";

/** A chain of records built as comms deploy builds them. */
function chain(contracts: string[]): string {
  let text = "";
  const records: DeploymentRecord[] = [];
  for (const [i, contract] of contracts.entries()) {
    const next = nextRecord(records, text, { contract, version: "1.0.0", env: "prod", by: "Dev", date: `2026-01-0${i + 1}T00:00:00.000Z` });
    records.push(next.record);
    text = next.text;
  }
  return text;
}

describe("record names, local and shared", () => {
  const cases: Array<{ contracts: string[]; qualified: boolean; error?: string }> = [
    { contracts: ["orders-api", "billing"], qualified: false },
    { contracts: ["orders/orders-api", "pagos/pagos-api"], qualified: true },
    { contracts: ["orders/orders-api"], qualified: false, error: "prod.jsonl:1:1: deployment record #1 is damaged or was rewritten ('contract' must be a contract name)" },
    { contracts: ["orders-api"], qualified: true, error: "prod.jsonl:1:1: deployment record #1 is damaged or was rewritten ('contract' must be <repository>/<contract>)" },
    { contracts: ["orders/a", "orders/../b"], qualified: true, error: "prod.jsonl:2:1: deployment record #2 is damaged or was rewritten ('contract' must be <repository>/<contract>)" },
    { contracts: ["a/b/c"], qualified: true, error: "prod.jsonl:1:1: deployment record #1" },
    { contracts: ["/b"], qualified: true, error: "prod.jsonl:1:1: deployment record #1" },
    { contracts: ["__proto__"], qualified: false, error: "prod.jsonl:1:1: deployment record #1" },
  ];
  for (const c of cases)
    test(`${c.contracts.join(", ")} (${c.qualified ? "shared" : "local"})`, () => {
      const read = () => verifyRecords(chain(c.contracts), "prod.jsonl", "prod", c.qualified);
      if (c.error) {
        expect(read).toThrow(RegistryError);
        expect(read).toThrow(c.error);
      } else expect(read().map((r) => [r.seq, r.contract])).toEqual(c.contracts.map((n, i) => [i + 1, n]));
    });
});

describe("where a later text stops keeping an earlier one", () => {
  const text = chain(["o/a", "o/b", "o/c"]);
  const lines = text.split("\n");
  const cases: Array<[string, string, number | undefined]> = [
    ["same", text, undefined],
    ["appended", chain(["o/a", "o/b", "o/c", "o/d"]), undefined],
    ["last dropped", `${lines.slice(0, 2).join("\n")}\n`, 3],
    ["second edited", [lines[0], lines[1]!.replace("o/b", "o/x"), lines[2], ""].join("\n"), 2],
    ["emptied", "", 1],
  ];
  for (const [name, later, line] of cases) test(name, () => expect(divergingLine(text, later)).toBe(line));
});

describe("the seam between record names and this repository's contracts", () => {
  const shared = parseConfig(
    "version: 1\nname: orders\ndeployments: { git: ../records.git }\ncontracts:\n  api: { kind: openapi, path: api.yaml }\n  web: { kind: pact, path: web.json, provider: api }\n",
    "comms.yaml",
    "/p/comms.yaml",
  );
  const local = parseConfig("version: 1\nname: orders\ncontracts:\n  api: { kind: openapi, path: api.yaml }\n", "comms.yaml", "/p/comms.yaml");
  const cases: Array<[string, typeof shared, string, string, string | undefined]> = [
    ["own contract, shared", shared, "api", "orders/api", "api"],
    ["another repository's contract, shared", shared, "pagos/pagos-api", "pagos/pagos-api", undefined],
    ["own name, unknown contract", shared, "orders/nope", "orders/nope", undefined],
    ["inherited name", shared, "orders/constructor", "orders/constructor", undefined],
    ["own contract, local records", local, "api", "api", "api"],
    ["qualified name, local records", local, "orders/api", "orders/api", undefined],
  ];
  for (const [name, project, contract, record, own] of cases)
    test(name, () => {
      expect(recordName(project, contract)).toBe(record);
      expect(ownContract(project, record)).toBe(own);
    });
});
