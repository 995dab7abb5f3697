import { createHash } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import type { ExoscaleClient } from './client.js';
import { awaitOperation, type OperationWait } from './waits.js';
import { type ExoscaleSshKey, operationOf } from './wire.js';

/**
 * Exoscale attaches SSH keys by name, so a launch's public key is imported once (POST /ssh-key)
 * under a name derived from the key itself and reused by every later launch with the same key.
 * The name is a digest of the key blob: the same key always finds its earlier import, and two
 * different keys never share a name.
 */

const PREFIX = 'slipstream-';
const MD5_FINGERPRINT = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i;

function keyBlob(publicKey: string): Buffer {
  const blob = publicKey.trim().split(/\s+/)[1] ?? '';
  return Buffer.from(blob, 'base64');
}

/** `slipstream-` and 24 hex digits of the SHA-256 of the key blob; valid as an Exoscale key name. */
export function sshKeyName(publicKey: string): string {
  return `${PREFIX}${createHash('sha256').update(keyBlob(publicKey)).digest('hex').slice(0, 24)}`;
}

/** The MD5 fingerprint, colon-separated, as Exoscale (and `ssh-keygen -E md5`) show it. */
export function md5Fingerprint(publicKey: string): string {
  const digest = createHash('md5').update(keyBlob(publicKey)).digest('hex');
  return digest.match(/../g)?.join(':') ?? digest;
}

/** The name of the imported key, importing it first when this organization has not yet. */
export async function ensureSshKey(
  client: ExoscaleClient,
  publicKey: string,
  wait: OperationWait,
): Promise<string> {
  const name = sshKeyName(publicKey);
  const existing = await client.call<ExoscaleSshKey>({
    operation: 'get-ssh-key',
    method: 'GET',
    path: `/ssh-key/${encodeURIComponent(name)}`,
    signal: wait.signal,
    acceptStatus: [404],
  });
  if (existing.status !== 404) {
    checkFingerprint(name, existing.data?.fingerprint, publicKey);
    return name;
  }
  const imported = await client.call<unknown>({
    operation: 'register-ssh-key',
    method: 'POST',
    path: '/ssh-key',
    body: { name, 'public-key': publicKey },
    signal: wait.signal,
    // A concurrent launch with the same key imported it first: that import is ours too.
    acceptStatus: [409],
  });
  if (imported.status === 409) return name;
  await awaitOperation(client, operationOf(imported.data, 'register-ssh-key'), 'register-ssh-key', wait);
  return name;
}

function checkFingerprint(name: string, fingerprint: string | undefined, publicKey: string): void {
  // Only an MD5 fingerprint can be compared; another form is trusted, the name being a digest.
  if (fingerprint === undefined || !MD5_FINGERPRINT.test(fingerprint)) return;
  if (fingerprint.toLowerCase() === md5Fingerprint(publicKey)) return;
  throw new ConnectorError(
    'INVALID_REQUEST',
    `The SSH key "${name}" registered in Exoscale has fingerprint ${fingerprint}, not that of the given key (${md5Fingerprint(publicKey)}); delete it in the Exoscale portal or CLI and launch again.`,
  );
}
