import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../helpers/cli.ts";
import { listFiles } from "./build.ts";

// The npm package runs src/ on Node when no binary fits: src/ may use Node's APIs only. (The end-to-end
// install test runs the Node build; this names the offending line at once.)
const BUN_ONLY = [/\bBun\.\w+/, /from\s+["']bun(:\w+)?["']/, /import\.meta\.(dir|dirname|file|filename|path|require)\b/];

describe("src/ runs on Node as well as Bun", () => {
  test("no Bun-only API in src/", () => {
    const offending: string[] = [];
    for (const file of listFiles(join(REPO, "src")).filter((f) => f.endsWith(".ts"))) {
      readFileSync(join(REPO, "src", file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*)/.test(line)) return;
          if (BUN_ONLY.some((re) => re.test(line))) offending.push(`src/${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offending).toEqual([]);
  });
});
