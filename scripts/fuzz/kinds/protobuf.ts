/** Protobuf: token edits with the language's words and numbers, statement snippets (imports, nesting, options), buf config trees, bytes. */
import { editCase, type FuzzCase, type FuzzKind, HOSTILE_STRINGS, mutateBytes, mutateLayout, mutateTree, type Rng, type Vocabulary } from "../lib.ts";
import { nestedComplexKeys } from "../classes.ts";
import { corpusSeeds, repoFile, repoTree, varyArgs } from "../seeds.ts";

const A = `syntax = "proto3";
package acme.shop.v1;
import "acme/shop/v1/common.proto";
import public "google/protobuf/descriptor.proto";
option java_package = "com.acme.shop.v1";
message Order {
  reserved 9, 20 to 30;
  reserved "legacy";
  string id = 1 [json_name = "orderId"];
  Money total = 2;
  repeated Line lines = 3;
  map<string, Line> by_sku = 4;
  oneof payment { string card = 5; string iban = 6 [deprecated = true]; }
  optional Status status = 7;
  message Line { string sku = 1; int32 qty = 2; }
  enum Status { option allow_alias = true; STATUS_UNSPECIFIED = 0; NEW = 1; FRESH = 1; PAID = 2 [deprecated = true]; reserved 5 to max; }
}
service Orders {
  option deprecated = false;
  rpc Get(GetRequest) returns (Order) { option idempotency_level = NO_SIDE_EFFECTS; }
  rpc Watch(stream GetRequest) returns (stream Order);
}
message GetRequest { string id = 1; }
extend google.protobuf.FieldOptions { optional string label = 50001; }
`;
const COMMON = `syntax = "proto3";
package acme.shop.v1;
message Money { string currency = 1; int64 units = 2; int32 nanos = 3; }
`;
const PROTO2 = `syntax = "proto2";
package legacy;
message Old {
  required int32 id = 1 [default = 7];
  optional group Item = 2 { optional string name = 1; }
  extensions 100 to 199;
  optional bytes data = 3 [ctype = CORD];
}
extend Old { optional string note = 100; }
`;
const EDITION = `edition = "2023";
package ed;
option features.field_presence = IMPLICIT;
message M {
  string a = 1 [features.field_presence = EXPLICIT];
  M child = 2 [features.message_encoding = DELIMITED];
  option features = { enum_type: CLOSED json_format: LEGACY_BEST_EFFORT };
}
`;

const WORDS = [
  "syntax", "edition", "package", "import", "public", "weak", "option", "message", "enum", "service", "rpc", "returns", "stream", "oneof",
  "map", "group", "reserved", "extensions", "extend", "optional", "repeated", "required", "to", "max", "true", "false", "inf", "nan",
  "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool",
  "string", "bytes", "deprecated", "json_name", "default", "packed", "features", "Order", "Money", "Line", "Status", ".acme.shop.v1.Order",
  "google.protobuf.Any", "constructor", "__proto__", "toString", "hasOwnProperty", "export", "local",
];
const NUMBERS = ["0", "-1", "1", "2", "15", "16", "18999", "19000", "19999", "20000", "536870911", "536870912", "2147483647", "2147483648", "4294967296", "0x7fffffff", "0777", "99999999999999999999999", "1e5", "1.5", "-0", "0x"];

/** Statements that have hurt parsers: escaping imports, nesting bombs, deep aggregates, clashes. */
function snippet(rng: Rng): string {
  const n = rng.pick([1, 10, 33, 1000, 4000]);
  switch (rng.int(12)) {
    case 0:
      return `import "${rng.pick(["../victim/x.proto", "../../victim/x.proto", "/etc/passwd", "victim-link/x.proto", "acme/shop/v1/common.proto", "a.proto", "constructor", "google/protobuf/any.proto", "."])}";`;
    case 1:
      return `${"message N {".repeat(n)}${"}".repeat(n)}`;
    case 2:
      return `syntax = "proto2"; ${"message G { optional group X = 1 {".repeat(Math.min(n, 2000))}${"}}".repeat(Math.min(n, 2000))}`;
    case 3:
      return `option (x.y).z = ${"{a: ".repeat(n * 5)}1${"}".repeat(n * 5)};`;
    case 4:
      return `option (x) = ${"[".repeat(n)}${"]".repeat(n)};`;
    case 5:
      return `message ${rng.pick(["constructor", "__proto__", "toString", "Order", "Money"])} { string ${rng.pick(["constructor", "__proto__", "id"])} = 1; }`;
    case 6:
      return `reserved ${rng.pick(NUMBERS)} to ${rng.pick(["max", ...NUMBERS])};`;
    case 7:
      return `enum E${rng.int(3)} { ${rng.pick(["E_0 = 0;", "option allow_alias = true; A = 0; B = 0;", "A = 1;", "__proto__ = 0;"])} }`;
    case 8:
      return `extend ${rng.pick(["google.protobuf.FieldOptions", "Order", "Missing", ".acme.shop.v1.Order"])} { optional string e${rng.int(9)} = ${rng.pick(NUMBERS)}; }`;
    case 9:
      return `service S { rpc M(${rng.pick(["Order", "stream Order", "Missing", "Money"])}) returns (${rng.pick(["Order", "stream stream", ""])}); }`;
    case 10:
      return `option features.${rng.pick(["field_presence", "enum_type", "__proto__", "constructor"])} = ${rng.pick(["IMPLICIT", "CLOSED", "X"])};`;
    default:
      return `/* ${String(rng.pick(HOSTILE_STRINGS)).replace(/\*\//g, "")} */ "${"\\".repeat(rng.int(3))}${rng.pick(["\\x", "\\u12", "\\U0010FFFF", "\\777", "\\"])}"`;
  }
}

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|[A-Za-z_][\w]*|\d[\w.]*|./g;

function mutateProto(text: string, rng: Rng): string {
  const tokens = text.match(TOKEN) ?? [];
  const significant = tokens.map((t, i) => [t, i] as const).filter(([t]) => !/^\s/.test(t));
  if (!significant.length) return snippet(rng);
  const [tok, i] = rng.pick(significant);
  switch (rng.int(7)) {
    case 0:
      tokens[i] = /^\d/.test(tok) ? rng.pick(NUMBERS) : rng.pick(WORDS);
      break;
    case 1:
      tokens.splice(i, 1 + rng.int(rng.chance(0.8) ? 3 : 30));
      break;
    case 2: {
      const len = 1 + rng.int(12);
      tokens.splice(i, 0, ...tokens.slice(i, i + len));
      break;
    }
    case 3:
    case 4: {
      // A statement before a `}`/`;` boundary, or at the top.
      const at = tokens.findIndex((t, k) => k >= i && (t === ";" || t === "{"));
      tokens.splice(at === -1 ? tokens.length : at + 1, 0, "\n", snippet(rng), "\n");
      break;
    }
    case 5: {
      const other = rng.pick(significant)[1];
      [tokens[i], tokens[other]] = [tokens[other]!, tokens[i]!];
      break;
    }
    default:
      tokens[i] = rng.pick(["{", "}", "[", "]", "(", ")", "<", ">", ";", "=", ",", ".", "-", '"', "\\", "\u0000", "\u001b"]);
  }
  return tokens.join("");
}

const BUF_VOCAB: Vocabulary = {
  keys: ["version", "build", "roots", "excludes", "modules", "path", "breaking", "use", "except", "ignore", "ignore_only", "ignore_unstable_packages", "directories", "deps", "lint", "name"],
  values: ["v1", "v2", "v1beta1", "v3", ".", "proto", "../victim", "../..", "/", "/etc", "FILE", "WIRE", "WIRE_JSON", "PACKAGE", "FIELD_NO_DELETE", ["FILE"], [null], [{ path: "." }], [{ path: "../victim" }], true, "acme"],
};

function withBuf(files: Record<string, string>, dir: string, yaml: string): Record<string, string> {
  return { ...files, [`${dir}/buf.yaml`]: yaml };
}

const kind: FuzzKind = {
  name: "protobuf",
  async seeds() {
    const module = { "acme/shop/v1/orders.proto": A, "acme/shop/v1/common.proto": COMMON };
    const prefix = (dir: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, t]) => [`${dir}/${p}`, t]));
    const dirs = (files: Record<string, string>, extra: string[] = []): FuzzCase => ({ files: { ...prefix("old", files), ...prefix("new", files) }, args: ["diff", "old", "new", "--kind", "protobuf", ...extra] });
    const usuariosOld = repoTree(".comms/usuarios-grpc/1.0.0/contracts/usuarios/proto");
    const usuariosNew = repoTree("contracts/usuarios/proto");
    const seeds: FuzzCase[] = [
      dirs(module),
      { ...dirs(module), files: withBuf(withBuf(dirs(module).files, "old", "version: v1\nbreaking:\n  use: [WIRE_JSON]\n"), "new", "version: v1\nbreaking:\n  use: [WIRE_JSON]\n") },
      { files: { ...prefix("old", prefix("proto", module)), ...prefix("new", prefix("proto", module)), "old/buf.yaml": "version: v2\nmodules:\n  - path: proto\n", "new/buf.yaml": "version: v2\nmodules:\n  - path: proto\n" }, args: ["diff", "old", "new", "--kind", "protobuf"] },
      { files: { ...prefix("old/m", module), ...prefix("new/m", module), "old/buf.work.yaml": "version: v1\ndirectories: [m]\n", "new/buf.work.yaml": "version: v1\ndirectories: [m]\n" }, args: ["diff", "old", "new", "--kind", "protobuf"] },
      { files: { "old.proto": PROTO2, "new.proto": PROTO2 }, args: ["diff", "old.proto", "new.proto"] },
      { files: { "old.proto": EDITION, "new.proto": EDITION }, args: ["diff", "old.proto", "new.proto"] },
      ...(Object.keys(usuariosOld).length && Object.keys(usuariosNew).length ? [{ files: { ...prefix("old", usuariosOld), ...prefix("new", usuariosNew) }, args: ["diff", "old", "new", "--kind", "protobuf"] }] : []),
      ...(repoFile("test/fixtures/e2e/users-v1.proto") !== undefined
        ? [{ files: { "old.proto": repoFile("test/fixtures/e2e/users-v1.proto")!, "new.proto": repoFile("test/fixtures/e2e/users-v2.proto") ?? "" }, args: ["diff", "old.proto", "new.proto"] }]
        : []),
      ...corpusSeeds("protobuf"),
    ];
    return seeds;
  },
  mutate(base, rng, pool) {
    let c = base;
    const protos = Object.keys(c.files).filter((p) => p.endsWith(".proto"));
    const yamls = Object.keys(c.files).filter((p) => p.endsWith(".yaml"));
    const donors = pool.flatMap((p) => Object.values(p.files)).filter((t) => t.length < 20000);
    for (let n = 1 + (rng.chance(0.3) ? rng.int(3) : 0); n > 0; n--) {
      const r = rng.next();
      if (r < 0.6 && protos.length) c = editCase(c, rng, protos, (t) => mutateProto(t, rng));
      else if (r < 0.7) {
        // buf configuration: mutate one, or add one next to a side.
        if (yamls.length && rng.chance(0.7)) c = editCase(c, rng, yamls, (t) => mutateTree(t, rng, BUF_VOCAB));
        else {
          const side = rng.pick(["old", "new"]);
          c = { ...c, files: { ...c.files, [`${side}/${rng.pick(["buf.yaml", "buf.work.yaml"])}`]: mutateTree("version: v2\nmodules:\n  - path: .\n", rng, BUF_VOCAB) } };
        }
      } else if (r < 0.9 && protos.length) c = editCase(c, rng, protos, (t) => mutateBytes(t, rng, rng.pick(donors)));
      else if (r < 0.96) c = mutateLayout(c, rng);
      else c = { ...c, args: varyArgs(c.args, (l) => rng.pick(l), (p) => rng.chance(p)) };
    }
    return c;
  },
  classes: { "nested-complex-keys": (rng) => nestedComplexKeys(rng, "protobuf") },
};

export default kind;
