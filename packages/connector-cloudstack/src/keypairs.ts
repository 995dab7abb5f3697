import { createHash } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import { arrayOf, type CloudStackClient } from './client.js';
import { text } from './wire.js';

/**
 * SSH keys for launches. deployVirtualMachine takes the name of a registered key pair, so a
 * launch's public key is registered once (registerSSHKeyPair) under a name derived from the key,
 * and found again by its fingerprint the next time, whatever name it was registered under.
 */

/** The key's base64 blob: the second field of an OpenSSH public key line. */
function blobOf(publicKey: string): Buffer {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return Buffer.from(blob, 'base64');
}

/** CloudStack's fingerprint of a key: MD5 of the blob, colon-separated lowercase hex. */
export function keyFingerprint(publicKey: string): string {
  const digest = createHash('md5').update(blobOf(publicKey)).digest('hex');
  return digest.match(/../g)?.join(':') ?? digest;
}

/** The name the connector registers a key under: stable for a key, different for another. */
export function keyPairName(publicKey: string): string {
  return `slipstream-${createHash('sha256').update(blobOf(publicKey)).digest('hex').slice(0, 16)}`;
}

/** The name of a key pair holding this public key, registering one when the account has none. */
export async function ensureKeyPair(
  client: CloudStackClient,
  publicKey: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const fingerprint = keyFingerprint(publicKey);
  const existing = await findByFingerprint(client, fingerprint, signal);
  if (existing) return existing;
  const name = keyPairName(publicKey);
  try {
    await client.request(
      'registerSSHKeyPair',
      { name, publickey: publicKey.trim() },
      { signal, method: 'POST' },
    );
    return name;
  } catch (error) {
    // Another launch may have registered it meanwhile; CloudStack then refuses the duplicate.
    if (ConnectorError.hasCode(error, 'INVALID_REQUEST') && /already exists/i.test(error.message)) {
      const registered = await findByFingerprint(client, fingerprint, signal);
      if (registered) return registered;
    }
    throw error;
  }
}

async function findByFingerprint(
  client: CloudStackClient,
  fingerprint: string,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const { items } = await client.list('listSSHKeyPairs', { fingerprint }, 'sshkeypair', { signal });
  for (const pair of arrayOf(items)) {
    // Older clouds ignore the fingerprint filter: check it here too.
    if (text(pair, 'fingerprint') === fingerprint) return text(pair, 'name');
  }
  return undefined;
}
