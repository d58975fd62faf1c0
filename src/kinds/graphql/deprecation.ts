import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from "graphql";

/**
 * The deprecation reason of the element at a schema coordinate (`Type.field`, `Enum.VALUE`,
 * `Input.field`, `Type.field.arg`, `@directive.arg`), or undefined when it is not deprecated or does
 * not exist. Trailing directive segments (`Type.field.@deprecated`) are ignored.
 */
export function deprecationReason(schema: GraphQLSchema, path: string): string | undefined {
  const segs = path.split(".");
  while (segs.length > 1 && segs[segs.length - 1]!.startsWith("@")) segs.pop();
  const [head, second, third] = segs;
  if (!head || second === undefined) return undefined;
  if (head.startsWith("@")) {
    const arg = schema.getDirective(head.slice(1))?.args.find((a) => a.name === second);
    return arg?.deprecationReason ?? undefined;
  }
  const type = schema.getType(head);
  if (isEnumType(type)) return type.getValue(second)?.deprecationReason ?? undefined;
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    const fields = type.getFields();
    const field = Object.hasOwn(fields, second) ? fields[second] : undefined;
    if (!field) return undefined;
    if (third === undefined) return field.deprecationReason ?? undefined;
    if ("args" in field) return field.args.find((a) => a.name === third)?.deprecationReason ?? undefined;
  }
  return undefined;
}
