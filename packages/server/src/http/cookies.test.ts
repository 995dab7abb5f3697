import { describe, expect, it } from 'vitest';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';

describe('readCookie', () => {
  it('finds the named cookie among others and ignores malformed pairs', () => {
    expect(readCookie(`a=1; junk; ${SESSION_COOKIE}=abc; b=2`, SESSION_COOKIE)).toBe('abc');
    expect(readCookie(`${SESSION_COOKIE}="quoted"`, SESSION_COOKIE)).toBe('quoted');
    expect(readCookie(`x${SESSION_COOKIE}=no`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(`${SESSION_COOKIE}=`, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(['a=1', `${SESSION_COOKIE}=z`], SESSION_COOKIE)).toBe('z');
  });
});

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, and Secure only when asked', () => {
    expect(sessionCookie('v', { maxAgeSeconds: 60, secure: false })).toBe(
      `${SESSION_COOKIE}=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax`,
    );
    expect(sessionCookie('v', { maxAgeSeconds: 60, secure: true }).endsWith('; Secure')).toBe(true);
    expect(sessionCookie('', { maxAgeSeconds: -5, secure: false })).toContain('Max-Age=0');
  });
});
