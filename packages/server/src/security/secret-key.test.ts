import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeSecretKey, loadSecretKey, SECRET_KEY_ENV } from './secret-key.js';

const posix = process.platform !== 'win32';
let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'slipstream-key-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('loadSecretKey from the environment', () => {
  const key = randomBytes(32);

  it('accepts 64 hex digits, base64 and base64url, and does not touch the home directory', async () => {
    for (const text of [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
      ` ${key.toString('base64')}\n`,
    ]) {
      const loaded = await loadSecretKey({ env: { [SECRET_KEY_ENV]: text }, home });
      expect(loaded.source).toBe('env');
      expect(loaded.key.equals(key)).toBe(true);
    }
    await expect(stat(join(home, 'secret.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a value of the wrong length or encoding without echoing it', async () => {
    for (const text of [
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'not-a-key-at-all',
    ]) {
      const error = await loadSecretKey({ env: { [SECRET_KEY_ENV]: text }, home }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(SECRET_KEY_ENV),
      });
      expect((error as Error).message).not.toContain(text);
    }
  });

  it('treats an empty value as unset', async () => {
    const loaded = await loadSecretKey({ env: { [SECRET_KEY_ENV]: '' }, home });
    expect(loaded.source).toBe('file');
  });
});

describe('loadSecretKey from <home>/secret.key', () => {
  it('creates 32 random bytes with mode 0600 on first start, then reads the same key back', async () => {
    const first = await loadSecretKey({ env: {}, home });
    expect(first).toMatchObject({ source: 'file', created: true, file: join(home, 'secret.key') });
    expect(first.key).toHaveLength(32);
    expect((await readFile(join(home, 'secret.key'))).equals(first.key)).toBe(true);
    if (posix) expect((await stat(join(home, 'secret.key'))).mode & 0o777).toBe(0o600);
    const second = await loadSecretKey({ env: {}, home });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('creates a missing home directory', async () => {
    const nested = join(home, 'a', 'b');
    const loaded = await loadSecretKey({ env: {}, home: nested });
    expect(loaded.created).toBe(true);
    if (posix) expect((await stat(nested)).mode & 0o077).toBe(0);
  });

  it('two concurrent first starts end with one key', async () => {
    const [a, b] = await Promise.all([loadSecretKey({ env: {}, home }), loadSecretKey({ env: {}, home })]);
    expect(a.key.equals(b.key)).toBe(true);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });

  it.runIf(posix)('refuses a group- or world-accessible key file and says how to fix it', async () => {
    await loadSecretKey({ env: {}, home });
    const file = join(home, 'secret.key');
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      await chmod(file, mode);
      const error = await loadSecretKey({ env: {}, home }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining(`chmod 600 ${file}`),
      });
      expect((error as Error).message).toContain(`mode 0${mode.toString(8)}`);
    }
    await chmod(file, 0o400);
    await expect(loadSecretKey({ env: {}, home })).resolves.toMatchObject({ created: false });
  });

  it('accepts a hand-written hex or base64 key file', async () => {
    const key = randomBytes(32);
    await writeFile(join(home, 'secret.key'), `${key.toString('base64')}\n`, { mode: 0o600 });
    expect((await loadSecretKey({ env: {}, home })).key.equals(key)).toBe(true);
    await writeFile(join(home, 'secret.key'), key.toString('hex'), { mode: 0o600 });
    expect((await loadSecretKey({ env: {}, home })).key.equals(key)).toBe(true);
  });

  it('refuses a key file of the wrong length, and never replaces it', async () => {
    const file = join(home, 'secret.key');
    for (const content of [Buffer.alloc(0), randomBytes(16), randomBytes(33)]) {
      await writeFile(file, content, { mode: 0o600 });
      await expect(loadSecretKey({ env: {}, home })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('does not hold a 32-byte key'),
      });
      expect((await readFile(file)).equals(content)).toBe(true);
    }
  });

  it('refuses a directory in place of the key file', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(home, 'secret.key'), { mode: 0o700 });
    await expect(loadSecretKey({ env: {}, home })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('needs a home directory when the environment has no key', async () => {
    await expect(loadSecretKey({ env: {}, home: '' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(SECRET_KEY_ENV),
    });
  });
});

describe('decodeSecretKey', () => {
  it('only accepts encodings of exactly 32 bytes', () => {
    expect(decodeSecretKey('00'.repeat(32))).toHaveLength(32);
    expect(decodeSecretKey('00'.repeat(33))).toBeUndefined();
    expect(decodeSecretKey('')).toBeUndefined();
  });
});
