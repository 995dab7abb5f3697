import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServerLogger, httpLogger } from './logging.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createServerLogger', () => {
  it('writes readable lines in the pretty format, secrets still censored', async () => {
    const out = capture();
    const logger = createServerLogger({ format: 'pretty', colorize: false, destination: out.stream });
    logger.info({ instance: 'lab', password: 'hunter2-secret' }, 'loaded the connector instances');
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: loaded the connector instances\n/);
    expect(text).toContain('instance: "lab"');
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('"level"');
  });

  it('writes one JSON object per line by default', () => {
    const out = capture();
    const logger = createServerLogger({ destination: out.stream });
    logger.warn({ token: 'abc-secret' }, 'careful');
    const line = JSON.parse(out.text()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, msg: 'careful', token: '[REDACTED]' });
  });
});

describe('httpLogger', () => {
  const silent = (level: string) => createServerLogger({ level, destination: capture().stream });

  it('keeps the framework to warnings and errors in readable logs at info level', () => {
    expect(httpLogger(silent('info'), 'pretty').level).toBe('warn');
  });

  it('keeps every request line in JSON logs, and in readable logs when debugging', () => {
    expect(httpLogger(silent('info'), 'json').level).toBe('info');
    expect(httpLogger(silent('debug'), 'pretty').level).toBe('debug');
    // A quieter level than warn stays as quiet.
    expect(httpLogger(silent('error'), 'pretty').level).toBe('error');
  });
});
