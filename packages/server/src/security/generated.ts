/**
 * Server-generated secrets: initial/reset passwords people have to type, and API tokens machines
 * present. Everything here draws from node:crypto's CSPRNG.
 */

import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors.js';

/** Lower-case letters and digits without the look-alikes 0/o, 1/l/i: 31 symbols, ≈4.95 bits each. */
const READABLE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 5;
const GROUP_LENGTH = 5;

/**
 * A password a person can read aloud and retype: five dash-separated groups of five symbols
 * (29 characters, 25 random symbols ≈ 124 bits).
 */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    // randomInt is rejection-sampled, so every symbol is equally likely (no modulo bias).
    for (let i = 0; i < GROUP_LENGTH; i++) group += READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** Prefix that makes tokens recognisable to people and to secret scanners. */
export const TOKEN_PREFIX = 'ssk_';
const TOKEN_PATTERN = /^ssk_[A-Za-z0-9_-]{43}$/;

/** A new API token: `ssk_` + 32 random bytes base64url (256 bits). Show it once; store only `hashToken`. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** True when `value` has the shape of a token `generateToken` produces (cheap pre-check before a lookup). */
export function isTokenFormat(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/**
 * SHA-256 hex of a token, the value to store and look up. Tokens carry 256 random bits, so a fast
 * unsalted hash is enough: nothing can be brute-forced, and lookups stay an indexed equality.
 */
export function hashToken(token: string): string {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ServerError(
      'INVALID_REQUEST',
      'The API token is missing; send it as "Authorization: Bearer ssk_…".',
    );
  }
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Compares two strings in time independent of where they differ and of their lengths: both are
 * hashed to fixed-size digests first (equal digests ⇔ equal strings for SHA-256).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
