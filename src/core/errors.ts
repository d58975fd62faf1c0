import { formatLocation, type Location } from "./location.ts";

/**
 * Base of every error comms expects. Library code throws these and never exits;
 * `main.ts` maps them to exit codes (2 for anything the user can fix).
 */
export class CommsError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A problem in a contract file: syntax, unresolved reference, duplicate definition. */
export class ContractError extends CommsError {
  constructor(
    readonly detail: string,
    readonly loc: Location,
  ) {
    super(`${formatLocation(loc)}: ${detail}`);
  }
}

/** An invalid comms.yaml (or buf.yaml) setting; the location names the key. */
export class ConfigError extends CommsError {
  constructor(
    readonly detail: string,
    readonly loc?: Location,
  ) {
    super(loc ? `${formatLocation(loc)}: ${detail}` : detail);
  }
}

/** Bad command-line usage: unknown flag value, wrong number of arguments. */
export class UsageError extends CommsError {}

/** Something the user named cannot be found or read: a file, a directory, a git ref, a version. */
export class InputError extends CommsError {}

/**
 * A file comms refuses to read or write: it resolves (symlinks included) outside the project root,
 * is not a regular file (FIFO, device, socket), or is larger than the size limit.
 */
export class ContainmentError extends InputError {}

/** The registry of released versions is damaged or a write to it failed. */
export class RegistryError extends CommsError {}

/** The contract is of a kind that has no engine in this build. */
export class UnsupportedKindError extends CommsError {}
