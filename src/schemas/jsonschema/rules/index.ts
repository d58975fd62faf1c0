import { ARRAY_RULES } from "./array.ts";
import { COMBINED_RULES } from "./combined.ts";
import type { JsonSchemaRule } from "./define.ts";
import { ENUM_RULES } from "./enum.ts";
import { META_RULES } from "./meta.ts";
import { NOT_RULES } from "./not.ts";
import { NUMBER_RULES } from "./number.ts";
import { OBJECT_RULES } from "./object.ts";
import { STRING_RULES } from "./string.ts";
import { TYPE_RULES } from "./type.ts";
import { CANONICAL_FORM_CHANGED } from "./canonical.ts";

/** The schema registry's JSON Schema difference types, one family per file, plus FORMAT_CHANGED. */
export const JSONSCHEMA_RULES: readonly JsonSchemaRule[] = [
  ...TYPE_RULES,
  ...META_RULES,
  ...STRING_RULES,
  ...NUMBER_RULES,
  ...OBJECT_RULES,
  ...ARRAY_RULES,
  ...ENUM_RULES,
  ...COMBINED_RULES,
  ...NOT_RULES,
  CANONICAL_FORM_CHANGED,
];
