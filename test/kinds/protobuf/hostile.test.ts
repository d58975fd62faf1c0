import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CommsError, ConfigError, ContractError, InputError } from "../../../src/core/errors.ts";
import { MemoryReader, type SourceReader } from "../../../src/core/source.ts";
import engine, { diffModels } from "../../../src/kinds/protobuf/index.ts";
import { MAX_PACKAGE_PARTS } from "../../../src/kinds/protobuf/link.ts";
import { loadProto } from "../../../src/kinds/protobuf/load.ts";
import { MAX_NESTING } from "../../../src/kinds/protobuf/parser.ts";
import type { CliResult } from "../../helpers/cli.ts";
import { Attack, refusedSafely } from "../../security/helpers.ts";
import { diff, load, proto } from "./helpers.ts";
import { expectBounded } from "../../helpers/guard.ts";

/** The one-line message of the typed error a load throws (anything else fails the test). */
function errorOf(files: Record<string, string>, path = "."): string {
  try {
    loadProto({ reader: new MemoryReader(files), path });
  } catch (e) {
    expect(e).toBeInstanceOf(CommsError);
    const m = (e as Error).message;
    expect(m).not.toContain("\n");
    return m;
  }
  throw new Error("expected an error");
}

const P = 'syntax = "proto3";\n';

describe("imports never leave the module root", () => {
  const cases: Array<[string, string, string]> = [
    ["parent directories", "../../../outside/x.proto", 'a.proto:2:1: import "../../../outside/x.proto" contains ".."'],
    ["a climb in the middle", "sub/../../x.proto", 'a.proto:2:1: import "sub/../../x.proto" contains ".."'],
    ["an absolute path", "/abs/x.proto", 'a.proto:2:1: import "/abs/x.proto" is absolute'],
    ["a drive letter", "C:/x.proto", 'a.proto:2:1: import "C:/x.proto" is absolute'],
  ];
  for (const [name, imp, message] of cases)
    test(name, () => {
      // The file exists where the path would lead inside the reader: refusal must not depend on absence.
      const files = { "proto/a.proto": `${P}import "${imp}";\n`, "outside/x.proto": P, "x.proto": P, "abs/x.proto": P };
      expect(errorOf({ ...files }, "proto")).toStartWith(`proto/${message}`);
    });

  test("a file the reader refuses (a link out of the project) is reported at the import", () => {
    const inner = new MemoryReader({ "a.proto": `${P}\nimport "link.proto";\n`, "link.proto": P });
    const reader: SourceReader = {
      label: "test",
      list: (d) => inner.list(d),
      stat: (p) => inner.stat(p),
      read: (p) => {
        if (p === "link.proto") throw new InputError("link.proto: resolves outside the project root");
        return inner.read(p);
      },
    };
    let message = "";
    try {
      loadProto({ reader, path: "a.proto" });
    } catch (e) {
      expect(e).toBeInstanceOf(ContractError);
      message = (e as Error).message;
    }
    expect(message).toBe('a.proto:3:1: import "link.proto": link.proto: resolves outside the project root');
  });

  test("a long chain of imports loads without deep recursion", () => {
    const files: Record<string, string> = {};
    const n = 20000;
    for (let i = 0; i < n; i++) files[`f${i}.proto`] = `${P}${i + 1 < n ? `import "f${i + 1}.proto";\n` : ""}`;
    expect(load(files).files.size).toBe(n);
  });
});

describe("imports through symlinks out of the project, on disk, through the CLI", () => {
  // The outside file's names must never be printed: they exist only outside the project root.
  const OUTSIDE_SECRET = "SECRET_OUTSIDE_1234";
  const OUTSIDE_PROTO = `${P}package outside;\nmessage ${OUTSIDE_SECRET} { string ${OUTSIDE_SECRET}_field = 1; }\nenum ${OUTSIDE_SECRET}_E { ${OUTSIDE_SECRET}_V = 0; }\n`;
  const importing = (imp: string) => `${P}package p;\nimport "${imp}";\nmessage A { outside.${OUTSIDE_SECRET} x = 1; }\n`;

  let a: Attack;
  beforeEach(() => {
    a = new Attack();
    writeFileSync(join(a.outside, "secret.proto"), OUTSIDE_PROTO);
    mkdirSync(join(a.outside, "dir"));
    writeFileSync(join(a.outside, "dir/secret.proto"), OUTSIDE_PROTO);
  });
  afterEach(() => a.cleanup());

  interface Row {
    name: string;
    /** The contract's path in comms.yaml, also given to `comms diff`. */
    contract: string;
    files: Record<string, string>;
    /** A symlink inside the project and its target, relative to the outside directory. */
    link: [string, string];
    /** Start of the one-line message, up to the resolved path that is refused. */
    prefix: string;
    /** The outside file the message names (relative to the outside directory). */
    resolves: string;
  }
  const rows: Row[] = [
    {
      name: "a lone .proto importing a file that is a symlink to a .proto outside",
      contract: "proto/a.proto",
      files: { "proto/a.proto": importing("link.proto") },
      link: ["proto/link.proto", "secret.proto"],
      prefix: 'proto/a.proto:3:1: import "link.proto": proto/link.proto: resolves to',
      resolves: "secret.proto",
    },
    {
      name: "a directory contract holding (and importing) a file that is a symlink to a .proto outside",
      contract: "proto",
      files: { "proto/a.proto": importing("link.proto") },
      link: ["proto/link.proto", "secret.proto"],
      // The walk lists the link itself, so reading it is refused before any import is resolved.
      prefix: "proto/link.proto: resolves to",
      resolves: "secret.proto",
    },
    {
      name: "a lone .proto importing through a directory that is a symlink to a directory outside",
      contract: "proto/a.proto",
      files: { "proto/a.proto": importing("ext/secret.proto") },
      link: ["proto/ext", "dir"],
      prefix: 'proto/a.proto:3:1: import "ext/secret.proto": proto/ext/secret.proto: resolves to',
      resolves: "dir/secret.proto",
    },
    {
      name: "a directory contract importing through a directory that is a symlink to a directory outside",
      contract: "proto",
      files: { "proto/a.proto": importing("ext/secret.proto") },
      link: ["proto/ext", "dir"],
      prefix: 'proto/a.proto:3:1: import "ext/secret.proto": proto/ext/secret.proto: resolves to',
      resolves: "dir/secret.proto",
    },
    {
      name: "a directory contract whose file imports one that imports through the symlinked directory",
      contract: "proto",
      files: { "proto/a.proto": `${P}package p;\nimport "b.proto";\n`, "proto/b.proto": importing("ext/secret.proto") },
      link: ["proto/ext", "dir"],
      prefix: 'proto/b.proto:3:1: import "ext/secret.proto": proto/ext/secret.proto: resolves to',
      resolves: "dir/secret.proto",
    },
  ];

  const noLeak = (r: CliResult) => {
    expect(r.stdout).not.toContain(OUTSIDE_SECRET);
    expect(r.stderr).not.toContain(OUTSIDE_SECRET);
  };

  for (const row of rows)
    test(row.name, () => {
      a.repo.write("comms.yaml", `contracts:\n  svc: { kind: protobuf, path: ${row.contract} }\n`);
      for (const [p, text] of Object.entries(row.files)) a.repo.write(p, text);
      symlinkSync(join(a.outside, row.link[1]), join(a.dir, row.link[0]));
      const target = join(realpathSync(a.outside), row.resolves);
      const before = a.outsideTree();
      const commands: Array<[string[], string]> = [
        [["check"], "the project root"],
        [["release", "svc"], "the project root"],
        [["diff", row.contract, row.contract], "the working directory"],
      ];
      for (const [args, wall] of commands) {
        const r = a.comms(...args);
        noLeak(r);
        refusedSafely(r, `comms: ${row.prefix} '${target}', outside ${wall} (`);
        expect(r.stderr).toEndWith("; refusing to read it\n");
      }
      expect(a.repo.exists(".comms")).toBe(false);
      expect(a.outsideTree()).toEqual(before);
    });

  test("committed symlinks are blobs in git, never followed: comms diff of a revision reads nothing outside", () => {
    a.repo.write("comms.yaml", "contracts:\n  svc: { kind: protobuf, path: proto }\n");
    for (const row of [rows[1]!, rows[3]!]) {
      rmSync(join(a.dir, "proto"), { recursive: true, force: true });
      for (const [p, text] of Object.entries(row.files)) a.repo.write(p, text);
      symlinkSync(join(a.outside, row.link[1]), join(a.dir, row.link[0]));
      a.repo.git("add", "-A");
      expect(a.repo.git("commit", "-qm", row.name, "--no-verify").code).toBe(0);
      for (const args of [["diff", "HEAD:proto", "HEAD:proto"], ["diff", "HEAD:proto/a.proto", "HEAD:proto/a.proto"]]) {
        const r = a.comms(...args);
        noLeak(r);
        refusedSafely(r, /^comms: proto\/(a|link)\.proto:\d+:\d+: /);
      }
    }
  });
});

describe("buf configuration stays inside its directory and is validated", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["v1beta1 build.roots climbing out", { "buf.yaml": "version: v1beta1\nbuild:\n  roots: [proto, ../../../../..]\n" }, 'buf.yaml:3:18: \'build.roots[1]\' "../../../../.." points outside the directory of buf.yaml'],
    ["v1beta1 absolute root", { "buf.yaml": "version: v1beta1\nbuild:\n  roots:\n    - /etc\n" }, "buf.yaml:4:7: 'build.roots[0]' must be a relative path, found \"/etc\""],
    ["v2 module path climbing out", { "buf.yaml": "version: v2\nmodules:\n  - path: ../outside\n" }, 'buf.yaml:3:11: \'modules[0].path\' "../outside" points outside the directory of buf.yaml'],
    ["v2 null module", { "buf.yaml": "version: v2\nmodules: [null]\n" }, "buf.yaml:2:11: 'modules[0]' must be a mapping with a 'path'"],
    ["v2 module that is a string", { "buf.yaml": "version: v2\nmodules:\n  - proto\n" }, "buf.yaml:3:5: 'modules[0]' must be a mapping with a 'path'"],
    ["v2 modules not a list", { "buf.yaml": "version: v2\nmodules: proto\n" }, "buf.yaml:2:10: 'modules' must be a list"],
    ["unknown version", { "buf.yaml": "version: v9\n" }, "buf.yaml:1:10: 'version' must be v1beta1, v1 or v2, found \"v9\""],
    ["breaking.use not a list", { "buf.yaml": "version: v1\nbreaking:\n  use: FILE\n" }, "buf.yaml:3:8: 'breaking.use' must be a list of strings"],
    ["syntax error", { "buf.yaml": "version: v1\nbuild: [\n" }, "buf.yaml:3:1: invalid YAML"],
    ["undefined alias", { "buf.yaml": "version: v2\nmodules: *nope\n" }, "buf.yaml:2:10: alias '*nope' has no anchor"],
    ["self-referencing alias", { "buf.yaml": "version: v2\nmodules: &m [*m]\n" }, "buf.yaml:2:13: 'modules[0]' must be a mapping with a 'path'"],
    ["workspace directory climbing out", { "buf.work.yaml": "version: v1\ndirectories:\n  - a\n  - ../../b\n" }, 'buf.work.yaml:4:5: \'directories[1]\' "../../b" points outside the directory of buf.work.yaml'],
    ["workspace absolute directory", { "buf.work.yaml": "version: v1\ndirectories: [/]\n" }, "buf.work.yaml:2:15: 'directories[0]' must be a relative path"],
    ["workspace syntax error", { "buf.work.yaml": "version: v1\ndirectories: [a\n" }, "buf.work.yaml:3:1: invalid YAML"],
    ["workspace undefined alias", { "buf.work.yaml": "version: v1\ndirectories: *dirs\n" }, "buf.work.yaml:2:14: alias '*dirs' has no anchor"],
    ["workspace duplicate key", { "buf.work.yaml": "directories: [a]\ndirectories: [b]\n" }, "buf.work.yaml:2:1: invalid YAML: Map keys must be unique"],
    ["duplicate key under a complex key", { "buf.yaml": "version: v1\n? [lint]\n: {use: [A], use: [B]}\n" }, "buf.yaml:3:14: invalid YAML: Map keys must be unique"],
  ];
  for (const [name, files, message] of cases)
    test(name, () => {
      const got = errorOf({ ...files, "proto/a.proto": P, "a/x.proto": P });
      expect(got).toStartWith(message);
    });

  test("deep flow nesting in buf.yaml is refused before parsing (the parser is slow on it)", () => {
    const t = performance.now();
    const deep = `version: v2\nmodules: ${"{a: ".repeat(5000)}1${"}".repeat(5000)}\n`;
    expect(errorOf({ "buf.yaml": deep, "a.proto": P })).toBe("buf.yaml:2:266: nesting deeper than 64 levels");
    expectBounded(performance.now() - t, 1000);
    expect(load({ "buf.yaml": 'version: v2\n# [[[[ {{{{ "\nmodules: [{ path: ".", excludes: ["[[[["] }]\n', "a.proto": P }).files.size).toBe(1);
  });

  test("errors are ConfigErrors", () => {
    expect(() => load({ "buf.yaml": "version: v2\nmodules: [null]\n" })).toThrow(ConfigError);
  });

  test("an alias bomb in buf.yaml is read without expanding it", () => {
    let y = "version: v2\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i < 30; i++) y += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]\n`;
    const t = performance.now();
    expect(load({ "buf.yaml": y, "a.proto": P }).files.size).toBe(1);
    expectBounded(performance.now() - t, 1000);
  });
});

describe("bounded nesting", () => {
  const nested = (n: number, open: (i: number) => string, close: string) => {
    let s = P;
    for (let i = 0; i < n; i++) s += open(i);
    return s + close.repeat(n);
  };
  test(`messages nested up to ${MAX_NESTING} levels load`, () => {
    expect(load({ "a.proto": nested(MAX_NESTING, (i) => `message M${i} {\n`, "}\n") }).files.size).toBe(1);
  });
  const bombs: Array<[string, string]> = [
    ["20k nested messages", nested(20000, (i) => `message M${i} {`, "}")],
    ["50k nested messages", nested(50000, () => "message M {", "}")],
    ["nested groups", `syntax = "proto2";\n${nested(20000, (i) => `message M${i} { optional group G${i} = 1 {`, "}}").slice(P.length)}`],
    ["groups in oneofs", `syntax = "proto2";\n${nested(5000, (i) => `message M${i} { oneof o { group G${i} = 1 {`, "}}}").slice(P.length)}`],
  ];
  for (const [name, text] of bombs)
    test(name, () => {
      expect(errorOf({ "a.proto": text })).toMatch(/^a\.proto:\d+:\d+: message nesting is deeper than 32 levels/);
    });
  test("deep option aggregates and brackets are scanned without recursion", () => {
    const deep = "{a:".repeat(50000) + "1" + "}".repeat(50000);
    expect(load({ "a.proto": `${P}message A { string s = 1 [(x) = ${deep}]; }\n` }).files.size).toBe(1);
    expect(errorOf({ "a.proto": `${P}option (x) = ${"[".repeat(50000)};\n` })).toMatch(/^a\.proto:2:14: expected option value/);
  });
});

describe("user names are never looked up on the prototype chain", () => {
  const names = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];
  for (const name of names)
    test(`'${name}' as a package, message, field and enum value`, () => {
      const before = proto`
        syntax = "proto3";
        package ${name};
        message ${name} {
          string ${name} = 1;
          int32 other = 2;
        }
        enum E { E_UNSPECIFIED = 0; ${name} = 1; }
      `;
      const after = before.replace(`string ${name} = 1;`, `int64 ${name} = 1;`).replace(` ${name} = 1; }`, " }");
      const found = diff({ "a.proto": before }, { "a.proto": after }).map((f) => [f.rule, f.path]);
      expect(found).toContainEqual(["FIELD_SAME_TYPE", `${name}.${name}.${name}`]);
      expect(found).toContainEqual(["ENUM_VALUE_NO_DELETE", `${name}.E.${name}`]);
    });

  test("an import named like an object property is not a bundled file", () => {
    expect(errorOf({ "a.proto": `${P}import "constructor";\n` })).toBe('a.proto:2:1: import "constructor" not found');
  });

  test("feature names and breaking ids named like object properties are ordinary (unknown) names", () => {
    const text = 'edition = "2023";\noption features = { constructor: X, toString: Y };\noption features.__proto__ = Z;\nmessage A {}\n';
    expect(load({ "a.proto": text }).files.size).toBe(1);
    const f = diff({ "a.proto": text }, { "a.proto": text }, { use: ["constructor", "__proto__", "toString"] });
    expect(f).toEqual([]);
    expect(() => load({ "buf.yaml": "version: v1\nbreaking:\n  ignore_only:\n    __proto__: [a]\n", "a.proto": P })).not.toThrow();
  });
});

describe("messages never carry raw control characters", () => {
  test("a stray escape character is shown by its code", () => {
    expect(errorOf({ "a.proto": `${P}\u001b[31m` })).toBe("a.proto:2:1: unexpected '\\u001b'");
  });
});

describe("work grows with the size of a change, not its square", () => {
  // Each of these took seconds to minutes (or gigabytes) at these sizes when every deleted element
  // scanned its parent's whole list. The bound is loose; linear work takes a fraction of it.
  const BOUND_MS = 8000;
  const N = 60_000;
  const lines = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join("\n");

  test(`a message losing ${N} fields, with as many other reservations, and the deprecation of each`, () => {
    const before = { "a.proto": `${P}message M {\n${lines(N, (i) => `  int32 f${i} = ${i + 1} [deprecated = true];`)}\n}\n` };
    const after = { "a.proto": `${P}message M {\n${lines(N, (i) => `  reserved ${i + 1_000_000};\n  reserved "g${i}";`)}\n}\n` };
    const start = performance.now();
    const oldModel = load(before);
    const findings = diffModels(oldModel, load(after), { use: ["FIELD_NO_DELETE", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_NO_DELETE_UNLESS_NAME_RESERVED"] });
    const deprecated = findings.filter((f) => engine.deprecation?.({ model: oldModel, files: [] }, f.path)).length;
    expectBounded(performance.now() - start, BOUND_MS);
    expect(findings.length).toBe(3 * N);
    expect(deprecated).toBe(3 * N);
  });

  test(`a message whose ${N} reserved numbers all move`, () => {
    const before = { "a.proto": `${P}message M {\n${lines(N, (i) => `  reserved ${2 * i + 1};`)}\n}\n` };
    const after = { "a.proto": `${P}message M {\n${lines(N, (i) => `  reserved ${2 * i + 2};`)}\n}\n` };
    const start = performance.now();
    const findings = diff(before, after, { use: ["RESERVED_MESSAGE_NO_DELETE"] });
    expectBounded(performance.now() - start, BOUND_MS);
    expect(findings.length).toBe(N);
    expect(findings[N - 1]?.message).toBe(`Previously present reserved range "[${2 * N - 1}]" on message "M" is missing values: [${2 * N - 1}] were removed.`);
  });

  test(`an enum renaming ${N} aliases of one number lists a few names in each finding`, () => {
    const enumOf = (prefix: string) => `${P}enum E {\n  option allow_alias = true;\n${lines(N, (i) => `  ${prefix}${String(i).padStart(5, "0")} = 0;`)}\n}\n`;
    const start = performance.now();
    const findings = diff({ "a.proto": enumOf("V") }, { "a.proto": enumOf("W") }, { use: ["ENUM_VALUE_SAME_NAME"] });
    expectBounded(performance.now() - start, BOUND_MS);
    expect(findings.length).toBe(N);
    const listed = (p: string) => `${Array.from({ length: 20 }, (_, i) => `"${p}${String(i).padStart(5, "0")}"`).join(", ")} and ${N - 20} more`;
    expect(findings[0]?.message).toBe(`Enum value "0" on enum "E" changed names from ${listed("V")} to ${listed("W")}.`);
  });
});

describe("type references are looked up in a bounded number of steps", () => {
  test(`a package name of more than ${MAX_PACKAGE_PARTS} parts is an error at the package`, () => {
    const pkg = Array.from({ length: MAX_PACKAGE_PARTS + 1 }, () => "a").join(".");
    expect(errorOf({ "a.proto": `${P}package ${pkg};\n` })).toBe(`a.proto:2:1: package name has more than ${MAX_PACKAGE_PARTS} parts`);
  });

  test(`thousands of references from deep scopes with long names resolve, each to its own type`, () => {
    const N = 20_000;
    const pkg = Array.from({ length: MAX_PACKAGE_PARTS }, () => "a".repeat(200)).join(".");
    const names = Array.from({ length: 30 }, (_, i) => `M${"m".repeat(500)}${i}`);
    const a = `${P}package ${pkg};\nimport "b.proto";\n${names.map((n) => `message ${n} {`).join("\n")}\n${Array.from({ length: N }, (_, i) => `  b.X${i} f${i} = ${i + 1};`).join("\n")}\n${"}".repeat(30)}\n`;
    const b = `${P}package b;\n${Array.from({ length: N }, (_, i) => `message X${i} {}`).join("\n")}\n`;
    const start = performance.now();
    const model = load({ "a.proto": a, "b.proto": b });
    expectBounded(performance.now() - start, 8000);
    let inner = model.files.get("a.proto")!.messages[0]!;
    while (inner.messages.length) inner = inner.messages[0]!;
    expect(inner.fields.length).toBe(N);
    expect(inner.fields.every((f, i) => f.typeName === `.b.X${i}`)).toBe(true);
  });

  test("the innermost scope still wins, and a compound name binds to the first scope holding its first part", () => {
    const text = `${P}package p.q;\nmessage X {}\nmessage M {\n  message X {}\n  X inner = 1;\n  q.X outer = 2;\n  .p.q.X absolute = 3;\n}\n`;
    const fields = load({ "a.proto": text }).files.get("a.proto")!.messages[1]!.fields;
    expect(fields.map((f) => f.typeName)).toEqual([".p.q.M.X", ".p.q.X", ".p.q.X"]);
  });
});

describe("ignore lists are matched once per file", () => {
  test("50,000 findings against buf.yaml lists of 20,000 paths each", () => {
    const N = 50_000;
    const yaml = `version: v1\nbreaking:\n  use: [FILE]\n  ignore:\n${Array.from({ length: 20_000 }, (_, i) => `    - dir${i}\n`).join("")}  ignore_only:\n    FIELD_NO_DELETE:\n${Array.from({ length: 20_000 }, (_, i) => `      - x${i}\n`).join("")}    FIELD_SAME_TYPE:\n      - a.proto\n`;
    const before = { "buf.yaml": yaml, "a.proto": `${P}message M {\n${Array.from({ length: N }, (_, i) => `  int32 f${i} = ${i + 1};`).join("\n")}\n}\n` };
    const after = { "buf.yaml": yaml, "a.proto": `${P}message M {\n${Array.from({ length: N }, (_, i) => `  int64 f${i} = ${i + 1};`).join("\n")}\n}\n` };
    const start = performance.now();
    const findings = diffModels(load(before), load(after));
    expectBounded(performance.now() - start, 8000);
    // FIELD_SAME_TYPE is ignored for a.proto; nothing else changed.
    expect(findings.filter((f) => f.rule === "FIELD_SAME_TYPE")).toEqual([]);
  });
});
