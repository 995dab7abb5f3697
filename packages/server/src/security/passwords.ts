/**
 * Password hashing for local user accounts: scrypt with a per-password random salt, stored as one
 * self-describing string so the cost parameters can be raised later without a migration — a stored
 * hash carries its own parameters, and `needsRehash` tells the login path when to upgrade it.
 */

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors.js';

/**
 * Current cost parameters. OWASP's Password Storage Cheat Sheet suggests N=2^17 for scrypt; 2^15
 * (32 MiB, tens of milliseconds) is the server's choice for now, and raising it here is enough:
 * `needsRehash` then upgrades each stored hash at its owner's next login.
 */
const CURRENT = { n: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 64 } as const;

/** UTF-8 bytes; longer inputs only make hashing a denial-of-service lever. */
export const MAX_PASSWORD_BYTES = 1024;

// Bounds on parameters read back from storage, so a corrupted or hostile row cannot make
// verification allocate gigabytes or spin for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

interface ScryptHash {
  readonly n: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function checkPassword(password: unknown): Buffer {
  if (typeof password !== 'string') {
    throw new ServerError('INVALID_REQUEST', 'The password must be a text string.');
  }
  // NFC so the same password typed on different systems (composed vs decomposed accents) matches.
  const bytes = Buffer.from(password.normalize('NFC'), 'utf8');
  if (bytes.length === 0) {
    throw new ServerError('INVALID_REQUEST', 'The password is empty; choose a non-empty password.');
  }
  if (bytes.length > MAX_PASSWORD_BYTES) {
    throw new ServerError(
      'INVALID_REQUEST',
      `The password is ${bytes.length} bytes long; use at most ${MAX_PASSWORD_BYTES} bytes (UTF-8).`,
    );
  }
  return bytes;
}

function derive(
  password: Buffer,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  keyBytes: number,
): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default maxmem (32 MiB) is exactly that at N=2^15 r=8 and
  // OpenSSL wants a little headroom, so allow twice the requirement.
  const maxmem = 2 * 128 * n * r + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyBytes, { N: n, r, p, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function parseInteger(text: string | undefined): number | undefined {
  return text !== undefined && /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : undefined;
}

/** The stored hash's fields, or undefined when it is not a hash this module wrote. */
function parse(stored: unknown): ScryptHash | undefined {
  if (typeof stored !== 'string' || stored.length > 1024) return undefined;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const n = parseInteger(parts[1]);
  const r = parseInteger(parts[2]);
  const p = parseInteger(parts[3]);
  const [salt, hash] = [parts[4] ?? '', parts[5] ?? ''];
  if (n === undefined || r === undefined || p === undefined) return undefined;
  // N must be a power of two above 1 for scrypt.
  if (n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r > MAX_R || p > MAX_P) return undefined;
  if (!B64URL.test(salt) || !B64URL.test(hash)) return undefined;
  const saltBytes = Buffer.from(salt, 'base64url');
  const hashBytes = Buffer.from(hash, 'base64url');
  if (saltBytes.length < 8 || hashBytes.length < 16 || hashBytes.length > 128) return undefined;
  return { n, r, p, salt: saltBytes, hash: hashBytes };
}

/** Hashes a password into `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const bytes = checkPassword(password);
  const salt = randomBytes(CURRENT.saltBytes);
  const key = await derive(bytes, salt, CURRENT.n, CURRENT.r, CURRENT.p, CURRENT.keyBytes);
  return [
    'scrypt',
    CURRENT.n,
    CURRENT.r,
    CURRENT.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/**
 * True when `password` matches `stored`. Empty or overlong passwords simply do not match (hashing
 * refuses them, so no stored hash can be theirs) and are not hashed, so a login form cannot be used
 * to make the server hash megabytes. A `stored` value this module did not write is a data error.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === undefined) {
    throw new ServerError(
      'CONFIG_INVALID',
      'The stored password hash is not in the scrypt$N$r$p$salt$hash format; reset this user’s password.',
    );
  }
  let bytes: Buffer;
  try {
    bytes = checkPassword(password);
  } catch {
    return false;
  }
  const key = await derive(bytes, parsed.salt, parsed.n, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(key, parsed.hash);
}

/** True when `stored` was hashed with other parameters than today's (or is unreadable) and should be replaced at the next successful login. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return (
    parsed === undefined ||
    parsed.n !== CURRENT.n ||
    parsed.r !== CURRENT.r ||
    parsed.p !== CURRENT.p ||
    parsed.salt.length !== CURRENT.saltBytes ||
    parsed.hash.length !== CURRENT.keyBytes
  );
}
