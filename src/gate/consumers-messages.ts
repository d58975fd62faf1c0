import type { Location } from "../core/location.ts";
import type { JsonSchemaContract } from "../kinds/jsonschema/load.ts";
import type { N } from "../kinds/openapi/load.ts";
import type { PactModel } from "../kinds/pact/model.ts";
import type { SourceDocument } from "../schemas/json/parse.ts";
import { judgeMessages, type SchemaSpec } from "./consumers-openapi.ts";
import type { Expectation } from "./consumers-model.ts";

const isContainer = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function segments(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((s) => {
      try {
        return decodeURIComponent(s).replace(/~1/g, "/").replace(/~0/g, "~");
      } catch {
        return s.replace(/~1/g, "/").replace(/~0/g, "~");
      }
    });
}

/** JSON Schema documents seen as the walker needs them: local `$ref`s followed, nodes located. */
class JsonSchemaDocs implements SchemaSpec {
  constructor(private readonly docs: Map<string, SourceDocument>) {}

  private at(file: string, pointer: string): { container?: unknown; key?: string; value: unknown } | undefined {
    const doc = this.docs.get(file);
    if (!doc) return undefined;
    let container: unknown;
    let key: string | undefined;
    let value: unknown = doc.value;
    for (const seg of segments(pointer)) {
      if (!isContainer(value) || !Object.hasOwn(value, seg)) return undefined;
      container = value;
      key = seg;
      value = value[seg];
    }
    return { container, key, value };
  }

  deref(n: N): N {
    let cur = n;
    // Only references inside the same document: a schema in another file is taken as allowing anything.
    for (let hops = 0; hops < 64; hops++) {
      const ref = isContainer(cur.v) && !Array.isArray(cur.v) && Object.hasOwn(cur.v, "$ref") ? cur.v.$ref : undefined;
      if (typeof ref !== "string" || !ref.startsWith("#")) return cur;
      const found = this.at(cur.f, ref.slice(1));
      if (!found) return cur;
      cur = { v: found.value, f: cur.f, p: ref.slice(1) };
    }
    return cur;
  }

  locate(n: { f: string; p: string }): Location {
    const doc = this.docs.get(n.f);
    if (!doc) return { file: n.f, line: 1, column: 1 };
    const found = this.at(n.f, n.p);
    return found?.container !== undefined ? doc.loc(found.container, found.key) : doc.loc(doc.value);
  }
}

/** A pact's messages against a JSON Schema producer: each message must fit one of its schemas. */
export function judgeMessagesAgainstJsonSchema(pact: PactModel, producer: JsonSchemaContract): Expectation[] {
  const docs = new Map(producer.roots.map((r) => [r.set.rootDoc.file, r.set.rootDoc]));
  const roots: N[] = producer.roots.map((r) => ({ v: r.set.rootDoc.value, f: r.set.rootDoc.file, p: "" }));
  return judgeMessages(pact, new JsonSchemaDocs(docs), roots);
}
