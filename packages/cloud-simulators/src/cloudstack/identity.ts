import { createHash } from 'node:crypto';
import type { SimAccount } from '../model/types.js';

/**
 * Ids of the objects CloudStack shows around a VM that the shared model does not keep (the
 * domain, the user, networks, NICs, hosts): UUIDs derived from what they belong to, so that they
 * stay the same from one answer to the next without any state.
 */

/** The ROOT domain every simulated account lives in. */
export const ROOT_DOMAIN = Object.freeze({
  id: '5e1f0c2a-7b3d-4c8e-9f10-a1b2c3d4e5f6',
  name: 'ROOT',
  path: '/',
});

/** Derived ids are asked for on every listing (five per VM): hashing once is what keeps lists fast. */
const derived = new Map<string, string>();
const DERIVED_CACHE_SIZE = 100_000;

/** A name-based UUID (version 5 layout) from the given parts. */
export function derivedUuid(...parts: readonly string[]): string {
  const input = parts.join('\u0000');
  const known = derived.get(input);
  if (known !== undefined) return known;
  // Bounded, so that a long-running simulator's memory does not grow with every id it derives.
  if (derived.size >= DERIVED_CACHE_SIZE) derived.clear();
  const uuid = uuidFromSha1(input);
  derived.set(input, uuid);
  return uuid;
}

function uuidFromSha1(input: string): string {
  const hex = createHash('sha1').update(input).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function userIdOf(account: SimAccount): string {
  return derivedUuid('user', account.id);
}

/** The account's user name: CloudStack accounts created with an API key have one user. */
export function userNameOf(account: SimAccount): string {
  return account.name;
}

/** Owner fields CloudStack repeats on every object an account owns. */
export function ownerFields(account: SimAccount): { account: string; domainid: string; domain: string } {
  return { account: account.name, domainid: ROOT_DOMAIN.id, domain: ROOT_DOMAIN.name };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a value has the form of the UUIDs CloudStack gives its objects (lowercase hex). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
