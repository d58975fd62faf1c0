import type { Location } from "../../core/location.ts";
import type { AvroType } from "../../schemas/avro/model.ts";
import type { SchemaSet } from "../../schemas/jsonschema/load.ts";

/** A message payload, in the format its `schemaFormat` names. */
export type Payload =
  | { format: "jsonschema"; set: SchemaSet; loc: Location }
  | { format: "avro"; root: AvroType; loc: Location }
  | { format: "other"; schemaFormat: string; loc: Location };

export interface AsyncMessage {
  name: string;
  loc: Location;
  payload?: Payload;
}

export type Role = "send" | "receive";

/** A channel by address, with the messages the application sends and receives on it. */
export interface AsyncChannel {
  address: string;
  loc: Location;
  send: Map<string, AsyncMessage>;
  receive: Map<string, AsyncMessage>;
}

export interface AsyncApiModel {
  /** The document's `asyncapi` version (2.x or 3.x). */
  version: string;
  channels: Map<string, AsyncChannel>;
  /** The `channels` section (or the document), where a removed channel's absence is pointed at. */
  channelsLoc: Location;
}
