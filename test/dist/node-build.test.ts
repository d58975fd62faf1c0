import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { REPO, runCli } from "../helpers/cli.ts";
import { buildDist } from "./build.ts";

// The JavaScript build the npm package falls back to on Node must behave exactly as comms does under Bun:
// same report bytes, same errors, same exit codes, for every kind of contract in this repository.
const NODE = Bun.which("node");
if (!NODE) console.warn("Node build parity tests skipped: node is not on PATH");

const CASES: string[][] = [
  ["check", "--format", "json"],
  ["check", "--format", "sarif"],
  ["check", "--format", "github"],
  ["log", "--format", "markdown"],
  ["rules"],
  ["diff", "test/fixtures/e2e/users-v1.yaml", "test/fixtures/e2e/users-v2.yaml", "--format", "json"],
  ["diff", "test/fixtures/e2e/users-v1.graphql", "test/fixtures/e2e/users-v2.graphql", "--format", "json"],
  ["diff", "test/fixtures/e2e/users-v1.proto", "test/fixtures/e2e/users-v2.proto", "--format", "json"],
  ["diff", "contracts/pedidos/eventos/pedido-creado.avsc", "contracts/pedidos/eventos/pedido-creado.avsc"],
  ["diff", "contracts/pedidos/eventos/asyncapi.yaml", "contracts/pedidos/eventos/asyncapi.yaml"],
  ["diff", "contracts/pedidos/eventos/pedido-cancelado.schema.json", "contracts/pedidos/eventos/pedido-cancelado.schema.json"],
  ["diff", "test/fixtures/e2e/users-v1.yaml", "does-not-exist.yaml"],
  ["check", "--format", "nonsense"],
];

describe.skipIf(!NODE)("the Node build of the npm package", () => {
  for (const args of CASES) {
    test(`comms ${args.join(" ")}: same output and exit code as under Bun`, () => {
      const launcher = join(buildDist("host"), "npm/comms/bin/comms.js");
      const env = { GITHUB_STEP_SUMMARY: undefined };
      const bun = runCli(args, { cwd: REPO, env });
      const node = Bun.spawnSync([NODE!, launcher, ...args], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: "1", GITHUB_STEP_SUMMARY: undefined },
        stdout: "pipe",
        stderr: "pipe",
      });
      expect(bun.stderr).not.toContain("internal error");
      expect({ code: node.exitCode, stdout: node.stdout.toString(), stderr: node.stderr.toString() }).toEqual(bun);
    }, 600_000);
  }
});
