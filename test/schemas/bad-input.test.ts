import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, runCli } from "../helpers/cli.ts";

// Hostile and broken event contracts: each case directory holds its inputs and expect.json
// (args, exit code, a substring of the single error line).
for (const area of ["avro", "jsonschema", "asyncapi"]) {
  const root = join(REPO, "test", "fixtures", "fuzz", area);
  const cases = existsSync(root) ? readdirSync(root).filter((d) => existsSync(join(root, d, "expect.json"))) : [];
  describe(`bad ${area} input`, () => {
    for (const name of cases) {
      const dir = join(root, name);
      const want = JSON.parse(readFileSync(join(dir, "expect.json"), "utf8")) as { args: string[]; exit: number | number[]; stderr?: string; known?: string };
      // A failure found but not fixed yet stays visible as a todo, with what is known about it.
      if (want.known) {
        test.todo(`${name} (known: ${want.known})`);
        continue;
      }
      test(name, () => {
        const r = runCli(want.args, { cwd: dir });
        expect(Array.isArray(want.exit) ? want.exit : [want.exit]).toContain(r.code);
        expect(r.stderr).not.toContain("    at ");
        if (r.code === 2) {
          expect(r.stderr.trim().split("\n")).toHaveLength(1);
          expect(r.stderr).toMatch(/[^\s:]+:\d+:\d+/);
        }
        if (want.stderr) expect(r.stderr).toContain(want.stderr);
      });
    }
  });
}
