import { describe, expect, it } from 'vitest';
import { constantTimeEqual, generatePassword, generateToken, hashToken, isTokenFormat } from './generated.js';

describe('generatePassword', () => {
  it('is five groups of five unambiguous lower-case symbols (≈124 bits)', () => {
    const password = generatePassword();
    expect(password).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){4}$/);
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(password).not.toMatch(/[01ilo]/);
  });

  it('does not repeat and uses the whole alphabet', () => {
    const passwords = Array.from({ length: 200 }, generatePassword);
    expect(new Set(passwords).size).toBe(200);
    expect(new Set(passwords.join('').replace(/-/g, '')).size).toBe(31);
  });
});

describe('API tokens', () => {
  it('are ssk_ + 32 random bytes base64url', () => {
    const token = generateToken();
    expect(token).toMatch(/^ssk_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(generateToken()).not.toBe(token);
    expect(isTokenFormat(token)).toBe(true);
    expect(isTokenFormat('ssk_short')).toBe(false);
    expect(isTokenFormat(42)).toBe(false);
  });

  it('hash to SHA-256 hex, stable per token and not containing it', () => {
    // Known SHA-256 test vector ("abc", FIPS 180-2).
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const token = generateToken();
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toBe(hashToken(generateToken()));
  });

  it('refuses to hash a missing token with a clear error', () => {
    expect(() => hashToken('')).toThrow(/API token is missing/);
    expect(() => hashToken(undefined as unknown as string)).toThrow(/API token is missing/);
  });
});

describe('constantTimeEqual', () => {
  it('compares strings of any lengths without throwing', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false);
    expect(constantTimeEqual('a', undefined as unknown as string)).toBe(false);
  });
});
