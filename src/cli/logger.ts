import { createConsola, LogLevels } from "consola";

/** The one logger: everything it prints goes to stderr, so stdout carries only the report. */
export const logger = createConsola({
  stdout: process.stderr,
  stderr: process.stderr,
  level: LogLevels.info,
  formatOptions: { date: false, colors: process.stderr.isTTY === true && !process.env.NO_COLOR },
});

/** --quiet keeps only errors; --verbose adds debug output. */
export function setLogLevel(opts: { quiet?: boolean; verbose?: boolean }): void {
  logger.level = opts.quiet ? LogLevels.error : opts.verbose ? LogLevels.debug : LogLevels.info;
}
