import type { GraphqlModel } from "../kinds/graphql/model.ts";
import { coordinatesOf, operationErrors } from "../kinds/graphql/usage.ts";
import type { Expectation } from "./consumers-model.ts";

/** A contract of consumer operations against a GraphQL schema: every operation must validate. */
export function judgeOperations(consumer: GraphqlModel, provider: GraphqlModel): { expectations: Expectation[]; uses: Set<string> } {
  const ops = consumer.operations ?? [];
  const schema = provider.schema;
  const expectations = operationErrors(ops, schema).map((e) => ({
    rule: "consumer-operation-invalid",
    severity: "breaking" as const,
    interaction: e.operation.name ?? e.operation.label,
    where: "operation",
    message: `operation ${e.operation.name ?? "(anonymous)"} does not validate against the provider's schema: ${e.message}`,
    consumer: e.loc,
    provider: providerLocation(provider, e.message),
  }));
  const uses = new Set<string>();
  for (const op of ops) for (const c of coordinatesOf(op, schema)) uses.add(c);
  return { expectations, uses };
}

/** The schema element a validation message names (`field "total" on type "Order"`), located in the provider. */
function providerLocation(provider: GraphqlModel, message: string) {
  const field = /field "([^"]+)" on type "([^"]+)"/.exec(message);
  if (field) return provider.locate(`${field[2]}.${field[1]}`, false);
  const type = /type "([^"!\[\]]+)/.exec(message);
  return type ? provider.locate(type[1]!, false) : undefined;
}
