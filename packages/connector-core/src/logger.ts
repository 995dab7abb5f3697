/**
 * The logger connectors receive. Its shape is the subset of pino's that connectors need
 * (`logger.debug({ fields }, 'message')`), so the server passes a pino child logger unchanged.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

const ignore = (): void => {};

/** A logger that drops everything: the default when the host passes none. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
