import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { rmSync } from "node:fs";
import { differential } from "../../scripts/differential-pact.ts";
import { generatedPacts } from "../helpers/pact.ts";

// comms against @pactflow/openapi-pact-comparator on 72 generated pact/OpenAPI pairs. They agree on
// whether each pair is broken except where the comparator checks only the pact's example value and
// comms the matching rule the consumer verifies with (see the README's consumer section).
setDefaultTimeout(120_000);
const dir = generatedPacts();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("differential against @pactflow/openapi-pact-comparator", () => {
  test("the same verdict on every pair but the two where a matching rule asks more than the example", async () => {
    const rows = await differential(dir);
    expect(rows.length).toBe(72);
    const disagreements = rows.filter((r) => (r.comms.length > 0) !== (r.comparator.length > 0)).map((r) => [r.variant, r.pact, r.comms, r.comparator]);
    expect(disagreements).toEqual([
      // integer(1): a `number` schema lets the provider send 1.5, which the consumer's integer matcher rejects;
      // the example 1 fits the schema, so the comparator passes it.
      ["integer matcher, number schema", "v3 DSL web (GET /orders/1)", ["consumer-response-field-type-mismatch"], []],
      // regex("open|closed"): the provider may now send "archived", which the regex rejects; the example "open" still fits.
      ["regex matcher, enum gains a value it rejects", "v3 DSL web (GET /orders/1)", ["consumer-response-field-value-mismatch"], []],
    ]);
    // Where both find a break, at least one pair per area of the contract was exercised.
    const both = rows.filter((r) => r.comms.length && r.comparator.length).flatMap((r) => r.comms);
    for (const rule of ["consumer-response-field-unknown", "consumer-response-field-type-mismatch", "consumer-request-parameter-invalid", "consumer-request-parameter-missing", "consumer-response-status-unknown", "consumer-response-media-type-unknown", "consumer-request-path-unknown", "consumer-request-method-unknown", "consumer-request-body-invalid", "consumer-request-media-type-unsupported"]) {
      expect(both).toContain(rule);
    }
  });
});
