import { posix } from "node:path";
import { CommsError, ContractError } from "../../core/errors.ts";
import { pointerSegment } from "../../core/pointer.ts";
import type { SourceReader } from "../../core/source.ts";
import { isObject, member, type SourceDocument } from "../../schemas/json/parse.ts";
import { YamlDocument } from "./yaml.ts";

/** A value inside one of the contract's documents. */
export interface Ref {
  doc: SourceDocument;
  raw: unknown;
  /** Name of the component a `$ref` led to (`#/components/messages/PedidoCreado` → PedidoCreado). */
  name?: string;
}

const REMOTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * `$ref` resolution across the files of an AsyncAPI contract: local pointers and relative files,
 * never fetched, never outside the project root, read through the version's reader.
 */
export class Resolver {
  readonly docs = new Map<string, SourceDocument>();

  constructor(private readonly reader: SourceReader) {}

  load(file: string): SourceDocument | undefined {
    let doc = this.docs.get(file);
    if (doc) return doc;
    const text = this.reader.read(file);
    if (text === undefined) return undefined;
    doc = new YamlDocument(file, text);
    this.docs.set(file, doc);
    return doc;
  }

  /** Follows `$ref`s (up to a bound) from a value to what it names. */
  deref(from: Ref): Ref {
    let cur = from;
    for (let i = 0; i < 64; i++) {
      const ref = isObject(cur.raw) ? member(cur.raw, "$ref") : undefined;
      if (typeof ref !== "string") return cur;
      cur = this.resolve(ref, cur);
    }
    throw new ContractError("a chain of more than 64 $refs", from.doc.loc(from.raw, "$ref", "value"));
  }

  private resolve(ref: string, from: Ref): Ref {
    const fail = (message: string): never => {
      throw new ContractError(message, from.doc.loc(from.raw, "$ref", "value"));
    };
    const hash = ref.indexOf("#");
    const filePart = hash >= 0 ? ref.slice(0, hash) : ref;
    const fragment = hash >= 0 ? ref.slice(hash + 1) : "";
    let doc = from.doc;
    if (filePart) {
      if (REMOTE.test(filePart) || filePart.startsWith("//")) fail(`$ref '${ref}' is remote; comms never fetches documents`);
      if (filePart.startsWith("/") || filePart.includes("\\") || filePart.includes("\0")) fail(`$ref '${ref}' is absolute; references are relative to the referring file`);
      const dir = posix.dirname(doc.file);
      const file = posix.normalize(dir === "." ? filePart : `${dir}/${filePart}`);
      if (file === ".." || file.startsWith("../")) fail(`$ref '${ref}' points outside the project root`);
      let target: SourceDocument | undefined;
      try {
        target = this.load(file);
      } catch (e) {
        if (e instanceof ContractError) throw e;
        if (e instanceof CommsError) fail(`$ref '${ref}' cannot be read: ${e.message}`);
        throw e;
      }
      if (!target) fail(`$ref '${ref}': file '${file}' not found`);
      doc = target!;
    }
    if (fragment && !fragment.startsWith("/")) fail(`$ref '${ref}': only JSON pointer fragments are supported`);
    let raw: unknown = doc.value;
    let name: string | undefined;
    for (const seg of fragment.split("/").slice(1)) {
      const key = pointerSegment(seg);
      if (key === undefined) fail(`$ref '${ref}' has a malformed percent-encoding`);
      else if (Array.isArray(raw) && /^\d+$/.test(key) && Number(key) < raw.length) raw = raw[Number(key)];
      else if (isObject(raw) && Object.hasOwn(raw, key)) raw = raw[key];
      else fail(`$ref '${ref}' does not resolve: no '${key}' in ${doc.file}`);
      name = key;
    }
    return { doc, raw, name: name ?? (filePart ? posix.basename(filePart).replace(/\.[^.]*$/, "") : undefined) };
  }
}
