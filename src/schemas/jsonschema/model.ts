import type { SourceDocument as JsonDocument } from "../json/parse.ts";

export type Draft = "draft-04" | "draft-06" | "draft-07" | "2019-09" | "2020-12";

/** Where a schema node is written: its document and JSON pointer (without `#`). */
export interface At {
  doc: JsonDocument;
  /** The raw JSON value of the node (an object or a boolean). */
  raw: unknown;
  pointer: string;
}

interface Base {
  at: At;
  id?: string;
  title?: string;
  description?: string;
  default?: unknown;
  hasDefault?: boolean;
}

/** `{}` or `true`: every document is valid. */
export interface EmptySchema extends Base {
  k: "empty";
}
export interface FalseSchema extends Base {
  k: "false";
}
export interface NullSchema extends Base {
  k: "null";
}
export interface BooleanSchema extends Base {
  k: "boolean";
}
export interface StringSchema extends Base {
  k: "string";
  /** `type: string` given (else the keywords apply only to strings). */
  requires: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}
export interface NumberSchema extends Base {
  k: "number";
  requires: boolean;
  integer: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}
export interface ObjectSchema extends Base {
  k: "object";
  requires: boolean;
  properties: Map<string, Lazy>;
  required: string[];
  /** additionalProperties: absent/true → permitted with no schema; false → closed; a schema → partially open. */
  additional: boolean;
  additionalSchema?: Lazy;
  patternProperties: Map<string, Lazy>;
  unevaluated: boolean;
  unevaluatedSchema?: Lazy;
  minProperties?: number;
  maxProperties?: number;
  propertyDependencies: Map<string, string[]>;
  schemaDependencies: Map<string, Lazy>;
  /** Keyword each group was read from, for pointers (`dependencies` or `dependentRequired`...). */
  keys: { dependencies: string; schemaDependencies: string };
}
export interface ArraySchema extends Base {
  k: "array";
  requires: boolean;
  /** One schema for every item (draft ≤ 2019-09 `items` as a schema). */
  allItems?: Lazy;
  /** Positional schemas (`items` as a list, or `prefixItems`). */
  tuple?: Lazy[];
  /** additionalItems (or 2020-12 `items` after `prefixItems`). */
  additional: boolean;
  additionalSchema?: Lazy;
  unevaluated: boolean;
  unevaluatedSchema?: Lazy;
  minItems?: number;
  maxItems?: number;
  uniqueItems: boolean;
  contains?: Lazy;
  minContains?: number;
  maxContains?: number;
  keys: { tuple: string; additional: string };
}
export interface EnumSchema extends Base {
  k: "enum";
  values: unknown[];
}
export interface ConstSchema extends Base {
  k: "const";
  value: unknown;
}
export interface NotSchema extends Base {
  k: "not";
  schema: Lazy;
}
export type Criterion = "allOf" | "anyOf" | "oneOf";
export interface CombinedSchema extends Base {
  k: "combined";
  criterion: Criterion;
  subschemas: Lazy[];
  /** Built from several keywords of one object (type plus enum...), not written as allOf. */
  synthetic: boolean;
}
export interface ConditionalSchema extends Base {
  k: "conditional";
  if?: Lazy;
  then?: Lazy;
  else?: Lazy;
}

export type Schema =
  | EmptySchema
  | FalseSchema
  | NullSchema
  | BooleanSchema
  | StringSchema
  | NumberSchema
  | ObjectSchema
  | ArraySchema
  | EnumSchema
  | ConstSchema
  | NotSchema
  | CombinedSchema
  | ConditionalSchema;

/** A schema built on first use, so `$ref` cycles cost nothing until compared. */
export type Lazy = () => Schema;
