import type { AvroRule } from "./define.ts";
import { DEFAULT_CHANGED } from "./default-changed.ts";
import { DOC_CHANGED } from "./doc-changed.ts";
import { ENUM_SYMBOL_ADDED } from "./enum-symbol-added.ts";
import { ENUM_SYMBOL_READ_AS_DEFAULT } from "./enum-symbol-read-as-default.ts";
import { FIELD_ADDED_WITH_DEFAULT } from "./field-added-with-default.ts";
import { FIELD_NOT_READ } from "./field-removed.ts";
import { FIELD_RENAMED_WITH_ALIAS } from "./field-renamed.ts";
import { FIXED_SIZE_MISMATCH } from "./fixed-size-mismatch.ts";
import { LOGICAL_TYPE_CHANGED } from "./logical-type-changed.ts";
import { MISSING_ENUM_SYMBOLS } from "./missing-enum-symbols.ts";
import { MISSING_UNION_BRANCH } from "./missing-union-branch.ts";
import { NAME_MISMATCH } from "./name-mismatch.ts";
import { NAMESPACE_CHANGED } from "./namespace-changed.ts";
import { READER_FIELD_MISSING_DEFAULT_VALUE } from "./reader-field-missing-default.ts";
import { TYPE_MISMATCH } from "./type-mismatch.ts";
import { TYPE_PROMOTED } from "./type-promoted.ts";
import { TYPE_RENAMED_WITH_ALIAS } from "./type-renamed.ts";
import { CANONICAL_FORM_CHANGED } from "./canonical-form-changed.ts";
import { ENUM_SYMBOLS_REORDERED, FIELD_ORDER_CHANGED } from "./order-changed.ts";
import { UNION_BRANCH_ADDED, UNION_BRANCHES_REORDERED } from "./union-branch-added.ts";
import { UNION_DEFAULT_NOT_FIRST_BRANCH } from "./union-default.ts";

/** Every Avro rule: the Java checker's incompatibility types first, then changes worth a reviewer's look. */
export const AVRO_RULES: readonly AvroRule[] = [
  READER_FIELD_MISSING_DEFAULT_VALUE,
  TYPE_MISMATCH,
  MISSING_ENUM_SYMBOLS,
  MISSING_UNION_BRANCH,
  NAME_MISMATCH,
  FIXED_SIZE_MISMATCH,
  LOGICAL_TYPE_CHANGED,
  DEFAULT_CHANGED,
  NAMESPACE_CHANGED,
  ENUM_SYMBOL_READ_AS_DEFAULT,
  FIELD_ADDED_WITH_DEFAULT,
  FIELD_NOT_READ,
  FIELD_RENAMED_WITH_ALIAS,
  TYPE_RENAMED_WITH_ALIAS,
  ENUM_SYMBOL_ADDED,
  TYPE_PROMOTED,
  DOC_CHANGED,
  UNION_DEFAULT_NOT_FIRST_BRANCH,
  UNION_BRANCH_ADDED,
  UNION_BRANCHES_REORDERED,
  FIELD_ORDER_CHANGED,
  ENUM_SYMBOLS_REORDERED,
  CANONICAL_FORM_CHANGED,
];
