import type { LoadedConfig } from "../policy/config.ts";

/**
 * How contracts are named in deployment records. Local records name this repository's contracts as in
 * comms.yaml; shared records (`deployments:`) name every contract `<repository>/<contract>`, so records of
 * many repositories live side by side. A contract of another repository (`provider: pagos/pagos-api`) is
 * already written that way.
 */

/** The record name of a contract as comms.yaml writes it (a contract here, or `<repository>/<contract>`). */
export function recordName(project: LoadedConfig, contract: string): string {
  const name = project.config.deployments ? project.config.name : undefined;
  return name && Object.hasOwn(project.config.contracts, contract) ? `${name}/${contract}` : contract;
}

/**
 * This repository's contract that a record name stands for, or undefined when it belongs to another
 * repository (whose released snapshots are read through its source, not this registry).
 */
export function ownContract(project: LoadedConfig, record: string): string | undefined {
  const name = project.config.deployments ? project.config.name : undefined;
  if (name && record.startsWith(`${name}/`)) {
    const local = record.slice(name.length + 1);
    return Object.hasOwn(project.config.contracts, local) ? local : undefined;
  }
  if (record.includes("/")) return undefined;
  return Object.hasOwn(project.config.contracts, record) ? record : undefined;
}
