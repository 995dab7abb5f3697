import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { SecretBox } from './secret-box.js';

const AAD = 'credentials/42/aws-prod/secretAccessKey';
const PLAINTEXT = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function openError(box: SecretBox, sealed: string, aad: string): ServerError {
  try {
    box.open(sealed, aad);
  } catch (error) {
    if (ServerError.is(error)) return error;
    throw error;
  }
  throw new Error('open unexpectedly succeeded');
}

function expectSafeFailure(error: ServerError, aad: string): void {
  expect(error.code).toBe('CONFIG_INVALID');
  expect(error.message).toContain(aad);
  expect(error.message).not.toContain(PLAINTEXT);
  expect(error.cause).toBeUndefined();
}

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips text and seals as v1.<iv>.<tag>.<ciphertext> with a 12-byte IV and 16-byte tag', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const [version, iv, tag, ciphertext] = sealed.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(ciphertext ?? '', 'base64url')).toHaveLength(Buffer.byteLength(PLAINTEXT));
    expect(sealed).not.toContain(PLAINTEXT);
    expect(box.open(sealed, AAD)).toBe(PLAINTEXT);
  });

  it('uses a fresh IV per seal, and handles empty and non-ASCII text', () => {
    expect(box.seal(PLAINTEXT, AAD)).not.toBe(box.seal(PLAINTEXT, AAD));
    expect(box.open(box.seal('', AAD), AAD)).toBe('');
    expect(box.open(box.seal('clé ☁️ 秘密', AAD), AAD)).toBe('clé ☁️ 秘密');
  });

  it('refuses to open with another key', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    expectSafeFailure(openError(new SecretBox(randomBytes(32)), sealed, AAD), AAD);
  });

  it('refuses a blob moved to another location (wrong AAD)', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const other = 'credentials/43/aws-prod/secretAccessKey';
    expectSafeFailure(openError(box, sealed, other), other);
  });

  it('refuses tampered ciphertext, tag or IV', () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      expectSafeFailure(openError(box, tampered, AAD), AAD);
    }
  });

  it('refuses a truncated tag instead of authenticating with fewer bits', () => {
    const [v, iv, tag, ct] = box.seal(PLAINTEXT, AAD).split('.');
    const short = Buffer.from(tag ?? '', 'base64url')
      .subarray(0, 4)
      .toString('base64url');
    expectSafeFailure(openError(box, [v, iv, short, ct].join('.'), AAD), AAD);
  });

  it('refuses malformed values without crashing', () => {
    for (const bad of ['', 'plain text', 'v2.a.b.c', 'v1.a.b', 'v1.!!.b.c', undefined as unknown as string]) {
      expectSafeFailure(openError(box, bad, AAD), AAD);
    }
  });

  it('requires a location as AAD', () => {
    expect(() => box.seal(PLAINTEXT, '')).toThrow(/associated data/);
    expect(() => box.open(box.seal(PLAINTEXT, AAD), '')).toThrow(/associated data/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(/exactly 32 bytes; got 16/);
    expect(() => new SecretBox('k' as unknown as Uint8Array)).toThrow(/exactly 32 bytes/);
  });

  it('keeps its own copy of the key', () => {
    const key = randomBytes(32);
    const own = new SecretBox(key);
    const sealed = own.seal(PLAINTEXT, AAD);
    key.fill(0);
    expect(own.open(sealed, AAD)).toBe(PLAINTEXT);
  });
});
