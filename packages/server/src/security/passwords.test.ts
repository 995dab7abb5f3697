import { describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { hashPassword, MAX_PASSWORD_BYTES, needsRehash, verifyPassword } from './passwords.js';

describe('hashPassword', () => {
  it('writes scrypt$N$r$p$salt$hash with the current parameters, 16-byte salt and 64-byte key', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [algorithm, n, r, p, salt, hash] = stored.split('$');
    expect([algorithm, n, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64url')).toHaveLength(64);
    expect(stored).not.toContain('correct horse');
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('refuses an empty password with a clear error', async () => {
    await expect(hashPassword('')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/empty/),
    });
  });

  it('refuses a password over 1024 UTF-8 bytes, counting bytes not characters', async () => {
    await expect(hashPassword('a'.repeat(MAX_PASSWORD_BYTES + 1))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    // 342 three-byte characters = 1026 bytes, though only 342 characters.
    const error = await hashPassword('€'.repeat(342)).catch((e: unknown) => e);
    expect(ServerError.hasCode(error, 'INVALID_REQUEST')).toBe(true);
    expect((error as Error).message).toContain('1026 bytes');
    expect(await hashPassword('a'.repeat(MAX_PASSWORD_BYTES))).toMatch(/^scrypt\$/);
  });

  it('refuses a non-string without crashing', async () => {
    await expect(hashPassword(undefined as unknown as string)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
  });
});

describe('verifyPassword', () => {
  it('accepts the right password and rejects others', async () => {
    const stored = await hashPassword('s3cret-Pässword');
    expect(await verifyPassword('s3cret-Pässword', stored)).toBe(true);
    expect(await verifyPassword('s3cret-Password', stored)).toBe(false);
    expect(await verifyPassword('s3cret-Pässword ', stored)).toBe(false);
  });

  it('matches composed and decomposed forms of the same characters', async () => {
    const stored = await hashPassword('caf\u00e9');
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true);
  });

  it('answers false, without hashing, for empty or overlong attempts', async () => {
    const stored = await hashPassword('x');
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('x'.repeat(10_000), stored)).toBe(false);
  });

  it('verifies hashes made with other parameters (they carry their own)', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('legacy', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('legacy', stored)).toBe(true);
    expect(await verifyPassword('other', stored)).toBe(false);
  });

  it('refuses stored values it did not write, and parameters that would exhaust the server', async () => {
    const good = await hashPassword('pw');
    const [, , , , salt, hash] = good.split('$');
    for (const stored of [
      '',
      'plaintext',
      'bcrypt$2b$10$abc',
      `scrypt$32768$8$1$${salt}`,
      `scrypt$30000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$8$1$${salt}$${hash}`, // N far too large
      `scrypt$32768$8$99$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}$not*base64`,
    ]) {
      await expect(verifyPassword('pw', stored)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    }
  });
});

describe('needsRehash', () => {
  it('is false for a current hash and true for weaker or unreadable ones', async () => {
    expect(needsRehash(await hashPassword('pw'))).toBe(false);
    const salt = Buffer.alloc(16).toString('base64url');
    const key64 = Buffer.alloc(64).toString('base64url');
    expect(needsRehash(`scrypt$16384$8$1$${salt}$${key64}`)).toBe(true);
    expect(needsRehash(`scrypt$32768$8$2$${salt}$${key64}`)).toBe(true);
    expect(needsRehash(`scrypt$32768$8$1$${salt}$${Buffer.alloc(32).toString('base64url')}`)).toBe(true);
    expect(needsRehash('garbage')).toBe(true);
  });
});
