import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from './redaction.js';

function memoryLogger(): { logger: pino.Logger; output: () => string } {
  const lines: string[] = [];
  const logger = pino(
    { redact: { paths: [...REDACT_PATHS], censor: '[REDACTED]' } },
    { write: (line: string) => lines.push(line) },
  );
  return { logger, output: () => lines.join('') };
}

describe('REDACT_PATHS', () => {
  it('is a plain array of strings pino accepts', () => {
    expect(Array.isArray(REDACT_PATHS)).toBe(true);
    expect(REDACT_PATHS).toContain('authorization');
    expect(REDACT_PATHS).toContain('*.*.password');
    expect(REDACT_PATHS).toContain('*.*["set-cookie"]');
    expect(REDACT_PATHS.every((path) => typeof path === 'string')).toBe(true);
    expect(() => memoryLogger()).not.toThrow();
  });

  it('never prints planted secrets from headers, bodies and nested objects', () => {
    const { logger, output } = memoryLogger();
    const planted = Array.from({ length: 16 }, (_, i) => `PLANTED-SECRET-${i}-x9q`);
    logger.info(
      {
        req: {
          method: 'POST',
          url: '/login',
          headers: {
            authorization: `Bearer ${planted[0]}`,
            cookie: `sid=${planted[1]}`,
            'x-api-key': planted[2],
            host: 'example.test',
          },
          body: { username: 'alice', password: planted[3], newPassword: planted[4] },
        },
        res: { statusCode: 302, headers: { 'set-cookie': [`sid=${planted[5]}; HttpOnly`] } },
        password: planted[6],
        token: planted[7],
        user: {
          id: 7,
          apiToken: planted[8],
          credentials: { accessKey: 'AKIA-visible?', secretKey: planted[9] },
        },
        instance: { config: { connector: { secret: planted[10] } } },
        outbound: { headers: { Authorization: `Basic ${planted[11]}` } },
        list: [{ password: planted[12] }],
        deep: { a: { b: { c: { accessToken: planted[13] } } } },
        csrfToken: planted[14],
        session: { sessionId: planted[15] },
      },
      'request done',
    );
    const text = output();
    for (const secret of planted) expect(text).not.toContain(secret);
    // Whole credential objects are censored, including their non-secret-looking members.
    expect(text).not.toContain('AKIA-visible?');
    // Non-secret context is still there, so the log stays useful (and the test can fail).
    expect(text).toContain('"username":"alice"');
    expect(text).toContain('"host":"example.test"');
    expect(text).toContain('"statusCode":302');
    expect(text).toContain('request done');
    expect(text).toContain('[REDACTED]');
  });

  it('censors child-logger bindings too', () => {
    const { logger, output } = memoryLogger();
    logger.child({ user: { password: 'CHILD-SECRET-1' } }).warn({ token: 'CHILD-SECRET-2' }, 'child');
    expect(output()).not.toMatch(/CHILD-SECRET/);
    expect(output()).toContain('child');
  });
});
