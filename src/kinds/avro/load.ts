import { posix } from "node:path";
import { ContractError, InputError } from "../../core/errors.ts";
import type { LoadedContract } from "../../core/engine.ts";
import type { ContractSource } from "../../core/source.ts";
import type { AvroModel } from "../../schemas/avro/model.ts";
import { parseAvro, type AvroSource } from "../../schemas/avro/parse.ts";

export const AVRO_EXTENSIONS = [".avsc"] as const;

/** A loaded Avro contract: the schemas, and each file's path relative to the contract (how versions pair up). */
export interface AvroContract extends AvroModel {
  relative: Map<string, string>;
}

/**
 * Loads one `.avsc` file, or every `.avsc` file of a directory (named types may be defined in one
 * file and used by full name in another). Refused reads are InputErrors from the reader; schema
 * problems are ContractErrors with file:line:col.
 */
export async function loadAvro(source: ContractSource): Promise<LoadedContract<AvroContract>> {
  const { reader, path } = source;
  const kind = reader.stat(path);
  if (!kind) throw new InputError(`${path}: no such file or directory`);
  const files: string[] = kind === "file" ? [path] : reader.list(path).filter((f) => f.toLowerCase().endsWith(".avsc"));
  if (!files.length) throw new InputError(`${path}: no .avsc files`);
  const sources: AvroSource[] = [];
  for (const file of files) {
    const text = reader.read(file);
    if (text === undefined) throw new InputError(`${file}: cannot be read`);
    sources.push({ file, text });
  }
  let model: AvroModel;
  try {
    model = parseAvro(sources);
  } catch (e) {
    // One schema of a folder (one subject) may use named types its sibling files define, as a folder contract does.
    if (kind !== "file" || !(e instanceof ContractError) || !/unknown type/.test(e.message)) throw e;
    const dir = posix.dirname(path);
    const siblings = reader.list(dir === "." ? "." : dir).filter((f) => f !== path && posix.dirname(f) === dir && f.toLowerCase().endsWith(".avsc"));
    if (!siblings.length) throw e;
    for (const file of siblings) {
      const text = reader.read(file);
      if (text !== undefined) sources.push({ file, text });
    }
    let all: AvroModel;
    try {
      all = parseAvro(sources);
    } catch {
      // The siblings do not make a valid whole (another version of the same schema...): the file's own error stands.
      throw e;
    }
    model = { ...all, schemas: all.schemas.filter((x) => x.file === path) };
    files.push(...siblings.filter((f) => sources.some((x) => "file" in x && x.file === f)));
  }
  const relative = new Map<string, string>();
  for (const f of files) relative.set(f, kind === "file" ? posix.basename(f) : posix.relative(path, f));
  return { model: { ...model, relative }, files };
}

