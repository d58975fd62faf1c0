import type { Location } from "../../core/location.ts";

export const PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];

interface Node {
  /** Where the type is written (its `type` key for objects, the name for references). */
  loc: Location;
  /** JSON pointer of the definition inside its file, as the Java checker reports locations. */
  pointer: string;
  logicalType?: string;
  /** Attributes that refine a logical type (decimal precision and scale). */
  logical?: { precision?: number; scale?: number };
}

export interface PrimitiveType extends Node {
  type: PrimitiveName;
}

export interface NamedNode extends Node {
  /** Unqualified name. */
  name: string;
  namespace: string;
  fullName: string;
  /** Full names this type was known by. */
  aliases: string[];
  doc?: string;
}

export interface RecordField {
  name: string;
  aliases: string[];
  type: AvroType;
  hasDefault: boolean;
  default?: unknown;
  doc?: string;
  loc: Location;
  defaultLoc?: Location;
  pointer: string;
}

export interface RecordType extends NamedNode {
  type: "record";
  fields: RecordField[];
}

export interface EnumType extends NamedNode {
  type: "enum";
  symbols: string[];
  default?: string;
}

export interface FixedType extends NamedNode {
  type: "fixed";
  size: number;
}

export interface ArrayType extends Node {
  type: "array";
  items: AvroType;
}

export interface MapType extends Node {
  type: "map";
  values: AvroType;
}

export interface UnionType extends Node {
  type: "union";
  branches: AvroType[];
}

export type NamedType = RecordType | EnumType | FixedType;
export type AvroType = PrimitiveType | NamedType | ArrayType | MapType | UnionType;

export function isNamed(t: AvroType): t is NamedType {
  return t.type === "record" || t.type === "enum" || t.type === "fixed";
}

/** How a type is called in messages: its full name when named, else its Avro type name. */
export function typeLabel(t: AvroType): string {
  if (isNamed(t)) return t.fullName;
  if (t.type === "array") return `array<${typeLabel(t.items)}>`;
  if (t.type === "map") return `map<${typeLabel(t.values)}>`;
  if (t.type === "union") return `[${t.branches.map(typeLabel).join(", ")}]`;
  return t.logicalType ? `${t.type} (${t.logicalType})` : t.type;
}

/** The type kind in the Java checker's upper-case spelling, used in its messages. */
export function typeKind(t: AvroType): string {
  return t.type.toUpperCase();
}

/** One `.avsc` file: its top-level schema. */
export interface AvroSchemaFile {
  file: string;
  root: AvroType;
}

/** A loaded Avro contract: every file's top-level schema and every named type by full name. */
export interface AvroModel {
  schemas: AvroSchemaFile[];
  named: Map<string, NamedType>;
}
