/**
 * The schema registry subject an Avro or JSON Schema contract is registered under: its declared
 * `subject`, else the registry's default TopicNameStrategy, `<topic>-value`, when a `topic` is given.
 * Releases and reports carry it so that they name the schema as the registry does.
 */
export function registrySubject(kind: string, contract: { topic?: string; subject?: string } | undefined): string | undefined {
  if (kind !== "avro" && kind !== "jsonschema") return undefined;
  if (contract?.subject) return contract.subject;
  return contract?.topic ? `${contract.topic}-value` : undefined;
}
