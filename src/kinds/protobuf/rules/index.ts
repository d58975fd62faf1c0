import additions from "./additions.ts";
import type { ProtoRule } from "./context.ts";
import deletions from "./deletions.ts";
import enums from "./enum.ts";
import fields from "./field.ts";
import files from "./file.ts";
import messages from "./message.ts";
import renameHint from "./rename-hint.ts";
import rpcs from "./rpc.ts";

/**
 * buf's CSR category (Confluent Schema Registry compatibility, buf 1.54+) cuts across the others,
 * so it is kept as one list here rather than repeated in each rule's declaration.
 */
const CSR = new Set([
  "ENUM_NO_DELETE", "ENUM_SAME_JSON_FORMAT", "ENUM_VALUE_NO_DELETE", "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
  "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", "ENUM_VALUE_SAME_NAME", "EXTENSION_MESSAGE_NO_DELETE", "FIELD_NO_DELETE",
  "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", "FIELD_SAME_DEFAULT", "FIELD_SAME_JSON_NAME",
  "FIELD_SAME_NAME", "FIELD_SAME_ONEOF", "FIELD_SAME_TYPE", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
  "FILE_NO_DELETE", "FILE_SAME_PACKAGE", "FILE_SAME_SYNTAX", "MESSAGE_NO_DELETE", "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
  "MESSAGE_SAME_JSON_FORMAT", "MESSAGE_SAME_REQUIRED_FIELDS", "ONEOF_NO_DELETE", "RESERVED_ENUM_NO_DELETE", "RESERVED_MESSAGE_NO_DELETE",
  "RPC_SAME_CLIENT_STREAMING", "RPC_SAME_IDEMPOTENCY_LEVEL", "RPC_SAME_REQUEST_TYPE", "RPC_SAME_RESPONSE_TYPE", "RPC_SAME_SERVER_STREAMING",
]);

/** Every protobuf rule: buf's breaking rules, then comms' own hints and additions (no category). */
export const RULES: readonly ProtoRule[] = [...files, ...deletions, ...messages, ...fields, ...enums, ...rpcs, ...renameHint, ...additions]
  .map((r) => (CSR.has(r.id) ? { ...r, categories: [...r.categories, "CSR"] } : r))
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** The buf categories a `use`/`except` entry may name; FILE is the default. */
export const CATEGORIES = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"] as const;

/** v1 ids buf replaced in v2; configs naming them get the replacements. */
export const REPLACED: Record<string, string[]> = {
  FIELD_SAME_CTYPE: ["FIELD_SAME_CPP_STRING_TYPE"],
  FIELD_SAME_LABEL: ["FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"],
  FILE_SAME_JAVA_STRING_CHECK_UTF8: ["FIELD_SAME_JAVA_UTF8_VALIDATION"],
  FILE_SAME_PHP_GENERIC_SERVICES: [],
};
