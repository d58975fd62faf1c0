import type { DocumentNode, GraphQLSchema } from "graphql";
import type { Location } from "../../core/location.ts";
import type { Operation } from "./usage.ts";

/** One loaded GraphQL contract version. */
export interface GraphqlModel {
  /** The whole schema; for SDL it is built on first use. */
  readonly schema: GraphQLSchema;
  /** The parsed SDL (all files merged), absent for introspection results. */
  document?: DocumentNode;
  /**
   * Where the element at a schema coordinate is defined, or its nearest enclosing element when
   * `exact` is false and the element itself does not exist. Computed lazily on first use.
   */
  locate(path: string, exact: boolean): Location | undefined;
  /** Location of a union member, implemented interface or directive location named `ref` inside `path`. */
  locateRef(path: string, ref: string): Location | undefined;
  /** Whether the element at a coordinate carries @deprecated in this version. */
  deprecated(path: string): boolean;
  /**
   * A contract of consumer operations (documents with queries, mutations, subscriptions and fragments,
   * no type definitions): a consumer's expectation of a GraphQL provider. It has no schema of its own.
   */
  operations?: Operation[];
}
