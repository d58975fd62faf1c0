import { describe, expect, test } from "bun:test";
import { MARKDOWN_MARKER, renderReport } from "../../src/report/index.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { buildReport } from "../../src/report/model.ts";
import { OPTS, passingReport, sampleReport, usersApi } from "../fixtures/report/sample.ts";

describe("markdown report", () => {
  const out = renderReport(sampleReport(), "markdown", OPTS);
  const lines = out.split("\n");

  test("matches the snapshot", () => {
    expect(out).toMatchSnapshot();
  });

  test("starts with the sticky-comment marker and a title naming the command and the outcome", () => {
    expect(lines[0]).toBe(MARKDOWN_MARKER);
    expect(lines[1]).toBe("## ❌ comms check: 3 breaking changes");
    const pass = renderReport(passingReport(), "markdown", { ...OPTS, command: undefined });
    expect(pass.split("\n")[1]).toBe("## ✅ comms: no breaking changes");
  });

  test("has a summary table with one row per contract", () => {
    const header = lines.indexOf("| Contract | Kind | Old → New | Breaking | Dangerous | Safe | Verdict | Bump |");
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe("| --- | --- | --- | ---: | ---: | ---: | --- | --- |");
    expect(lines.slice(header + 2, header + 6)).toEqual([
      "| users-api | openapi | users-api@1.2.0 → working tree (1.3.0) | 1 (+1 accepted) | 1 | 2 | ❌ fail | major |",
      "| users-graph | graphql | main → working tree | 1 | 1 | 0 | ❌ fail | major |",
      "| billing-grpc | protobuf | billing-grpc@2.0.0 → HEAD (2.1.0) | 1 | 0 | 1 | ❌ fail | major |",
      "| orders-grpc | protobuf | orders-grpc@1.0.0 → working tree (1.0.0) | 0 | 0 | 0 | ✅ pass | none |",
    ]);
    // every table row has the same number of unescaped cell separators
    for (const row of lines.slice(header, header + 6)) expect(row.split(/(?<!\\)\|/).length).toBe(10);
  });

  test("lists findings per contract with emoji, rule, location and escaped message", () => {
    expect(lines).toContain("### users-api");
    expect(lines).toContain(
      "- 🔴 **breaking** `response-property-removed` `contracts/users/openapi.yaml:38:9`: response property 'email' removed from GET /users/{id} (200)",
    );
    expect(lines).toContain(
      "- 🟠 **dangerous** `response-property-enum-value-added` `contracts/users/openapi.yaml:90:7`: enum value 'a\\|b' added to \\*status\\* \\<Status\\> in \\`GET /users\\` \\& friends",
    );
    expect(lines).toContain("- 🔴 **breaking** `FILE_NO_DELETE`: Previously present file \"acme/billing/v1/legacy.proto\" was deleted.");
    expect(lines).toContain("  - Path: `acme/billing/v1/legacy.proto`");
    expect(lines).toContain("  - Deprecated, sunset 2026-01-01");
  });

  test("shows accepted changes with their reason, apart from the failing ones", () => {
    const accepted = lines.indexOf("**Accepted (1)**");
    expect(accepted).toBeGreaterThan(lines.indexOf("### users-api"));
    expect(lines[accepted + 2]).toStartWith("- ⚪ **breaking** `request-parameter-became-required`");
    expect(lines).toContain("  - Accepted: clients were migrated in Q3 (until 2027-01-31)");
  });

  test("collapses safe changes in <details>", () => {
    const open = lines.indexOf("<details><summary>2 safe changes</summary>");
    const close = lines.indexOf("</details>", open);
    expect(open).toBeGreaterThan(0);
    const inside = lines.slice(open, close).join("\n");
    expect(inside).toContain("`endpoint-added`");
    expect(inside).toContain("`api-description-changed` `contracts/users/openapi.yaml:10:20`: description of GET /users changed _(documentation only)_");
    expect(inside).not.toContain("**breaking**");
  });

  test("a contract with notes but no findings still gets its notes", () => {
    const section = out.slice(out.indexOf("### orders-grpc"));
    expect(section).toBe("### orders-grpc\n\n> **Note:** no released version recorded before 1.0.0\n");
  });

  test("summary-only form keeps the table and drops the findings", () => {
    const short = renderMarkdown(sampleReport(), OPTS, { summaryOnly: true });
    expect(short).toContain("| users-api | openapi |");
    expect(short).not.toContain("###");
  });

  test("an empty run says so", () => {
    expect(renderReport(buildReport([]), "markdown", OPTS)).toBe(`${MARKDOWN_MARKER}\n## ✅ comms check: no breaking changes\n\nNo contracts were compared.\n`);
  });

  test("a version mismatch is counted apart from breaking changes", () => {
    const [removed] = usersApi.findings;
    const version = { rule: "version-not-bumped", severity: "breaking" as const, path: "info.version", message: "1 breaking change since 1.2.0 needs a new major version" };
    const md = renderReport(buildReport([{ ...usersApi, findings: [removed!, version], notes: undefined }]), "markdown", OPTS).split("\n");
    expect(md[1]).toBe("## ❌ comms check: 1 breaking change, 1 version mismatch");
    expect(md).toContain("| users-api | openapi | users-api@1.2.0 → working tree (1.3.0) | 1 (+1 version mismatch) | 0 | 0 | ❌ fail | major |");
  });

  test("a change that affects many operations lists them on one line, the rest counted", () => {
    const [removed] = usersApi.findings;
    const many = { ...removed!, operations: Array.from({ length: 12 }, (_, i) => `GET /r${i}`) };
    const md = renderReport(buildReport([{ ...usersApi, findings: [many] }]), "markdown", OPTS);
    expect(md).toContain("  - Affects: `GET /r0`, `GET /r1`, `GET /r2`, `GET /r3`, `GET /r4`, `GET /r5`, `GET /r6`, `GET /r7`, `GET /r8`, `GET /r9` and 2 more\n");
  });
});
