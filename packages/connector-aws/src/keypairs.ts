import { createHash } from 'node:crypto';
import { ConnectorError } from '@slipstream/connector-core';
import type { SessionContext } from './context.js';

/**
 * The user's SSH public key as an EC2 key pair. Its name is derived from the key itself (a digest
 * of the key's base64 body), so the same key is imported once and found again by name on every
 * later launch, and two keys never share a name.
 */

const KEY_LINE = /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521))\s+([A-Za-z0-9+/]+={0,3})(?:\s|$)/;

export function keyPairName(publicKey: string): string {
  const body = KEY_LINE.exec(publicKey.trim())?.[2];
  if (body === undefined) {
    throw new ConnectorError(
      'INVALID_REQUEST',
      'sshPublicKey is not an OpenSSH public key EC2 imports; give one line like "ssh-ed25519 AAAA… comment" (RSA, ED25519 or ECDSA).',
    );
  }
  const digest = createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex').slice(0, 32);
  return `slipstream-${digest}`;
}

/** The key pair's name, imported first when the account does not have it yet. */
export async function ensureKeyPair(
  context: SessionContext,
  publicKey: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const name = keyPairName(publicKey);
  const existing = await context.client.call('DescribeKeyPairs', (sdk, ec2) =>
    ec2.send(new sdk.DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: [name] }] }), {
      abortSignal: signal,
    }),
  );
  if ((existing.KeyPairs ?? []).some((pair) => pair.KeyName === name)) return name;
  try {
    await context.client.call('ImportKeyPair', (sdk, ec2) =>
      ec2.send(
        new sdk.ImportKeyPairCommand({
          KeyName: name,
          PublicKeyMaterial: Buffer.from(publicKey.trim(), 'utf8'),
        }),
        { abortSignal: signal },
      ),
    );
  } catch (error) {
    // Imported meanwhile by a concurrent launch, or by this one before its answer was lost: the
    // name stands for this very key, so it is the one to use.
    if (!(ConnectorError.is(error) && /InvalidKeyPair\.Duplicate/.test(error.message))) throw error;
  }
  context.logger.info({ keyPair: name }, 'EC2 key pair ready');
  return name;
}
