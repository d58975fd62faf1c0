import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { TempRepo } from "./gate-helpers.ts";

// A protobuf contract in a buf workspace: buf.work.yaml lists module directories, each with a buf.yaml
// whose `breaking:` section the engine reads. Each module's buf.yaml, and the list of modules, is
// compared with the base like the folder's own buf.yaml.

const SLOW = 180_000;
const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r.dir, { recursive: true, force: true });
}, SLOW);

// Not released: in release mode the contract has nothing to compare with, so the exit code is the configuration's.
const CONFIG = "contracts:\n  grpc: { kind: protobuf, path: proto }\n";
const proto = (pkg: string) => `syntax = "proto3";\npackage ${pkg}.v1;\nmessage Item {\n  string id = 1;\n}\n`;
const WORK = "version: v1\ndirectories:\n  - a\n  - b\n";
const B_BASE = "version: v1\nbreaking:\n  use: [FILE]\n  ignore: [b/old.proto]\n";

/** A workspace with modules a and b committed on main. */
function workspace(files: Record<string, string> = {}): TempRepo {
  const repo = new TempRepo();
  repos.push(repo);
  const all: Record<string, string> = {
    "comms.yaml": CONFIG,
    "proto/buf.work.yaml": WORK,
    "proto/a/buf.yaml": "version: v1\n",
    "proto/a/acme/a.proto": proto("a"),
    "proto/b/buf.yaml": B_BASE,
    "proto/b/acme/b.proto": proto("b"),
    ...files,
  };
  for (const [p, t] of Object.entries(all)) repo.write(p, t);
  repo.git("add", "-A");
  expect(repo.git("commit", "-q", "--no-verify", "-m", "release").code).toBe(0);
  return repo;
}

type Row = [string, string, string];
const rows = (out: any): Row[] =>
  out.results.flatMap((r: any) => r.findings.filter((f: any) => f.rule.startsWith("policy-")).map((f: any) => [f.rule, f.path, `${f.new.file}:${f.new.line}:${f.new.column}`]));
const messages = (out: any): string[] => out.results.flatMap((r: any) => r.findings.map((f: any) => f.message));

/** Release mode (against HEAD), then the same edit committed on a branch with --against main: both agree. */
function bothModes(repo: TempRepo, expected: Row[], message?: string): void {
  const release = repo.json("check");
  expect(release.code).toBe(1);
  expect(rows(release.out)).toEqual(expected);
  if (message) expect(messages(release.out).join("\n")).toContain(message);
  expect(repo.git("checkout", "-q", "-b", "change").code).toBe(0);
  repo.git("add", "-A");
  expect(repo.git("commit", "-q", "--no-verify", "-m", "change").code).toBe(0);
  const against = repo.json("check", "--against", "main");
  expect(against.code).toBe(1);
  expect(rows(against.out)).toEqual(expected);
}

describe("a buf workspace's modules are judged against the base", () => {
  const cases: Array<{ name: string; b: string; row: Row; message: string }> = [
    { name: "use lowered", b: B_BASE.replace("use: [FILE]", "use: [WIRE]"), row: ["policy-rule-lowered", "proto/b/buf.yaml#breaking.use", "proto/b/buf.yaml:3:3"], message: 'was use: ["FILE"] at HEAD:proto/b/buf.yaml' },
    { name: "except added", b: `${B_BASE}  except: [FIELD_NO_DELETE]\n`, row: ["policy-rule-lowered", "proto/b/buf.yaml#breaking.except", "proto/b/buf.yaml:5:3"], message: "FIELD_NO_DELETE" },
    { name: "ignore widened", b: B_BASE.replace("[b/old.proto]", "[b/old.proto, acme/b.proto]"), row: ["policy-rule-lowered", "proto/b/buf.yaml#breaking.ignore", "proto/b/buf.yaml:4:3"], message: 'was ignore: ["b/old.proto"]' },
    { name: "ignore_only", b: `${B_BASE}  ignore_only:\n    FIELD_SAME_TYPE: [acme/b.proto]\n`, row: ["policy-rule-lowered", "proto/b/buf.yaml#breaking.ignore_only.FIELD_SAME_TYPE", "proto/b/buf.yaml:6:5"], message: "FIELD_SAME_TYPE" },
  ];
  for (const c of cases) {
    test(`the second module's buf.yaml: ${c.name}`, () => {
      const repo = workspace();
      repo.write("proto/b/buf.yaml", c.b);
      bothModes(repo, [c.row], c.message);
    }, SLOW);
  }

  test("a module added with a looser buf.yaml than the workspace's is a finding at its file", () => {
    const repo = workspace();
    repo.write("proto/buf.work.yaml", `${WORK}  - c\n`);
    repo.write("proto/c/buf.yaml", "version: v1\nbreaking:\n  use: [WIRE_JSON]\n");
    repo.write("proto/c/acme/c.proto", proto("c"));
    bothModes(repo, [["policy-rule-lowered", "proto/c/buf.yaml#breaking.use", "proto/c/buf.yaml:3:3"]], "was use: [\"FILE\"] at HEAD:proto/b/buf.yaml");
  }, SLOW);

  test("a module dropped from buf.work.yaml while its files stay is a finding at buf.work.yaml", () => {
    const repo = workspace();
    repo.write("proto/buf.work.yaml", "version: v1\ndirectories:\n  - a\n");
    bothModes(repo, [["policy-rule-lowered", "proto/buf.work.yaml#directories.b", "proto/buf.work.yaml:2:1"]], "module b is no longer listed");
  }, SLOW);

  test("a module's buf.yaml removed while its breaking section set the workspace's falls back and is judged", () => {
    const repo = workspace({ "proto/a/buf.yaml": "version: v1\nbreaking:\n  use: [FILE]\n", "proto/b/buf.yaml": "version: v1\nbreaking:\n  use: [WIRE]\n" });
    // Module a's settings were the workspace's; without them, module b's WIRE applies to a's files too.
    repo.write("proto/a/buf.yaml", "version: v1\n");
    bothModes(repo, [["policy-rule-lowered", "proto/a/buf.yaml#breaking.use", "proto/a/buf.yaml:1:1"]], 'was use: ["FILE"] at HEAD:proto/a/buf.yaml');
  }, SLOW);

  test("tightening and unchanged modules are not reported; a module's loosening staged with git add is", () => {
    const repo = workspace();
    repo.write("proto/b/buf.yaml", B_BASE.replace("  ignore: [b/old.proto]\n", ""));
    const tight = repo.json("check");
    expect(tight.code).toBe(0);
    expect(rows(tight.out)).toEqual([]);
    repo.write("proto/b/buf.yaml", `${B_BASE}  except: [FIELD_NO_DELETE]\n`);
    expect(repo.git("add", "proto/b/buf.yaml").code).toBe(0);
    repo.write("proto/b/buf.yaml", B_BASE);
    const staged = repo.json("check", "--staged");
    expect(staged.code).toBe(1);
    expect(rows(staged.out)).toEqual([["policy-rule-lowered", "proto/b/buf.yaml#breaking.except", "proto/b/buf.yaml:5:3"]]);
  }, SLOW);
});
