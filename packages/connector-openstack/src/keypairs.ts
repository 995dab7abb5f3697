import { createHash } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import type { OpenStackClient } from './client.js';
import { unexpectedAnswer } from './errors.js';
import type { NovaKeyPair } from './wire.js';

/**
 * SSH keys. POST /servers takes the name of a key pair, so a launch's public key is imported
 * (POST /os-keypairs with `public_key`) under a name derived from the key itself —
 * `slipstream-` and 16 hex digits of the SHA-256 of its type and blob — and reused by every later
 * launch with the same key: the name is looked up first, and a concurrent import (409) is fine.
 */

/** The key's type and base64 blob, without its comment: what identifies it. */
function keyIdentity(publicKey: string): string {
  const [type = '', blob = ''] = publicKey.trim().split(/\s+/);
  return `${type} ${blob}`;
}

/** Key pair names are `^[_\- a-zA-Z0-9]+$` in Nova before 2.92: this one always is. */
export function keyPairName(publicKey: string): string {
  return `slipstream-${createHash('sha256').update(keyIdentity(publicKey)).digest('hex').slice(0, 16)}`;
}

async function findKeyPair(
  client: OpenStackClient,
  name: string,
  signal?: AbortSignal,
): Promise<NovaKeyPair | undefined> {
  const answer = await client.call<{ keypair?: NovaKeyPair }>({
    service: 'compute',
    operation: 'show-keypair',
    method: 'GET',
    path: `/os-keypairs/${encodeURIComponent(name)}`,
    signal,
    acceptStatus: [404],
  });
  if (answer.status === 404) return undefined;
  const keypair = answer.data?.keypair;
  if (typeof keypair?.name !== 'string')
    throw unexpectedAnswer('Nova', 'show-keypair', 'no "keypair" object');
  return keypair;
}

function sameKey(keypair: NovaKeyPair, publicKey: string): boolean {
  return typeof keypair.public_key === 'string' && keyIdentity(keypair.public_key) === keyIdentity(publicKey);
}

function foreignKeyPair(name: string): ConnectorError {
  return new ConnectorError(
    'INVALID_REQUEST',
    `Key pair "${name}" exists with another public key; the connector names key pairs after their key, so someone else made it. Delete or rename it.`,
  );
}

/** The name of a key pair holding `publicKey`, imported if needed. */
export async function ensureKeyPair(
  client: OpenStackClient,
  publicKey: string,
  signal?: AbortSignal,
): Promise<string> {
  const name = keyPairName(publicKey);
  const existing = await findKeyPair(client, name, signal);
  if (existing) {
    if (!sameKey(existing, publicKey)) throw foreignKeyPair(name);
    return name;
  }
  const created = await client.call<unknown>({
    service: 'compute',
    operation: 'create-keypair',
    method: 'POST',
    path: '/os-keypairs',
    // `type` exists from 2.2; ssh is its default, said explicitly.
    body: { keypair: { name, public_key: publicKey.trim(), type: 'ssh' } },
    signal,
    // Importing the same key twice is harmless: a repeated request ends in 409 at worst.
    idempotent: true,
    acceptStatus: [409],
  });
  if (created.status === 409) {
    // Imported meanwhile by a concurrent launch, or by our own request whose answer was lost.
    const raced = await findKeyPair(client, name, signal);
    if (!raced) throw created.error ?? foreignKeyPair(name);
    if (!sameKey(raced, publicKey)) throw foreignKeyPair(name);
  }
  return name;
}
