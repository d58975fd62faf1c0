import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../../../src/core/finding.ts";
import { DiskReader } from "../../../src/core/source.ts";
import engine from "../../../src/kinds/openapi/index.ts";

/**
 * GitHub's REST description on real history (`@octokit/openapi` 17.0.0 → 23.0.2, fetched by
 * scripts/fetch-real-pairs.ts): rule branches moved from inline to components, a one-branch oneOf
 * unwrapped, `integration.owner` rewritten as a oneOf. The facts are read from both versions here,
 * so the test checks comms against the documents rather than against a list written by hand.
 */
const DIR = join(import.meta.dir, "../../../.cache/bench/openapi");
const file = (v: string) => join(DIR, `o-${v}`, "package/generated/api.github.com.json");
const OLD = "17.0.0";
const NEW = "23.0.2";
const present = existsSync(file(OLD)) && existsSync(file(NEW));
if (!present) console.warn(`OpenAPI real pairs skipped: ${file(OLD)} or ${file(NEW)} not found (run scripts/fetch-real-pairs.ts)`);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Follows local `$ref`s of a document (enough for GitHub's, whose refs are all `#/components/...`). */
function resolve(doc: Json, v: unknown, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== "string" || depth > 32) return v;
  let at: unknown = doc;
  for (const seg of v.$ref.slice(2).split("/")) at = isObj(at) ? at[seg.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return resolve(doc, at, depth + 1);
}

const title = (doc: Json, v: unknown): string | undefined => {
  const r = resolve(doc, v);
  return isObj(r) && typeof r.title === "string" ? r.title : undefined;
};

describe.skipIf(!present)(`GitHub's REST description ${OLD} → ${NEW}`, () => {
  let findings: Finding[] = [];
  let before: Json = {};
  let after: Json = {};
  const tmp = mkdtempSync(join(tmpdir(), "comms-real-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("compares (17.0.0 repeats keys: a copy where the last one wins, as JSON.parse reads it)", async () => {
    before = JSON.parse(readFileSync(file(OLD), "utf8")) as Json;
    after = JSON.parse(readFileSync(file(NEW), "utf8")) as Json;
    writeFileSync(join(tmp, "old.json"), JSON.stringify(before));
    writeFileSync(join(tmp, "new.json"), JSON.stringify(after));
    const reader = new DiskReader(tmp);
    const opts = { settings: {}, warn: () => {} };
    findings = await engine.diff(await engine.load({ reader, path: "old.json" }, opts), await engine.load({ reader, path: "new.json" }, opts), opts);
    expect(findings.length).toBeGreaterThan(0);
  }, 120_000);

  test("no branch that moved between inline and a component is reported removed or added", () => {
    const schemas = (d: Json) => ((d.components as Json).schemas as Json) ?? {};
    const oneOfs = (d: Json) => Object.values(schemas(d)).filter((s): s is Json & { oneOf: unknown[] } => isObj(s) && Array.isArray(s.oneOf));
    const titles = (d: Json, inline: boolean) =>
      new Set(oneOfs(d).flatMap((s) => s.oneOf.filter((b) => isObj(b) && (b.$ref === undefined) === inline).map((b) => title(d, b))).filter((t) => t !== undefined));
    // Titles of inline branches in 17.0.0 that are components' titles in 23.0.2: file_path_restriction,
    // max_file_path_length, file_extension_restriction, max_file_size (in repository-rule, and in
    // org-rules, which took repository-rule's place for organisation rulesets).
    const refTitles = titles(after, false);
    const moved = [...titles(before, true)].filter((t) => refTitles.has(t));
    expect(moved.sort()).toEqual(["file_extension_restriction", "file_path_restriction", "max_file_path_length", "max_file_size"]);
    const false_ = findings.filter((f) => {
      const m = /^\/components\/schemas\/([^/]+)\/oneOf\/([^/]+)$/.exec(f.path);
      if (!m || !/-one-of-(removed|added)$/.test(f.rule)) return false;
      const [, component, branch] = m;
      const removed = f.rule.endsWith("-removed");
      const doc = removed ? before : after;
      const otherDoc = removed ? after : before;
      const mine = schemas(doc)[component!];
      if (!isObj(mine) || !Array.isArray(mine.oneOf)) return false;
      // The reported branch, by the name comms gives it (component or title).
      const x = mine.oneOf.find((b) => (isObj(b) && typeof b.$ref === "string" && b.$ref.endsWith(`/${branch}`)) || title(doc, b) === branch);
      const t = x === undefined ? undefined : title(doc, x);
      // The same composition on the other side, or any when the component was renamed: a branch of the same title is there.
      const other = schemas(otherDoc)[component!];
      const candidates = isObj(other) && Array.isArray(other.oneOf) ? [other as Json & { oneOf: unknown[] }] : oneOfs(otherDoc);
      return t !== undefined && candidates.some((s) => s.oneOf.some((b) => title(otherDoc, b) === t));
    });
    expect(false_.map((f) => `${f.rule} ${f.path}`)).toEqual([]);
  });

  test("no property is new and required in a request where every old alternative required it", () => {
    const paths = (d: Json) => d.paths as Record<string, Record<string, Json>>;
    const wrongly = findings.filter((f) => {
      if (f.rule !== "new-required-request-property") return false;
      const m = /^\/paths\/([^/]+)\/([a-z]+)\/requestBody\/content\/([^/]+)\/schema\/properties\/([^/]+)$/.exec(f.path);
      if (!m) return false;
      const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");
      const body = paths(before)[unescape(m[1]!)]?.[m[2]!]?.requestBody;
      const media = isObj(resolve(before, body)) ? ((resolve(before, body) as Json).content as Json)?.[unescape(m[3]!)] : undefined;
      const schema = resolve(before, isObj(media) ? media.schema : undefined);
      const branches = isObj(schema) ? (schema.oneOf ?? schema.anyOf) : undefined;
      if (!Array.isArray(branches) || !branches.length) return false;
      const name = unescape(m[4]!);
      return branches.every((b) => {
        const r = resolve(before, b);
        return isObj(r) && Array.isArray(r.required) && r.required.includes(name);
      });
    });
    expect(wrongly.map((f) => f.path)).toEqual([]);
    // The unwrapped one-branch oneOfs of branch protection restrictions (users, apps) are among those checked.
    const restrictions = Object.keys(paths(before)).filter((p) => /protection\/restrictions\/(users|apps)$/.test(p));
    expect(restrictions.length).toBe(2);
    expect(findings.filter((f) => f.rule === "new-required-request-property" && /restrictions/.test(f.path))).toEqual([]);
  });

  test("integration.owner rewritten as oneOf[simple-user, enterprise] is reported, breaking where enterprise drops the user's required properties", () => {
    const owner = (d: Json) => (((d.components as Json).schemas as Json).integration as Json).properties as Json;
    expect(isObj(owner(before).owner) && Array.isArray((owner(before).owner as Json).oneOf)).toBe(false);
    expect(((owner(after).owner as Json).oneOf as unknown[]).length).toBe(2);
    const at = (rule: string, path: string) => findings.filter((f) => f.rule === rule && f.path === path).map((f) => f.severity);
    expect(at("response-property-wrapped-in-one-of", "/components/schemas/integration/properties/owner")).toEqual(["dangerous"]);
    expect(at("response-property-became-optional", "/components/schemas/integration/properties/owner/oneOf/enterprise")).toEqual(["breaking"]);
    expect(at("response-property-wrapped-in-one-of", "/components/schemas/event/properties/payload")).toEqual(["dangerous"]);
  });
});

/**
 * Digdir's Dialogporten description, 1.47.5 → 1.118.6 (`swagger.verified.json`, which starts with a
 * byte order mark: the copy compared here leaves it out, as JSON.parse needs): transmission contents
 * are one-branch oneOf wrappers that now point to renamed components, with real changes inside.
 */
const DP = (v: string) => join(DIR, `dp-${v}`, "package/swagger.verified.json");
const DP_OLD = "1.47.5-431c529";
const DP_NEW = "1.118.6";
const dpPresent = existsSync(DP(DP_OLD)) && existsSync(DP(DP_NEW));
if (!dpPresent) console.warn(`OpenAPI real pairs skipped: ${DP(DP_OLD)} or ${DP(DP_NEW)} not found (run scripts/fetch-real-pairs.ts)`);

describe.skipIf(!dpPresent)(`Dialogporten's description ${DP_OLD} → ${DP_NEW}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), "comms-real-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("a one-branch oneOf now pointing to a renamed component is compared with it: no alternative added, the changes inside itemised", async () => {
    const read = (v: string) => JSON.parse(readFileSync(DP(v), "utf8").replace(/^\uFEFF/, "")) as Json;
    const before = read(DP_OLD);
    const after = read(DP_NEW);
    const content = (d: Json, schema: string) => ((((d.components as Json).schemas as Json)[schema] as Json).properties as Json).content as Json;
    // The facts: both versions wrap the content in a oneOf of one $ref, to a component of another name.
    const was = content(before, "V1EndUserDialogTransmissionsQueriesGet_Transmission").oneOf as Json[];
    const is = content(after, "V1EndUserDialogsQueriesGetTransmission_Transmission").oneOf as Json[];
    expect([was.length, is.length]).toEqual([1, 1]);
    expect(was[0]!.$ref).not.toBe(is[0]!.$ref);
    writeFileSync(join(tmp, "old.json"), JSON.stringify(before));
    writeFileSync(join(tmp, "new.json"), JSON.stringify(after));
    const reader = new DiskReader(tmp);
    const opts = { settings: {}, warn: () => {} };
    const findings = await engine.diff(await engine.load({ reader, path: "old.json" }, opts), await engine.load({ reader, path: "new.json" }, opts), opts);
    expect(findings.filter((f) => /-one-of-(added|removed)$/.test(f.rule)).map((f) => f.path)).toEqual([]);
    // The transmission content's summary became nullable: reported in the renamed component.
    const nullable = findings.filter((f) => f.rule === "response-property-became-nullable" && /Transmission(s)?_Content\/properties\/summary$/.test(f.path));
    expect(nullable.map((f) => `${f.path} ${f.severity}`).sort()).toEqual([
      "/components/schemas/V1EndUserDialogsQueriesGetTransmission_Content/properties/summary breaking",
      "/components/schemas/V1EndUserDialogsQueriesSearchTransmissions_Content/properties/summary breaking",
      "/components/schemas/V1ServiceOwnerDialogsQueriesGetTransmission_Content/properties/summary breaking",
      "/components/schemas/V1ServiceOwnerDialogsQueriesSearchTransmissions_Content/properties/summary breaking",
    ]);
  }, 60_000);
});
