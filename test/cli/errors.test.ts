import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ContractError } from "../../src/core/errors.ts";
import { describeFailure } from "../../src/main.ts";
import { BIN, runCli } from "../helpers/cli.ts";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "comms-errors-"));
  const files: Record<string, string> = {
    "ok.graphql": "type Query { a: Int }\n",
    "ok2.graphql": "type Query { a: Int, b: Int }\n",
    "bad.yaml": "openapi: 3.0.0\ninfo: { title: x, version: 1.0.0\npaths: {}\n",
    "bad.json": '{\n  "openapi": "3.0.0",\n  "info": { "title": "x", "version": "1" },\n  "paths": {\n}\n',
    "notes.txt": "hello\n",
    "ref.yaml": 'openapi: 3.0.0\ninfo: { title: x, version: 1.0.0 }\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "#/components/responses/Nope"\n',
    "bad.graphql": "type Query {\n  a: Int\n  b: \n}\n",
    "bad.proto": 'syntax = "proto3";\nmessage A {\n  string a = ;\n}\n',
    "empty/readme.md": "nothing here\n",
    "cfg-unknown/comms.yaml": "version: 1\ncontracts:\n  a: { kind: graphql, path: s.graphql, colour: red }\n",
    "cfg-type/comms.yaml": "version: 1\ncontracts:\n  a:\n    kind: graphql\n    path: 42\n",
    "cfg-yaml/comms.yaml": "version: 1\ncontracts:\n  a: [\n",
    // A $ref whose text tries to start a GitHub Actions workflow command and to colour the terminal.
    "evil-ref.yaml":
      'openapi: 3.0.0\ninfo: { title: x, version: 1.0.0 }\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "#/components/responses/x\\n::error file=evil,line=1::pwned\\e[31m\\a"\n',
    "remote/comms.yaml": 'version: 1\ncontracts: {}\npolicy:\n  openapi:\n    allow-remote-refs: ["https://ex.com"]\n',
    "remote/a.yaml":
      'openapi: 3.0.0\ninfo: { title: x, version: 1.0.0 }\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "https://ex.com/r.yaml#/x\\n::error file=evil,line=1::pwned\\e[31m"\n',
    "evil-name/comms.yaml": 'version: 1\ncontracts:\n  "x\\n::error file=evil,line=1::pwned\\e]8;;http://x\\a":\n    kind: graphql\n    path: "missing\\n::warning::y.graphql"\n',
  };
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), c);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runners: Array<[string, string | undefined]> = [["source", undefined], ...(BIN ? ([["binary", BIN]] as Array<[string, string]>) : [])];

// Each bad input ends with one clear line on stderr, exit 2, and never a stack trace.
for (const [runner, binary] of runners) {
  describe(`bad input exits 2 with one clear message (${runner})`, () => {
    const cases: Array<{ name: string; args: string[]; cwd?: string; message: RegExp }> = [
      { name: "a missing file", args: ["diff", "ok.graphql", "missing.graphql"], message: /'missing\.graphql' is not a file, directory/ },
      { name: "a directory with no contract", args: ["diff", "empty", "empty"], message: /empty: no contract found in this directory/ },
      { name: "a file of no known kind", args: ["diff", "notes.txt", "notes.txt"], message: /notes\.txt:1:1: cannot tell what kind of contract/ },
      { name: "malformed YAML", args: ["diff", "bad.yaml", "bad.yaml"], message: /^comms: bad\.yaml:3:1: invalid YAML/ },
      { name: "malformed JSON", args: ["diff", "bad.json", "bad.json"], message: /^comms: bad\.json:6:1: invalid (YAML\/)?JSON/ },
      { name: "an unresolvable $ref", args: ["diff", "ref.yaml", "ref.yaml"], message: /^comms: ref\.yaml:8:11: unresolved \$ref '#\/components\/responses\/Nope'/ },
      { name: "malformed GraphQL SDL", args: ["diff", "bad.graphql", "bad.graphql"], message: /^comms: bad\.graphql:4:1: Syntax Error/ },
      { name: "malformed protobuf", args: ["diff", "bad.proto", "bad.proto"], message: /^comms: bad\.proto:3:14: expected field number/ },
      { name: "an unknown --format", args: ["diff", "ok.graphql", "ok2.graphql", "--format", "xml"], message: /unknown --format 'xml'/ },
      { name: "an unknown --fail-on", args: ["diff", "ok.graphql", "ok2.graphql", "--fail-on", "minor"], message: /unknown --fail-on 'minor'/ },
      { name: "an unknown --kind", args: ["diff", "ok.graphql", "ok2.graphql", "--kind", "soap"], message: /unknown --kind 'soap'/ },
      { name: "an unknown option", args: ["diff", "ok.graphql", "ok2.graphql", "--fromat", "json"], message: /unknown option '--fromat'/ },
      { name: "a missing argument", args: ["diff", "ok.graphql"], message: /Missing required positional argument: NEW/ },
      { name: "an unknown command", args: ["dif"], message: /unknown command 'dif'/ },
      { name: "a command named like an Object property", args: ["__proto__"], message: /unknown command '__proto__'/ },
      { name: "a command named like an inherited method", args: ["hasOwnProperty"], message: /unknown command 'hasOwnProperty'/ },
      { name: "a subcommand named like an Object property", args: ["hook", "constructor"], message: /unknown command 'hook constructor'/ },
      { name: "an unknown key in comms.yaml", args: ["diff", "../ok.graphql", "../ok2.graphql"], cwd: "cfg-unknown", message: /comms\.yaml:3:40: contracts\.a\.colour: unknown key 'colour'/ },
      { name: "a wrong type in comms.yaml", args: ["diff", "../ok.graphql", "../ok2.graphql"], cwd: "cfg-type", message: /comms\.yaml:5:11: contracts\.a\.path: / },
      { name: "malformed comms.yaml", args: ["diff", "../ok.graphql", "../ok2.graphql"], cwd: "cfg-yaml", message: /comms\.yaml:\d+:\d+: / },
      { name: "a --config that does not exist", args: ["diff", "ok.graphql", "ok2.graphql", "--config", "nope.yaml"], message: /cannot read config file 'nope\.yaml'/ },
      { name: "a name@version without comms.yaml", args: ["diff", "api@1.0.0", "ok.graphql"], message: /no comms\.yaml to look up released versions/ },
    ];
    for (const c of cases) {
      test(c.name, () => {
        const r = runCli(c.args, { cwd: c.cwd ? join(dir, c.cwd) : dir, binary });
        expect(r.stderr).toMatch(c.message);
        expect(r.code).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stdout).toBe("");
      });
    }
  });
}

// Error messages quote what the user wrote; each stays one escaped line on stderr whatever it contains.
describe("hostile text in error messages stays on one line", () => {
  const cases: Array<{ name: string; args: string[]; cwd?: string; code: number | number[] }> = [
    { name: "a $ref with a newline, ESC and BEL", args: ["diff", "evil-ref.yaml", "evil-ref.yaml"], code: 2 },
    { name: "a file name with a newline, ESC and BEL", args: ["diff", "ok.graphql", "x\n::error file=evil,line=1::pwned\u001b[31m\u0007.graphql"], code: 2 },
    { name: "an unknown option with a newline", args: ["diff", "ok.graphql", "ok2.graphql", "--x\n::error::pwned"], code: 2 },
    { name: "a --format value with a newline", args: ["diff", "ok.graphql", "ok2.graphql", "--format", "x\n::error::pwned"], code: 2 },
    { name: "an unknown command with ESC", args: ["\u001b]8;;http://x\u0007\n::error::pwned"], code: 2 },
    { name: "a rule id with a newline", args: ["rules", "x\n::error::pwned"], code: 2 },
    { name: "a contract name and path with newlines in comms.yaml", args: ["check"], cwd: "evil-name", code: 2 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = runCli(c.args, { cwd: c.cwd ? join(dir, c.cwd) : dir });
      expect([c.code].flat()).toContain(r.code);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toStartWith("comms: ");
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(r.stdout).not.toMatch(/^::/m);
    });
  }
});

describe("help and version", () => {
  test("--version prints the version alone", () => {
    const r = runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
  test("root help lists every command", () => {
    const r = runCli(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["diff", "check", "release", "log", "init", "hook", "rules"]) expect(r.stdout).toContain(`  ${c} `);
  });
  test.each(["diff", "check", "release", "log", "init", "rules"])("comms %s --help shows its usage", (c) => {
    const r = runCli([c, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`USAGE comms ${c}`);
    expect(r.stdout).not.toMatch(/\u001b\[/);
  });
  test("placeholders read as the values to type", () => {
    const r = runCli(["diff", "--help"]);
    expect(r.stdout).toContain("-f, --format <text|json|markdown|sarif|junit|github|gitlab>");
    expect(r.stdout).toContain("--fail-on <breaking|dangerous>");
    expect(r.stdout).toContain("-c, --config <path>");
    expect(r.stdout).not.toContain("=<");
    expect(r.stdout).not.toMatch(/ +$/m);
  });
  test("a nested command names its whole command line", () => {
    const r = runCli(["hook", "install", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("USAGE comms hook install");
    const parent = runCli(["hook", "--help"]);
    expect(parent.code).toBe(0);
    expect(parent.stdout).toContain("USAGE comms hook <install>");
    expect(parent.stdout).toMatch(/^ {2}install {2}/m);
  });
  test("root help lists --mode", () => {
    expect(runCli(["--help"]).stdout).toContain("--mode <mode>");
  });
});

describe("mapping errors to messages and exit codes", () => {
  test("an error of comms' own is exit 2 on one escaped line", () => {
    const r = describeFailure(new ContractError("unresolved $ref 'x\n::error::y\u001b[31m'", { file: "a.yaml", line: 3, column: 5 }), false);
    expect(r).toEqual({ code: 2, message: "comms: a.yaml:3:5: unresolved $ref 'x\\n::error::y\\u001b[31m'" });
  });
  test("a stack overflow is an internal error (exit 3) that says so in a few words, without the engine's text", () => {
    let overflow: unknown;
    const recurse = (n: number): number => recurse(n + 1) + 1;
    try {
      recurse(0);
    } catch (e) {
      overflow = e;
    }
    expect(overflow).toBeInstanceOf(RangeError);
    const r = describeFailure(overflow, false);
    expect(r.code).toBe(3);
    expect(r.message).toBe("comms: internal error: stack overflow (the input is nested too deeply) (run with --verbose for details)");
  });
  test("other unexpected errors are exit 3, one line, no stack unless --verbose", () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'x')\n::error::y");
    const quiet = describeFailure(e, false);
    expect(quiet.code).toBe(3);
    expect(quiet.message.split("\n")).toHaveLength(1);
    expect(quiet.message).toStartWith("comms: internal error: TypeError: Cannot read properties of undefined (reading 'x')\\n::error::y");
    const verbose = describeFailure(e, true);
    expect(verbose.message.split("\n").length).toBeGreaterThan(1);
    expect(verbose.message.split("\n").slice(1).every((l) => /^ {4}at /.test(l))).toBe(true);
  });
  test("a very long internal text is cut short", () => {
    expect(describeFailure(new Error("x".repeat(5000)), false).message.length).toBeLessThan(300);
  });
});

describe("log lines", () => {
  test("a warning quoting a remote $ref stays one escaped line per warning", () => {
    const r = runCli(["diff", "a.yaml", "a.yaml"], { cwd: join(dir, "remote") });
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^comms: warning: a\.yaml: remote \$ref 'https:\/\/ex\.com\/r\.yaml#\/x\\(n|u000a)::error/);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  test("a success line reads 'comms: ✔ message', without a colon after the mark", () => {
    const repo = mkdtempSync(join(tmpdir(), "comms-log-"));
    writeFileSync(join(repo, "schema.graphql"), "type Query { a: Int }\n");
    const r = runCli(["init"], { cwd: repo });
    rmSync(repo, { recursive: true, force: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^comms: ✔ wrote comms\.yaml/m);
    expect(r.stderr).not.toContain("✔:");
  });
});

describe("engine texts never pass for a contract error", () => {
  test("a contract error that wraps a stack overflow says what it means for the input", () => {
    const r = describeFailure(new ContractError("invalid introspection result: Maximum call stack size exceeded.", { file: "s.json", line: 1, column: 1 }), false);
    expect(r).toEqual({ code: 2, message: "comms: s.json:1:1: invalid introspection result: nested too deeply to process" });
  });
});
