import type { Logger } from '@slipstream/connector-core';

/** One log call a connector or core made. */
export interface LogEntry {
  readonly level: keyof Logger;
  readonly fields: Record<string, unknown>;
  readonly message: string | undefined;
}

/**
 * A logger that keeps every call, for tests that check what a connector logs (that no secret
 * appears in it, with `findSecretLeaks`, or that a warning was given).
 */
export function captureLogs(): { readonly logger: Logger; readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const log =
    (level: keyof Logger) =>
    (fields: Record<string, unknown>, message?: string): void => {
      entries.push({ level, fields, message });
    };
  return {
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    entries,
  };
}
