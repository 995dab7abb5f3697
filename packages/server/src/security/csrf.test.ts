import { describe, expect, it } from 'vitest';
import {
  assertCsrfToken,
  CSRF_HEADER,
  csrfTokenMatches,
  generateCsrfToken,
  requiresCsrfToken,
} from './csrf.js';

describe('CSRF tokens', () => {
  it('are 32 random bytes base64url, different each time', () => {
    const token = generateCsrfToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateCsrfToken()).not.toBe(token);
  });

  it('match only the exact session token', () => {
    const token = generateCsrfToken();
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, generateCsrfToken())).toBe(false);
    expect(csrfTokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(csrfTokenMatches(token, `${token}x`)).toBe(false);
  });

  it('never match when either side is missing, empty, repeated or not text', () => {
    const token = generateCsrfToken();
    expect(csrfTokenMatches(undefined, undefined)).toBe(false);
    expect(csrfTokenMatches('', '')).toBe(false);
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(undefined, token)).toBe(false);
    expect(csrfTokenMatches(token, [token, token])).toBe(false);
    expect(csrfTokenMatches(token, { toString: () => token })).toBe(false);
  });
});

describe('assertCsrfToken', () => {
  const token = generateCsrfToken();

  it('lets safe methods through without a token', () => {
    for (const method of ['GET', 'head', 'OPTIONS']) {
      expect(requiresCsrfToken(method)).toBe(false);
      expect(() => assertCsrfToken({ method, expected: token, submitted: undefined })).not.toThrow();
    }
  });

  it('requires the token on state-changing methods', () => {
    for (const method of ['POST', 'put', 'PATCH', 'DELETE']) {
      expect(requiresCsrfToken(method)).toBe(true);
      expect(() => assertCsrfToken({ method, expected: token, submitted: token })).not.toThrow();
    }
  });

  it('says how to send a missing token', () => {
    expect(() => assertCsrfToken({ method: 'POST', expected: token, submitted: undefined })).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED', message: expect.stringContaining(CSRF_HEADER) }),
    );
  });

  it('refuses a wrong token or a session without one, without echoing either token', () => {
    const wrong = generateCsrfToken();
    for (const expected of [token, undefined]) {
      let message = '';
      try {
        assertCsrfToken({ method: 'DELETE', expected, submitted: wrong });
      } catch (error) {
        expect(error).toMatchObject({ code: 'PERMISSION_DENIED' });
        message = (error as Error).message;
      }
      expect(message).toMatch(/reload the page/);
      expect(message).not.toContain(wrong);
      expect(message).not.toContain(token);
    }
  });
});
