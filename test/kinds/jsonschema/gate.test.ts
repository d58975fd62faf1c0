import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "../../e2e/gate-helpers.ts";

// The gate on a JSON Schema contract: release, a compatible change, an incompatible one with its
// location, and the registry's modes.
const repo = new TempRepo();
afterAll(() => rmSync(repo.dir, { recursive: true, force: true }));

const schema = (props: string[], extra = "") => `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
${props.map((p) => `    ${p}`).join(",\n")}
  },
  "additionalProperties": false${extra}
}
`;
const ID = `"id": {"type": "string"}`;
const MOTIVO = `"motivo": {"type": "string", "maxLength": 200}`;
const CONFIG = "version: 1\ncontracts:\n  pedidos-cancelados:\n    kind: jsonschema\n    path: events/pedido-cancelado.schema.json\n    topic: pedidos.cancelados.v1\n    subject: pedidos-cancelados\n";
// The registry refuses a break under the same subject whatever the version, so releasing one needs a reviewed accept entry.
const ACCEPT_SHORTER = `${CONFIG}policy:\n  accept:\n    - { contract: pedidos-cancelados, rule: MAX_LENGTH_DECREASED, path: /properties/motivo/maxLength, reason: "motivo limited to 100" }\n`;
const MOTIVO_SHORT = `"motivo": {"type": "string", "maxLength": 100}`;

describe("comms check on a jsonschema contract", () => {
  test("release 1.0.0", () => {
    repo.write("events/pedido-cancelado.schema.json", schema([ID, MOTIVO]));
    // A declared subject wins over the topic's default one.
    repo.write("comms.yaml", CONFIG);
    repo.git("add", "-A");
    repo.git("commit", "-qm", "init");
    expect(repo.comms("release", "pedidos-cancelados", "--version", "1.0.0").code).toBe(0);
    const index = JSON.parse(readFileSync(join(repo.dir, ".comms/index.json"), "utf8"));
    expect(index.releases[0].subject).toBe("pedidos-cancelados");
  });

  test("an optional property added to the closed model passes backward", () => {
    repo.write("events/pedido-cancelado.schema.json", schema([ID, MOTIVO, `"canal": {"type": "string"}`]));
    const { code, out } = repo.json("check");
    expect(code).toBe(0);
    expect(out.results[0].subject).toBe("pedidos-cancelados");
    expect(out.results[0].findings.map((f: { rule: string }) => f.rule)).toEqual(["OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"]);
    // Old consumers (closed model) reject documents carrying it: forward fails.
    const fwd = repo.json("check", "--mode", "forward");
    expect(fwd.code).toBe(1);
    expect(fwd.out.results[0].findings[0]).toMatchObject({ rule: "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", path: "/properties/canal" });
    expect(repo.json("check", "--mode", "full").code).toBe(1);
  });

  test("a shorter maxLength fails with its location", () => {
    repo.write("events/pedido-cancelado.schema.json", schema([ID, MOTIVO_SHORT]));
    const { code, out } = repo.json("check");
    expect(code).toBe(1);
    expect(out.results[0].findings[0]).toMatchObject({
      rule: "MAX_LENGTH_DECREASED",
      path: "/properties/motivo/maxLength",
      new: { file: "events/pedido-cancelado.schema.json", line: 6, column: 34 },
    });
    // Forward: old consumers (200) read new documents (≤ 100): fine.
    expect(repo.json("check", "--mode", "forward").code).toBe(0);
  });

  test("a transitive mode checks every release", () => {
    repo.write("events/pedido-cancelado.schema.json", schema([ID, MOTIVO_SHORT]));
    expect(repo.comms("release", "pedidos-cancelados", "--version", "2.0.0").code).toBe(1);
    repo.write("comms.yaml", ACCEPT_SHORTER);
    expect(repo.comms("release", "pedidos-cancelados", "--version", "2.0.0").code).toBe(0);
    // The entry served its release; without it the transitive check below sees 1.0.0's limit again.
    repo.write("comms.yaml", CONFIG);
    repo.write("events/pedido-cancelado.schema.json", schema([ID, `"motivo": {"type": "string", "maxLength": 150}`]));
    expect(repo.json("check").code).toBe(0);
    const t = repo.json("check", "--mode", "backward-transitive");
    expect(t.code).toBe(1);
    expect(t.out.results[0].findings.find((f: { severity: string }) => f.severity === "breaking")).toMatchObject({ rule: "MAX_LENGTH_DECREASED" });
  });
});
