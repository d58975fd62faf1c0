import type { ProtoRule } from "./context.ts";
import deletions from "./deletions.ts";
import enums from "./enum.ts";
import fields from "./field.ts";
import files from "./file.ts";
import messages from "./message.ts";
import renameHint from "./rename-hint.ts";
import rpcs from "./rpc.ts";

/** Every protobuf rule: buf's breaking rules, then comms' own hints (no category). */
export const RULES: readonly ProtoRule[] = [...files, ...deletions, ...messages, ...fields, ...enums, ...rpcs, ...renameHint].sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);

/** The buf categories a `use`/`except` entry may name. */
export const CATEGORIES = ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"] as const;

/** v1 ids buf replaced in v2; configs naming them get the replacements. */
export const REPLACED: Record<string, string[]> = {
  FIELD_SAME_CTYPE: ["FIELD_SAME_CPP_STRING_TYPE"],
  FIELD_SAME_LABEL: ["FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"],
  FILE_SAME_JAVA_STRING_CHECK_UTF8: ["FIELD_SAME_JAVA_UTF8_VALIDATION"],
  FILE_SAME_PHP_GENERIC_SERVICES: [],
};
