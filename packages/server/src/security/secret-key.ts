/**
 * Where the server's 32-byte encryption key comes from: the SLIPSTREAM_SECRET_KEY environment
 * variable when set (containers, secret managers), else `<home>/secret.key`, created on first start
 * with owner-only permissions. Losing the key makes every sealed secret unreadable, so an existing
 * file is never replaced, only refused with an explanation.
 */

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ServerError } from '../errors.js';
import { DATABASE_URL_ENV } from '../store/postgres.js';

export const SECRET_KEY_ENV = 'SLIPSTREAM_SECRET_KEY';
/** A file holding the key, e.g. a secret mounted into every replica's container. Never created. */
export const SECRET_KEY_FILE_ENV = 'SLIPSTREAM_SECRET_KEY_FILE';
export const SECRET_KEY_FILE = 'secret.key';
const KEY_BYTES = 32;
const HOW_TO_GENERATE = 'generate one with "openssl rand -base64 32"';

export interface LoadSecretKeyOptions {
  /** Environment to read SLIPSTREAM_SECRET_KEY from; defaults to process.env. An empty value counts as unset. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The server's home directory, holding `secret.key`. */
  readonly home: string;
  /**
   * Whether a missing key file may be created (true by default). False when the store already
   * holds sealed secrets: a new key could not open them, so a missing file is an error to report.
   */
  readonly create?: boolean;
  /**
   * True when several replicas share the store (PostgreSQL): each must seal with the same key, so
   * the key must be given (SLIPSTREAM_SECRET_KEY or SLIPSTREAM_SECRET_KEY_FILE), not made per home.
   */
  readonly shared?: boolean;
}

export interface LoadedSecretKey {
  readonly key: Buffer;
  readonly source: 'env' | 'file';
  /** The key file, when the key came from one. */
  readonly file?: string;
  /** True when this call generated the key file. */
  readonly created: boolean;
}

/** The 32 bytes a hex or base64/base64url text encodes, or undefined when it encodes anything else. */
export function decodeSecretKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const bytes = Buffer.from(
      trimmed.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
      'base64url',
    );
    return bytes.length === KEY_BYTES ? bytes : undefined;
  }
  return undefined;
}

function fromEnv(value: string): LoadedSecretKey {
  const key = decodeSecretKey(value);
  if (key === undefined) {
    // Never echo the value: it is (meant to be) the key.
    throw new ServerError(
      'CONFIG_INVALID',
      `${SECRET_KEY_ENV} must be ${KEY_BYTES} bytes written as 64 hex digits or base64 (44 characters); ${HOW_TO_GENERATE}.`,
    );
  }
  return { key, source: 'env', created: false };
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
}

async function createKeyFile(file: string): Promise<Buffer | undefined> {
  const key = randomBytes(KEY_BYTES);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // 'wx' fails when the file exists, so two servers starting together cannot overwrite each other's key.
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return undefined;
    throw new ServerError(
      'CONFIG_INVALID',
      `Cannot create the secret key file ${file}; check that the server can write to its home directory.`,
      { cause: error },
    );
  }
  try {
    await handle.writeFile(key);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return key;
}

async function readKeyFile(file: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const missing = errnoOf(error) === 'ENOENT';
    throw new ServerError(
      'CONFIG_INVALID',
      missing
        ? `The secret key file ${file} does not exist; restore it, or correct ${SECRET_KEY_FILE_ENV}.`
        : `Cannot read the secret key file ${file}; check its owner and permissions.`,
      { cause: error },
    );
  }
  try {
    // Checked on the open handle, so the file cannot be swapped between the check and the read.
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new ServerError(
        'CONFIG_INVALID',
        `${file} is not a regular file; it must hold the server's ${KEY_BYTES}-byte secret key.`,
      );
    }
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
      throw new ServerError(
        'CONFIG_INVALID',
        `The secret key file ${file} is accessible to other users (mode ${mode}); restrict it with "chmod 600 ${file}" and restart. If others may have read it, treat the stored secrets as exposed.`,
      );
    }
    const content = await handle.readFile();
    if (content.length === KEY_BYTES) return content;
    // Operators may also write the key as text (hex or base64) by hand.
    const decoded = content.length <= 256 ? decodeSecretKey(content.toString('utf8')) : undefined;
    if (decoded !== undefined) return decoded;
    throw new ServerError(
      'CONFIG_INVALID',
      `The secret key file ${file} does not hold a ${KEY_BYTES}-byte key (raw, hex or base64). Restore the original file; delete it only if no secrets were stored yet, and a new key will be created.`,
    );
  } finally {
    await handle.close();
  }
}

/** Loads (or on first start creates) the server's secret key. */
export async function loadSecretKey(options: LoadSecretKeyOptions): Promise<LoadedSecretKey> {
  const env = options.env ?? process.env;
  const value = env[SECRET_KEY_ENV];
  if (value !== undefined && value.trim() !== '') return fromEnv(value);
  const given = env[SECRET_KEY_FILE_ENV]?.trim();
  if (given) {
    const file = resolve(given);
    return { key: await readKeyFile(file), source: 'file', file, created: false };
  }
  if (options.shared === true) {
    throw new ServerError(
      'CONFIG_INVALID',
      `With ${DATABASE_URL_ENV}, every replica of the server must seal secrets with the same key, so it is not made per home directory: set ${SECRET_KEY_ENV} to the key, or ${SECRET_KEY_FILE_ENV} to a file holding it, on every replica (${HOW_TO_GENERATE}).`,
    );
  }

  if (typeof options.home !== 'string' || options.home === '') {
    throw new ServerError(
      'CONFIG_INVALID',
      `No server home directory was given to keep ${SECRET_KEY_FILE} in; set ${SECRET_KEY_ENV} or configure the home directory.`,
    );
  }
  const file = join(options.home, SECRET_KEY_FILE);
  try {
    await mkdir(options.home, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ServerError(
      'CONFIG_INVALID',
      `Cannot create the server home directory ${options.home}; check its parent's permissions.`,
      { cause: error },
    );
  }
  if (options.create === false && !existsSync(file)) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The store holds secrets sealed with a key, but ${file} is missing and ${SECRET_KEY_ENV} is not set. Restore the key file from your backup (or set ${SECRET_KEY_ENV} to the key); a new key could not open them, so none was created.`,
    );
  }
  const created = await createKeyFile(file);
  if (created !== undefined) return { key: created, source: 'file', file, created: true };
  return { key: await readKeyFile(file), source: 'file', file, created: false };
}
