import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PositionedYaml, YamlDocument } from "../../../src/kinds/asyncapi/yaml.ts";
import { REPO, SHARED } from "../../helpers/cli.ts";

/** YAML files to check: the example contracts, and the AsyncAPI conformance documents when present. */
function files(): string[] {
  const out = [join(REPO, "contracts/pedidos/eventos/asyncapi.yaml"), join(REPO, "contracts/usuarios/openapi.yaml"), join(REPO, "contracts/pedidos/openapi.yaml")];
  const dir = join(SHARED, "conformance/events/asyncapi");
  if (existsSync(dir)) for (const c of readdirSync(dir)) for (const f of ["old.yaml", "new.yaml"]) if (existsSync(join(dir, c, f))) out.push(join(dir, c, f));
  return out.filter(existsSync);
}

const SAMPLE = `# comment
asyncapi: 3.0.0
info:
  title: "Quoted: title"
  version: '1.0.0'
channels:
  a:
    address: x.y
    messages:
      M: {payload: {type: object, properties: {p: {type: string}, "q r": [1, {s: 2}]}}}
tags:
  - name: uno
    description: primero
  -
    name: dos
list:
- a
- b: c
  d: e
`;

describe("locating YAML members by lines agrees with the exact parser", () => {
  test("every member of every document", () => {
    let checked = 0;
    const mismatches: string[] = [];
    const texts = [["sample", SAMPLE], ...files().map((f) => [f, readFileSync(f, "utf8")])];
    for (const [name, text] of texts) {
      const fast = new YamlDocument("f.yaml", text!);
      const exact = new PositionedYaml("f.yaml", text!);
      const walk = (a: unknown, b: unknown, path: Array<string | number>) => {
        if (typeof a !== "object" || a === null) return;
        const keys = Array.isArray(a) ? a.map((_, i) => i) : Object.keys(a);
        for (const k of [undefined, ...keys])
          for (const which of ["key", "value"] as const) {
            const x = fast.loc(a, k, which);
            const y = exact.loc(b, k, which);
            checked++;
            if (x.line !== y.line || x.column !== y.column) mismatches.push(`${name} ${JSON.stringify([...path, k])} ${which}: ${x.line}:${x.column} vs ${y.line}:${y.column}`);
          }
        for (const k of keys) walk((a as any)[k], (b as any)[k], [...path, k]);
      };
      walk(fast.value, exact.value, []);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  test("members of many sibling blocks, looked up last to first, with sequences at their key's indent", () => {
    // Block ends are remembered between lookups: a later lookup must not reuse the wrong one.
    const text = `channels:\n${Array.from({ length: 200 }, (_, i) => `  c${i}:\n    address: c${i}\n    tags:\n    - name: t${i}\n    -\n      name: u${i}\n    messages:\n      m: {payload: {type: object}}\n\n`).join("")}after: 1\n`;
    const fast = new YamlDocument("f.yaml", text);
    const exact = new PositionedYaml("f.yaml", text);
    const channels = (v: unknown) => (v as Record<string, Record<string, Record<string, unknown>>>).channels!;
    const got: string[] = [];
    const want: string[] = [];
    for (let i = 199; i >= 0; i--) {
      const [a, b] = [channels(fast.value)[`c${i}`]!, channels(exact.value)[`c${i}`]!];
      for (const [x, y, k] of [[a, b, "messages"], [a.tags, b.tags, 1], [(a.messages as any).m, (b.messages as any).m, "payload"]] as const)
        for (const which of ["key", "value"] as const) {
          const [l, r] = [fast.loc(x, k, which), exact.loc(y, k, which)];
          got.push(`c${i} ${k} ${which} ${l.line}:${l.column}`);
          want.push(`c${i} ${k} ${which} ${r.line}:${r.column}`);
        }
    }
    const root = [fast.loc(fast.value, "after"), exact.loc(exact.value, "after")];
    expect(got).toEqual(want);
    expect(root[0]!.line).toBe(root[1]!.line);
    expect(root[0]!.line).toBe(text.split("\n").length - 1);
  });
});
