import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appendStepSummary, githubStepSummary, renderReport } from "../../src/report/index.ts";
import { escapeData, escapeProperty, STEP_SUMMARY_LIMIT } from "../../src/report/github.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { buildReport } from "../../src/report/model.ts";
import { manyFindings, OPTS, sampleReport, usersApi } from "../fixtures/report/sample.ts";

describe("github annotations", () => {
  test("one workflow command per finding, errors first, cosmetic ones left out", () => {
    const lines = renderReport(sampleReport(), "github", OPTS).trimEnd().split("\n");
    expect(lines).toEqual([
      "::error file=contracts/users/openapi.yaml,line=38,col=9,title=response-property-removed::response property 'email' removed from GET /users/{id} (200)%0Aaffects: GET /users/{id}",
      "::error file=contracts/users graph/schema.graphql,line=7,col=3,title=FIELD_REMOVED::Field 'email' was removed from object type 'User'%0Aaffects: query GetUser",
      '::error title=FILE_NO_DELETE::Previously present file "acme/billing/v1/legacy.proto" was deleted.%0Apath: acme/billing/v1/legacy.proto',
      "::warning file=contracts/users/openapi.yaml,line=90,col=7,endLine=90,endColumn=12,title=response-property-enum-value-added::enum value 'a|b' added to *status* <Status> in `GET /users` & friends%0Anote: dangerous: clients with exhaustive switches may fail",
      "::warning file=contracts/users graph/schema.graphql,line=15,col=3,title=ENUM_VALUE_ADDED::Enum value 'ARCHIVED' was added to enum 'Status': 100%25 new, a,b%0Asecond line",
      "::notice file=contracts/users/openapi.yaml,line=12,col=13,title=request-parameter-became-required (accepted)::query parameter 'limit' became required in GET /users%0Aaffects: GET /users%0Aaccepted: clients were migrated in Q3 (until 2027-01-31)",
      "::notice file=contracts/users/openapi.yaml,line=20,col=5,title=endpoint-added::endpoint POST /users added%0Aaffects: POST /users",
      "::notice file=contracts/billing/invoice.proto,line=5,col=3,title=FIELD_SAME_NAME::Field 1 on message Invoice changed name from total to amount (JSON-compatible).",
    ]);
  });

  test("under --fail-on dangerous, dangerous changes are errors like the breaking ones", () => {
    const lines = renderReport(sampleReport(), "github", { ...OPTS, failOn: "dangerous" }).trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("::error ")).map((l) => /title=([^:]+)::/.exec(l)?.[1])).toEqual([
      "response-property-removed",
      "response-property-enum-value-added",
      "FIELD_REMOVED",
      "ENUM_VALUE_ADDED",
      "FILE_NO_DELETE",
    ]);
    expect(lines.some((l) => l.startsWith("::warning "))).toBe(false);
  });

  test("--all includes documentation-only changes as notices", () => {
    const out = renderReport(sampleReport(), "github", { ...OPTS, all: true });
    expect(out).toContain("::notice file=contracts/users/openapi.yaml,line=10,col=20,title=api-description-changed::description of GET /users changed\n");
  });

  test.each([
    ["data", escapeData, "100% a:b,c\r\nd", "100%25 a:b,c%0D%0Ad"],
    ["property", escapeProperty, "100% a:b,c\r\nd", "100%25 a%3Ab%2Cc%0D%0Ad"],
  ])("escapes %s", (_name, fn, input, expected) => {
    expect(fn(input)).toBe(expected);
  });

  test("escapes file names and titles as properties", () => {
    const [first] = usersApi.findings;
    const odd = buildReport([{ ...usersApi, findings: [{ ...first!, rule: "a,b:c", new: { file: "dir,x/a:b.yaml", line: 1, column: 2 } }] }]);
    expect(renderReport(odd, "github", OPTS)).toStartWith("::error file=dir%2Cx/a%3Ab.yaml,line=1,col=2,title=a%2Cb%3Ac::");
  });

  test("exactly 10 findings of a level are all annotated", () => {
    const lines = renderReport(manyFindings(10), "github", OPTS).trimEnd().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.startsWith("::error file=proto/acme/v1/m.proto,"))).toBe(true);
  });

  test("past 10 of a level, the 10th slot says how many were left out", () => {
    const lines = renderReport(manyFindings(15), "github", OPTS).trimEnd().split("\n");
    expect(lines).toHaveLength(10);
    expect(lines.slice(0, 9).every((l) => l.startsWith("::error file=proto/acme/v1/m.proto,"))).toBe(true);
    expect(lines[8]).toContain("line=9,");
    expect(lines[9]).toBe(
      "::error::6 more error annotations omitted (GitHub shows 10 per level); the job summary or --format text lists every finding.",
    );
  });

  test("each level has its own limit", () => {
    const report = buildReport([...manyFindings(12).results, ...manyFindings(11, "safe").results]);
    const lines = renderReport(report, "github", OPTS).trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("::error"))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith("::notice"))).toHaveLength(10);
    expect(lines).toContain("::notice::2 more notice annotations omitted (GitHub shows 10 per level); the job summary or --format text lists every finding.");
  });

  test("no findings, no output", () => {
    expect(renderReport(buildReport([]), "github", OPTS)).toBe("");
  });
});

describe("step summary", () => {
  const dir = mkdtempSync(join(tmpdir(), "comms-report-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("appends the markdown report to $GITHUB_STEP_SUMMARY", () => {
    const file = join(dir, "summary.md");
    writeFileSync(file, "earlier step\n");
    expect(appendStepSummary(sampleReport(), { ...OPTS, color: true }, { GITHUB_STEP_SUMMARY: file })).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(`earlier step\n${renderMarkdown(sampleReport(), OPTS)}`);
  });

  test("does nothing without $GITHUB_STEP_SUMMARY", () => {
    expect(appendStepSummary(sampleReport(), OPTS, {})).toBe(false);
  });

  test("falls back to the summary table when the report exceeds GitHub's limit", () => {
    const huge = manyFindings(1);
    const [f] = huge.results[0]!.findings;
    f!.message = "x".repeat(STEP_SUMMARY_LIMIT);
    const md = githubStepSummary(huge, OPTS);
    expect(Buffer.byteLength(md)).toBeLessThan(STEP_SUMMARY_LIMIT);
    expect(md).toContain("| acme | protobuf |");
  });
});
