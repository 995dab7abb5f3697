import { describe, expect, it } from 'vitest';
import { captureLogs } from './log-capture.js';

describe('captureLogs', () => {
  it('keeps every call with its level, fields and message, in order', () => {
    const { logger, entries } = captureLogs();
    logger.warn({ vm: 'a' }, 'slow');
    logger.debug({ http: { status: 200 } });
    expect(entries).toEqual([
      { level: 'warn', fields: { vm: 'a' }, message: 'slow' },
      { level: 'debug', fields: { http: { status: 200 } }, message: undefined },
    ]);
  });
});
