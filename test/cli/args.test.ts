import { describe, expect, test } from "bun:test";
import { globalOptions, hoistGlobalOptions, modeArgs, rejectUnknownFlags, wantColor } from "../../src/cli/args.ts";
import { UsageError } from "../../src/core/errors.ts";

describe("colour", () => {
  test.each([
    ["--color wins over NO_COLOR", true, { NO_COLOR: "1" }, true],
    ["--no-color wins over FORCE_COLOR", false, { FORCE_COLOR: "1" }, false],
    ["NO_COLOR turns colour off", undefined, { NO_COLOR: "1" }, false],
    ["an empty NO_COLOR is ignored", undefined, { NO_COLOR: "", FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR turns colour on", undefined, { FORCE_COLOR: "1" }, true],
    ["FORCE_COLOR=0 turns colour off", undefined, { FORCE_COLOR: "0" }, false],
  ] as const)("%s", (_n, flag, env, expected) => {
    expect(wantColor(flag, env)).toBe(expected);
  });
});

describe("global options", () => {
  test("defaults to text and no fail-on override", () => {
    const o = globalOptions({}, {});
    expect(o.format).toBe("text");
    expect(o.failOn).toBeUndefined();
  });
  test("rejects an unknown format as a usage error", () => {
    expect(() => globalOptions({ format: "yaml" }, {})).toThrow(UsageError);
  });
  test("--cwd is resolved to an absolute path", () => {
    expect(globalOptions({ cwd: "contracts" }, {}).cwd).toBe(`${process.cwd()}/contracts`);
  });
});

describe("unknown flags", () => {
  const defs = { format: { type: "string", alias: "f" }, color: { type: "boolean" }, file: { type: "positional" } } as const;
  test.each([["--format=json"], ["-f"], ["--no-color"], ["--color"], ["-"]])("%s is accepted", (flag) => {
    expect(() => rejectUnknownFlags([flag], defs)).not.toThrow();
  });
  test("a misspelt flag is a usage error naming it", () => {
    expect(() => rejectUnknownFlags(["--formt", "json"], defs)).toThrow("unknown option '--formt'");
  });
  test("arguments after -- are not flags", () => {
    expect(() => rejectUnknownFlags(["--", "--weird-file-name"], defs)).not.toThrow();
  });
});

describe("--mode", () => {
  test("the help placeholder lists the modes", () => {
    expect(modeArgs(false).mode.valueHint).toBe("backward|forward|full|none");
    expect(modeArgs(true).mode.valueHint).toBe("backward|forward|full|none[-transitive]");
  });
});

describe("global options before the command", () => {
  test.each([
    ["a value flag", ["--cwd", "x", "check"], ["check", "--cwd", "x"]],
    ["an inline value and a bare flag", ["--format=json", "-q", "diff", "a", "b"], ["diff", "a", "b", "--format=json", "-q"]],
    ["a subcommand keeps its place", ["-c", "c.yaml", "hook", "install"], ["hook", "install", "-c", "c.yaml"]],
    ["arguments after -- stay arguments", ["--cwd", "x", "diff", "--", "--old", "new"], ["diff", "--cwd", "x", "--", "--old", "new"]],
    ["--version after them still prints the version", ["--cwd", "x", "--version"], ["--version", "--cwd", "x"]],
    ["nothing in front leaves the line alone", ["check", "--cwd", "x"], ["check", "--cwd", "x"]],
    ["an unknown flag in front stops the move", ["--bogus", "check"], ["--bogus", "check"]],
  ])("%s", (_n, argv, expected) => {
    expect(hoistGlobalOptions(argv)).toEqual(expected);
  });
  test("a value flag without its value is a usage error", () => {
    expect(() => hoistGlobalOptions(["--cwd"])).toThrow("option '--cwd' needs a value");
  });
});
