/**
 * The server's log: pino, with every secret-bearing field name censored wherever it appears. JSON
 * lines for log collectors; on a terminal, readable lines (pino-pretty) for the person watching.
 */

import { type DestinationStream, type Level, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
import { REDACT_PATHS } from './security/redaction.js';
import type { LogFormat } from './settings.js';

export interface ServerLoggerOptions {
  readonly level?: string | undefined;
  /** `json` (the default) or `pretty`: one readable line per event, colours when `colorize`. */
  readonly format?: LogFormat | undefined;
  /** Colours in pretty lines; true when stdout is a terminal by default. */
  readonly colorize?: boolean | undefined;
  /** Where lines go; stdout by default. */
  readonly destination?: DestinationStream | undefined;
}

/** The server's pino logger, with every secret-bearing field name censored wherever it appears. */
export function createServerLogger(options: ServerLoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' },
  };
  if (options.format === 'pretty') {
    const stream = pretty({
      destination: options.destination ?? 1,
      // Synchronous, as pino's own stdout writes are: the last lines before an exit are not lost.
      sync: true,
      colorize: options.colorize ?? process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
    });
    return pino(config, stream);
  }
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/**
 * The logger the HTTP framework writes with. Readable logs are for a person at a terminal: the
 * framework's line per request and per response, and its own "listening" line next to the banner's,
 * are noise there, so they appear only when a debug level was asked for. JSON logs keep them all.
 */
export function httpLogger(logger: Logger, format: LogFormat | undefined): Logger {
  if (format !== 'pretty' || !logger.isLevelEnabled('info') || logger.isLevelEnabled('debug')) {
    return logger;
  }
  return logger.child({}, { level: 'warn' satisfies Level });
}
