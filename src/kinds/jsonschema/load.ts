import { posix } from "node:path";
import { InputError } from "../../core/errors.ts";
import type { LoadedContract } from "../../core/engine.ts";
import type { ContractSource } from "../../core/source.ts";
import { JsonDocument } from "../../schemas/json/parse.ts";
import { SchemaSet } from "../../schemas/jsonschema/load.ts";

export const JSONSCHEMA_EXTENSIONS = [".json"] as const;

/** One top-level schema of the contract: its file (relative to the contract) and its schema set. */
export interface RootSchema {
  file: string;
  relative: string;
  set: SchemaSet;
}

export interface JsonSchemaContract {
  roots: RootSchema[];
}

/**
 * Loads a JSON Schema document, or every `.json` file of a directory (each one a schema), with the
 * files their `$ref`s name. References are followed now, so a broken one fails the load with its location.
 */
export async function loadJsonSchema(source: ContractSource, refMap?: Record<string, string>): Promise<LoadedContract<JsonSchemaContract>> {
  const { reader, path } = source;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory`);
  const files = kind === "file" ? [path] : reader.list(path).filter((f) => f.toLowerCase().endsWith(".json"));
  if (!files.length) throw new InputError(`${path}: no .json files`);
  const docs = new Map<string, JsonDocument>();
  const read = (file: string): JsonDocument | undefined => {
    let doc = docs.get(file);
    if (doc) return doc;
    const text = reader.read(file);
    if (text === undefined) return undefined;
    doc = new JsonDocument(file, text);
    docs.set(file, doc);
    return doc;
  };
  const roots: RootSchema[] = [];
  const all = new Set<string>();
  for (const file of files) {
    const doc = read(file);
    if (!doc) throw new InputError(`${file}: cannot be read`);
    const set = new SchemaSet(doc, read, undefined, refMap);
    for (const f of set.files()) all.add(f);
    roots.push({ file, relative: kind === "file" ? posix.basename(file) : posix.relative(path, file), set });
  }
  // In a directory, a file another one references is part of that schema, not a schema of its own.
  const referenced = new Set<string>();
  for (const r of roots) for (const f of r.set.files()) if (f !== r.file) referenced.add(f);
  const top = roots.filter((r) => !referenced.has(r.file));
  return { model: { roots: top.length ? top : roots }, files: [...all].sort() };
}
