import { describe, test } from "bun:test";
import { checkCases, proto } from "../helpers.ts";

const svc = (rpcs: string) => ({
  "s.proto": proto`
    syntax = "proto3";
    package p;
    import "google/protobuf/empty.proto";
    message Req {}
    message Res {}
    service Users {
  ` + rpcs + "}\n",
});

describe("rpc rules", () => {
  test("RPC_NO_DELETE points at the service", () => {
    checkCases("RPC_NO_DELETE", [
      {
        name: "deleted rpc",
        before: svc("  rpc Get(Req) returns (Res);\n  rpc List(Req) returns (Res);\n"),
        after: svc("  rpc Get(Req) returns (Res);\n"),
        findings: [{ rule: "RPC_NO_DELETE", path: "p.Users.List", at: "s.proto:6:1", message: 'Previously present RPC "List" on service "Users" was deleted.' }],
      },
    ]);
  });

  test("RPC_SAME_REQUEST_TYPE / RESPONSE_TYPE point at the type", () => {
    checkCases("RPC_SAME_REQUEST_TYPE", [
      {
        name: "request type changed to a well-known type",
        before: svc("  rpc Get(Req) returns (Res);\n"),
        after: svc("  rpc Get(google.protobuf.Empty) returns (Res);\n"),
        findings: [{ rule: "RPC_SAME_REQUEST_TYPE", path: "p.Users.Get", at: "s.proto:7:11", message: 'RPC "Get" on service "Users" changed request type from "p.Req" to "google.protobuf.Empty".' }],
      },
      { name: "same type written fully qualified", before: svc("  rpc Get(Req) returns (Res);\n"), after: svc("  rpc Get(.p.Req) returns (Res);\n"), findings: [] },
    ]);
  });

  test("RPC_SAME_SERVER_STREAMING and RPC_SAME_IDEMPOTENCY_LEVEL", () => {
    checkCases("RPC_SAME_SERVER_STREAMING", [
      {
        name: "unary to streaming",
        before: svc("  rpc Get(Req) returns (Res);\n"),
        after: svc("  rpc Get(Req) returns (stream Res);\n"),
        findings: [{ rule: "RPC_SAME_SERVER_STREAMING", path: "p.Users.Get", at: "s.proto:7:3", message: 'RPC "Get" on service "Users" changed from server unary to server streaming.' }],
      },
    ]);
    checkCases("RPC_SAME_IDEMPOTENCY_LEVEL", [
      {
        name: "idempotency level added",
        before: svc("  rpc Get(Req) returns (Res);\n"),
        after: svc("  rpc Get(Req) returns (Res) {\n    option idempotency_level = NO_SIDE_EFFECTS;\n  }\n"),
        findings: [{ rule: "RPC_SAME_IDEMPOTENCY_LEVEL", path: "p.Users.Get", at: "s.proto:8:5" }],
      },
    ]);
  });
});
