/**
 * A descriptor-like model of a set of .proto files, with source offsets for every element so that
 * findings point where buf points. Offsets are turned into line/column only when a finding needs one.
 */

/**
 * Half-open character range [start, end) in a file's text, packed into one number (start * 2^24 +
 * length) so that the hundreds of thousands of spans of a large tree cost no allocations.
 */
export type Span = number;

const SPAN_SHIFT = 16777216;

export function span(start: number, end: number): Span {
  return start * SPAN_SHIFT + (end - start);
}
export function spanStart(s: Span): number {
  return Math.floor(s / SPAN_SHIFT);
}
export function spanEnd(s: Span): number {
  return Math.floor(s / SPAN_SHIFT) + (s % SPAN_SHIFT);
}

export type Syntax = "proto2" | "proto3" | "editions";

/** An option value as written: an identifier, a (concatenated) string, a number, or a `{…}` aggregate. */
export interface OptionValue {
  kind: "ident" | "string" | "number" | "aggregate";
  /** Identifier text, decoded string, number literal (with sign) or aggregate source. */
  text: string;
}

/** One option assignment. `name` is normalised: `json_name`, `features.field_presence`, `(foo.bar).baz`. */
export interface OptionDecl {
  name: string;
  value: OptionValue;
  /** The whole `option …;` statement, or `name = value` inside brackets. */
  span: Span;
}

/** Resolved edition features (or their proto2/proto3 equivalents). */
export interface Features {
  fieldPresence: "EXPLICIT" | "IMPLICIT" | "LEGACY_REQUIRED";
  enumType: "OPEN" | "CLOSED";
  utf8Validation: "VERIFY" | "NONE";
  messageEncoding: "LENGTH_PREFIXED" | "DELIMITED";
  jsonFormat: "ALLOW" | "LEGACY_BEST_EFFORT";
  cppStringType: "STRING" | "CORD" | "VIEW";
  javaUtf8Validation: "DEFAULT" | "VERIFY";
}

export interface ProtoFile {
  /** Import path, relative to its module root: the identity of the file across versions. */
  path: string;
  /** Reader path, used in locations. */
  display: string;
  text: string;
  syntax: Syntax;
  /** "2023", "2024" for editions files. */
  edition?: string;
  syntaxSpan?: Span;
  package: string;
  packageSpan?: Span;
  /** `option` imports (edition 2024) are only needed for option resolution. */
  imports: Array<{ path: string; modifier?: "public" | "weak" | "option"; span: Span }>;
  options: OptionDecl[];
  messages: Message[];
  enums: Enum[];
  services: Service[];
  /** Extensions declared at file level. */
  extensions: Field[];
  features: Features;
  /** True for the embedded well-known types (never compared). */
  builtin?: boolean;
}

export interface Message {
  name: string;
  fullName: string;
  /** Name relative to the package: `Outer.Inner`. */
  nestedName: string;
  span: Span;
  file: ProtoFile;
  parent?: Message;
  fields: Field[];
  oneofs: Oneof[];
  messages: Message[];
  enums: Enum[];
  /** Extensions declared inside this message. */
  extensions: Field[];
  reservedRanges: TagRange[];
  reservedNames: string[];
  extensionRanges: TagRange[];
  options: OptionDecl[];
  mapEntry: boolean;
  features: Features;
}

export interface TagRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export type ScalarType =
  | "double"
  | "float"
  | "int64"
  | "uint64"
  | "int32"
  | "fixed64"
  | "fixed32"
  | "bool"
  | "string"
  | "bytes"
  | "uint32"
  | "sfixed32"
  | "sfixed64"
  | "sint32"
  | "sint64";

export interface Field {
  name: string;
  fullName: string;
  number: number;
  label?: "optional" | "required" | "repeated";
  /** Declared type: a scalar, or `message`/`enum`/`group` once the reference is resolved. */
  type: ScalarType | "message" | "enum" | "group";
  /** Type reference as written (`Foo`, `.a.Foo`), for message/enum/group fields. */
  typeRef?: string;
  /** Fully qualified type with a leading dot, set by linking. */
  typeName?: string;
  /** Target of a message/enum type, set by linking. */
  target?: Message | Enum;
  file: ProtoFile;
  /** The message that contains a normal field; for an extension, the message it is declared in (if any). */
  parent?: Message;
  oneof?: Oneof;
  proto3Optional: boolean;
  isMap: boolean;
  /** `extend` target as written and resolved (without leading dot). */
  extendeeRef?: string;
  extendee?: string;
  options: OptionDecl[];
  span: Span;
  nameSpan: Span;
  typeSpan: Span;
  features: Features;
}

export interface Oneof {
  name: string;
  span: Span;
  synthetic: boolean;
  options: OptionDecl[];
  fields: Field[];
}

export interface Enum {
  name: string;
  fullName: string;
  nestedName: string;
  span: Span;
  file: ProtoFile;
  parent?: Message;
  values: EnumValue[];
  reservedRanges: TagRange[];
  reservedNames: string[];
  options: OptionDecl[];
  features: Features;
}

export interface EnumValue {
  name: string;
  number: number;
  span: Span;
  numberSpan: Span;
  options: OptionDecl[];
}

export interface Service {
  name: string;
  fullName: string;
  span: Span;
  file: ProtoFile;
  methods: Method[];
  options: OptionDecl[];
}

export interface Method {
  name: string;
  span: Span;
  inputRef: string;
  outputRef: string;
  /** Resolved, without leading dot. */
  inputType: string;
  outputType: string;
  inputSpan: Span;
  outputSpan: Span;
  clientStreaming: boolean;
  serverStreaming: boolean;
  options: OptionDecl[];
}

/** buf.yaml `breaking:` settings (also accepted as comms.yaml `policy.protobuf`). */
export interface BreakingConfig {
  use?: string[];
  except?: string[];
  ignore?: string[];
  ignore_only?: Record<string, string[]>;
  ignore_unstable_packages?: boolean;
}

/** One loaded version: the files of the module(s) being checked, plus everything they import. */
export interface ProtoModel {
  /** Checked files by import path, in sorted order. */
  files: Map<string, ProtoFile>;
  /** buf.yaml `breaking:` section found with the contract, if any. */
  breaking?: BreakingConfig;
  /** Module root (reader path) of each checked file, for ignore paths. */
  roots: Map<string, string>;
  /** Set when the contract is one file: its import path (two single files compare as one file). */
  single?: string;
  /** The contract directory (reader path), where buf.yaml lives; ignore paths may be relative to it. */
  dir?: string;
  /** buf.yaml / buf.work.yaml files read to find the module roots (reader paths). */
  config?: string[];
}

/** Last option with this name, if set. */
export function option(options: OptionDecl[], name: string): OptionDecl | undefined {
  for (let i = options.length - 1; i >= 0; i--) if (options[i]!.name === name) return options[i];
  return undefined;
}
